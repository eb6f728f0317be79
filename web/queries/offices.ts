import type { Calendar, OfficeScorecard, Offices } from '../api/types.ts';
import type { Filters } from '../lib/url.ts';
import { apiQuery } from './query.ts';

export const officesOptions = (filters: Filters) =>
  apiQuery<Offices>(['offices', filters], '/offices', filters);

/** One office's scorecard; its monthly trend in the reader's calendar (Solar Hijri months in Persian). */
export const officeOptions = (id: string, filters: Filters, calendar: Calendar) =>
  apiQuery<OfficeScorecard>(['office', id, filters, calendar], `/offices/${encodeURIComponent(id)}`, {
    ...filters,
    calendar,
  });
