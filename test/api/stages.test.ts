/**
 * DESIGN 11–15 on a hand-worked event log. Seven cases of one service in three districts:
 *
 *   A (O1, d1) submitted 01-01, closed 01-11; completion events only, with a tie: `visit` and
 *     `design` both at 01-04 00:00, exported in that order (design would sort first by name).
 *     steps intake 1, visit 2, design 0, issue 7 (= 10 days, its duration).
 *   B (O1, d1) submitted 01-01, closed 01-21; start+complete pairs and a repeated stage:
 *     intake 0.5; review start 01-03, complete 01-05 → waiting 1.5, processing 2, step 3.5;
 *     design 3; review again start 01-10, complete 01-12 → waiting 2, processing 2, step 4 (visit 2);
 *     issue 9 (= 20 days).
 *   C (O2, d2) submitted 02-01; its first step (intake 01-31) is before submitted_at → 0 days;
 *     issue 02-03 → 3 days. Throughput from the first event: 3 days.
 *   D (O2, d2) one event: issue 02-02 12:00 → 1.5 days; actor on the event (municipality) wins
 *     over the stage's (office).
 *   E (O3, d3) open; visit started 02-28, before submitted_at 03-01 → waiting 0, processing 3;
 *     issue 03-03 → 1. Throughput from the start event: 4 days.
 *   F (O3, d3) submitted 03-01, closed 03-05; `inquiry` has no stages row and no actor → 'other',
 *     named by the export's stage_name, 0.5 days; review started twice (03-02, 03-04) before its one
 *     completion (03-05): the later start pairs → waiting 2.5, processing 1, step 3.5.
 *   H (O2, d2) submitted 02-10; intake 0.25, issue 1.75: the same route as C.
 *   G (O3) has no events and takes no part.
 */
import { describe, expect, test } from 'vitest';
import { bhQValues } from '../../api/stats/bh.ts';
import { twoSidedP } from '../../api/stats/distributions.ts';
import { chiSquareSf, kruskalWallis, overdispersion, Z998 } from '../../api/stats/index.ts';
import { type Body, closed, open } from './fixture.ts';
import { signIn } from './session.ts';
import { type EventDef, insertEvents, makeStageApp } from './stage-fixture.ts';

const STAGES = [
  { stage: 'intake', name: 'تشکیل پرونده', actor: 'office' },
  { stage: 'visit', name: 'بازدید', actor: 'municipality' },
  { stage: 'design', name: 'طراحی', actor: 'citizen' },
  { stage: 'review', name: 'بررسی فنی', actor: 'municipality' },
  { stage: 'issue', name: 'صدور', actor: 'office' },
];

const ev = (case_id: string, stage: string, at: string, extra: Partial<EventDef> = {}): EventDef => ({
  case_id,
  stage,
  at,
  ...extra,
});

const EVENTS: EventDef[] = [
  ev('A', 'intake', '2024-01-02T00:00:00Z'),
  ev('A', 'visit', '2024-01-04T00:00:00Z'),
  ev('A', 'design', '2024-01-04T00:00:00Z'),
  ev('A', 'issue', '2024-01-11T00:00:00Z'),
  ev('B', 'intake', '2024-01-01T12:00:00Z'),
  ev('B', 'review', '2024-01-03T00:00:00Z', { lifecycle: 'start' }),
  ev('B', 'review', '2024-01-05T00:00:00Z'),
  ev('B', 'design', '2024-01-08T00:00:00Z'),
  ev('B', 'review', '2024-01-10T00:00:00Z', { lifecycle: 'start' }),
  ev('B', 'review', '2024-01-12T00:00:00Z'),
  ev('B', 'issue', '2024-01-21T00:00:00Z'),
  // exported out of time order: the sort is by time, the export order only breaks ties
  ev('C', 'issue', '2024-02-03T00:00:00Z'),
  ev('C', 'intake', '2024-01-31T00:00:00Z'),
  ev('D', 'issue', '2024-02-02T12:00:00Z', { actor: 'municipality' }),
  ev('E', 'visit', '2024-02-28T00:00:00Z', { lifecycle: 'start' }),
  ev('E', 'visit', '2024-03-02T00:00:00Z'),
  ev('E', 'issue', '2024-03-03T00:00:00Z'),
  ev('F', 'inquiry', '2024-03-01T12:00:00Z', { stage_name: 'استعلام اضافی' }),
  ev('F', 'review', '2024-03-02T00:00:00Z', { lifecycle: 'start' }),
  ev('F', 'review', '2024-03-04T00:00:00Z', { lifecycle: 'start' }),
  ev('F', 'review', '2024-03-05T00:00:00Z'),
  ev('H', 'intake', '2024-02-10T06:00:00Z'),
  ev('H', 'issue', '2024-02-12T00:00:00Z'),
];

