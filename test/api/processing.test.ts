/**
 * DESIGN 1 (processing time, Kaplan–Meier median) and DESIGN 2 (breach rate) on a fixture small
 * enough to work by hand; expected values are derived in the comments.
 */
import { afterEach, beforeEach, describe, expect, type MockInstance, test, vi } from 'vitest';
import { CaseOrder } from '../../api/metrics/case-order.ts';
import { kaplanMeierMedian } from '../../api/stats/index.ts';
import { type Body, type CaseDef, closed, type FixtureDef, makeApp, open, plusDays } from './fixture.ts';

const AS_OF = '2024-03-01T00:00:00Z';
// Tehran has had no DST since 2022, so in 2024 "sla_days calendar days" is exactly sla_days × 24 h.
const ago = (days: number) => plusDays(AS_OF, -days);

/**
 * Office A (district 1, service S1 with sla 5 days): closed durations 1, 2, 2, 4, 6, 9 (the 9 is a
 * rejection), open ages 3, 5, 7, 10, one withdrawn case.
 */
function officeA(): CaseDef[] {
  const start = '2024-01-01T06:00:00Z';
  return [
    closed('a1', 'A', 'S1', start, 1),
    closed('a2', 'A', 'S1', start, 2),
    closed('a3', 'A', 'S1', plusDays(start, 1), 2),
    closed('a4', 'A', 'S1', start, 4),
    closed('a5', 'A', 'S1', start, 6),
    closed('a6', 'A', 'S1', start, 9, { status: 'rejected' }),
    open('a7', 'A', 'S1', ago(3)),
    open('a8', 'A', 'S1', ago(5)),
    open('a9', 'A', 'S1', ago(7)),
    open('a10', 'A', 'S1', ago(10)),
    closed('a11', 'A', 'S1', start, 30, { status: 'withdrawn' }),
  ];
}

/** Office B (district 2): the per-case due_at takes precedence over the service's sla_days. */
function officeB(): CaseDef[] {
  const s = '2024-01-10T06:00:00Z';
  return [
    // closed in 4 days, due after 3 → breached (sla 5 alone would say not breached)
    closed('b1', 'B', 'S1', s, 4, { due_at: plusDays(s, 3) }),
    // open 7 days, due after 30 → still inside its deadline: undecided (sla 5 alone would say breached)
    open('b2', 'B', 'S1', ago(7), { due_at: plusDays(ago(7), 30) }),
    // S2 has no sla and the case no due_at → not counted
    closed('b3', 'B', 'S2', s, 20),
    // S2 with a due_at of 1 day, closed in 2 → breached
    closed('b4', 'B', 'S2', s, 2, { due_at: plusDays(s, 1) }),
    // open 3 days, due after 1 → breached
    open('b5', 'B', 'S2', ago(3), { due_at: plusDays(ago(3), 1) }),
    // closed in 1 day, sla 5 → decided, not breached
    closed('b6', 'B', 'S1', s, 1),
  ];
}

const base = {
  asOf: AS_OF,
  offices: [
    { office_id: 'A', district: 1 },
    { office_id: 'B', district: 2 },
  ],
  services: [
    { service_code: 'S1', sla_days: 5, category: 'building_permit' },
    { service_code: 'S2', sla_days: null, category: 'inquiry' },
  ],
};

/**
 * Every test runs twice: on the SQL, and on the in-memory case order (api/metrics/case-order.ts), which
 * then answers every selection however small; the test fails if it did not answer.
 */
