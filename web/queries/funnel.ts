import { queryOptions } from '@tanstack/react-query';
import { api, type FunnelParams } from '../api/client.ts';

export const funnelOptions = (params: FunnelParams) =>
  queryOptions({ queryKey: ['funnel', params], queryFn: ({ signal }) => api.funnel(params, signal) });
