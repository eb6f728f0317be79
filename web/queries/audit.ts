import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';

export const auditOptions = (params: { page: number }) =>
  queryOptions({
    queryKey: ['audit', params],
    queryFn: ({ signal }) => api.audit({ ...params, page_size: 50 }, signal),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
