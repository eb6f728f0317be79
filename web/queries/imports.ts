import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';

export const importsOptions = () =>
  queryOptions({ queryKey: ['imports'], queryFn: ({ signal }) => api.imports(signal) });

export const rejectsOptions = (params: { import_id?: string; page: number }) =>
  queryOptions({
    queryKey: ['rejects', params],
    queryFn: ({ signal }) => api.rejects(params, signal),
    placeholderData: keepPreviousData,
  });
