import { queryOptions } from '@tanstack/react-query';
import { api, type TrendParams } from '../api/client.ts';

export const trendsOptions = (params: TrendParams) =>
  queryOptions({ queryKey: ['trends', params], queryFn: ({ signal }) => api.trends(params, signal) });
