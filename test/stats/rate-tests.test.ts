import { describe, expect, it } from 'vitest';
import { binomTestP, poissonRateTest, twoProportionTest } from '../../api/stats/rate-tests.ts';
import { simpsonTwoSided } from './normal-tail.ts';

/** Binomial probabilities by the multiplicative recurrence (nothing shared with the code's log-gamma). */
function pmfs(n: number, p: number): number[] {
  const out = [(1 - p) ** n];
  for (let k = 1; k <= n; k++) out.push((out[k - 1] * (n - k + 1) * p) / (k * (1 - p)));
  return out;
}

describe('exact binomial test, two-sided as R computes it', () => {
  it('symmetric: 2 of 10 at p = 0.5 → 2·(1 + 10 + 45)/1024', () => {
    expect(binomTestP(2, 10, 0.5)).toBeCloseTo(112 / 1024, 12);
  });

  it('asymmetric: 4 of 5 at p = 0.3 → P(4) + P(5), the outcomes no likelier than 4', () => {
    // P(k) for n = 5, p = 0.3: .16807 .36015 .3087 .1323 .02835 .00243; P(4) = .02835, only P(5) is smaller.
    expect(binomTestP(4, 5, 0.3)).toBeCloseTo(0.02835 + 0.00243, 12);
    // 1 of 5 is the most likely outcome but one: every outcome is at most as likely → 1
    expect(binomTestP(1, 5, 0.3)).toBeCloseTo(1, 12);
  });

  it('agrees with the recurrence on a larger case', () => {
    const n = 300;
    const p = 0.37;
    const x = 90;
    const f = pmfs(n, p);
    const expected = f.filter((v) => v <= f[x] * (1 + 1e-7)).reduce((s, v) => s + v, 0);
    expect(binomTestP(x, n, p)).toBeCloseTo(expected, 10);
  });

  it('refuses impossible counts', () => {
    expect(() => binomTestP(6, 5, 0.3)).toThrow(/x ≤ n/);
    expect(() => binomTestP(1, 5, 1.3)).toThrow(/p must/);
  });
});

describe('two Poisson rates (R poisson.test with two samples)', () => {
  it("R's documented example: 11 events in 800 against 21 in 3011 person-years", () => {
    // ?poisson.test: poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878))
    // → rate ratio 1.971488, p-value = 0.07967
    const r = poissonRateTest(11, 800, 21, 3011);
    expect(r?.ratio).toBeCloseTo(11 / 800 / (21 / 3011), 12);
    expect(r?.ratio).toBeCloseTo(1.971488, 6);
    expect(r?.p).toBeCloseTo(0.07967, 5);
    const f = pmfs(32, 800 / 3811);
    expect(r?.p).toBeCloseTo(
      f.filter((v) => v <= f[11] * (1 + 1e-7)).reduce((s, v) => s + v, 0),
      12,
    );
  });

  it('no exposure → null; no events in the second period → ratio null', () => {
    expect(poissonRateTest(3, 0, 2, 10)).toBeNull();
    expect(poissonRateTest(3, 10, 0, 10)?.ratio).toBeNull();
  });
});

describe('two proportions (R prop.test, correct = FALSE)', () => {
  it('30/100 against 20/100', () => {
    // pooled 0.25; se = √(0.25·0.75·(1/100 + 1/100)) = √0.00375 = 0.0612372; z = 0.1/se = 1.632993
    const r = twoProportionTest(30, 100, 20, 100);
    expect(r?.difference).toBeCloseTo(0.1, 12);
    expect(r?.z).toBeCloseTo(0.1 / Math.sqrt(0.00375), 12);
    expect(r?.p).toBeCloseTo(simpsonTwoSided(0.1 / Math.sqrt(0.00375)), 10);
    expect(r?.p).toBeCloseTo(0.1025, 4);
  });

  it('an empty group or a pooled proportion of 0 or 1 → null', () => {
    expect(twoProportionTest(0, 0, 1, 10)).toBeNull();
    expect(twoProportionTest(0, 10, 0, 10)).toBeNull();
    expect(twoProportionTest(10, 10, 5, 5)).toBeNull();
  });
});
