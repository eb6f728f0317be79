import { describe, expect, it } from 'vitest';
import { type FunnelRow, funnel, funnelCurve } from '../../api/stats/funnel.ts';
import { simpsonTwoSided } from './normal-tail.ts';

// DESIGN metric 6 worked step by step with plain arithmetic. The only borrowed constants are the
// DESIGN normal quantiles; p-values come from the Simpson-rule tail in ./normal-tail.ts, and the
// numbers in the comments were computed separately (Python, math.erfc) as a third check.
const Z95 = 1.959964;
const Z998 = 3.090232;

function byKey(rows: FunnelRow[]): Record<string, FunnelRow> {
  return Object.fromEntries(rows.map((r) => [r.key, r]));
}

/**
 * Limits for one group, given its s and the inflation √φ* (the DESIGN formula, nothing more),
 * clipped to [0, 1] for proportions and [0, ∞) for rates.
 */
function limits(target: number, s: number, root: number, kind: 'proportion' | 'rate' = 'proportion') {
  const clip = (v: number) => (kind === 'proportion' ? Math.min(1, Math.max(0, v)) : Math.max(0, v));
  return {
    lo95: clip(target - Z95 * s * root),
    hi95: clip(target + Z95 * s * root),
    lo998: clip(target - Z998 * s * root),
    hi998: clip(target + Z998 * s * root),
  };
}

function expectRow(got: FunnelRow, want: Partial<FunnelRow>): void {
  for (const [k, v] of Object.entries(want)) {
    const g = got[k as keyof FunnelRow];
    if (typeof v === 'number') expect(g, `${got.key}.${k}`).toBeCloseTo(v, 10);
    else expect(g, `${got.key}.${k}`).toBe(v);
  }
}

