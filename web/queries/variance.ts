import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Filters } from '../lib/url.ts';

export const varianceOptions = (params: Filters & { service: string; min_n?: number }) =>
  queryOptions({ queryKey: ['variance', params], queryFn: ({ signal }) => api.variance(params, signal) });
