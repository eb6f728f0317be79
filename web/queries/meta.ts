import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';

/** Districts, services and offices change only with an import: fetch once per session. */
export const metaOptions = () =>
  queryOptions({ queryKey: ['meta'], queryFn: ({ signal }) => api.meta(signal), staleTime: 10 * 60_000 });

export const healthOptions = () =>
  queryOptions({ queryKey: ['health'], queryFn: ({ signal }) => api.health(signal), staleTime: 60_000 });
