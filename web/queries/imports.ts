import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Imports, Rejects, RejectsParams } from '../api/types.ts';
import { apiQuery } from './query.ts';

export const importsOptions = () => apiQuery<Imports>(['imports'], '/imports');

export const rejectsOptions = (params: RejectsParams) =>
  queryOptions({
    ...apiQuery<Rejects>(['rejects', params], '/rejects', params),
    placeholderData: keepPreviousData,
  });
