import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { CaseParams, Cases } from '../api/types.ts';
import { apiQuery } from './query.ts';

/** The previous page stays on screen while the next loads, so the table does not jump. */
export const casesOptions = (params: CaseParams) =>
  queryOptions({
    ...apiQuery<Cases>(['cases', params], '/cases', params),
    placeholderData: keepPreviousData,
  });
