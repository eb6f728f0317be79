import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Filters } from '../lib/url.ts';

export const outliersOptions = (filters: Filters) =>
  queryOptions({ queryKey: ['outliers', filters], queryFn: ({ signal }) => api.outliers(filters, signal) });
