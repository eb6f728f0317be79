/**
 * Per-dataset memo for sub-results shared between answers (e.g. the city-wide figures on every office
 * scorecard, the signal counts behind funnels, outliers and the offices list). Keyed by the dataset
 * signature, so a new import never sees old values; concurrent callers share one computation.
 */
import type { Db } from '../db.ts';
import { currentSignature } from './facts.ts';

const MAX_ENTRIES = 200;
const memos = new WeakMap<Db, Map<string, Promise<unknown>>>();
const disabled = new WeakSet<Db>();

/** The benchmark turns the memo off to time the SQL behind every answer. */
export function setMemo(db: Db, enabled: boolean): void {
  if (enabled) disabled.delete(db);
  else disabled.add(db);
}

export function memo<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  const sig = currentSignature(db);
  if (sig === undefined || disabled.has(db)) return compute();
  let m = memos.get(db);
  if (!m) {
    m = new Map();
    memos.set(db, m);
  }
  const full = `${sig} ${key}`;
  const hit = m.get(full);
  if (hit) {
    m.delete(full);
    m.set(full, hit);
    return hit as Promise<T>;
  }
  const p = compute();
  m.set(full, p);
  p.catch(() => m.delete(full));
  while (m.size > MAX_ENTRIES) m.delete(m.keys().next().value as string);
  return p;
}
