/**
 * What a metric needs to answer one request: the database, the data cache (api/cache.ts), the
 * resolved filters (with the user's district scope) and the display labels. Every metric function
 * takes it first; a metric that needs another filter set (a scorecard's office, district and city
 * columns) passes `{ ...ctx, f }`.
 */
import type { DataCache } from './cache.ts';
import type { Db } from './db.ts';
import { type FilterInput, type Filters, resolveFilters } from './filters.ts';
import { type Labels, loadLabels } from './metrics/labels.ts';

export interface RequestContext {
  db: Db;
  cache: DataCache;
  f: Filters;
  labels: Labels;
}

export async function requestContext(
  cache: DataCache,
  q: FilterInput,
  scope: number[] | null,
): Promise<RequestContext> {
  const db = cache.db;
  const [f, labels] = await Promise.all([
    resolveFilters(db, q, scope),
    cache.get('labels', () => loadLabels(db)),
  ]);
  return { db, cache, f, labels };
}
