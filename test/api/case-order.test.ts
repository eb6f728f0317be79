/**
 * The in-memory case order (api/metrics/case-order.ts) against the SQL that sorts the selection
 * (processing.ts with in-query ranks): two implementations of DESIGN 1's median, p90 and Kaplan–Meier
 * median, which must agree to the bit on every group of random filters. The SQL itself is checked by
 * hand and against the statistics library in processing.test.ts.
 */
import { afterAll, describe, expect, test, vi } from 'vitest';
import { DataCache } from '../../api/cache.ts';
import type { Db } from '../../api/db.ts';
import type { Filters } from '../../api/filters.ts';
import { gregorianToJalali } from '../../api/lib/jalali.ts';
import { CaseOrder } from '../../api/metrics/case-order.ts';
import { CASE_GROUP_KEYS, computeGroupStats } from '../../api/metrics/processing.ts';
import { mulberry32 } from '../stats/rng.ts';
import { type CaseDef, closed, makeDb, open, plusDays } from './fixture.ts';

const AS_OF = '2024-06-01T00:00:00Z';
const OFFICES = [
  { office_id: 'A', district: 1 },
  { office_id: 'B', district: 1 },
  { office_id: 'C', district: 2 },
  { office_id: 'D', district: 3 },
];
const SERVICES = [
  { service_code: 'S1', sla_days: 5, category: 'building_permit' },
  { service_code: 'S2', sla_days: 10, category: 'building_permit' },
  { service_code: 'S3', sla_days: null, category: 'inquiry' },
];

/** 900 cases over 2023–24: durations on a half-day grid (ties, also with open cases' ages), some withdrawn. */
function randomCases(seed: number): CaseDef[] {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const cases: CaseDef[] = [];
  for (let i = 0; i < 900; i++) {
    const office = pick(OFFICES).office_id;
    const service = pick(SERVICES).service_code;
    const channel = pick(['in_person', 'online', 'in_person']);
    const t = Math.round(rand() * 60) / 2;
    const u = rand();
    if (u < 0.2) {
      // open, aged t on the as-of time (its submission falls in the last two months)
      cases.push(open(`o${i}`, office, service, plusDays(AS_OF, -t), { channel }));
    } else {
      const at = plusDays('2023-01-01T05:00:00Z', Math.floor(rand() * 480) + rand() * 0.9);
      const status = u < 0.25 ? 'withdrawn' : u < 0.35 ? 'rejected' : 'completed';
      cases.push(closed(`c${i}`, office, service, at, t, { channel, status }));
    }
  }
  return cases;
}

/** `submitted`: the cases' submission instants (epoch seconds), so that windows can start or end on one. */
function randomFilters(rand: () => number, submitted: number[]): Filters {
  const f: Filters = {};
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  if (rand() < 0.7) {
    // any instant, not only midnights (the window compares submission seconds), or a case's own
    // submission instant: from includes it, to excludes it
    const edge = () => (rand() < 0.5 ? pick(submitted) : undefined);
    f.fromS = edge() ?? Date.parse('2023-01-01T00:00:00Z') / 1000 + Math.floor(rand() * 500 * 86_400);
    if (rand() < 0.6) f.toS = edge() ?? f.fromS + Math.floor(rand() * 400 * 86_400) + 1;
    if (f.toS !== undefined && f.toS <= f.fromS) [f.fromS, f.toS] = [f.toS, f.fromS + 1];
  }
  if (rand() < 0.25) f.district = pick([1, 2, 3]);
  if (rand() < 0.15) f.office = pick(OFFICES).office_id;
  const s = rand();
  if (s < 0.25) f.service = pick(SERVICES).service_code;
  else if (s < 0.45) f.category = pick(['building_permit', 'inquiry']);
  if (rand() < 0.35) f.channel = pick(['in_person', 'online']);
  if (rand() < 0.15) f.scope = pick([[1], [2, 3], []]);
  return f;
}

const KEYS = [
  CASE_GROUP_KEYS.district,
  CASE_GROUP_KEYS.office,
  CASE_GROUP_KEYS.service,
  CASE_GROUP_KEYS.category,
  CASE_GROUP_KEYS.city,
  'mk_jalali',
  'mk_gregorian',
  // trends.ts: a group and its month
  `(${CASE_GROUP_KEYS.district}) || '|' || mk_jalali`,
  `(${CASE_GROUP_KEYS.office}) || '|' || mk_gregorian`,
  `(${CASE_GROUP_KEYS.city}) || '|' || mk_jalali`,
];