const DEF = {
  asOf: '2024-06-01T00:00:00Z',
  offices: [
    { office_id: 'O1', district: 1 },
    { office_id: 'O2', district: 2 },
    { office_id: 'O3', district: 3 },
  ],
  services: [{ service_code: 'S1', category: 'building_permit', sla_days: 15 }],
  cases: [
    closed('A', 'O1', 'S1', '2024-01-01T00:00:00Z', 10),
    closed('B', 'O1', 'S1', '2024-01-01T00:00:00Z', 20),
    closed('C', 'O2', 'S1', '2024-02-01T00:00:00Z', 2),
    closed('D', 'O2', 'S1', '2024-02-01T00:00:00Z', 1.5),
    open('E', 'O3', 'S1', '2024-03-01T00:00:00Z'),
    closed('F', 'O3', 'S1', '2024-03-01T00:00:00Z', 4),
    closed('H', 'O2', 'S1', '2024-02-10T00:00:00Z', 2),
    closed('G', 'O3', 'S1', '2024-03-01T00:00:00Z', 6),
  ],
  stages: STAGES,
  events: EVENTS,
};

/** Each case's steps by hand: [stage, step days, actor]. */
const STEPS: Record<string, [string, number, string][]> = {
  A: [
    ['intake', 1, 'office'],
    ['visit', 2, 'municipality'],
    ['design', 0, 'citizen'],
    ['issue', 7, 'office'],
  ],
  B: [
    ['intake', 0.5, 'office'],
    ['review', 3.5, 'municipality'],
    ['design', 3, 'citizen'],
    ['review', 4, 'municipality'],
    ['issue', 9, 'office'],
  ],
  C: [
    ['intake', 0, 'office'],
    ['issue', 3, 'office'],
  ],
  D: [['issue', 1.5, 'municipality']],
  E: [
    ['visit', 3, 'municipality'],
    ['issue', 1, 'office'],
  ],
  F: [
    ['inquiry', 0.5, 'other'],
    ['review', 3.5, 'municipality'],
  ],
  H: [
    ['intake', 0.25, 'office'],
    ['issue', 1.75, 'office'],
  ],
};
const DISTRICT: Record<string, number> = { A: 1, B: 1, C: 2, D: 2, E: 3, F: 3, H: 2 };

/** Linear-interpolated quantile (type 7), written here independently of the code under test. */
function q7(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
}

const close = (a: number | null | undefined, b: number) => expect(a).toBeCloseTo(b, 9);

