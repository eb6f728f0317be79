import { describe, expect, it } from 'vitest';
import { rankSumTest } from '../../api/stats/rank-sum.ts';
import { simpsonTwoSided } from './normal-tail.ts';
import { mulberry32 } from './rng.ts';

describe('Wilcoxon rank-sum (Mann–Whitney), worked by hand', () => {
  it('no ties: x = [1,2,3], y = [4,5,6,7]', () => {
    // Every x below every y: rank sum of x = 1+2+3 = 6, W = 6 − 3·4/2 = 0.
    // E[W] = 3·4/2 = 6; σ² = 12/12 · (8 − 0) = 8; z = (0 − 6 + 0.5)/√8 = −1.944544
    // R: wilcox.test(1:3, 4:7, exact = FALSE) → W = 0, p-value = 0.05183
    const r = rankSumTest([1, 2, 3], [4, 5, 6, 7]);
    expect(r?.w).toBe(0);
    expect(r?.z).toBeCloseTo(-5.5 / Math.sqrt(8), 12);
    expect(r?.p).toBeCloseTo(simpsonTwoSided(-5.5 / Math.sqrt(8)), 10);
    expect(r?.p).toBeCloseTo(0.05183, 5);
    expect(r?.auc).toBe(0);
  });

  it('ties: x = [1,2,2], y = [2,3,4]', () => {
    // Pooled sorted: 1(x)=1, 2(x),2(x),2(y) = ranks 2,3,4 → 3 each, 3(y)=5, 4(y)=6.
    // Rank sum of x = 1 + 3 + 3 = 7, W = 7 − 6 = 1; E[W] = 4.5, W − E = −3.5.
    // Ties: one group of 3 → Σ(t³ − t) = 24; σ² = 9/12 · (7 − 24/(6·5)) = 0.75 · 6.2 = 4.65
    // z = (−3.5 + 0.5)/√4.65 = −1.391215
    const r = rankSumTest([1, 2, 2], [2, 3, 4]);
    expect(r?.w).toBe(1);
    expect(r?.z).toBeCloseTo(-3 / Math.sqrt(4.65), 12);
    expect(r?.p).toBeCloseTo(simpsonTwoSided(-3 / Math.sqrt(4.65)), 10);
    expect(r?.auc).toBeCloseTo(1 / 9, 12);
  });

  it('the order of the samples flips the sign and keeps p', () => {
    const a = rankSumTest([1, 2, 2], [2, 3, 4]);
    const b = rankSumTest([2, 3, 4], [1, 2, 2]);
    expect(b?.w).toBe(8); // n1·n2 − W
    expect(b?.z).toBeCloseTo(-(a?.z ?? 0), 12);
    expect(b?.p).toBeCloseTo(a?.p ?? -1, 12);
  });

  it('W equals the pairwise count of x > y (ties half) on random samples with ties', () => {
    const rnd = mulberry32(42);
    for (let trial = 0; trial < 20; trial++) {
      const x = Array.from({ length: 5 + Math.floor(rnd() * 60) }, () => Math.floor(rnd() * 15));
      const y = Array.from({ length: 5 + Math.floor(rnd() * 60) }, () => Math.floor(rnd() * 15));
      let u = 0;
      for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
      const r = rankSumTest(x, y);
      expect(r?.w).toBeCloseTo(u, 9);
      // σ² from the tie groups counted directly
      const counts = new Map<number, number>();
      for (const v of [...x, ...y]) counts.set(v, (counts.get(v) ?? 0) + 1);
      let ties = 0;
      for (const t of counts.values()) ties += t ** 3 - t;
      const n = x.length + y.length;
      const sd = Math.sqrt(((x.length * y.length) / 12) * (n + 1 - ties / (n * (n - 1))));
      const d = u - (x.length * y.length) / 2;
      expect(r?.z).toBeCloseTo((d - 0.5 * Math.sign(d)) / sd, 9);
    }
  });

  it('empty samples or all values tied → null; non-finite values are refused', () => {
    expect(rankSumTest([], [1, 2])).toBeNull();
    expect(rankSumTest([3, 3], [3, 3, 3])).toBeNull();
    expect(() => rankSumTest([1, Number.NaN], [2])).toThrow(/x\[1\]/);
  });
});