describe('funnel, proportions (slow_share), over-dispersed: φ > 1', () => {
  // target p₀ = 0.5, minN = 30. K (n=20) and M (n=10) are below minN, L has n = 0.
  const groups = [
    { key: 'A', n: 100, y: 0.5 },
    { key: 'B', n: 100, y: 0.6 },
    { key: 'C', n: 200, y: 0.45 },
    { key: 'D', n: 50, y: 0.7 },
    { key: 'E', n: 400, y: 0.52 },
    { key: 'F', n: 80, y: 0.3 },
    { key: 'G', n: 150, y: 0.55 },
    { key: 'H', n: 60, y: 0.4 },
    { key: 'I', n: 300, y: 0.48 },
    { key: 'J', n: 120, y: 0.8 },
    { key: 'K', n: 20, y: 1.0 },
    { key: 'L', n: 0, y: 0 },
    { key: 'M', n: 10, y: 0.1 },
  ];
  const result = funnel(groups, { kind: 'proportion', target: 0.5, minN: 30 });
  const rows = byKey(result.rows);

  // Step 1: s_i = √(0.5·0.5/n_i), z_i = (y_i − 0.5)/s_i
  //   A 0.05      0          B 0.05      2          C 0.035355 −1.414214   D 0.070711  2.828427
  //   E 0.025     0.8        F 0.055902 −3.577709   G 0.040825  1.224745   H 0.064550 −1.549193
  //   I 0.028868 −0.692820   J 0.045644  6.572671   K 0.111803  4.472136   M 0.158114 −2.529822
  const s = (n: number) => Math.sqrt((0.5 * 0.5) / n);
  const z = {
    A: (0.5 - 0.5) / s(100),
    B: (0.6 - 0.5) / s(100),
    C: (0.45 - 0.5) / s(200),
    D: (0.7 - 0.5) / s(50),
    E: (0.52 - 0.5) / s(400),
    F: (0.3 - 0.5) / s(80),
    G: (0.55 - 0.5) / s(150),
    H: (0.4 - 0.5) / s(60),
    I: (0.48 - 0.5) / s(300),
    J: (0.8 - 0.5) / s(120),
    K: (1.0 - 0.5) / s(20),
    M: (0.1 - 0.5) / s(10),
  };
  // Step 2: the 10 tested z (A–J) sorted: F < H < C < I < A < E < G < B < D < J.
  const sorted = [z.F, z.H, z.C, z.I, z.A, z.E, z.G, z.B, z.D, z.J];
  // Step 3: type-7 percentiles, h = 9·q:
  //   P10: h = 0.9 → z_F + 0.9·(z_H − z_F) = −1.752045
  //   P90: h = 8.1 → z_D + 0.1·(z_J − z_D) =  3.202851
  const p10 = z.F + 0.9 * (z.H - z.F);
  const p90 = z.D + 0.1 * (z.J - z.D);
  // Step 4: winsorise (F → P10, J → P90), φ = mean of squares = 32.347919/10 = 3.234792 > 1
  const phi =
    (p10 ** 2 +
      z.H ** 2 +
      z.C ** 2 +
      z.I ** 2 +
      z.A ** 2 +
      z.E ** 2 +
      z.G ** 2 +
      z.B ** 2 +
      z.D ** 2 +
      p90 ** 2) /
    10;
  const root = Math.sqrt(phi); // 1.798553
  // Step 5: adjusted z = z/√φ, limits p₀ ± k·s·√φ, p two-sided:
  //   J: z 3.654422, p 0.000257762, 99.8% limits 0.246316 … 0.753684 → y = 0.8 above → flag
  //   F: z −1.989215, p 0.0466774, limits 0.189301 … 0.810699 → inside
  //   K: z 2.486519, limits −0.121397 … 1.121397 → clipped to 0 … 1 (not tested); M: lo998 = −0.378788 → 0
  // Step 6: BH over the 10 tested, ranked by p (= by |z|): J F D B H C G E I A
  //   p·10/rank: J 0.00257762, F 0.233387, D 0.386028, B 0.665340, H 0.778085, C 0.719480,
  //              G 0.708423, E 0.820578, I 0.777869, A 1
  //   running minimum from the top: H and C take G's 0.708423, E takes I's 0.777869.
  const p = Object.fromEntries(Object.entries(z).map(([k, v]) => [k, simpsonTwoSided(v / root)]));
  const raw = {
    J: (p.J * 10) / 1,
    F: (p.F * 10) / 2,
    D: (p.D * 10) / 3,
    B: (p.B * 10) / 4,
    H: (p.H * 10) / 5,
    C: (p.C * 10) / 6,
    G: (p.G * 10) / 7,
    E: (p.E * 10) / 8,
    I: (p.I * 10) / 9,
    A: Math.min(1, (p.A * 10) / 10),
  };
  const q: Record<string, number> = {};
  q.A = raw.A;
  q.I = Math.min(raw.I, q.A);
  q.E = Math.min(raw.E, q.I);
  q.G = Math.min(raw.G, q.E);
  q.C = Math.min(raw.C, q.G);
  q.H = Math.min(raw.H, q.C);
  q.B = Math.min(raw.B, q.H);
  q.D = Math.min(raw.D, q.B);
  q.F = Math.min(raw.F, q.D);
  q.J = Math.min(raw.J, q.F);

  it('percentiles, φ and the hand order', () => {
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]).toBeGreaterThan(sorted[i - 1]);
    expect(p10).toBeCloseTo(-1.752045, 6);
    expect(p90).toBeCloseTo(3.202851, 6);
    expect(phi).toBeCloseTo(3.234792, 6);
    expect(result.phi).toBeCloseTo(phi, 12);
    expect(result.target).toBe(0.5);
  });

  it('z, p, limits, q and flags for every tested group', () => {
    const n = { A: 100, B: 100, C: 200, D: 50, E: 400, F: 80, G: 150, H: 60, I: 300, J: 120 };
    for (const [k, nk] of Object.entries(n)) {
      const key = k as keyof typeof n;
      expectRow(rows[key], {
        z: z[key] / root,
        p: p[key],
        q: q[key],
        ...limits(0.5, s(nk), root),
        tested: true,
        flag: key === 'J' ? 'above' : null,
      });
    }
    // Spot checks against the Python figures in the comments.
    expect(rows.J.z).toBeCloseTo(3.654422, 6);
    expect(rows.J.p).toBeCloseTo(0.000257762, 9);
    expect(rows.J.lo998).toBeCloseTo(0.246316, 6);
    expect(rows.J.hi998).toBeCloseTo(0.753684, 6);
    expect(rows.H.q).toBeCloseTo(0.708423, 6);
    expect(rows.E.q).toBeCloseTo(0.777869, 6);
  });

  it('groups below minN get z, p and clipped limits, but no q and no flag; n = 0 gets nulls', () => {
    expectRow(rows.K, {
      z: z.K / root,
      p: p.K,
      q: null,
      ...limits(0.5, s(20), root),
      tested: false,
      flag: null,
    });
    expectRow(rows.M, {
      z: z.M / root,
      p: p.M,
      q: null,
      ...limits(0.5, s(10), root),
      tested: false,
      flag: null,
    });
    expect(rows.M.lo998).toBe(0); // raw −0.378788
    expect(rows.K.hi998).toBe(1); // raw 1.121397
    expect(rows.L).toEqual({
      key: 'L',
      n: 0,
      y: 0,
      z: null,
      p: null,
      q: null,
      lo95: null,
      hi95: null,
      lo998: null,
      hi998: null,
      flag: null,
      tested: false,
    });
    expect(result.rows.map((r) => r.key)).toEqual(groups.map((g) => g.key)); // input order kept
  });
});

