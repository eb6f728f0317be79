/**
 * DESIGN metric 16 (GET /api/access) on a fixture small enough to work by hand. Every expected value
 * below is derived in the comments from the case list, not read from the code's output.
 *
 * Offices (operator): district 3: A1 (Alpha), A2 (Alpha), B1 (Beta), C1 ('' = none: its own operator);
 * district 5: E1 (none), E2 ('Alpha ' with a stray space: the same Alpha); district 7: G1 (none, no cases).
 * Populations: 3 → 200,000, 5 → 100,000, 7 → 50,000 (city 350,000). T0 = 2024-01-01 00:00 Tehran
 * (2023-12-31T20:30Z); as-of = T0 + 30 days, so without a date filter the window is exactly 30 days.
 *
 * Cases (day after T0): A1: 0, 1, 2 (online), 12, 13, 14 · A2: 3, 20 · B1: 25 · C1: 5 (channel unknown)
 * · E1: 0, 15, 29 · E2: 8. Totals: district 3 = 10, district 5 = 4, city = 14.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { accessWindow, hhi } from '../../api/metrics/access.ts';
import { type Body, type CaseDef, closed, type FixtureDef, makeApp, plusDays } from './fixture.ts';

const T0 = '2023-12-31T20:30:00Z';
const at = (day: number) => plusDays(T0, day);

function fixture(): FixtureDef {
  const days: Record<string, number[]> = {
    A1: [0, 1, 2, 12, 13, 14],
    A2: [3, 20],
    B1: [25],
    C1: [5],
    E1: [0, 15, 29],
    E2: [8],
  };
  const cases: CaseDef[] = [];
  for (const [office, list] of Object.entries(days)) {
    list.forEach((d, i) => {
      const channel = office === 'C1' ? null : office === 'A1' && d <= 2 ? 'online' : 'in_person';
      cases.push(closed(`${office}-${i}`, office, 'S1', at(d), 0.5, { channel }));
    });
  }
  return {
    asOf: at(30),
    offices: [
      { office_id: 'A1', district: 3 },
      { office_id: 'A2', district: 3 },
      { office_id: 'B1', district: 3 },
      { office_id: 'C1', district: 3 },
      { office_id: 'E1', district: 5 },
      { office_id: 'E2', district: 5 },
      { office_id: 'G1', district: 7 },
    ],
    services: [{ service_code: 'S1', sla_days: 5 }],
    cases,
  };
}

/** What a `districts` file and an `operator` column will load (the importer part comes later). */
async function loadAccessData(
  db: Awaited<ReturnType<typeof makeApp>>['db'],
  populations: Record<number, number | null>,
) {
  await db.run('DELETE FROM districts WHERE district NOT IN (3, 5, 7)');
  for (const [d, p] of Object.entries(populations))
    await db.run(
      `UPDATE districts SET population = $p, population_year = 2016, source = 'test fixture' WHERE district = $d`,
      { p, d: Number(d) },
    );
  for (const [id, op] of [
    ['A1', 'Alpha'],
    ['A2', 'Alpha'],
    ['B1', 'Beta'],
    ['C1', ''],
    ['E2', 'Alpha '],
  ] as const)
    await db.run('UPDATE offices SET operator = $op WHERE office_id = $id', { op, id });
}

const row = (body: Body, d: number) => body.districts.find((r: Body) => r.district === d);

