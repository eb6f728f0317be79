import type { TrendParams, Trends } from '../api/types.ts';
import { apiQuery } from './query.ts';

export const trendsOptions = (params: TrendParams) => apiQuery<Trends>(['trends', params], '/trends', params);