describe('step times (DESIGN 11) through a case timeline', () => {
  test('ties keep the export order; start+complete pairs; first step before submitted_at; one event', async () => {
    const { get } = await makeStageApp(DEF);
    const a = await get('/api/cases/A');
    expect(a.status).toBe(200);
    expect(a.body.steps.map((s: Body) => s.stage)).toEqual(['intake', 'visit', 'design', 'issue']);
    expect(a.body.steps.map((s: Body) => s.step_days)).toEqual([1, 2, 0, 7]);
    close(a.body.throughput_days, 10);
    expect(a.body.rework).toBe(false);
    expect(JSON.stringify(a.body)).not.toContain('DESK');

    const b = await get('/api/cases/B');
    const steps = b.body.steps;
    expect(steps.map((s: Body) => [s.stage, s.visit])).toEqual([
      ['intake', 1],
      ['review', 1],
      ['design', 1],
      ['review', 2],
      ['issue', 1],
    ]);
    close(steps[1].waiting_days, 1.5);
    close(steps[1].processing_days, 2);
    close(steps[1].step_days, 3.5);
    expect(steps[1].started_at).toBe('2024-01-03T00:00:00Z');
    expect(steps[1].completed_at).toBe('2024-01-05T00:00:00Z');
    close(steps[3].waiting_days, 2);
    close(steps[3].step_days, 4);
    expect(steps[2].waiting_days).toBeNull();
    expect(steps[2].started_at).toBeNull();
    expect(b.body.rework).toBe(true);
    expect(b.body.days_by_actor).toEqual({ office: 9.5, municipality: 7.5, citizen: 3, other: 0 });

    const c = await get('/api/cases/C');
    expect(c.body.steps.map((s: Body) => [s.stage, s.step_days])).toEqual([
      ['intake', 0],
      ['issue', 3],
    ]);
    close(c.body.throughput_days, 3);

    const d = await get('/api/cases/D');
    expect(d.body.steps).toHaveLength(1);
    close(d.body.steps[0].step_days, 1.5);
    expect(d.body.steps[0].actor).toBe('municipality');
    close(d.body.throughput_days, 1.5);

    const e = await get('/api/cases/E');
    close(e.body.steps[0].waiting_days, 0);
    close(e.body.steps[0].processing_days, 3);
    close(e.body.throughput_days, 4);
    expect(e.body.case.status).toBe('open');

    const f = await get('/api/cases/F');
    expect(f.body.steps[0]).toMatchObject({ stage: 'inquiry', stage_name: 'استعلام اضافی', actor: 'other' });
    close(f.body.steps[1].waiting_days, 2.5);
    close(f.body.steps[1].processing_days, 1);
    expect(f.body.steps[1].started_at).toBe('2024-03-04T00:00:00Z');

    const g = await get('/api/cases/G');
    expect(g.status).toBe(200);
    expect(g.body.steps).toEqual([]);
    expect(g.body.throughput_days).toBeNull();

    // closed cases: the step times add up to closed_at − submitted_at
    for (const id of ['A', 'B', 'D', 'F', 'H']) {
      const r = await get(`/api/cases/${id}`);
      const sum = r.body.steps.reduce((s: number, x: Body) => s + x.step_days, 0);
      close(sum, r.body.case.duration_days);
    }
    expect((await get('/api/cases/nope')).status).toBe(404);
  });

  test('an inspector gets 404 for a case outside their districts', async () => {
    const { app, db, session } = await makeStageApp(DEF);
    const inspector = await signIn(app, db, 'inspector', { username: 'insp1', districts: [1] });
    expect((await inspector.request('/api/cases/A')).status).toBe(200);
    const other = await inspector.request('/api/cases/C');
    expect(other.status).toBe(404);
    expect((await session.request('/api/cases/C')).status).toBe(200);
  });
});

