/**
 * DESIGN 9 (who a speed flag belongs to) and DESIGN 6's `method=additive`, through the API.
 *
 * The city: one building-permit service. Districts 1–8 have six "normal" offices each (60 closed
 * cases spread evenly over 1–19 days); district 9 has four offices that are all slow in the same way
 * (60 cases over 8–26 days: the district's approvals are slow); district 10 has two normal offices
 * and one slow office of the same shape. Expected, from DESIGN and the shape alone:
 *  - district 9 is flagged slow; each of its four offices is flagged slow too, but they do not differ
 *    from their district's other offices → attribution 'district' (one finding about the district);
 *  - district 10 is not flagged (one slow office among three), so its slow office is 'office';
 *  - office-attributed flags come before district-attributed ones.
 * The within-district z is recomputed here from the raw durations (city median by sorting, slow
 * shares by counting) with DESIGN 9's formula and the office funnel's φ.
 */
import { describe, expect, test } from 'vitest';
import { type Body, type CaseDef, closed, makeApp } from './fixture.ts';

const S = '2024-02-01T06:00:00Z';
const Z998 = 3.090232;

interface Office {
  id: string;
  district: number;
  durations: number[];
}

const spread = (lo: number, hi: number, jitter: number) =>
  Array.from({ length: 60 }, (_, i) => lo + (i * (hi - lo)) / 59 + jitter);

function city(): Office[] {
  const offices: Office[] = [];
  let j = 0;
  const add = (id: string, district: number, lo: number, hi: number) =>
    offices.push({ id, district, durations: spread(lo, hi, (j++ % 7) * 0.001) });
  for (let d = 1; d <= 8; d++) for (let k = 1; k <= 6; k++) add(`N${d}-${k}`, d, 1, 19);
  for (let k = 1; k <= 4; k++) add(`S9-${k}`, 9, 8, 26);
  add('N10-1', 10, 1, 19);
  add('N10-2', 10, 1, 19);
  add('S10-1', 10, 8, 26);
  return offices;
}

async function setup() {
  const offices = city();
  const cases: CaseDef[] = offices.flatMap((o) =>
    o.durations.map((t, i) => closed(`${o.id}-${i}`, o.id, 'BP', S, t)),
  );
  const app = await makeApp({
    asOf: '2024-06-01T00:00:00Z',
    offices: offices.map((o) => ({ office_id: o.id, district: o.district })),
    services: [{ service_code: 'BP', category: 'building_permit', sla_days: 15 }],
    cases,
  });
  return { ...app, offices };
}

/** Median of closed durations (linear interpolation, as quantile_cont). */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) / 2;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
}