describe('the in-memory case order', () => {
  const dbs: Db[] = [];
  afterAll(() => {
    for (const db of dbs) db.close();
  });

  test.each([3, 17, 2025])(
    'equals the sorting SQL on every group of 60 random filters (seed %i)',
    async (seed) => {
      const cases = randomCases(seed);
      const submitted = cases.map((c) => Date.parse(c.submitted_at) / 1000);
      const db = await makeDb({ asOf: AS_OF, offices: OFFICES, services: SERVICES, cases });
      dbs.push(db);
      const cache = new DataCache(db, undefined, 0);
      const order = await cache.caseOrder();
      expect(order).not.toBeNull();
      const stats = vi.spyOn(CaseOrder.prototype, 'stats');
      const rand = mulberry32(seed + 1);
      let totals = 0;
      let groups = 0;
      let kmMedians = 0;
      try {
        for (let i = 0; i < 60; i++) {
          const f = randomFilters(rand, submitted);
          // each key, then the city total under the same filters (as processing.ts asks for them)
          for (const key of [KEYS[i % KEYS.length], CASE_GROUP_KEYS.city]) {
            const ctx = { db, cache, f } as Parameters<typeof computeGroupStats>[0];
            const sql = await computeGroupStats(ctx, key, false);
            const calls = stats.mock.calls.length;
            const ordered = await computeGroupStats(ctx, key);
            // a pass of its own, or (the city total) the total of the grouped pass over these filters
            const passed =
              stats.mock.calls.length === calls + 1 && (await stats.mock.results.at(-1)?.value) !== null;
            const fromTotal =
              key === CASE_GROUP_KEYS.city &&
              stats.mock.calls.length === calls &&
              (await order?.total(f)) != null;
            expect(passed || fromTotal, 'the case order answered').toBe(true);
            if (fromTotal) totals++;
            expect([...ordered.keys()].sort()).toEqual([...sql.keys()].sort());
            for (const [k, want] of sql) {
              const got = ordered.get(k)!;
              const where = `${JSON.stringify(f)} ${key} ${k}`;
              // mean_days is DuckDB's parallel avg in both, which may differ in the last bits
              if (want.mean_days === null) expect(got.mean_days, where).toBeNull();
              else expect(got.mean_days, where).toBeCloseTo(want.mean_days, 9);
              expect({ ...got, mean_days: 0 }, where).toEqual({ ...want, mean_days: 0 });
              groups++;
              if (want.km_median_days !== null) kmMedians++;
            }
          }
        }
      } finally {
        stats.mockRestore();
      }
      // the filters leave enough to compare: many groups, most with a Kaplan–Meier median
      expect(groups).toBeGreaterThan(150);
      // most city totals came from the grouped pass before them (the rest: the key was the city)
      expect(totals).toBeGreaterThan(40);
      expect(kmMedians).toBeGreaterThan(100);
    },
  );

  test('a load in slices of km_order reads the same arrays as one sorted read', async () => {
    const db = await makeDb({ asOf: AS_OF, offices: OFFICES, services: SERVICES, cases: randomCases(8) });
    dbs.push(db);
    await new DataCache(db).signature(); // builds case_facts
    const whole = await CaseOrder.load(db, Number.MAX_SAFE_INTEGER);
    const sliced = await CaseOrder.load(db, 7);
    expect(whole.size).toBeGreaterThan(7 * 20);
    expect(sliced).toEqual(whole);
  });

  test('case_facts is stored in (Solar Hijri year, service, submission) order, with km_order the Kaplan–Meier order', async () => {
    const db = await makeDb({ asOf: AS_OF, offices: OFFICES, services: SERVICES, cases: randomCases(13) });
    dbs.push(db);
    await new DataCache(db).signature(); // builds case_facts
    const rows = await db.all<{
      case_id: string;
      service_code: string;
      sub_s: number;
      sub_d: string;
      dur: number | null;
      age: number | null;
      km_order: number | null;
    }>(
      'SELECT case_id, service_code, sub_s, sub_d::VARCHAR AS sub_d, dur, age, km_order FROM case_facts ORDER BY rowid',
    );
    expect(rows).toHaveLength(900);
    // the storage order, with the year worked out here (lib/jalali.ts) rather than by the SQL's month key
    const key = (r: (typeof rows)[number]) => {
      const [y, m, d] = r.sub_d.split('-').map(Number);
      return [gregorianToJalali(y, m, d)[0], Number(r.service_code.slice(1)), r.sub_s];
    };
    const years = new Set(rows.map((r) => key(r)[0]));
    expect(years.size).toBeGreaterThan(1);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [key(rows[i - 1]), key(rows[i])];
      const cmp = a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
      expect(
        cmp,
        `row ${i}: ${JSON.stringify(rows[i - 1])} before ${JSON.stringify(rows[i])}`,
      ).toBeLessThanOrEqual(0);
    }
    // DESIGN 1's order: by time (a duration, else an open case's age), an event before a censoring at a tied time,
    // then by case id; cases with neither (withdrawn) have none
    const timed = rows.filter((r) => r.dur !== null || r.age !== null);
    timed.sort(
      (a, b) =>
        (a.dur ?? a.age ?? 0) - (b.dur ?? b.age ?? 0) ||
        Number(a.dur === null) - Number(b.dur === null) ||
        (a.case_id < b.case_id ? -1 : a.case_id > b.case_id ? 1 : 0),
    );
    expect(timed.length).toBeGreaterThan(500);
    expect(timed.map((r) => r.km_order)).toEqual(timed.map((_, i) => i + 1));
    expect(rows.filter((r) => r.dur === null && r.age === null).every((r) => r.km_order === null)).toBe(true);
  });

  test('a selection below the size threshold stays on the SQL', async () => {
    const db = await makeDb({ asOf: AS_OF, offices: OFFICES, services: SERVICES, cases: randomCases(5) });
    dbs.push(db);
    const cache = new DataCache(db, undefined, 10_000);
    expect(await cache.caseOrder()).not.toBeNull();
    const stats = vi.spyOn(CaseOrder.prototype, 'stats');
    try {
      const ctx = { db, cache, f: { fromS: 0 } } as Parameters<typeof computeGroupStats>[0];
      const got = await computeGroupStats(ctx, CASE_GROUP_KEYS.office);
      expect(stats).not.toHaveBeenCalled();
      expect(got).toEqual(await computeGroupStats(ctx, CASE_GROUP_KEYS.office, false));
    } finally {
      stats.mockRestore();
    }
  });

  test('new data: the old case order is never used; the SQL answers until the new one is loaded', async () => {
    const db = await makeDb({ asOf: AS_OF, offices: OFFICES, services: SERVICES, cases: randomCases(11) });
    dbs.push(db);
    const cache = new DataCache(db, undefined, 0);
    const before = await cache.caseOrder();
    const ctx = { db, cache, f: { office: 'A' } } as Parameters<typeof computeGroupStats>[0];
    const old = await computeGroupStats(ctx, CASE_GROUP_KEYS.city);
    // ten more closed cases of 100 days at office A: its median moves
    for (let i = 0; i < 10; i++)
      await db.run(
        `INSERT INTO cases VALUES ($id, 'A', 'S1', TIMESTAMPTZ '2024-01-01 08:00:00+00',
           TIMESTAMPTZ '2024-04-10 08:00:00+00', 'completed', 'online', NULL)`,
        { id: `new${i}` },
      );
    const stats = vi.spyOn(CaseOrder.prototype, 'stats');
    try {
      const fresh = await computeGroupStats(ctx, CASE_GROUP_KEYS.city);
      expect(stats).not.toHaveBeenCalled(); // the order of the old data is not asked, the new one not yet loaded
      const sql = await computeGroupStats(ctx, CASE_GROUP_KEYS.city, false);
      expect(fresh).toEqual(sql);
      expect(fresh.get('all')?.n_closed).toBe((old.get('all')?.n_closed ?? 0) + 10);
      const after = await cache.caseOrder();
      expect(after).not.toBe(before);
      expect(after?.size).toBe((before?.size ?? 0) + 10);
      const ordered = await computeGroupStats(ctx, CASE_GROUP_KEYS.city);
      expect(stats).toHaveBeenCalledTimes(1);
      expect({ ...ordered.get('all'), mean_days: 0 }).toEqual({ ...sql.get('all'), mean_days: 0 });
    } finally {
      stats.mockRestore();
    }
  });
});