describe.each([
  { path: 'SQL', caseOrder: false },
  { path: 'the case order', caseOrder: true },
])('processing ($path)', ({ caseOrder }) => {
  let stats: MockInstance<CaseOrder['stats']> | undefined;
  beforeEach(() => {
    if (caseOrder) stats = vi.spyOn(CaseOrder.prototype, 'stats');
  });
  afterEach(async () => {
    if (!stats) return;
    expect(stats).toHaveBeenCalled();
    for (const r of stats.mock.results) expect(await r.value, 'the case order answered').not.toBeNull();
    stats.mockRestore();
    stats = undefined;
  });
  const makeApp_ = (def: FixtureDef) => makeApp(def, { caseOrder });
  test('counts, interpolated quantiles, mean, Kaplan–Meier median and breach rate by hand', async () => {
    const { get } = await makeApp_({ ...base, cases: [...officeA(), ...officeB()] });
    const { status, body } = await get('/api/processing?by=office');
    expect(status).toBe(200);
    const a = body.rows.find((r: Body) => r.key === 'A');
    expect(a.n_cases).toBe(11); // the withdrawn case counts here only
    expect(a.n_closed).toBe(6);
    expect(a.n_open).toBe(4);
    // sorted closed: 1 2 2 4 6 9; median at (6−1)·0.5 = 2.5 → 2 + 0.5·(4−2) = 3
    expect(a.median_days).toBeCloseTo(3, 9);
    // p90 at 5·0.9 = 4.5 → 6 + 0.5·(9−6) = 7.5
    expect(a.p90_days).toBeCloseTo(7.5, 9);
    expect(a.mean_days).toBeCloseTo(24 / 6, 9);
    // KM: t=1 n=10 d=1 S=.9; t=2 n=9 d=2 S=.7; censor 3; t=4 n=6 d=1 S=.5833; censor 5;
    // t=6 n=4 d=1 S=.4375 ≤ .5 → 6
    expect(a.km_median_days).toBeCloseTo(6, 9);
    // breached: closed 6 and 9, open aged 7 and 10 (the open case aged exactly 5 is at its deadline,
    // not past it) = 4; decided: 6 closed + 2 open = 8
    expect(a.breach_rate).toBeCloseTo(4 / 8, 12);
    expect(a.n_breached).toBe(4);
    expect(a.n_deadline_decided).toBe(8);

    const b = body.rows.find((r: Body) => r.key === 'B');
    // breached b1, b4, b5; decided b1, b4, b5, b6 (b2 inside its own due_at, b3 no deadline)
    expect(b.n_breached).toBe(3);
    expect(b.n_deadline_decided).toBe(4);
    expect(b.breach_rate).toBeCloseTo(0.75, 12);

    expect(body.total.key).toBe('all');
    expect(body.total.n_cases).toBe(17);
    expect(body.total.n_breached).toBe(7);
    expect(body.total.n_deadline_decided).toBe(12);
  });

  test('KM median edge cases: never reaching 0.5, S exactly 0.5, and a last step with d = n', async () => {
    const s = '2024-01-01T06:00:00Z';
    const { get } = await makeApp_({
      ...base,
      offices: [
        { office_id: 'C', district: 3 },
        { office_id: 'D', district: 4 },
        { office_id: 'E', district: 5 },
      ],
      cases: [
        // C: one event at 1 among 4 at risk (S = .75), three censored at 5 → never ≤ .5 → null
        closed('c1', 'C', 'S1', s, 1),
        open('c2', 'C', 'S1', ago(5)),
        open('c3', 'C', 'S1', ago(5)),
        open('c4', 'C', 'S1', ago(5)),
        // D: events at 1 and 2, S(1) = 0.5 exactly until 2 → the midpoint 1.5 (R survfit)
        closed('d1', 'D', 'S1', s, 1),
        closed('d2', 'D', 'S1', s, 2),
        // E: censored at 1, then the only one at risk closes at 3: S(3) = 1 − 1/1 = 0 → 3
        open('e1', 'E', 'S1', ago(1)),
        closed('e2', 'E', 'S1', s, 3),
      ],
    });
    const { body } = await get('/api/processing?by=office');
    const km = Object.fromEntries(body.rows.map((r: Body) => [r.key, r.km_median_days]));
    expect(km.C).toBeNull();
    expect(km.D).toBeCloseTo(1.5, 9);
    expect(km.E).toBeCloseTo(3, 9);
  });

  test('KM median where S sits at 0.5: midpoint, ties at the crossing, the 130 closed + 2 open shape', async () => {
    const s = '2024-01-01T06:00:00Z';
    const cases: CaseDef[] = [];
    // F: 130 closed at 1..130 days, 2 open aged 200 (censored after every event): S after the
    // k-th event = (132 − k)/132, exactly 0.5 at k = 66 until the 67th → (66 + 67)/2 = 66.5
    for (let i = 1; i <= 130; i++) cases.push(closed(`f${i}`, 'F', 'S1', s, i));
    cases.push(open('f131', 'F', 'S1', ago(200)), open('f132', 'F', 'S1', ago(200)));
    // G: 1, 2, 2, 3: S(1) = 3/4, S(2) = 1/4 (two events at 2): the first row at 2 has S = 1/2 but
    // S(2) itself is below → 2, not a midpoint
    for (const [i, t] of [1, 2, 2, 3].entries()) cases.push(closed(`g${i}`, 'G', 'S1', s, t));
    // H: 1, 2 closed, 3 open aged 5, 4 open aged 6 — S(2) = 1/2 and no later event → 2 (R: the left end)
    cases.push(closed('h1', 'H', 'S1', s, 1), closed('h2', 'H', 'S1', s, 2));
    cases.push(open('h3', 'H', 'S1', ago(5)), open('h4', 'H', 'S1', ago(6)));
    // I: censored at 0.5 first: 0.5+, 1, 2, 3 → S(1) = 2/3, S(2) = 1/3 → 2
    cases.push(open('i0', 'I', 'S1', ago(0.5)));
    for (const [i, t] of [1, 2, 3].entries()) cases.push(closed(`i${i + 1}`, 'I', 'S1', s, t));
    // J: 1, 2, 3+, 4, 5, 6: S(1) = 5/6, S(2) = 4/6, 3 censored, S(4) = 4/6·2/3 = 4/9, → 4 (no exact 0.5)
    for (const [i, t] of [1, 2, 4, 5, 6].entries()) cases.push(closed(`j${i}`, 'J', 'S1', s, t));
    cases.push(open('j9', 'J', 'S1', ago(3)));
    const { get } = await makeApp_({
      ...base,
      offices: ['F', 'G', 'H', 'I', 'J'].map((o, i) => ({ office_id: o, district: i + 1 })),
      cases,
    });
    const { body } = await get('/api/processing?by=office');
    const km = Object.fromEntries(body.rows.map((r: Body) => [r.key, r.km_median_days]));
    expect(km.F).toBeCloseTo(66.5, 9);
    expect(km.G).toBeCloseTo(2, 9);
    expect(km.H).toBeCloseTo(2, 9);
    expect(km.I).toBeCloseTo(2, 9);
    expect(km.J).toBeCloseTo(4, 9);
    // the same group alone, and in a window that keeps all of it
    const one = await get('/api/processing?by=office&office=F');
    expect(one.body.rows[0].km_median_days).toBeCloseTo(66.5, 9);
    const windowed = await get('/api/processing?by=office&office=F&from=2023-01-01');
    expect(windowed.body.rows[0].km_median_days).toBeCloseTo(66.5, 9);
  });

  test.each([7, 11, 2024])(
    'the Kaplan–Meier median agrees with the statistics library (seed %i)',
    async (s0) => {
      let seed = s0;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed / 2147483648;
      };
      const cases: CaseDef[] = [];
      const byDistrict = new Map<number, { t: number[]; e: boolean[] }>();
      for (let i = 0; i < 240; i++) {
        const district = 1 + (i % 6);
        const office = `O${district}`;
        // half-day steps make ties between events, and between events and censorings
        const t = Math.round(rand() * 40) / 2;
        const isOpen = rand() < 0.15 + 0.1 * (district % 4);
        cases.push(isOpen ? open(`r${i}`, office, 'S1', ago(t)) : closed(`r${i}`, office, 'S1', ago(60), t));
        const g = byDistrict.get(district) ?? { t: [], e: [] };
        g.t.push(t);
        g.e.push(!isOpen);
        byDistrict.set(district, g);
      }
      const { get } = await makeApp_({
        ...base,
        offices: [1, 2, 3, 4, 5, 6].map((d) => ({ office_id: `O${d}`, district: d })),
        cases,
      });
      // without filters, and with a window that keeps every case
      for (const path of ['/api/processing?by=district', '/api/processing?by=district&from=2000-01-01']) {
        const { body } = await get(path);
        for (const [district, g] of byDistrict) {
          const row = body.rows.find((r: Body) => r.key === String(district));
          const expected = kaplanMeierMedian(g.t, g.e);
          if (expected === null) expect(row.km_median_days, path).toBeNull();
          else expect(row.km_median_days, `${path} district ${district}`).toBeCloseTo(expected, 9);
        }
        const all = [...byDistrict.values()];
        const city = kaplanMeierMedian(
          all.flatMap((g) => g.t),
          all.flatMap((g) => g.e),
        );
        expect(body.total.km_median_days, `${path} total`).toBeCloseTo(city as number, 9);
      }
    },
  );

  test('month keys follow Tehran local time, in Gregorian and Solar Hijri calendars', async () => {
    const { get } = await makeApp_({
      ...base,
      cases: [
        // 2024-03-19 21:00 UTC is 2024-03-20 00:30 in Tehran, Nowruz 1403 (1403-01-01)
        closed('m1', 'A', 'S1', '2024-03-19T21:00:00Z', 1),
        // 2024-03-19 20:00 UTC is 23:30 on 1402-12-29 in Tehran
        closed('m2', 'A', 'S1', '2024-03-19T20:00:00Z', 1),
        // 2024-02-29 21:00 UTC is 1 March 00:30 Tehran
        closed('m3', 'A', 'S1', '2024-02-29T21:00:00Z', 1),
      ],
    });
    const g = await get('/api/processing?by=month');
    expect(g.body.rows.map((r: Body) => [r.key, r.n_cases])).toEqual([['2024-03', 3]]);
    const j = await get('/api/processing?by=month&calendar=jalali');
    // 1 March 2024 = 11 Esfand 1402
    expect(j.body.rows.map((r: Body) => [r.key, r.n_cases])).toEqual([
      ['1402-12', 2],
      ['1403-01', 1],
    ]);
  });
});