describe('HHI and per-resident figures, worked by hand', () => {
  let get: (path: string) => Promise<{ status: number; body: Body }>;
  beforeAll(async () => {
    const a = await makeApp(fixture());
    await loadAccessData(a.db, { 3: 200_000, 5: 100_000, 7: 50_000 });
    get = a.get;
  });

  test('the window is 30 days: first submitted_at to the as-of time', async () => {
    const { status, body } = await get('/api/access');
    expect(status).toBe(200);
    expect(body.design_metric).toBe(16);
    expect(body.window).toMatchObject({
      from: '2023-12-31T20:30:00Z',
      to: '2024-01-30T20:30:00Z',
      from_basis: 'data_start',
      to_basis: 'as_of',
    });
    expect(body.window.days).toBeCloseTo(30, 12);
    expect(body.population).toMatchObject({ loaded: true, districts_with_population: 3, districts: 3 });
    expect(body.operators_loaded).toBe(true);
  });

  test('district 3: HHI over offices 4,200 and over operators 6,600; per-resident figures', async () => {
    const d3 = row((await get('/api/access')).body, 3);
    // Shares of the 10 cases: A1 .6, A2 .2, B1 .1, C1 .1 → 3600 + 400 + 100 + 100 = 4200.
    expect(d3.hhi_offices).toBeCloseTo(4200, 9);
    // Operators: Alpha (A1+A2) .8, Beta .1, C1 on its own .1 → 6400 + 100 + 100 = 6600.
    expect(d3.hhi_operators).toBeCloseTo(6600, 9);
    expect(d3.n_operators).toBe(3);
    expect(d3.largest_operator).toMatchObject({
      key: 'op:Alpha',
      operator: 'Alpha',
      office_id: null,
      n_cases: 8,
    });
    expect(d3.largest_operator_share).toBeCloseTo(0.8, 12);
    expect(d3.highly_concentrated).toBe(true);
    expect(d3).toMatchObject({ n_cases: 10, active_offices: 4, offices_listed: 4, population: 200_000 });
    // 200,000 / 4 offices; 4 / 200,000 × 100,000; 10 / 200,000 × 1,000 × 365.25 / 30; 10 / 4 / 30.
    expect(d3.residents_per_office).toBeCloseTo(50_000, 9);
    expect(d3.offices_per_100k).toBeCloseTo(2, 12);
    expect(d3.cases_per_1000_residents_year).toBeCloseTo(0.60875, 12);
    expect(d3.cases_per_office_day).toBeCloseTo(1 / 12, 12);
    // Online: A1's first three; C1's case has no channel, so 3 / 9.
    expect(d3).toMatchObject({ n_online: 3, n_channel_known: 9 });
    expect(d3.online_share).toBeCloseTo(1 / 3, 12);
  });

  test('district 5, an office counted as its own operator, and a district with no cases', async () => {
    const body = (await get('/api/access')).body;
    const d5 = row(body, 5);
    // E1 3/4, E2 1/4 → 5625 + 625; E1 (no operator) and Alpha are two operators with the same split.
    expect(d5.hhi_offices).toBeCloseTo(6250, 9);
    expect(d5.hhi_operators).toBeCloseTo(6250, 9);
    expect(d5.largest_operator).toMatchObject({
      key: 'office:E1',
      operator: null,
      office_id: 'E1',
      n_cases: 3,
    });
    expect(d5.residents_per_office).toBeCloseTo(50_000, 9);
    // 4 / 100,000 × 1,000 × 365.25 / 30 = 0.487; 4 / 2 / 30.
    expect(d5.cases_per_1000_residents_year).toBeCloseTo(0.487, 12);
    expect(d5.cases_per_office_day).toBeCloseTo(1 / 15, 12);
    const d7 = row(body, 7);
    expect(d7).toMatchObject({
      n_cases: 0,
      active_offices: 0,
      offices_listed: 1,
      population: 50_000,
      residents_per_office: null,
      offices_per_100k: 0,
      cases_per_office_day: null,
      hhi_offices: null,
      hhi_operators: null,
      largest_operator: null,
      highly_concentrated: null,
    });
    expect(d7.cases_per_1000_residents_year).toBe(0);
  });

  test('city-wide: HHI 52/196 and 92/196 of 10,000; residents per office 350,000 / 6', async () => {
    const { city, total } = (await get('/api/access')).body;
    // Office counts 6, 2, 1, 1, 3, 1 of 14: (36+4+1+1+9+1)/196 × 10,000.
    expect(city.hhi_offices).toBeCloseTo((52 / 196) * 10_000, 9);
    // Alpha 9 (A1, A2, E2), E1 3, Beta 1, C1 1: (81+9+1+1)/196 × 10,000.
    expect(city.hhi_operators).toBeCloseTo((92 / 196) * 10_000, 9);
    expect(city.largest_operator_share).toBeCloseTo(9 / 14, 12);
    expect(city).toMatchObject({
      scope: 'city',
      n_cases: 14,
      active_offices: 6,
      offices_listed: 7,
      population: 350_000,
    });
    expect(city.residents_per_office).toBeCloseTo(350_000 / 6, 9);
    expect(city.offices_per_100k).toBeCloseTo((6 / 350_000) * 100_000, 12);
    expect(city.cases_per_1000_residents_year).toBeCloseTo((14 / 350_000) * 1000 * (365.25 / 30), 12);
    expect(city.cases_per_office_day).toBeCloseTo(14 / 6 / 30, 12);
    // No place filter: the selection is the city.
    const { scope: _s, ...t } = total;
    const { scope: _c, ...c } = city;
    expect(t).toEqual(c);
  });

  test('operators: offices, districts, share of cases, districts where they are the largest', async () => {
    const ops = (await get('/api/access')).body.operators;
    expect(ops.map((o: Body) => o.key)).toEqual([
      'op:Alpha',
      'office:E1',
      'office:C1',
      'op:Beta',
      'office:G1',
    ]);
    expect(ops[0]).toMatchObject({
      operator: 'Alpha',
      offices: 3,
      active_offices: 3,
      districts: [3, 5],
      n_cases: 9,
      largest_in: [3],
    });
    expect(ops[0].share).toBeCloseTo(9 / 14, 12);
    expect(ops[1]).toMatchObject({
      operator: null,
      office_id: 'E1',
      offices: 1,
      districts: [5],
      largest_in: [5],
    });
    expect(ops[4]).toMatchObject({
      office_id: 'G1',
      offices: 1,
      active_offices: 0,
      n_cases: 0,
      largest_in: [],
    });
  });

  test('a date window changes the load figures: 2024-01-01 to 2024-01-10 is 10 days', async () => {
    const { body } = await get('/api/access?from=2024-01-01&to=2024-01-10');
    // [T0, T0 + 10 days): to is inclusive of its Tehran day.
    expect(body.window).toMatchObject({ from_basis: 'filter', to_basis: 'filter' });
    expect(body.window.days).toBeCloseTo(10, 12);
    const d3 = row(body, 3);
    // Days 0–9: A1 0, 1, 2 · A2 3 · C1 5 → 5 cases at 3 active offices (B1 none).
    expect(d3).toMatchObject({ n_cases: 5, active_offices: 3, offices_listed: 4 });
    expect(d3.cases_per_office_day).toBeCloseTo(5 / 3 / 10, 12);
    // 5 / 200,000 × 1,000 × 365.25 / 10 = 0.913125.
    expect(d3.cases_per_1000_residents_year).toBeCloseTo(0.913125, 12);
    expect(d3.residents_per_office).toBeCloseTo(200_000 / 3, 9);
    // A1 3/5, A2 1/5, C1 1/5 → (9+1+1)/25; Alpha 4/5, C1 1/5 → (16+1)/25.
    expect(d3.hhi_offices).toBeCloseTo(4400, 9);
    expect(d3.hhi_operators).toBeCloseTo(6800, 9);
    expect(d3.online_share).toBeCloseTo(3 / 4, 12);
    // The city keeps the same window: E1 0 and E2 8 join district 3's five.
    expect(body.city.n_cases).toBe(7);
    expect(body.city.cases_per_office_day).toBeCloseTo(7 / 5 / 10, 12);
  });

  test('a window reaching past the data is clipped to it, and says so', async () => {
    const { body } = await get('/api/access?from=2023-06-01&to=2024-12-31');
    expect(body.window).toMatchObject({ from_basis: 'data_start', to_basis: 'as_of' });
    expect(body.window.days).toBeCloseTo(30, 12);
    expect(accessWindow(undefined, undefined, null, null).days).toBeNull();
  });

  test('a district filter: the selection is that district, the city stays the city', async () => {
    const { body } = await get('/api/access?district=3');
    expect(body.districts.map((r: Body) => r.district)).toEqual([3]);
    expect(body.total).toMatchObject({ scope: 'selection', n_cases: 10, population: 200_000 });
    expect(body.total.hhi_operators).toBeCloseTo(6600, 9);
    expect(body.city.n_cases).toBe(14);
    expect(body.operators.map((o: Body) => [o.key, o.offices])).toEqual([
      ['op:Alpha', 2],
      ['office:C1', 1],
      ['op:Beta', 1],
    ]);
  });
});

