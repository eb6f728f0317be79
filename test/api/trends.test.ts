/**
 * DESIGN 8 (monthly trends with u-chart limits, monthly medians) and the office scorecard, by hand.
 */
import { describe, expect, test } from 'vitest';
import { type Body, type CaseDef, closed, makeApp } from './fixture.ts';

const cases: CaseDef[] = [
  // January 2024 (Tehran time): 10 cases of office A, durations 1..10 → median 5.5
  ...Array.from({ length: 10 }, (_, i) =>
    closed(`j${i}`, 'A', 'S1', `2024-01-${String(10 + i)}T08:00:00Z`, i + 1),
  ),
  // February: 5 cases of office B, durations 2, 4, 6, 8, 10 → median 6
  ...Array.from({ length: 5 }, (_, i) =>
    closed(`f${i}`, 'B', 'S1', `2024-02-${String(10 + i)}T08:00:00Z`, 2 * (i + 1)),
  ),
];
const complaints = [
  { complaint_id: 'k1', office_id: 'A', received_at: '2024-01-20T08:00:00Z', category: 'delay' },
  { complaint_id: 'k2', office_id: 'A', received_at: '2024-01-21T08:00:00Z', category: 'bribe_request' },
  { complaint_id: 'k3', office_id: 'B', received_at: '2024-02-20T08:00:00Z', category: 'delay' },
  { complaint_id: 'k4', office_id: 'B', received_at: '2024-02-21T08:00:00Z', category: 'delay' },
  { complaint_id: 'k5', office_id: 'B', received_at: '2024-02-22T08:00:00Z', category: 'misconduct' },
  // March: a complaint but no cases submitted → no rate that month
  { complaint_id: 'k6', office_id: 'B', received_at: '2024-03-05T08:00:00Z', category: 'delay' },
];
const setup = () =>
  makeApp({
    asOf: '2024-06-01T00:00:00Z',
    offices: [
      { office_id: 'A', district: 1 },
      { office_id: 'B', district: 1 },
    ],
    services: [{ service_code: 'S1', sla_days: 7 }],
    cases,
    complaints,
  });

describe('trends', () => {
  test('complaints per case with u-chart limits', async () => {
    const { get } = await setup();
    const { status, body } = await get('/api/trends?metric=complaints&by=city');
    expect(status).toBe(200);
    const [series] = body.series;
    const points = Object.fromEntries(series.points.map((p: Body) => [p.month, p]));
    // ū = Σc / Σn over months with cases = (2 + 3) / (10 + 5) = 1/3
    const u = 1 / 3;
    expect(points['2024-01']).toMatchObject({ n: 10, count: 2 });
    expect(points['2024-01'].value).toBeCloseTo(0.2, 12);
    expect(points['2024-01'].center).toBeCloseTo(u, 12);
    expect(points['2024-01'].ucl).toBeCloseTo(u + 3 * Math.sqrt(u / 10), 12);
    expect(points['2024-01'].lcl).toBe(0); // u − 3√(u/10) < 0
    expect(points['2024-02'].value).toBeCloseTo(0.6, 12);
    expect(points['2024-02'].ucl).toBeCloseTo(u + 3 * Math.sqrt(u / 5), 12);
    expect(points['2024-03']).toMatchObject({ n: 0, count: 1, value: null, ucl: null, lcl: null });
  });

  test('monthly median processing time, centre = median of the monthly medians; Jalali months', async () => {
    const { get } = await setup();
    const { body } = await get('/api/trends?metric=processing&by=city');
    const points = body.series[0].points;
    expect(points.map((p: Body) => [p.month, p.n, p.value])).toEqual([
      ['2024-01', 10, 5.5],
      ['2024-02', 5, 6],
    ]);
    expect(points[0].center).toBeCloseTo((5.5 + 6) / 2, 12);
    // 10–19 January 2024 = 20–29 Dey 1402; 10–14 February = 21–25 Bahman
    const j = await get('/api/trends?metric=processing&by=city&calendar=jalali');
    expect(j.body.series[0].points.map((p: Body) => p.month)).toEqual(['1402-10', '1402-11']);
    const byOffice = await get('/api/trends?metric=complaints&by=office');
    expect(byOffice.body.series.map((s: Body) => s.key)).toEqual(['A', 'B']);
  });
});

describe('offices', () => {
  test('list and scorecard: rates per 1,000 cases, office next to district and city', async () => {
    const { get } = await setup();
    const list = await get('/api/offices');
    const a = list.body.rows.find((r: Body) => r.office_id === 'A');
    expect(a).toMatchObject({ n_cases: 10, n_closed: 10, complaints: 2, bribe_reports: 1 });
    expect(a.complaint_rate).toBeCloseTo(200, 9); // 2 / 10 × 1000
    expect(a.bribe_rate).toBeCloseTo(100, 9);
    expect(a.median_days).toBeCloseTo(5.5, 9);

    const card = await get('/api/offices/B');
    expect(card.status).toBe(200);
    expect(card.body.office).toMatchObject({ office_id: 'B', district: 1 });
    expect(card.body.metrics.office).toMatchObject({ n_cases: 5, complaints: 4 });
    expect(card.body.metrics.office.complaint_rate).toBeCloseTo(800, 9);
    expect(card.body.metrics.city).toMatchObject({ n_cases: 15, complaints: 6 });
    expect(card.body.metrics.district.n_cases).toBe(15);
    // offices with cases: the district's figure is per office what its total is for the two of them
    expect([card.body.metrics.office.offices, card.body.metrics.district.offices]).toEqual([1, 2]);
    expect(card.body.metrics.city.offices).toBe(2);
    // the city median of S1 over all 15 durations: sorted 1 2 2 3 4 4 5 6 6 7 8 8 9 10 10 → 6
    expect(card.body.service_mix).toEqual([
      expect.objectContaining({ service_code: 'S1', n_cases: 5, median_days: 6, city_median_days: 6 }),
    ]);
    expect(card.body.trend.map((t: Body) => [t.month, t.n_cases, t.complaints])).toEqual([
      ['2024-02', 5, 3],
      ['2024-03', 0, 1],
    ]);
    // the scorecard's trend in Solar Hijri months on request: 2024-02-10… = Bahman 1402, March 1402 Esfand
    const fa = await get('/api/offices/B?calendar=jalali');
    expect(fa.body.trend.map((t: Body) => t.month)).toEqual(['1402-11', '1402-12']);
  });
});