describe('per stage (DESIGN 12)', () => {
  test('n, median, p90, mean per case, share, the bottleneck, and one stage across districts', async () => {
    const { get } = await makeStageApp(DEF);
    const { status, body } = await get('/api/stages?service=S1&min_n=1');
    expect(status).toBe(200);
    expect(body.n_cases).toBe(7);
    const all = Object.values(STEPS).flat();
    const grand = all.reduce((s, x) => s + x[1], 0);
    close(grand, 44.5);
    for (const stage of ['intake', 'visit', 'design', 'review', 'issue', 'inquiry']) {
      const vals = all.filter((x) => x[0] === stage).map((x) => x[1]);
      const reached = Object.values(STEPS).filter((s) => s.some((x) => x[0] === stage)).length;
      const row = body.rows.find((r: Body) => r.stage === stage);
      expect(row.n, stage).toBe(vals.length);
      expect(row.cases, stage).toBe(reached);
      close(row.median_days, q7(vals, 0.5));
      close(row.p90_days, q7(vals, 0.9));
      const total = vals.reduce((s, v) => s + v, 0);
      close(row.mean_days_per_case, total / reached);
      close(row.share, total / grand);
    }
    // by hand: review 3 occurrences in 2 cases, Σ 11 → 5.5 per case; issue median of 1,1.5,1.75,3,7,9 = 2.375
    close(body.rows.find((r: Body) => r.stage === 'review').mean_days_per_case, 5.5);
    close(body.rows.find((r: Body) => r.stage === 'issue').median_days, 2.375);
    close(body.rows.find((r: Body) => r.stage === 'issue').p90_days, 8);
    expect(body.rows.find((r: Body) => r.stage === 'inquiry')).toMatchObject({
      stage_name: 'استعلام اضافی',
      actor: 'other',
    });
    expect(body.bottlenecks).toHaveLength(1);
    expect(body.bottlenecks[0]).toMatchObject({ stage: 'issue', actor: 'office' });
    close(body.bottlenecks[0].total_days, 23.25);

    // the bottleneck across districts: d1 [7, 9], d2 [3, 1.5, 1.75], d3 [1]
    const across = body.across_districts;
    expect(across.stage).toBe('issue');
    const groups = [[7, 9], [3, 1.5, 1.75], [1]];
    expect(across.districts.map((d: Body) => [d.district, d.n, d.median_days])).toEqual([
      [1, 2, 8],
      [2, 3, 1.75],
      [3, 1, 1],
    ]);
    const kw = kruskalWallis(groups)!;
    close(across.kruskal_wallis.h, kw.h);
    expect(across.kruskal_wallis.df).toBe(2);
    close(across.kruskal_wallis.p_value, Math.exp(-kw.h / 2));
    close(across.kruskal_wallis.p_value, chiSquareSf(kw.h, 2));

    // min_n 2 leaves district 3 out of the test
    const two = await get('/api/stages?service=S1&min_n=2&stage=issue');
    expect(two.body.across_districts.districts.find((d: Body) => d.district === 3).tested).toBe(false);
    close(two.body.across_districts.kruskal_wallis.h, kruskalWallis(groups.slice(0, 2))!.h);
  });

  test('the step tables follow the data: an as-of change keeps them, new events rebuild them', async () => {
    const { db, get } = await makeStageApp(DEF);
    expect((await get('/api/stages?service=S1')).body.n_cases).toBe(7);
    // a table created again gets a new oid
    const built = async () =>
      (
        await db.one<{ oid: number }>(
          "SELECT table_oid::INTEGER AS oid FROM duckdb_tables() WHERE table_name = 'step_facts'",
        )
      )?.oid;
    const before = await built();
    // an as-of change rebuilds the case facts (ages of open cases) but not the steps
    await db.run("UPDATE dataset SET as_of = as_of + INTERVAL '1 day' WHERE id = 1");
    expect((await get('/api/stages?service=S1')).body.n_cases).toBe(7);
    expect(await built()).toBe(before);
    // G had no events: one completion makes it the eighth case with a step
    await insertEvents(db, [], [{ case_id: 'G', stage: 'issue', at: '2024-03-20T00:00:00Z' }]);
    const after = (await get('/api/stages?service=S1')).body;
    expect(after.n_cases).toBe(8);
    expect(await built()).not.toBe(before);
  });

  test('the city-wide figures stored with the facts equal the ones counted over the steps', async () => {
    const { get } = await makeStageApp(DEF);
    // no date, service, category or channel filter: read from stage_city_*; a window covering every
    // case reads the steps themselves
    const all = '&from=2023-01-01&to=2025-12-31';
    for (const path of [
      '/api/stages?min_n=1',
      '/api/stages?by=district&min_n=1',
      '/api/stages?by=office&min_n=1',
      '/api/stages?district=1&min_n=1',
      '/api/stages?office=O3&min_n=1',
      '/api/stages/map?all=true',
      '/api/stages/map?all=true&district=2',
      '/api/stages/actors?by=city',
      '/api/stages/actors?by=district',
      '/api/stages/actors?by=office&district=3',
    ]) {
      const stored = await get(path);
      const counted = await get(`${path}${all}`);
      expect(stored.status, path).toBe(200);
      const { city: _a, ...s } = stored.body;
      const { city: _b, ...c } = counted.body;
      expect(s, path).toEqual(c);
      expect(JSON.stringify(s).length, path).toBeGreaterThan(100);
    }
  });

  test('the answers without a window read the stored figures', async () => {
    const { db, get } = await makeStageApp(DEF);
    await get('/api/stages/extra'); // builds the facts
    await db.run('UPDATE stage_city_figures SET total = total + 1000');
    const changed = await get('/api/stages?by=district&min_n=2');
    const counted = await get('/api/stages?by=district&min_n=2&from=2023-01-01');
    expect(changed.body.rows[0].total_days).toBeCloseTo(counted.body.rows[0].total_days + 1000, 9);
  });

  test('per district: each group its own shares and bottleneck', async () => {
    const { get } = await makeStageApp(DEF);
    const { body } = await get('/api/stages?service=S1&by=district');
    for (const d of [1, 2, 3]) {
      const cases = Object.keys(STEPS).filter((c) => DISTRICT[c] === d);
      const steps = cases.flatMap((c) => STEPS[c]);
      const total = steps.reduce((s, x) => s + x[1], 0);
      const sums = new Map<string, number>();
      for (const [st, v] of steps) sums.set(st, (sums.get(st) ?? 0) + v);
      const best = [...sums].sort((a, b) => b[1] - a[1])[0];
      const bn = body.bottlenecks.find((b: Body) => b.key === String(d));
      expect(bn.stage).toBe(best[0]);
      close(bn.share, best[1] / total);
    }
    // district 3: review 3.5 + visit 3 + issue 1 + inquiry 0.5 → review is the bottleneck
    expect(body.bottlenecks.find((b: Body) => b.key === '3').stage).toBe('review');
  });

  test('an inspector sees their districts; the city reference stays city-wide', async () => {
    const { app, db } = await makeStageApp(DEF);
    const inspector = await signIn(app, db, 'inspector', { username: 'insp3', districts: [3] });
    const body = (await (await inspector.request('/api/stages?service=S1')).json()) as Body;
    expect(body.n_cases).toBe(2);
    expect(body.city.scope).toBe('city');
    expect(body.city.n_cases).toBe(7);
    expect(body.rows.find((r: Body) => r.stage === 'intake')).toBeUndefined();
    expect(body.city.rows.find((r: Body) => r.stage === 'intake').n).toBe(4);
  });

  test('bad parameters are 400s naming the parameter', async () => {
    const { get } = await makeStageApp(DEF);
    for (const [path, parameter] of [
      ['/api/stages?by=month', 'by'],
      ['/api/stages?stage=nope', 'stage'],
      ['/api/stages?min_n=-1', 'min_n'],
      ['/api/stages/actors?by=stage', 'by'],
      ['/api/stages/variants?limit=0', 'limit'],
      ['/api/stages/map?all=yes', 'all'],
      ['/api/stages/extra?service=NOPE', 'service'],
      ['/api/stages/map?from=1403/13/40', 'from'],
      // unknown parameters: a typo must not answer for the whole city
      ['/api/stages?servcie=S1', 'servcie'],
      ['/api/stages/actors?stage=intake', 'stage'],
      ['/api/stages/variants?all=true', 'all'],
      ['/api/stages/extra?limit=5', 'limit'],
      ['/api/stages/map?by=district', 'by'],
      ['/api/cases/A?by=district', 'by'],
      ['/api/funnel?metric=slow_share&time=own', 'time'],
      ['/api/outliers?time=office&tme=office', 'tme'],
    ]) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.error.parameter, path).toBe(parameter);
    }
    const typo = await get('/api/stages?servcie=S1');
    expect(typo.body.error.message).toContain('did you mean service?');
  });
});