describe('without a population', () => {
  test('per-resident figures are null, never guessed; the rest is computed', async () => {
    const a = await makeApp(fixture());
    const { body } = await a.get('/api/access');
    expect(body.population).toMatchObject({ loaded: false, districts_with_population: 0 });
    expect(body.operators_loaded).toBe(false);
    for (const r of [...body.districts, body.total, body.city]) {
      expect(r.population).toBeNull();
      expect(r.residents_per_office).toBeNull();
      expect(r.offices_per_100k).toBeNull();
      expect(r.cases_per_1000_residents_year).toBeNull();
    }
    const d3 = row(body, 3);
    expect(d3.cases_per_office_day).toBeCloseTo(10 / 4 / 30, 12);
    // No operators: every office is its own, so the two indices agree.
    expect(d3.hhi_operators).toBeCloseTo(4200, 9);
    expect(d3.hhi_offices).toBeCloseTo(4200, 9);
  });

  test('one district without a population leaves the city total unknown, the others intact', async () => {
    const a = await makeApp(fixture());
    await loadAccessData(a.db, { 3: 200_000, 5: 100_000, 7: null });
    const { body } = await a.get('/api/access');
    expect(body.population).toMatchObject({ loaded: true, districts_with_population: 2, districts: 3 });
    expect(row(body, 3).residents_per_office).toBeCloseTo(50_000, 9);
    expect(row(body, 7).population).toBeNull();
    expect(body.city.population).toBeNull();
    expect(body.city.residents_per_office).toBeNull();
  });
});

describe('hhi', () => {
  test('is 10,000 for one firm, 10,000/n for n equal firms, and null for no cases', () => {
    expect(hhi([42])).toBe(10_000);
    expect(hhi([5, 5, 5, 5])).toBeCloseTo(2500, 9);
    // 50/30/20: 2500 + 900 + 400.
    expect(hhi([50, 30, 20])).toBeCloseTo(3800, 9);
    expect(hhi([])).toBeNull();
    expect(hhi([0, 0])).toBeNull();
  });
});
