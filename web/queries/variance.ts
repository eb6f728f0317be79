import type { Variance, VarianceParams } from '../api/types.ts';
import { apiQuery } from './query.ts';

export const varianceOptions = (params: VarianceParams) =>
  apiQuery<Variance>(['variance', params], '/variance', params);