describe('whose time (DESIGN 13)', () => {
  test('days and shares by actor per district, and the median case', async () => {
    const { get } = await makeStageApp(DEF);
    const { status, body } = await get('/api/stages/actors?by=district&service=S1');
    expect(status).toBe(200);
    for (const d of [1, 2, 3]) {
      const cases = Object.keys(STEPS).filter((c) => DISTRICT[c] === d);
      const row = body.rows.find((r: Body) => r.key === String(d));
      expect(row.n_cases).toBe(cases.length);
      const total = cases.flatMap((c) => STEPS[c]).reduce((s, x) => s + x[1], 0);
      close(row.total_days, total);
      for (const actor of ['office', 'municipality', 'citizen', 'other']) {
        const perCase = cases.map((c) =>
          STEPS[c].filter((x) => x[2] === actor).reduce((s, x) => s + x[1], 0),
        );
        const sum = perCase.reduce((s, v) => s + v, 0);
        close(row.days[actor], sum);
        close(row.shares[actor], sum / total);
        close(row.median_days[actor], q7(perCase, 0.5));
      }
    }
    // by hand, district 1 (A, B): office 8 and 9.5 → Σ 17.5, median 8.75; of 30 days in all
    const d1 = body.rows.find((r: Body) => r.key === '1');
    close(d1.days.office, 17.5);
    close(d1.median_days.office, 8.75);
    close(d1.shares.office, 17.5 / 30);
    expect(body.city).toMatchObject({ scope: 'city', n_cases: 7 });
    close(body.city.days.municipality, 17.5);
    close(body.city.days.other, 0.5);
  });

  test('slow_share on office time (time=office) against slow_share on the whole case', async () => {
    const { get } = await makeStageApp(DEF);
    // closed cases with events, office days: A 8, B 9.5, C 3, D 0, F 0, H 2 → city median 2.5
    const { body } = await get('/api/funnel?metric=slow_share&by=office&time=office&min_n=0');
    expect(body.time).toBe('office');
    const byKey = Object.fromEntries(body.rows.map((r: Body) => [r.key, [r.n, r.count]]));
    expect(byKey).toEqual({ O1: [2, 2], O2: [3, 1], O3: [1, 0] });
    // total time: durations A 10, B 20, C 2, D 1.5, F 4, H 2, G 6 → median 4; slow A, B, G
    const total = await get('/api/funnel?metric=slow_share&by=office&min_n=0');
    expect(total.body.time).toBe('total');
    const t = Object.fromEntries(total.body.rows.map((r: Body) => [r.key, [r.n, r.count]]));
    expect(t).toEqual({ O1: [2, 2], O2: [3, 0], O3: [2, 1] });
    const outliers = await get('/api/outliers?time=office');
    expect(outliers.status).toBe(200);
    expect(outliers.body.time).toBe('office');
  });

  test('the cases behind an office-time slow_share flag are the ones the funnel counts', async () => {
    const { get } = await makeStageApp(DEF);
    // O2 on office time: C 3, H 2, D 0 days in the office's hands; city median 2.5 → only C slower
    const o2 = await get('/api/cases?office=O2&basis=slow_share&time=office&sort=duration_days&order=desc');
    expect(o2.status).toBe(200);
    expect(o2.body.total).toBe(3);
    expect(o2.body.summary.slower).toBe(1);
    expect(o2.body.rows.map((r: Body) => [r.case_id, r.duration_days, r.city_median_days, r.slower])).toEqual(
      [
        ['C', 3, 2.5, true],
        ['H', 2, 2.5, false],
        ['D', 0, 2.5, false],
      ],
    );
    // O3: G has no events and E is open, so only F (0 office days) on office time; F and G on the whole time
    const o3 = await get('/api/cases?office=O3&basis=slow_share&time=office');
    expect([o3.body.total, o3.body.summary.slower]).toEqual([1, 0]);
    const o3total = await get('/api/cases?office=O3&basis=slow_share');
    expect([o3total.body.total, o3total.body.summary.slower]).toEqual([2, 1]);
    // each office's list has the funnel row's n and count for the same time
    const funnel = await get('/api/funnel?metric=slow_share&by=office&time=office&min_n=0');
    for (const row of funnel.body.rows) {
      const list = await get(`/api/cases?office=${row.key}&basis=slow_share&time=office`);
      expect([list.body.total, list.body.summary.slower], row.key).toEqual([row.n, row.count]);
    }
    const bad = await get('/api/cases?office=O2&time=office');
    expect(bad.status).toBe(400);
    expect(bad.body.error.parameter).toBe('time');
  });
});

