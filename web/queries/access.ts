import type { AccessResponse } from '../api/types.ts';
import type { Filters } from '../lib/url.ts';
import { apiQuery } from './query.ts';

/** GET /api/access (DESIGN 16) for the filters; the key holds every filter the fetch sends. */
export const accessOptions = (filters: Filters) =>
  apiQuery<AccessResponse>(['access', filters], '/access', filters);
