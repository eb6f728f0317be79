/**
 * What a metric needs to answer one request: the database, the resolved filters (with the user's
 * district scope) and the display labels. Every metric function takes it first; a metric that needs
 * another filter set (a scorecard's office, district and city columns) passes `{ ...ctx, f }`.
 */
import type { Db } from './db.ts';
import { type FilterInput, type Filters, resolveFilters } from './filters.ts';
import { ensureFacts } from './metrics/facts.ts';
import { type Labels, loadLabels } from './metrics/labels.ts';

export interface RequestContext {
  db: Db;
  f: Filters;
  labels: Labels;
}

/** Labels change only with the data: kept per dataset signature. */
const dims = new WeakMap<Db, { sig: string; labels: Labels }>();

export async function requestContext(
  db: Db,
  q: FilterInput,
  scope: number[] | null,
): Promise<RequestContext> {
  const [f, sig] = await Promise.all([resolveFilters(db, q, scope), ensureFacts(db)]);
  let d = dims.get(db);
  if (!d || d.sig !== sig) {
    d = { sig, labels: await loadLabels(db) };
    dims.set(db, d);
  }
  return { db, f, labels: d.labels };
}
