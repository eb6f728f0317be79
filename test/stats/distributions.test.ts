import { describe, expect, it } from 'vitest';
import {
  chiSquareSf,
  lnGamma,
  normalCdf,
  normalQuantile,
  normalSf,
  twoSidedP,
} from '../../api/stats/distributions.ts';
import { simpsonTail } from './normal-tail.ts';

/** |got − want| ≤ rel·|want|. */
function expectRel(got: number, want: number, rel: number): void {
  expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.abs(want));
}

describe('chiSquareSf', () => {
  it('matches printed critical-value tables (e.g. Abramowitz & Stegun table 26.8)', () => {
    expect(chiSquareSf(3.841459, 1)).toBeCloseTo(0.05, 7);
    expect(chiSquareSf(9.487729, 4)).toBeCloseTo(0.05, 7);
    expect(chiSquareSf(23.209251, 10)).toBeCloseTo(0.01, 7);
    expect(chiSquareSf(32.6706, 21)).toBeCloseTo(0.05, 5); // 22 districts → df 21
    expect(chiSquareSf(124.342, 100)).toBeCloseTo(0.05, 5);
  });

  it('equals the closed forms for even df, including far in the tail', () => {
    // Q(1, x/2) = e^(−x/2); Q(2, x/2) = e^(−x/2)(1 + x/2); Q(3, x/2) = e^(−x/2)(1 + x/2 + (x/2)²/2)
    for (const x of [1e-6, 0.3, 2, 5, 17.5, 60, 200, 1200]) {
      const h = x / 2;
      expectRel(chiSquareSf(x, 2), Math.exp(-h), 1e-10);
      expectRel(chiSquareSf(x, 4), Math.exp(-h) * (1 + h), 1e-10);
      expectRel(chiSquareSf(x, 6), Math.exp(-h) * (1 + h + (h * h) / 2), 1e-10);
    }
  });

  it('edges and bad input', () => {
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(-1, 3)).toBe(1);
    expect(chiSquareSf(Number.POSITIVE_INFINITY, 3)).toBe(0);
    expect(() => chiSquareSf(1, 0)).toThrow(/df/);
    expect(() => chiSquareSf(Number.NaN, 2)).toThrow(/NaN/);
  });
});

describe('normal distribution', () => {
  it('normalSf at the DESIGN constants and far in the tail', () => {
    expect(normalSf(1.959964)).toBeCloseTo(0.025, 8);
    expect(twoSidedP(3.090232)).toBeCloseTo(0.002, 8);
    expect(twoSidedP(-3.090232)).toBeCloseTo(0.002, 8);
    // R: pnorm(8, lower.tail = FALSE) = 6.220960574271784e-16 — 1 − Φ(8) would round to 0 or 1.1e-16.
    expectRel(normalSf(8), 6.220960574271784e-16, 1e-10);
    // R: pnorm(c(1, 3, 5), lower.tail = FALSE)
    expectRel(normalSf(1), 0.15865525393145705, 1e-12);
    expectRel(normalSf(3), 0.0013498980316301, 1e-10);
    expectRel(normalSf(5), 2.866515718791939e-7, 1e-10);
    expect(normalSf(0)).toBe(0.5);
    expect(twoSidedP(0)).toBe(1);
  });

  it('agrees with numerical integration of the density', () => {
    for (const z of [-3, -1.2, -0.1, 0.4, 1.5, 2.5, 4, 6.5]) {
      expectRel(normalSf(z), simpsonTail(z), 1e-10);
      expectRel(normalCdf(-z), simpsonTail(z), 1e-10);
    }
  });

  it('normalQuantile: published values, symmetry and round trip', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 6);
    // R: qnorm(0.975), qnorm(0.999), qnorm(1e-10)
    expectRel(normalQuantile(0.975), 1.959963984540054, 1e-13);
    expectRel(normalQuantile(0.999), 3.090232306167813, 1e-13);
    expectRel(normalQuantile(1e-10), -6.361340902404056, 1e-12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.2)).toBeCloseTo(-normalQuantile(0.8), 14);
    for (const p of [1e-12, 0.001, 0.02, 0.3, 0.6, 0.97, 0.999999]) {
      expectRel(normalCdf(normalQuantile(p)), p, 1e-12);
    }
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(1.2)).toThrow(/\[0, 1\]/);
  });

  it('lnGamma against factorials and Γ(1/2) = √π', () => {
    let fact = 1;
    for (let n = 1; n <= 30; n++) {
      fact *= n;
      expectRel(lnGamma(n + 1), Math.log(fact), 1e-14);
    }
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 14);
    expect(lnGamma(1)).toBeCloseTo(0, 14);
  });
});
