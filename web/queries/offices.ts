import type { OfficeScorecard, Offices } from '../api/types.ts';
import type { Calendar } from '../lib/format.ts';
import type { Filters } from '../lib/url.ts';
import { apiQuery } from './query.ts';

export const officesOptions = (filters: Filters) =>
  apiQuery<Offices>(['offices', filters], '/offices', filters);

/** The scorecard's monthly trend comes in `calendar` months (Solar Hijri for the Persian dashboard). */
export const officeOptions = (id: string, filters: Filters, calendar: Calendar) =>
  apiQuery<OfficeScorecard>(['office', id, filters, calendar], `/offices/${encodeURIComponent(id)}`, {
    ...filters,
    calendar,
  });
