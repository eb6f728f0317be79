import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, type CaseParams } from '../api/client.ts';

/** The previous page stays on screen while the next loads, so the table does not jump. */
export const casesOptions = (params: CaseParams) =>
  queryOptions({
    queryKey: ['cases', params],
    queryFn: ({ signal }) => api.cases(params, signal),
    placeholderData: keepPreviousData,
  });
