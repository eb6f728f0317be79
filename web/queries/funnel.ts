import type { Funnel, FunnelParams } from '../api/types.ts';
import { apiQuery } from './query.ts';

export const funnelOptions = (params: FunnelParams) =>
  apiQuery<Funnel>(['funnel', params], '/funnel', params);
