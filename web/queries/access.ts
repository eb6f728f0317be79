import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Filters } from '../lib/url.ts';

/** GET /api/access (DESIGN 16) for the filters; the key holds every filter the fetch sends. */
export const accessOptions = (filters: Filters) =>
  queryOptions({ queryKey: ['access', filters], queryFn: ({ signal }) => api.access(filters, signal) });