describe('routes and rework (DESIGN 14)', () => {
  test('top variants with count, share and median throughput', async () => {
    const { get } = await makeStageApp(DEF);
    const { status, body } = await get('/api/stages/variants?service=S1&min_n=1');
    expect(status).toBe(200);
    expect(body.n_cases).toBe(7);
    expect(body.n_variants).toBe(6);
    expect(body.variants[0]).toMatchObject({ stages: ['intake', 'issue'], count: 2 });
    close(body.variants[0].share, 2 / 7);
    close(body.variants[0].median_throughput_days, 2.5); // C 3, H 2
    expect(body.variants.slice(1).every((v: Body) => v.count === 1)).toBe(true);
    expect(body.variants.find((v: Body) => v.stages.length === 5).stages).toEqual([
      'intake',
      'review',
      'design',
      'review',
      'issue',
    ]);
    const two = await get('/api/stages/variants?service=S1&limit=2');
    expect(two.body.variants).toHaveLength(2);
  });

  test('rework rates on the proportion funnel with p₀ = the city rate', async () => {
    const { get } = await makeStageApp(DEF);
    const { body } = await get('/api/stages/variants?service=S1&min_n=1');
    // only B repeats a stage: district 1 has 1 of 2, district 2 0 of 3, district 3 0 of 2; city 1/7
    const p0 = 1 / 7;
    const rework = body.rework;
    close(rework.target, p0);
    expect(rework.scope).toBe('city');
    const groups = [
      { key: '1', n: 2, y: 0.5 },
      { key: '2', n: 3, y: 0 },
      { key: '3', n: 2, y: 0 },
    ];
    const z0 = groups.map((g) => (g.y - p0) / Math.sqrt((p0 * (1 - p0)) / g.n));
    const phi = overdispersion(z0);
    const inflate = Math.sqrt(Math.max(phi, 1));
    for (const [i, g] of groups.entries()) {
      const row = rework.districts.rows.find((r: Body) => r.key === g.key);
      expect([row.n, row.count]).toEqual([g.n, Math.round(g.y * g.n)]);
      close(row.z, z0[i] / inflate);
      close(row.hi998, Math.min(1, p0 + Z998 * Math.sqrt((p0 * (1 - p0)) / g.n) * inflate));
    }
    close(rework.districts.phi, phi);
    const d1 = rework.districts.rows.find((r: Body) => r.key === '1');
    // district 1: review reached by B only, repeated by B → 100%; elsewhere F reached it once, no repeat
    expect(d1.top_stage).toMatchObject({ stage: 'review', rate: 1, other_rate: 0 });
    expect(rework.districts.rows.find((r: Body) => r.key === '2').top_stage).toBeNull();
    const review = rework.stages.find((s: Body) => s.stage === 'review');
    expect([review.cases, review.repeated]).toEqual([2, 1]);
    expect(rework.offices.rows.map((r: Body) => r.key)).toEqual(['O1', 'O2', 'O3']);
    // with a date window the visits are counted over the steps, without one summed from the stage
    // cube: a window that covers every case gives the same answer
    const windowed = await get('/api/stages/variants?service=S1&min_n=1&from=2023-01-01&to=2025-12-31');
    expect(windowed.body.rework).toEqual(rework);
  });
});

