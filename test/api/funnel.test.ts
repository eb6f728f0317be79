/**
 * DESIGN 4–6: funnel limits, over-dispersion φ, adjusted z, two-sided p and Benjamini–Hochberg q
 * recomputed step by step here; slow_share's case-mix adjustment and its city-wide reference.
 */
import { describe, expect, test } from 'vitest';
import { type Body, type CaseDef, type ComplaintDef, closed, makeApp } from './fixture.ts';

/** Type-7 (linear) percentile of sorted values. */
function pct(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

/** Normal upper tail by numerical integration of the density (Simpson), independent of the library. */
function upperTail(z: number): number {
  const a = Math.abs(z);
  const b = a + 12;
  const steps = 20000;
  const h = (b - a) / steps;
  const f = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  let s = f(a) + f(b);
  for (let i = 1; i < steps; i++) s += f(a + i * h) * (i % 2 ? 4 : 2);
  return (s * h) / 3;
}

describe('funnel', () => {
  // 12 tested offices (n ≥ 30) and 2 below min_n; volumes and complaint counts chosen by hand so that
  // the rates are over-dispersed and O12 stands far out.
  const volumes = [40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 10, 20];
  const complaints = [2, 6, 3, 9, 4, 8, 5, 12, 6, 9, 8, 45, 3, 0];
  const ids = volumes.map((_, i) => `O${String(i + 1).padStart(2, '0')}`);

  async function setup() {
    const cases: CaseDef[] = [];
    const comp: ComplaintDef[] = [];
    ids.forEach((id, i) => {
      for (let k = 0; k < volumes[i]; k++)
        cases.push(closed(`${id}-${k}`, id, 'S1', '2024-01-10T06:00:00Z', 1));
      for (let k = 0; k < complaints[i]; k++)
        comp.push({
          complaint_id: `${id}-k${k}`,
          office_id: id,
          received_at: '2024-01-20T06:00:00Z',
          category: 'delay',
        });
    });
    return makeApp({
      asOf: '2024-06-01T00:00:00Z',
      offices: ids.map((id, i) => ({ office_id: id, district: 1 + (i % 22) })),
      services: [{ service_code: 'S1', sla_days: 5 }],
      cases,
      complaints: comp,
    });
  }

  test('complaint-rate funnel: target, φ, limits, z, p, q and flags step by step', async () => {
    const { get } = await setup();
    const { status, body } = await get('/api/funnel?metric=complaints&by=office&min_n=30');
    expect(status).toBe(200);

    const sumN = volumes.reduce((a, b) => a + b, 0);
    const sumC = complaints.reduce((a, b) => a + b, 0);
    const p0 = sumC / sumN; // over all groups, the small ones included
    expect(body.target).toBeCloseTo(p0, 12);

    const tested = volumes.map((n) => n >= 30);
    const rawZ = volumes.map((n, i) => (complaints[i] / n - p0) / Math.sqrt(p0 / n));
    const zt = rawZ.filter((_, i) => tested[i]);
    const sorted = [...zt].sort((a, b) => a - b);
    const lo = pct(sorted, 0.1);
    const hi = pct(sorted, 0.9);
    const phi = zt.reduce((s, z) => s + Math.min(hi, Math.max(lo, z)) ** 2, 0) / zt.length;
    expect(phi).toBeGreaterThan(1); // the fixture is over-dispersed, so the limits widen
    expect(body.phi).toBeCloseTo(phi, 10);

    const p = rawZ.map((z) => 2 * upperTail(z / Math.sqrt(phi)));
    // Benjamini–Hochberg over the tested groups: q(i) = min over j ≥ i of p(j)·m/j (ascending order)
    const order = ids
      .map((_, i) => i)
      .filter((i) => tested[i])
      .sort((a, b) => p[a] - p[b]);
    const m = order.length;
    const q = new Map<number, number>();
    let running = 1;
    for (let r = m; r >= 1; r--) {
      const i = order[r - 1];
      running = Math.min(running, (p[i] * m) / r);
      q.set(i, running);
    }

    ids.forEach((id, i) => {
      const row = body.rows.find((r: Body) => r.key === id);
      const s = Math.sqrt(p0 / volumes[i]) * Math.sqrt(phi);
      expect(row.n).toBe(volumes[i]);
      expect(row.value).toBeCloseTo(complaints[i] / volumes[i], 12);
      expect(row.z).toBeCloseTo(rawZ[i] / Math.sqrt(phi), 9);
      expect(row.p).toBeCloseTo(p[i], 6);
      // a rate's lower limit is clipped at 0 (DESIGN 6)
      expect(row.lo95).toBeCloseTo(Math.max(0, p0 - 1.959964 * s), 12);
      expect(row.hi998).toBeCloseTo(p0 + 3.090232 * s, 12);
      expect(row.tested).toBe(tested[i]);
      if (tested[i]) expect(row.q).toBeCloseTo(q.get(i)!, 6);
      else expect(row.q).toBeNull();
      const outside = complaints[i] / volumes[i] > p0 + 3.090232 * s ? 'above' : null;
      expect(row.flag).toBe(tested[i] ? outside : null);
    });
    expect(body.rows.find((r: Body) => r.key === 'O12').flag).toBe('above');
    expect(body.curve.length).toBe(60);
    expect(body.curve[0].n).toBeCloseTo(10, 9);
    expect(body.curve[59].n).toBeCloseTo(150, 9);

    // the same office is flagged by /api/outliers, with its numbers in both languages
    const out = await get('/api/outliers?min_n=30&level=office');
    const f = out.body.flags.find((x: Body) => x.office_id === 'O12' && x.signal === 'complaints');
    expect(f.scope).toBe('all');
    expect(f.reason_en).toContain('300 per 1,000 cases over 150 cases');
    expect(f.reason_fa).toContain('۳۰۰');
  });

  test('a district filter selects rows but does not change the city-wide funnel', async () => {
    const { get } = await setup();
    const all = await get('/api/funnel?metric=complaints&by=office');
    const d12 = await get('/api/funnel?metric=complaints&by=office&district=12');
    expect(d12.body.rows.map((r: Body) => r.key)).toEqual(['O12']);
    expect(d12.body.phi).toBeCloseTo(all.body.phi, 12);
    expect(d12.body.rows[0]).toEqual(all.body.rows.find((r: Body) => r.key === 'O12'));
  });
});

describe('slow_share', () => {
  const S = '2024-01-10T06:00:00Z';
  const services = [
    { service_code: 'F', sla_days: 5, category: 'inquiry' },
    { service_code: 'L', sla_days: 60, category: 'building_permit' },
  ];

  test('an office doing only slow services, at the city median of each, is at 0.5', async () => {
    // F (fast) all: 1 1.5 2 3 3.5 4 → median 2.5; L (slow) all: 10 15 20 30 35 40 → median 25
    const cases = [
      ...[1, 2, 3, 4].map((t, i) => closed(`x-f${i}`, 'X', 'F', S, t)),
      ...[10, 40].map((t, i) => closed(`x-l${i}`, 'X', 'L', S, t)),
      ...[1.5, 3.5].map((t, i) => closed(`y-f${i}`, 'Y', 'F', S, t)),
      ...[15, 35].map((t, i) => closed(`y-l${i}`, 'Y', 'L', S, t)),
      ...[20, 30].map((t, i) => closed(`z-l${i}`, 'Z', 'L', S, t)),
    ];
    const { get } = await makeApp({
      asOf: '2024-06-01T00:00:00Z',
      offices: [
        { office_id: 'X', district: 1 },
        { office_id: 'Y', district: 2 },
        { office_id: 'Z', district: 3 },
      ],
      services,
      cases,
    });
    const { body } = await get('/api/funnel?metric=slow_share&by=office&min_n=1');
    const share = Object.fromEntries(body.rows.map((r: Body) => [r.key, r.value]));
    // Z: 20 ≤ 25, 30 > 25 → 1/2, although its raw median (25) is far above the others' (mostly fast work)
    expect(share.Z).toBeCloseTo(0.5, 12);
    // X: F 3, 4 > 2.5 and L 40 > 25 → 3/6; Y: 3.5 and 35 → 2/4
    expect(share.X).toBeCloseTo(0.5, 12);
    expect(share.Y).toBeCloseTo(0.5, 12);
    expect(body.target).toBe(0.5);
  });

  test('with a district filter the reference medians stay city-wide', async () => {
    // L all: 10 11 13 14 20 30 40 → city median 14; Z's own district alone would give 30
    const cases = [
      ...[10, 11].map((t, i) => closed(`x-l${i}`, 'X', 'L', S, t)),
      ...[13, 14].map((t, i) => closed(`y-l${i}`, 'Y', 'L', S, t)),
      ...[20, 30, 40].map((t, i) => closed(`z-l${i}`, 'Z', 'L', S, t)),
    ];
    const { get } = await makeApp({
      asOf: '2024-06-01T00:00:00Z',
      offices: [
        { office_id: 'X', district: 1 },
        { office_id: 'Y', district: 2 },
        { office_id: 'Z', district: 3 },
      ],
      services,
      cases,
    });
    const { body } = await get('/api/funnel?metric=slow_share&by=office&min_n=1&district=3');
    expect(body.rows.map((r: Body) => [r.key, r.value])).toEqual([['Z', 1]]);
    const offices = await get('/api/offices?district=3');
    expect(offices.body.rows[0].slow_share).toBe(1);
  });
});
