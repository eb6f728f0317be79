import { describe, expect, it } from 'vitest';
import { kruskalWallis } from '../../api/stats/kruskal-wallis.ts';
import { mulberry32, randomInts } from './rng.ts';

describe('Kruskal–Wallis, worked by hand', () => {
  it('3 groups, one tie', () => {
    // A = [1.2, 3.4], B = [2.5, 3.4, 5.0], C = [0.7, 4.1]; N = 7.
    // Pooled, sorted: 0.7(C)=1, 1.2(A)=2, 2.5(B)=3, 3.4(A)=3.4(B)=(4+5)/2=4.5, 4.1(C)=6, 5.0(B)=7
    // R_A = 2 + 4.5 = 6.5, R_B = 3 + 4.5 + 7 = 14.5, R_C = 1 + 6 = 7
    // Σ R²/n = 6.5²/2 + 14.5²/3 + 7²/2 = 21.125 + 70.08333 + 24.5 = 115.70833
    // H₀ = 12/(7·8)·115.70833 − 3·8 = 1388.5/56 − 24 = 44.5/56 = 0.794643
    // one tie of size 2: C = 1 − (2³ − 2)/(7³ − 7) = 1 − 6/336 = 330/336
    // H = (44.5/56)·(336/330) = 267/330 = 0.8090909
    // df = 2, p = e^(−H/2) (chi-square with 2 df) = e^(−0.4045455) = 0.667289
    // ε² = H(N+1)/(N²−1) = 0.8090909·8/48 = 0.1348485
    const r = kruskalWallis([
      [1.2, 3.4],
      [2.5, 3.4, 5.0],
      [0.7, 4.1],
    ]);
    expect(r).not.toBeNull();
    expect(r?.h).toBeCloseTo(267 / 330, 12);
    expect(r?.df).toBe(2);
    expect(r?.n).toBe(7);
    expect(r?.p_value).toBeCloseTo(Math.exp(-267 / 330 / 2), 12);
    expect(r?.epsilon_squared).toBeCloseTo(((267 / 330) * 8) / 48, 12);
  });

  it('empty groups are ignored; fewer than 2 groups or all values tied → null', () => {
    expect(kruskalWallis([[1, 2, 3]])).toBeNull();
    expect(kruskalWallis([[1, 2, 3], []])).toBeNull();
    expect(kruskalWallis([])).toBeNull();
    expect(kruskalWallis([[4, 4], [4]])).toBeNull();
    // Two singletons: ranks 1 and 2, H = 12/(2·3)·(1·0.5² + 1·0.5²) = 1, df = 1.
    const r = kruskalWallis([[], [10], [20], []]);
    expect(r?.h).toBeCloseTo(1, 14);
    expect(r?.df).toBe(1);
  });

  it('rejects non-finite values', () => {
    expect(() => kruskalWallis([[1, Number.NaN], [2]])).toThrow(/group 0 value at index 1/);
  });
});

describe('Kruskal–Wallis, published example: R kruskal.test(Ozone ~ Month, data = airquality)', () => {
  // New York air quality, May–September 1973 (Chambers et al. 1983, "Graphical Methods for Data
  // Analysis"; R datasets::airquality), NA rows dropped: 116 values. R's documented output:
  //   Kruskal-Wallis chi-squared = 29.267, df = 4, p-value = 6.901e-06
  const ozone = [
    [41, 36, 12, 18, 28, 23, 19, 8, 7, 16, 11, 14, 18, 14, 34, 6, 30, 11, 1, 11, 4, 32, 23, 45, 115, 37],
    [29, 71, 39, 23, 21, 37, 20, 12, 13],
    [135, 49, 32, 64, 40, 77, 97, 97, 85, 10, 27, 7, 48, 35, 61, 79, 63, 16, 80, 108, 20, 52, 82, 50, 64, 59],
    [
      39, 9, 16, 78, 35, 66, 122, 89, 110, 44, 28, 65, 22, 59, 23, 31, 44, 21, 9, 45, 168, 73, 76, 118, 84,
      85,
    ],
    [
      96, 78, 73, 91, 47, 32, 20, 23, 21, 24, 44, 21, 28, 9, 13, 46, 18, 13, 24, 16, 13, 23, 36, 7, 14, 30,
      14, 18, 20,
    ],
  ];

  it('H, df, p as R reports', () => {
    // Sanity on the transcription: 116 values with mean 42.12931 (R: mean(airquality$Ozone, na.rm = TRUE)).
    const all = ozone.flat();
    expect(all).toHaveLength(116);
    expect(all.reduce((a, b) => a + b, 0) / 116).toBeCloseTo(42.12931, 5);
    const r = kruskalWallis(ozone);
    expect(r?.h).toBeCloseTo(29.267, 3);
    expect(r?.df).toBe(4);
    expect(r?.n).toBe(116);
    expect(Math.abs((r?.p_value as number) - 6.901e-6)).toBeLessThan(0.0005e-6);
    // ε² = H/(N − 1) = 29.267/115 ≈ 0.2545
    expect(r?.epsilon_squared).toBeCloseTo(29.267 / 115, 4);
  });
});

describe('Kruskal–Wallis against a brute-force second implementation', () => {
  /** O(N²) average ranks, textbook H = 12/(N(N+1))·Σ R²/n − 3(N+1), tie factor from counting. */
  function bruteH(groups: number[][]): number {
    const all = groups.flat();
    const N = all.length;
    const rank = (x: number) => all.filter((y) => y < x).length + (all.filter((y) => y === x).length + 1) / 2;
    let sum = 0;
    for (const g of groups) {
      const R = g.reduce((a, x) => a + rank(x), 0);
      sum += (R * R) / g.length;
    }
    const h0 = (12 / (N * (N + 1))) * sum - 3 * (N + 1);
    let ties = 0;
    for (const x of new Set(all)) {
      const t = all.filter((y) => y === x).length;
      ties += t ** 3 - t;
    }
    return h0 / (1 - ties / (N ** 3 - N));
  }

  it('random groups with many ties agree to 1e-9', () => {
    const rand = mulberry32(1952);
    for (let trial = 0; trial < 60; trial++) {
      const k = 2 + Math.floor(rand() * 5);
      const groups = Array.from({ length: k }, () => randomInts(rand, 1 + Math.floor(rand() * 25), 12));
      const r = kruskalWallis(groups);
      expect(r).not.toBeNull();
      const h = bruteH(groups);
      expect(Math.abs((r?.h as number) - h)).toBeLessThan(1e-9 * Math.max(1, h));
      expect(r?.df).toBe(k - 1);
    }
  });
});