describe('DESIGN 9: attribution of speed flags', () => {
  test('a uniformly slow district: its offices are one finding about the district; a lone slow office is its own', async () => {
    const { get, offices, db } = await setup();
    const { status, body } = await get('/api/outliers');
    expect(status).toBe(200);
    const slowAll = (body.flags as Body[]).filter((f) => f.signal === 'slow' && f.scope === 'all');
    const byOffice = Object.fromEntries(slowAll.map((f) => [f.office_id, f]));
    expect(Object.keys(byOffice).sort()).toEqual(['S10-1', 'S9-1', 'S9-2', 'S9-3', 'S9-4']);
    expect(
      (body.district_flags as Body[])
        .filter((f) => f.signal === 'slow' && f.scope === 'all')
        .map((f) => f.district),
    ).toEqual([9]);
    for (const k of [1, 2, 3, 4]) expect(byOffice[`S9-${k}`].attribution).toBe('district');
    expect(byOffice['S10-1'].attribution).toBe('office');

    // the within-district test by hand: p_d from the other offices' raw durations
    const m = median(offices.flatMap((o) => o.durations));
    const slowShare = (os: Office[]) => {
      const all = os.flatMap((o) => o.durations);
      return all.filter((t) => t > m).length / all.length;
    };
    const funnel = (await get('/api/funnel?metric=slow_share&by=office')).body;
    const root = Math.sqrt(Math.max(funnel.phi, 1));
    const s91 = byOffice['S9-1'];
    const pd = slowShare(offices.filter((o) => o.district === 9 && o.id !== 'S9-1'));
    expect(s91.district_value).toBeCloseTo(pd, 12);
    const zw = (s91.value - pd) / (Math.sqrt((pd * (1 - pd)) / s91.n) * root);
    expect(s91.z_within).toBeCloseTo(zw, 9);
    expect(Math.abs(zw)).toBeLessThanOrEqual(Z998);
    const s10 = byOffice['S10-1'];
    const pd10 = slowShare(offices.filter((o) => o.district === 10 && o.id !== 'S10-1'));
    expect(s10.district_value).toBeCloseTo(pd10, 12);
    expect(s10.attribution_en).toMatch(/not flagged/);
    expect(s91.attribution_en).toMatch(/finding about the district/);
    expect(s91.attribution_fa).toMatch(/منطقه/);

    // office-attributed flags first, then the district's
    const order = (body.flags as Body[]).map((f) => f.attribution);
    expect(order.indexOf('district')).toBeGreaterThan(order.lastIndexOf('office'));
    // the building-permit scope gives the same attribution (one category here)
    const bp = (body.flags as Body[]).filter((f) => f.signal === 'slow' && f.scope === 'building_permit');
    expect(
      bp
        .filter((f) => f.attribution === 'district')
        .map((f) => f.office_id)
        .sort(),
    ).toEqual(['S9-1', 'S9-2', 'S9-3', 'S9-4']);
    // the scorecard carries the same flag with its attribution
    const card = (await get('/api/offices/S9-2')).body;
    expect(card.flags.find((f: Body) => f.scope === 'all').attribution).toBe('district');
    db.close();
  });
});

describe('DESIGN 6: method=additive through the API', () => {
  test('τ² from the tested groups, limits √(s² + τ²), clipped; multiplicative stays the default', async () => {
    const { get, db } = await setup();
    const mult = (await get('/api/funnel?metric=slow_share&by=district')).body;
    expect(mult.method).toBe('multiplicative');
    expect(mult.tau2).toBe(0);
    const { status, body } = await get('/api/funnel?metric=slow_share&by=district&method=additive');
    expect(status).toBe(200);
    expect(body.method).toBe('additive');
    // second implementation: raw z, type-7 winsorising at P10/P90, φ, then τ² (DESIGN 6)
    const rows = (body.rows as Body[]).filter((r) => r.tested);
    const s = rows.map((r) => Math.sqrt(0.25 / r.n));
    const z = rows.map((r, i) => (r.value - 0.5) / s[i]);
    const sorted = [...z].sort((a, b) => a - b);
    const pct = (p: number) => {
      const h = (sorted.length - 1) * p;
      const lo = Math.floor(h);
      return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    };
    const [lo, hi] = [pct(0.1), pct(0.9)];
    const phi = z.map((v) => Math.min(hi, Math.max(lo, v)) ** 2).reduce((a, b) => a + b, 0) / z.length;
    expect(body.phi).toBeCloseTo(phi, 9);
    const w = s.map((x) => 1 / x ** 2);
    const sw = w.reduce((a, b) => a + b, 0);
    const sw2 = w.reduce((a, b) => a + b * b, 0);
    const tau2 = Math.max(0, (rows.length * phi - (rows.length - 1)) / (sw - sw2 / sw));
    expect(tau2).toBeGreaterThan(0);
    expect(body.tau2).toBeCloseTo(tau2, 12);
    rows.forEach((r, i) => {
      const width = Math.sqrt(s[i] ** 2 + tau2);
      expect(r.z).toBeCloseTo((r.value - 0.5) / width, 9);
      expect(r.hi998).toBeCloseTo(Math.min(1, 0.5 + Z998 * width), 9);
      expect(r.lo998).toBeCloseTo(Math.max(0, 0.5 - Z998 * width), 9);
    });
    const out = await get('/api/outliers?method=additive');
    expect(out.status).toBe(200);
    expect(out.body.method).toBe('additive');
    expect((await get('/api/funnel?metric=slow_share&method=bogus')).status).toBe(400);
    db.close();
  });
});