describe('funnel, proportions, under-dispersed: φ < 1 reported but not applied', () => {
  // Ten tested groups close to 0.5 and one far below; U1 (n = 10) is below minN and outside.
  const groups = [
    { key: 'P1', n: 100, y: 0.51 },
    { key: 'P2', n: 100, y: 0.49 },
    { key: 'P3', n: 400, y: 0.505 },
    { key: 'P4', n: 400, y: 0.49 },
    { key: 'P5', n: 200, y: 0.5 },
    { key: 'P6', n: 100, y: 0.53 },
    { key: 'P7', n: 100, y: 0.47 },
    { key: 'P8', n: 400, y: 0.52 },
    { key: 'P9', n: 100, y: 0.5 },
    { key: 'P10', n: 100, y: 0.15 },
    { key: 'U1', n: 10, y: 1.0 },
  ];
  const result = funnel(groups, { kind: 'proportion', target: 0.5, minN: 30 });
  const rows = byKey(result.rows);
  const s = (n: number) => Math.sqrt(0.25 / n);

  it('winsorisation keeps the outlier from inflating φ', () => {
    // z: P1 0.2, P2 −0.2, P3 0.2, P4 −0.4, P5 0, P6 0.6, P7 −0.6, P8 0.8, P9 0, P10 −7
    // sorted: −7 (P10), −0.6 (P7), −0.4, −0.2, 0, 0, 0.2, 0.2, 0.6 (P6), 0.8 (P8)
    // P10 = −7 + 0.9·(−0.6 + 7) = −1.24;  P90 = 0.6 + 0.1·(0.8 − 0.6) = 0.62
    // φ = (1.24² + 0.6² + 0.4² + 0.2² + 0 + 0 + 0.2² + 0.2² + 0.6² + 0.62²)/10 = 2.922/10 = 0.2922
    const p10 = (0.15 - 0.5) / s(100) + 0.9 * ((0.47 - 0.5) / s(100) - (0.15 - 0.5) / s(100));
    const p90 = (0.53 - 0.5) / s(100) + 0.1 * ((0.52 - 0.5) / s(400) - (0.53 - 0.5) / s(100));
    expect(p10).toBeCloseTo(-1.24, 12);
    expect(p90).toBeCloseTo(0.62, 12);
    expect(result.phi).toBeCloseTo(
      (1.24 ** 2 + 0.6 ** 2 + 0.4 ** 2 + 0.2 ** 2 + 0 + 0 + 0.2 ** 2 + 0.2 ** 2 + 0.6 ** 2 + 0.62 ** 2) / 10,
      12,
    );
    expect(result.phi).toBeCloseTo(0.2922, 12);
  });

  it('limits and z use φ* = 1, not φ', () => {
    // P10: z = −0.35/0.05 = −7, limits 0.5 ± 3.090232·0.05 = 0.345488 … 0.654512 → below
    expectRow(rows.P10, {
      z: (0.15 - 0.5) / s(100),
      p: simpsonTwoSided(-7),
      ...limits(0.5, s(100), 1),
      flag: 'below',
      tested: true,
    });
    expect(rows.P10.z).toBeCloseTo(-7, 12);
    expect(rows.P10.lo998).toBeCloseTo(0.345488, 6);
    expectRow(rows.P8, { z: 0.02 / s(400), ...limits(0.5, s(400), 1), flag: null });
    // U1: z = 0.5/0.158114 = 3.162278 > 3.090232, y = 1 > hi998 = 0.988609 — outside, yet untested.
    expectRow(rows.U1, { z: 0.5 / s(10), ...limits(0.5, s(10), 1), q: null, flag: null, tested: false });
    expect(rows.U1.y).toBeGreaterThan(rows.U1.hi998 as number);
  });

  it('q: P10 alone is significant; every other q is capped at 1', () => {
    // ranks by p: P10 first, p·10/1 = 2.56e-11; all others have p·10/rank > 1 → capped at 1.
    expect(rows.P10.q).toBeCloseTo(simpsonTwoSided(7) * 10, 20);
    for (const k of ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9']) expect(rows[k].q).toBe(1);
  });
});

describe('funnel, per-case rates (complaints)', () => {
  // Complaints c over cases n; target = city-wide Σc/Σn = 103/5150 = 0.02. minN = 100, so R11
  // (n = 50) is shown but untested; R12 has no cases.
  const counts = [
    ['R1', 500, 10],
    ['R2', 250, 9],
    ['R3', 1000, 15],
    ['R4', 400, 4],
    ['R5', 800, 22],
    ['R6', 300, 3],
    ['R7', 600, 12],
    ['R8', 200, 12],
    ['R9', 700, 5],
    ['R10', 350, 7],
    ['R11', 50, 4],
    ['R12', 0, 0],
  ] as const;
  const target = 103 / 5150;
  const groups = counts.map(([key, n, c]) => ({ key, n, y: n > 0 ? c / n : 0 }));
  const result = funnel(groups, { kind: 'rate', target, minN: 100 });
  const rows = byKey(result.rows);

  // Step 1: s_i = √(0.02/n_i), z_i = (y_i − 0.02)/s_i
  //   R1 0 · R2 1.788854 · R3 −1.118034 · R4 −1.414214 · R5 1.5 · R6 −1.224745 · R7 0 · R8 4
  //   R9 −2.405351 · R10 0 · R11 3 (untested)
  const s = (n: number) => Math.sqrt(0.02 / n);
  const z = {
    R1: (10 / 500 - 0.02) / s(500),
    R2: (9 / 250 - 0.02) / s(250),
    R3: (15 / 1000 - 0.02) / s(1000),
    R4: (4 / 400 - 0.02) / s(400),
    R5: (22 / 800 - 0.02) / s(800),
    R6: (3 / 300 - 0.02) / s(300),
    R7: (12 / 600 - 0.02) / s(600),
    R8: (12 / 200 - 0.02) / s(200),
    R9: (5 / 700 - 0.02) / s(700),
    R10: (7 / 350 - 0.02) / s(350),
    R11: (4 / 50 - 0.02) / s(50),
  };
  // Step 2: tested sorted: R9 < R4 < R6 < R3 < {R1, R7, R10 = 0} < R5 < R2 < R8
  //   P10 = z_R9 + 0.9·(z_R4 − z_R9) = −1.513327;  P90 = z_R2 + 0.1·(z_R8 − z_R2) = 2.009969
  const p10 = z.R9 + 0.9 * (z.R4 - z.R9);
  const p90 = z.R2 + 0.1 * (z.R8 - z.R2);
  // Step 3: winsorise R9 → P10, R8 → P90; φ = 16.530135/10 = 1.653013 > 1, √φ = 1.285696
  const phi =
    (p10 ** 2 +
      z.R4 ** 2 +
      z.R6 ** 2 +
      z.R3 ** 2 +
      z.R1 ** 2 +
      z.R7 ** 2 +
      z.R10 ** 2 +
      z.R5 ** 2 +
      z.R2 ** 2 +
      p90 ** 2) /
    10;
  const root = Math.sqrt(phi);
  // Step 4: R8 adjusted z = 4/1.285696 = 3.111156, hi998 = 0.02 + 3.090232·0.01·1.285696 = 0.059731
  //   < y = 0.06 → above. R11: z 2.333367, limits −0.059462 … 0.099462 (lower clipped to 0).
  // Step 5: BH ranks by p: R8 R9 R2 R5 R4 R6 R3 {R1 R7 R10 with p = 1}
  //   p·10/rank: 0.0186356, 0.306825, 0.547063, 0.608346, 0.542699, 0.567994, 0.549317, 1.25, 1.11, 1
  //   running minimum: R2 and R5 take R4's 0.542699; R6 takes R3's 0.549317.
  const p = Object.fromEntries(Object.entries(z).map(([k, v]) => [k, simpsonTwoSided(v / root)]));
  const q: Record<string, number> = {};
  q.R10 = 1;
  q.R7 = 1;
  q.R1 = 1;
  q.R3 = Math.min((p.R3 * 10) / 7, q.R1);
  q.R6 = Math.min((p.R6 * 10) / 6, q.R3);
  q.R4 = Math.min((p.R4 * 10) / 5, q.R6);
  q.R5 = Math.min((p.R5 * 10) / 4, q.R4);
  q.R2 = Math.min((p.R2 * 10) / 3, q.R5);
  q.R9 = Math.min((p.R9 * 10) / 2, q.R2);
  q.R8 = Math.min((p.R8 * 10) / 1, q.R9);

  it('target, percentiles and φ', () => {
    expect(target).toBe(0.02);
    expect(p10).toBeCloseTo(-1.513327, 6);
    expect(p90).toBeCloseTo(2.009969, 6);
    expect(result.phi).toBeCloseTo(phi, 12);
    expect(result.phi).toBeCloseTo(1.653013, 6);
  });

  it('every row', () => {
    for (const [key, n] of counts) {
      if (n === 0) continue;
      const k = key as keyof typeof z;
      expectRow(rows[k], {
        z: z[k] / root,
        p: p[k],
        q: k === 'R11' ? null : q[k],
        ...limits(0.02, s(n), root, 'rate'),
        tested: k !== 'R11',
        flag: k === 'R8' ? 'above' : null,
      });
    }
    expect(rows.R8.z).toBeCloseTo(3.111156, 6);
    expect(rows.R8.hi998).toBeCloseTo(0.059731, 6);
    expect(rows.R8.q).toBeCloseTo(0.0186356, 7);
    expect(rows.R2.q).toBeCloseTo(0.542699, 6);
    expect(rows.R11.lo998).toBe(0); // raw −0.059462
    expect(rows.R11.hi998).toBeCloseTo(0.099462, 6);
    expect(rows.R12.z).toBeNull();
    expect(rows.R12.tested).toBe(false);
  });
});

describe('funnel edge cases', () => {
  it('fewer than 2 tested groups → φ = 1', () => {
    // Only X is tested: z = 0.2/0.05 = 4 is not winsorised against anything, φ = 1, limits unscaled.
    const r = funnel(
      [
        { key: 'X', n: 100, y: 0.7 },
        { key: 'Y', n: 5, y: 0.2 },
      ],
      { kind: 'proportion', target: 0.5, minN: 30 },
    );
    expect(r.phi).toBe(1);
    expect(r.rows[0].z).toBeCloseTo(4, 12);
    expect(r.rows[0].q).toBeCloseTo(simpsonTwoSided(4), 12); // m = 1: q = p
    expect(r.rows[0].flag).toBe('above');
    expect(funnel([], { kind: 'rate', target: 0.01, minN: 30 })).toEqual({
      target: 0.01,
      phi: 1,
      tau2: 0,
      method: 'multiplicative',
      rows: [],
    });
  });

  it('a zero-variance target (no complaints at all) tests nothing', () => {
    const r = funnel(
      [
        { key: 'X', n: 100, y: 0 },
        { key: 'Y', n: 200, y: 0 },
      ],
      { kind: 'rate', target: 0, minN: 30 },
    );
    expect(r.phi).toBe(1);
    for (const row of r.rows) {
      expect(row).toMatchObject({ z: null, p: null, q: null, lo998: 0, hi998: 0, flag: null, tested: true });
    }
  });

  it('bad input is rejected with a message', () => {
    const opts = { kind: 'proportion', target: 0.5, minN: 30 } as const;
    expect(() => funnel([{ key: 'X', n: 10, y: 1.2 }], opts)).toThrow(/X.*proportion/);
    expect(() => funnel([{ key: 'X', n: -1, y: 0.2 }], opts)).toThrow(/X.*n must be/);
    expect(() => funnel([], { ...opts, target: 2 })).toThrow(/target/);
    expect(() => funnel([{ key: 'X', n: 10, y: -0.1 }], { kind: 'rate', target: 0.1, minN: 0 })).toThrow(
      /rate/,
    );
  });
});

describe('funnelCurve', () => {
  it('log-even n and the same limits as the rows', () => {
    // 5 points from 10 to 100 000: log10 n = 1, 2, 3, 4, 5. φ = 2 → √2 inflation.
    const pts = funnelCurve({ kind: 'proportion', target: 0.5, phi: 2, nMin: 10, nMax: 100_000, count: 5 });
    const ns = [10, 100, 1000, 10_000, 100_000];
    expect(pts).toHaveLength(5);
    pts.forEach((pt, i) => {
      expect(pt.n).toBeCloseTo(ns[i], 8);
      const w = Math.sqrt(0.25 / ns[i]) * Math.SQRT2;
      expect(pt.lo95).toBeCloseTo(Math.max(0, 0.5 - Z95 * w), 12);
      expect(pt.hi95).toBeCloseTo(Math.min(1, 0.5 + Z95 * w), 12);
      expect(pt.lo998).toBeCloseTo(Math.max(0, 0.5 - Z998 * w), 12);
      expect(pt.hi998).toBeCloseTo(Math.min(1, 0.5 + Z998 * w), 12);
    });
    expect(pts[0].n).toBe(10);
    expect(pts[4].n).toBe(100_000);
    // n = 10: w = 0.223607, 0.5 ∓ 3.090232·w = −0.190997 … 1.190997 → clipped to 0 … 1
    expect(pts[0].lo998).toBe(0);
    expect(pts[0].hi998).toBe(1);
  });

  it('φ < 1 is not applied; rates; default count 60; one point when nMin = nMax', () => {
    const pts = funnelCurve({ kind: 'rate', target: 0.02, phi: 0.3, nMin: 50, nMax: 5000 });
    expect(pts).toHaveLength(60);
    // n = 50: hi998 = 0.02 + 3.090232·√(0.02/50) = 0.02 + 3.090232·0.02 = 0.08180464
    expect(pts[0].hi998).toBeCloseTo(0.08180464, 12);
    expect(pts[0].lo998).toBe(0); // 0.02 − 0.06180464 < 0: a rate cannot be negative
    expect(funnelCurve({ kind: 'rate', target: 0.02, phi: 1, nMin: 7, nMax: 7 })).toHaveLength(1);
    expect(() => funnelCurve({ kind: 'rate', target: 0.02, phi: 1, nMin: 0, nMax: 7 })).toThrow(/nMin/);
  });
});

describe('funnel, additive random effects (method = additive)', () => {
  // Worked by hand. Rates, p₀ = 0.1, every group tested (minN 10).
  //   s = √(0.1/n): A 0.0316228 (n 100), B 0.0158114 (400), C 0.0105409 (900), D 0.0316228 (100)
  //   z: A +3.162278, B −1.264911, C 0, D −1.581139
  //   type-7 percentiles of the sorted z: P10 = −1.581139 + 0.3·0.316228 = −1.486271,
  //   P90 = 0 + 0.7·3.162278 = 2.213594; winsorised z²: 4.9, 1.6, 0, 2.208999 → φ = 2.177250
  //   w = n/0.1: 1000, 4000, 9000, 1000; Σw = 15 000, Σw²/Σw = 99e6/15 000 = 6600
  //   τ² = (4·2.177250 − 3)/(15 000 − 6600) = 5.708999/8400 = 0.000679643
  //   A: √(0.001 + τ²) = 0.0409835, z = 0.1/0.0409835 = 2.44001, hi998 = 0.1 + 3.090232·0.0409835 = 0.226648
  const groups = [
    { key: 'A', n: 100, y: 0.2 },
    { key: 'B', n: 400, y: 0.08 },
    { key: 'C', n: 900, y: 0.1 },
    { key: 'D', n: 100, y: 0.05 },
  ];
  const r = funnel(groups, { kind: 'rate', target: 0.1, minN: 10, method: 'additive' });
  const rows = byKey(r.rows);

  it('φ and τ² as worked by hand', () => {
    expect(r.method).toBe('additive');
    expect(r.phi).toBeCloseTo(2.17725, 5);
    expect(r.tau2).toBeCloseTo(0.000679643, 8);
  });

  it('z and limits use √(s² + τ²); the lower limit of a rate is clipped at 0', () => {
    expect(rows.A.z).toBeCloseTo(2.44001, 4);
    expect(rows.A.hi998).toBeCloseTo(0.226648, 5);
    expect(rows.A.flag).toBeNull();
    const w = Math.sqrt(0.1 / 900 + r.tau2);
    expect(rows.C.lo95).toBeCloseTo(0.1 - Z95 * w, 12);
    expect(rows.C.hi998).toBeCloseTo(0.1 + Z998 * w, 12);
    expect(rows.D.lo998).toBe(0); // 0.1 − 3.090232·0.0409835 = −0.026648
  });

  it('multiplicative is the default and τ² is then 0', () => {
    const m = funnel(groups, { kind: 'rate', target: 0.1, minN: 10 });
    expect(m.method).toBe('multiplicative');
    expect(m.tau2).toBe(0);
    expect(m.phi).toBeCloseTo(r.phi, 12);
    // A: s·√φ = 0.0316228·1.475551 = 0.046661 → z = 2.143
    expect(byKey(m.rows).A.z).toBeCloseTo(0.1 / (Math.sqrt(0.001) * Math.sqrt(m.phi)), 12);
  });

  it('no over-dispersion (Nφ < N − 1) gives τ² = 0 and the plain limits', () => {
    const calm = funnel(
      [
        { key: 'a', n: 100, y: 0.1 },
        { key: 'b', n: 100, y: 0.11 },
        { key: 'c', n: 100, y: 0.09 },
      ],
      { kind: 'rate', target: 0.1, minN: 10, method: 'additive' },
    );
    expect(calm.tau2).toBe(0);
    expect(calm.rows[1].hi998).toBeCloseTo(0.1 + Z998 * Math.sqrt(0.001), 12);
  });

  /**
   * A second implementation: FunnelPlotR's own steps (R/od_adjustment.R: `winsorisation` with R's
   * default type-7 `quantile`, `phi_func`, `tau_func`) transcribed line by line, on untransformed
   * values as DESIGN 6 prescribes (FunnelPlotR transforms proportions by arcsine first; DESIGN does not).
   */
  function funnelPlotR(zs: number[], ss: number[]): { phi: number; tau2: number } {
    const sorted = [...zs].sort((a, b) => a - b);
    const q = (p: number) => {
      const h = (sorted.length - 1) * p;
      const lo = Math.floor(h);
      return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? 0) - sorted[lo]);
    };
    const lz = q(0.1);
    const uz = q(0.9);
    // biome-ignore lint/complexity/useMathMinMax: a line-by-line transcription of R's nested ifelse
    const wz = zs.map((z) => (z < lz ? lz : z > uz ? uz : z));
    const n = zs.length;
    const phi = (1 / n) * wz.reduce((a, z) => a + z * z, 0);
    let tau2: number;
    if (n * phi < n - 1) tau2 = 0;
    else {
      const w = ss.map((s) => 1 / s ** 2);
      const sw = w.reduce((a, x) => a + x, 0);
      tau2 = Math.max(0, (n * phi - (n - 1)) / (sw - w.reduce((a, x) => a + x * x, 0) / sw));
    }
    return { phi, tau2 };
  }

  it('matches FunnelPlotR’s steps on 200 random sets of groups', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let t = 0; t < 200; t++) {
      const k = 3 + Math.floor(rand() * 40);
      const gs = Array.from({ length: k }, (_, i) => {
        const n = 30 + Math.floor(rand() * 3000);
        return { key: `g${i}`, n, y: Math.round(rand() * 0.9 * n) / n };
      });
      const target = 0.05 + rand() * 0.5;
      const got = funnel(gs, { kind: 'proportion', target, minN: 30, method: 'additive' });
      const ss = gs.map((g) => Math.sqrt((target * (1 - target)) / g.n));
      const want = funnelPlotR(
        gs.map((g, i) => (g.y - target) / ss[i]),
        ss,
      );
      expect(got.phi).toBeCloseTo(want.phi, 9);
      expect(got.tau2).toBeCloseTo(want.tau2, 12);
      gs.forEach((g, i) => {
        const width = Math.sqrt(ss[i] ** 2 + want.tau2);
        expect(got.rows[i].z).toBeCloseTo((g.y - target) / width, 9);
        expect(got.rows[i].hi998).toBeCloseTo(Math.min(1, target + Z998 * width), 9);
      });
    }
  });

  it('the curve uses the same τ²', () => {
    const pts = funnelCurve({
      kind: 'rate',
      target: 0.1,
      phi: r.phi,
      method: 'additive',
      tau2: r.tau2,
      nMin: 100,
      nMax: 900,
      count: 2,
    });
    expect(pts[0].hi998).toBeCloseTo(rows.A.hi998 as number, 12);
    expect(pts[1].hi998).toBeCloseTo(rows.C.hi998 as number, 12);
  });
});
