import type { Outliers } from '../api/types.ts';
import type { Filters } from '../lib/url.ts';
import { apiQuery } from './query.ts';

export const outliersOptions = (filters: Filters) =>
  apiQuery<Outliers>(['outliers', filters], '/outliers', filters);
