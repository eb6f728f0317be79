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
    // The data starts on 10 January: January is partial, takes no part in ū and is never flagged.
    // ū = Σc / Σn over the full months with cases = 3 / 5 (February; March has no cases)
    const u = 3 / 5;
    expect(points['2024-01']).toMatchObject({ n: 10, count: 2, partial: true, flag: null });
    expect(points['2024-01'].value).toBeCloseTo(0.2, 12);
    expect(points['2024-01'].center).toBeCloseTo(u, 12);
    expect(points['2024-01'].ucl).toBeCloseTo(u + 3 * Math.sqrt(u / 10), 12);
    expect(points['2024-01'].lcl).toBe(0); // u − 3√(u/10) < 0
    expect(points['2024-02']).toMatchObject({ partial: false, flag: null });
    expect(points['2024-02'].value).toBeCloseTo(0.6, 12);
    expect(points['2024-02'].ucl).toBeCloseTo(u + 3 * Math.sqrt(u / 5), 12);
    expect(points['2024-03']).toMatchObject({
      n: 0,
      count: 1,
      value: null,
      ucl: null,
      lcl: null,
      partial: false,
    });
  });

  test('monthly median processing time, centre = median of the monthly medians; Jalali months', async () => {
    const { get } = await setup();
    const { body } = await get('/api/trends?metric=processing&by=city');
    const points = body.series[0].points;
    expect(points.map((p: Body) => [p.month, p.n, p.value, p.partial])).toEqual([
      ['2024-01', 10, 5.5, true],
      ['2024-02', 5, 6, false],
    ]);
    // the centre is the median of the full months' medians: February's alone
    expect(points[0].center).toBeCloseTo(6, 12);
    // no open cases: the Kaplan–Meier median is the closed median, nothing provisional
    expect(points.map((p: Body) => [p.km_median, p.open_share, p.provisional])).toEqual([
      [5.5, 0, false],
      [6, 0, false],
    ]);
    // 10–19 January 2024 = 20–29 Dey 1402; 10–14 February = 21–25 Bahman
    const j = await get('/api/trends?metric=processing&by=city&calendar=jalali');
    expect(j.body.series[0].points.map((p: Body) => p.month)).toEqual(['1402-10', '1402-11']);
    const byOffice = await get('/api/trends?metric=complaints&by=office');
    expect(byOffice.body.series.map((s: Body) => s.key)).toEqual(['A', 'B']);
  });
});

describe('partial and provisional months (DESIGN 8)', () => {
  // Tehran is UTC+03:30 in 2024 (no DST after 2022): 2024-01-31T20:30Z is 1 Feb 00:00 in Tehran, so
  // the data starts exactly when February does and February is a full month. The as-of time,
  // 2024-04-10 12:00Z, cuts April: April is partial.
  const feb0 = '2024-01-31T20:30:00Z';
  const asOf = '2024-04-10T12:00:00Z';
  const cases: CaseDef[] = [
    // February: 20 closed, 1..20 days (median 10.5)
    ...Array.from({ length: 20 }, (_, i) =>
      closed(
        `f${i}`,
        'A',
        'S1',
        i === 0 ? feb0 : `2024-02-${String(2 + i).padStart(2, '0')}T08:00:00Z`,
        i + 1,
      ),
    ),
    // March: 10 closed at 2, 4, …, 20 days (median 11) and 2 open since 20 March (21 days old on the as-of time)
    ...Array.from({ length: 10 }, (_, i) =>
      closed(`m${i}`, 'A', 'S1', `2024-03-${String(2 + i).padStart(2, '0')}T08:00:00Z`, 2 * (i + 1)),
    ),
    {
      case_id: 'mo1',
      office_id: 'A',
      service_code: 'S1',
      submitted_at: '2024-03-20T08:00:00Z',
      status: 'open',
    },
    {
      case_id: 'mo2',
      office_id: 'A',
      service_code: 'S1',
      submitted_at: '2024-03-20T09:00:00Z',
      status: 'open',
    },
    // April (cut by the as-of time): 3 closed after 1 day, 5 open
    ...Array.from({ length: 3 }, (_, i) => closed(`a${i}`, 'A', 'S1', `2024-04-0${2 + i}T08:00:00Z`, 1)),
    ...Array.from(
      { length: 5 },
      (_, i): CaseDef => ({
        case_id: `ao${i}`,
        office_id: 'A',
        service_code: 'S1',
        submitted_at: `2024-04-0${3 + i}T08:00:00Z`,
        status: 'open',
      }),
    ),
  ];
  const k = (id: string, at: string) => ({
    complaint_id: id,
    office_id: 'A',
    received_at: at,
    category: 'delay',
  });
  const complaints = [
    k('k1', '2024-02-10T08:00:00Z'),
    k('k2', '2024-03-10T08:00:00Z'),
    // six complaints in the first days of April: 6/8 would be far above any limit, but April is partial
    ...Array.from({ length: 6 }, (_, i) => k(`ka${i}`, `2024-04-0${2 + i}T10:00:00Z`)),
  ];
  const setupPartial = () =>
    makeApp({
      asOf,
      offices: [{ office_id: 'A', district: 1 }],
      services: [{ service_code: 'S1', sla_days: 7 }],
      cases,
      complaints,
    });

  test('complaints: the partial last month is never flagged and takes no part in ū', async () => {
    const { get } = await setupPartial();
    const pts = (await get('/api/trends?metric=complaints')).body.series[0].points;
    expect(pts.map((p: Body) => [p.month, p.n, p.count, p.partial, p.flag])).toEqual([
      ['2024-02', 20, 1, false, null],
      ['2024-03', 12, 1, false, null],
      ['2024-04', 8, 6, true, null],
    ]);
    const u = 2 / 32; // full months only
    expect(pts[2].center).toBeCloseTo(u, 12);
    expect(pts[2].value).toBeCloseTo(0.75, 12);
    expect(pts[2].value).toBeGreaterThan(pts[2].ucl); // outside, yet not flagged: partial
  });

  test('processing: KM median, open share, provisional; a date window makes its cut months partial', async () => {
    const { get } = await setupPartial();
    const pts = (await get('/api/trends?metric=processing')).body.series[0].points;
    // March: N = 12 with the 2 open censored after every event: S after the k-th event = (12 − k)/12,
    // exactly 0.5 from 12 days (6th) until 14 (7th) → KM median 13; closed median 11; open 2/12
    expect(pts.map((p: Body) => [p.month, p.value, p.km_median, p.partial, p.provisional])).toEqual([
      ['2024-02', 10.5, 10.5, false, false],
      ['2024-03', 11, 13, false, true],
      ['2024-04', 1, null, true, true],
    ]);
    expect(pts[1].open_share).toBeCloseTo(2 / 12, 12);
    expect(pts[2].open_share).toBeCloseTo(5 / 8, 12);
    // centre: the full months' medians 10.5 and 11 → 10.75
    expect(pts[0].center).toBeCloseTo(10.75, 12);
    const cut = (await get('/api/trends?metric=processing&from=2024-02-15&to=2024-03-31')).body.series[0]
      .points;
    expect(cut.map((p: Body) => [p.month, p.partial])).toEqual([
      ['2024-02', true],
      ['2024-03', false],
    ]);
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
