import type { OfficeScorecard, Offices } from '../api/types.ts';
import type { Filters } from '../lib/url.ts';
import { apiQuery } from './query.ts';

export const officesOptions = (filters: Filters) =>
  apiQuery<Offices>(['offices', filters], '/offices', filters);

export const officeOptions = (id: string, filters: Filters) =>
  apiQuery<OfficeScorecard>(['office', id, filters], `/offices/${encodeURIComponent(id)}`, filters);
