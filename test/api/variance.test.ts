/**
 * DESIGN 3: per-district quantiles and the Kruskal–Wallis test with ties, checked against a plain
 * second implementation written here (ranks by counting, textbook formula with tie correction).
 */
import { describe, expect, test } from 'vitest';
import { chiSquareSf } from '../../api/stats/index.ts';
import { type Body, type CaseDef, closed, makeApp } from './fixture.ts';

/** Textbook Kruskal–Wallis: average ranks by counting smaller and equal values, tie-corrected. */
function kruskalByHand(groups: number[][]) {
  const all = groups.flat();
  const n = all.length;
  const rank = (v: number) => all.filter((x) => x < v).length + (all.filter((x) => x === v).length + 1) / 2;
  let sum = 0;
  for (const g of groups) {
    const r = g.reduce((s, v) => s + rank(v), 0);
    sum += (r * r) / g.length;
  }
  const h0 = (12 / (n * (n + 1))) * sum - 3 * (n + 1);
  const tieCounts = new Map<number, number>();
  for (const v of all) tieCounts.set(v, (tieCounts.get(v) ?? 0) + 1);
  let ties = 0;
  for (const t of tieCounts.values()) ties += t ** 3 - t;
  const h = h0 / (1 - ties / (n ** 3 - n));
  return { h, df: groups.length - 1, eps: (h * (n + 1)) / (n * n - 1) };
}

describe('variance between districts', () => {
  test('quartiles, Kruskal–Wallis with ties, ε², ratio and CV; small districts listed but not tested', async () => {
    const durations: Record<number, number[]> = {
      1: [1, 2, 2, 3, 5], // sorted; median 2, q1 2, q3 3, p90 at 3.6 → 3 + .6·2 = 4.2
      2: [2, 3, 3, 4, 6, 8], // median at 2.5 → 3.5
      3: [5, 5, 6, 7, 9], // median 6
      4: [100, 200], // below min_n = 3: listed, not tested
    };
    const cases: CaseDef[] = [];
    for (const [d, ds] of Object.entries(durations)) {
      ds.forEach((t, i) => {
        cases.push(closed(`v${d}-${i}`, `O${d}`, 'S1', '2024-01-05T06:00:00Z', t));
      });
    }
    const { get } = await makeApp({
      asOf: '2024-06-01T00:00:00Z',
      offices: [1, 2, 3, 4].map((d) => ({ office_id: `O${d}`, district: d })),
      services: [{ service_code: 'S1', sla_days: 10 }],
      cases,
    });
    const { status, body } = await get('/api/variance?service=S1&min_n=3');
    expect(status).toBe(200);
    const d1 = body.districts.find((r: Body) => r.district === 1);
    expect(d1.median_days).toBeCloseTo(2, 9);
    expect(d1.q1_days).toBeCloseTo(2, 9);
    expect(d1.q3_days).toBeCloseTo(3, 9);
    expect(d1.p90_days).toBeCloseTo(4.2, 9);
    expect(body.districts.find((r: Body) => r.district === 2).median_days).toBeCloseTo(3.5, 9);
    expect(body.districts.find((r: Body) => r.district === 4).tested).toBe(false);
    // the city reference pools every district, small ones included: 18 values sorted
    // 1 2 2 2 3 3 3 4 5 5 5 6 6 7 8 9 100 200 → positions 17·p: p10 1.7 → 2, q1 4.25 → 3,
    // median 8.5 → 5, q3 12.75 → 6 + .75·1, p90 15.3 → 9 + .3·91
    expect(body.city.n).toBe(18);
    expect(body.city.p10_days).toBeCloseTo(2, 9);
    expect(body.city.q1_days).toBeCloseTo(3, 9);
    expect(body.city.median_days).toBeCloseTo(5, 9);
    expect(body.city.q3_days).toBeCloseTo(6.75, 9);
    expect(body.city.p90_days).toBeCloseTo(36.3, 9);

    const expected = kruskalByHand([durations[1], durations[2], durations[3]]);
    expect(body.kruskal_wallis.h).toBeCloseTo(expected.h, 9);
    expect(body.kruskal_wallis.df).toBe(2);
    expect(body.kruskal_wallis.epsilon_squared).toBeCloseTo(expected.eps, 9);
    expect(body.kruskal_wallis.p_value).toBeCloseTo(chiSquareSf(expected.h, 2), 9);
    // df = 2: the chi-square survival function is exp(−H/2), an independent check of the p-value
    expect(body.kruskal_wallis.p_value).toBeCloseTo(Math.exp(-expected.h / 2), 9);

    // tested medians 2, 3.5, 6: ratio 6/2 = 3; mean 11.5/3, sample sd by hand
    expect(body.ratio_max_min).toBeCloseTo(3, 9);
    const m = [2, 3.5, 6];
    const mean = (2 + 3.5 + 6) / 3;
    const sd = Math.sqrt(m.reduce((s, x) => s + (x - mean) ** 2, 0) / 2);
    expect(body.cv_medians).toBeCloseTo(sd / mean, 9);
    expect(body.slowest).toEqual({ district: 3, median_days: 6 });
    expect(body.fastest).toEqual({ district: 1, median_days: 2 });
  });

  test('service is required and must exist', async () => {
    const { get } = await makeApp({
      asOf: '2024-06-01T00:00:00Z',
      offices: [{ office_id: 'O1', district: 1 }],
      services: [{ service_code: 'S1' }],
    });
    const missing = await get('/api/variance');
    expect(missing.status).toBe(400);
    expect(missing.body.error.parameter).toBe('service');
    const unknown = await get('/api/variance?service=NOPE');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.parameter).toBe('service');
    const empty = await get('/api/variance?service=S1');
    expect(empty.status).toBe(200);
    expect(empty.body.kruskal_wallis).toBeNull();
    expect(empty.body.districts).toEqual([]);
  });
});