describe('extra steps (DESIGN 14)', () => {
  test('district × stage shares against the other districts, φ per stage, BH q over all pairs', async () => {
    const { get } = await makeStageApp(DEF);
    const { status, body } = await get('/api/stages/extra?service=S1&min_n=1');
    expect(status).toBe(200);
    // cases with events per district: d1 2, d2 3, d3 2
    const n: Record<number, number> = { 1: 2, 2: 3, 3: 2 };
    const pass = (d: number, stage: string) =>
      Object.keys(STEPS).filter((c) => DISTRICT[c] === d && STEPS[c].some((x) => x[0] === stage)).length;
    const stages = ['intake', 'visit', 'design', 'review', 'issue', 'inquiry'];
    // second implementation: per stage, p₀ = the other districts' share (½ case when 0)
    const expected: { key: string; z: number | null; p: number | null; tested: boolean }[] = [];
    for (const stage of stages) {
      const base = [1, 2, 3].map((d) => {
        const on = n[1] + n[2] + n[3] - n[d];
        const op = [1, 2, 3].filter((x) => x !== d).reduce((s, x) => s + pass(x, stage), 0);
        const p0 = op === 0 ? 0.5 / on : op / on;
        const y = pass(d, stage) / n[d];
        const sd = p0 < 1 ? Math.sqrt((p0 * (1 - p0)) / n[d]) : null;
        return { d, y, p0, sd };
      });
      const zs = base.filter((b) => b.sd !== null).map((b) => (b.y - b.p0) / (b.sd as number));
      const inflate = Math.sqrt(Math.max(overdispersion(zs), 1));
      for (const b of base) {
        const z = b.sd === null ? null : (b.y - b.p0) / (b.sd * inflate);
        expected.push({ key: `${b.d}|${stage}`, z, p: z === null ? null : twoSidedP(z), tested: z !== null });
      }
    }
    const q = bhQValues(expected.map((e) => (e.tested ? e.p : null)));
    expect(body.tested_pairs).toBe(expected.filter((e) => e.tested).length);
    for (const [i, e] of expected.entries()) {
      const [d, stage] = e.key.split('|');
      const row = body.rows.find((r: Body) => r.district === Number(d) && r.stage === stage);
      expect(row, e.key).toBeDefined();
      if (e.z === null) expect(row.z, e.key).toBeNull();
      else close(row.z, e.z);
      if (q[i] === null) expect(row.q).toBeNull();
      else close(row.q, q[i] as number);
    }
    // inquiry in district 3: 1 of 2 cases, none elsewhere: p₀ = 0.5 / 5 = 0.1
    const inq = body.rows.find((r: Body) => r.district === 3 && r.stage === 'inquiry');
    expect([inq.n, inq.passing, inq.other_n, inq.other_share]).toEqual([2, 1, 5, 0]);
    close(inq.share, 0.5);
    // seven cases cannot carry a flag at q < 0.05
    expect(body.flags).toEqual([]);
    const windowed = await get('/api/stages/extra?service=S1&min_n=1&from=2023-01-01&to=2025-12-31');
    expect(windowed.body.rows).toEqual(body.rows);
  });
});

