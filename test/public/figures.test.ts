/**
 * The public figures on the hand-built fixture (fixture.ts works the values out): the small-number rule
 * at 29 and 30 cases, the window's two ends, the district and city columns, the service page's ranking,
 * and the same numbers in the CSV.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../../api/db.ts';
import type { PublicFigures, PublicOffice, PublicOffices, PublicService } from '../../api/public/schemas.ts';
import { AS_OF, publicApp, WINDOW_FROM } from './fixture.ts';

let db: Db;
let get: (path: string, headers?: Record<string, string>) => Promise<Response>;

beforeAll(async () => {
  ({ db, get } = await publicApp());
});
afterAll(() => db.close());

async function json<T>(path: string): Promise<T> {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** The figures of a group, as the hand-worked values say: [value or null, n] for each. */
function expectFigures(
  f: PublicFigures,
  nCases: number,
  median: [number | null, number],
  onTime: [number | null, number],
  complaints: [number | null, number],
) {
  expect(f.n_cases).toBe(nCases);
  expect(f.median_days.n).toBe(median[1]);
  expect(f.on_time_share.n).toBe(onTime[1]);
  expect(f.complaints_per_1000.n).toBe(complaints[1]);
  for (const [got, want] of [
    [f.median_days.value, median[0]],
    [f.on_time_share.value, onTime[0]],
    [f.complaints_per_1000.value, complaints[0]],
  ] as const) {
    if (want === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(want, 10);
  }
}

describe('public figures', () => {
  test('30 closed cases give numbers; 29 give "too few" (null with n) for every figure', async () => {
    const p30 = await json<PublicOffice>('/api/public/offices/P30');
    const s1 = p30.services.find((s) => s.service.service_code === 'S1')!;
    // durations 1..30: median (15 + 16) / 2; 10 of 30 closed within 10 days; 3 complaints about S1 cases
    expectFigures(s1.office, 30, [15.5, 30], [10 / 30, 30], [100, 30]);
    // all services: the complaint without a case counts here too (4 / 30 × 1000); the 400-day-old case
    // and complaint are outside the window
    expectFigures(p30.all_services.office, 30, [15.5, 30], [10 / 30, 30], [4000 / 30, 30]);

    const p29 = await json<PublicOffice>('/api/public/offices/P29');
    const s1b = p29.services.find((s) => s.service.service_code === 'S1')!;
    expectFigures(s1b.office, 29, [null, 29], [null, 29], [null, 29]);
    expectFigures(p29.all_services.office, 29, [null, 29], [null, 29], [null, 29]);
  });

  test('district and city columns: district 3 has 59 closed S1 cases, the city 100 closed cases', async () => {
    const p29 = await json<PublicOffice>('/api/public/offices/P29');
    const s1 = p29.services.find((s) => s.service.service_code === 'S1')!;
    // 1..30 and 1..29 sorted: positions 2k−1 and 2k hold k, so the 30th of 59 is 15; on time 10 + 10 of 59;
    // complaints 3 + 2 about S1 cases
    expectFigures(s1.district, 59, [15, 59], [20 / 59, 59], [5000 / 59, 59]);
    expectFigures(s1.city, 59, [15, 59], [20 / 59, 59], [5000 / 59, 59]);
    expectFigures(p29.all_services.district, 59, [15, 59], [20 / 59, 59], [6000 / 59, 59]);
    // city, every service: closed durations 1×2, 2×23, 3×2, 4×22, 5..29×2, 30×1 (100 values): the 50th and
    // 51st are both 5. S2 has no deadline, so only the 59 S1 cases are decided. Complaints 4 + 2 + 9 of 105.
    expectFigures(p29.all_services.city, 105, [5, 100], [20 / 59, 59], [15_000 / 105, 105]);
  });

  test("the window is the 365 days up to the as-of time, both ends in; complaints by their case's service", async () => {
    const q = await json<PublicOffice>('/api/public/offices/Q');
    expect(q.window).toEqual({
      from: WINDOW_FROM.replace('.000Z', 'Z'),
      to: AS_OF,
      days: 365,
    });
    const s2 = q.services.find((s) => s.service.service_code === 'S2')!;
    // 21 two-day and 20 four-day cases: median 2; no deadline anywhere: nothing decided; 9 / 46 × 1000
    expectFigures(s2.office, 46, [2, 41], [null, 0], [9000 / 46, 46]);
    expect(q.office).toEqual({
      office_id: 'Q',
      name: 'Office Q',
      district: 4,
      district_name: { fa: 'منطقه ۴', en: 'District 4' },
    });
  });

  test('the offices list: search by name (Persian letters folded), district, service; services by volume', async () => {
    const all = await json<PublicOffices>('/api/public/offices');
    expect(all.offices.map((o) => o.office_id)).toEqual(['P29', 'P30', 'Q']); // district, then Persian name order
    // Arabic ي and ك and a missing zero-width joiner still find «بیست‌ونه»
    const byName = await json<PublicOffices>(`/api/public/offices?q=${encodeURIComponent('بيست ونه')}`);
    expect(byName.offices.map((o) => o.office_id)).toEqual(['P29']);
    const d4 = await json<PublicOffices>('/api/public/offices?district=۴');
    expect(d4.offices.map((o) => o.office_id)).toEqual(['Q']);
    const s1 = await json<PublicOffices>('/api/public/offices?service=S1');
    expect(s1.offices.map((o) => [o.office_id, o.services.map((s) => s.service.service_code)])).toEqual([
      ['P29', ['S1']],
      ['P30', ['S1']],
    ]);
    const bad = await get('/api/public/offices?district=99');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.parameter).toBe('district');
  });

  test('the service page ranks offices with a median, quickest first; the rest are "too few"', async () => {
    const s = await json<PublicService>('/api/public/services/S1?district=3');
    expect(s.quickest.map((o) => [o.rank, o.office_id, o.figures.median_days.value])).toEqual([
      [1, 'P30', 15.5],
    ]);
    expect(s.too_few.map((o) => o.office_id)).toEqual(['P29']);
    expect(s.district?.district).toBe(3);
    expect(s.district_figures?.median_days).toEqual({ value: 15, n: 59 });
    expect(s.districts.map((d) => d.district)).toEqual([3]);
    expect((await get('/api/public/services/S9')).status).toBe(404);
  });

  test('the CSV holds the same figures: a BOM, empty cells where suppressed, n beside them', async () => {
    const res = await get('/api/public/offices?format=csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="shafaf-offices-2024-06-30.csv"',
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\r\n');
    const header = lines[0].split(',');
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
    const p29 = rows.find((r) => r.office_id === 'P29' && r.service_code === 'S1')!;
    expect([
      p29.n_cases,
      p29.median_days,
      p29.median_days_n,
      p29.on_time_share,
      p29.complaints_per_1000,
    ]).toEqual(['29', '', '29', '', '']);
    const p30 = rows.find((r) => r.office_id === 'P30' && r.row === 'all_services')!;
    expect(Number(p30.median_days)).toBe(15.5);
    expect(Number(p30.complaints_per_1000)).toBeCloseTo(4000 / 30, 10);
    expect(p30.licence).toBe('CC BY 4.0 — شهرداری تهران');
    expect(p30.as_of).toBe(AS_OF);
    expect(p30.definitions_url).toBe('http://shafaf.test/public/method');
    // one all-services row per office plus one per (office, service): P30 S1, P29 S1, Q S2
    expect(rows.length).toBe(6);
  });
});
