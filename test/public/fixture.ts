/**
 * The public scorecards' hand-built fixture: two offices in district 3 with 30 and 29 closed cases of
 * one service (either side of the small-number rule), one office in district 4 whose median depends on
 * both ends of the 365-day window being right, and complaints with and without a case. Every expected
 * value in the tests is worked out by hand in the comments here and there.
 */
import { createApp } from '../../api/app.ts';
import type { Db } from '../../api/db.ts';
import { setPublication } from '../../api/public/publication.ts';
import { PublicRateLimiter } from '../../api/public/rate-limit.ts';
import {
  type CaseDef,
  type ComplaintDef,
  closed,
  type FixtureDef,
  makeDb,
  open,
  plusDays,
} from '../api/fixture.ts';

export const AS_OF = '2024-06-30T20:30:00Z';
/** 365 days before the as-of time (no daylight saving in Tehran since 2022: days are 24 h). */
export const WINDOW_FROM = plusDays(AS_OF, -365);
export const ago = (days: number) => plusDays(AS_OF, -days);

/**
 * P30 (district 3): S1 (sla 10) closed in 1, 2, …, 30 days → median 15.5; on time (≤ 10 days): 10 of 30.
 * Plus one S1 case submitted 400 days ago (outside the window) that took 1000 days.
 * P29 (district 3): S1 closed in 1, …, 29 days → 29 cases: every figure "too few".
 * Q (district 4): S2 (no deadline): 20 closed in 2 days and 20 in 4, one more 2-day case submitted exactly
 * at the window's start (in), one 100-day case a second before it (out), and open cases 1–4 days old
 * and one submitted exactly at the as-of time (in) → 41 closed: 21 × 2 then 20 × 4 → median 2 (with the
 * start case out it would be 3; with the early case in, 3 as well); 46 cases in the window.
 */
export function cases(): CaseDef[] {
  const out: CaseDef[] = [];
  for (let d = 1; d <= 30; d++) out.push(closed(`p30-${d}`, 'P30', 'S1', ago(100), d));
  out.push(closed('p30-old', 'P30', 'S1', ago(400), 1000));
  for (let d = 1; d <= 29; d++) out.push(closed(`p29-${d}`, 'P29', 'S1', ago(100), d));
  for (let i = 0; i < 20; i++) out.push(closed(`q-a${i}`, 'Q', 'S2', ago(50), 2));
  for (let i = 0; i < 20; i++) out.push(closed(`q-b${i}`, 'Q', 'S2', ago(50), 4));
  out.push(closed('q-start', 'Q', 'S2', WINDOW_FROM, 2));
  out.push(closed('q-early', 'Q', 'S2', plusDays(WINDOW_FROM, -1 / 86_400), 100));
  for (let d = 1; d <= 4; d++) out.push(open(`q-open${d}`, 'Q', 'S2', ago(d)));
  out.push(open('q-now', 'Q', 'S2', AS_OF));
  return out;
}

/**
 * P30: 3 about its S1 cases and 1 without a case in the window, 1 more 400 days ago (out).
 * P29: 2 about its cases. Q: 9 about its S2 cases.
 */
export function complaints(): ComplaintDef[] {
  const k = (id: string, office: string, caseId: string | null, at: string): ComplaintDef => ({
    complaint_id: id,
    office_id: office,
    case_id: caseId,
    received_at: at,
    category: 'delay',
  });
  return [
    k('k1', 'P30', 'p30-1', ago(50)),
    k('k2', 'P30', 'p30-2', ago(50)),
    k('k3', 'P30', 'p30-3', ago(50)),
    k('k4', 'P30', null, ago(50)),
    k('k5', 'P30', 'p30-4', ago(400)),
    k('k6', 'P29', 'p29-1', ago(50)),
    k('k7', 'P29', 'p29-2', ago(50)),
    ...Array.from({ length: 9 }, (_, i) => k(`kq${i}`, 'Q', `q-a${i}`, ago(10))),
  ];
}

export const FIXTURE: FixtureDef = {
  asOf: AS_OF,
  offices: [
    { office_id: 'P30', name: 'دفتر پیشخوان سی', district: 3 },
    { office_id: 'P29', name: 'دفتر پیشخوان بیست‌ونه', district: 3 },
    { office_id: 'Q', name: 'Office Q', district: 4 },
  ],
  services: [
    { service_code: 'S1', name: 'صدور پروانه ساختمانی', sla_days: 10, category: 'building_permit' },
    { service_code: 'S2', name: 'استعلام بانکی', sla_days: null, category: 'inquiry' },
  ],
  cases: cases(),
  complaints: complaints(),
};

export const LICENCE = 'CC BY 4.0 — شهرداری تهران';

/** The app on a fixture, optionally published; `get` asks anonymously (no cookie). */
export async function publicApp(
  def: FixtureDef = FIXTURE,
  opts: { published?: boolean; limiter?: PublicRateLimiter; webRoot?: string | null } = {},
) {
  const db: Db = await makeDb(def);
  if (opts.published ?? true)
    await setPublication(db, { published: true, licence: LICENCE, username: 'test-admin', via: 'cli' });
  const app = createApp({
    db,
    geoPath: null,
    webRoot: opts.webRoot ?? null,
    log: () => {},
    publicLimiter: opts.limiter ?? new PublicRateLimiter({ perMinute: 100_000 }),
  });
  const get = async (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    app.request(`http://shafaf.test${path}`, { headers });
  return { db, app, get };
}