describe('directly-follows map (DESIGN 15)', () => {
  test('edges with count and median, the 90% rule, nodes and the bottleneck', async () => {
    const { get } = await makeStageApp(DEF);
    const all = await get('/api/stages/map?service=S1&all=true');
    expect(all.status).toBe(200);
    // 11 transitions: A 3, B 4, C 1, E 1, F 1, H 1; intake→issue twice (C 3 days, H 1.75)
    expect(all.body.total_transitions).toBe(11);
    expect(all.body.edges).toHaveLength(10);
    expect(all.body.edges[0]).toEqual({ from: 'intake', to: 'issue', count: 2, median_days: 2.375 });
    const edge = (from: string, to: string) =>
      all.body.edges.find((e: Body) => e.from === from && e.to === to);
    close(edge('intake', 'review').median_days, 3.5);
    close(edge('design', 'issue').median_days, 7);
    close(edge('visit', 'design').median_days, 0);
    close(edge('inquiry', 'review').median_days, 3.5);
    expect(edge('design', 'visit')).toBeUndefined();

    // default: 2 + eight single edges reach 10 ≥ 0.9 × 11; the ninth single edge (visit→issue) is hidden
    const def = await get('/api/stages/map?service=S1');
    expect(def.body.edges).toHaveLength(9);
    expect(def.body.shown_transitions).toBe(10);
    expect(def.body.hidden_edges).toBe(1);
    expect(def.body.edges.find((e: Body) => e.from === 'visit' && e.to === 'issue')).toBeUndefined();

    const node = (s: string) => all.body.nodes.find((x: Body) => x.stage === s);
    expect(all.body.bottleneck).toBe('issue');
    expect(node('issue')).toMatchObject({ n: 6, starts: 1, ends: 6, bottleneck: true });
    expect(node('intake')).toMatchObject({ starts: 4, ends: 0, bottleneck: false });
    expect(node('review').ends).toBe(1);
  });
});
