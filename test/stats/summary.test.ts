import { describe, expect, it } from 'vitest';
import { coefficientOfVariation, mean, sampleSd } from '../../api/stats/summary.ts';

describe('summary', () => {
  it('mean', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean(new Float64Array([0.5]))).toBe(0.5);
    expect(mean([])).toBeNull();
    expect(() => mean([1, Number.POSITIVE_INFINITY])).toThrow(/index 1/);
  });

  it('sample sd and CV, worked by hand', () => {
    // [2,4,4,4,5,5,7,9]: mean 5, Σ(x − 5)² = 9+1+1+1+0+0+4+16 = 32, sd = √(32/7) = 2.138090
    // CV = 2.138090/5 = 0.427618 (with n in the denominator it would be √(32/8)/5 = 0.4)
    const v = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(sampleSd(v)).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(coefficientOfVariation(v)).toBeCloseTo(Math.sqrt(32 / 7) / 5, 14);
    expect(coefficientOfVariation(v)).toBeCloseTo(0.427618, 6);
  });

  it('CV is null for fewer than 2 values or a zero mean', () => {
    expect(coefficientOfVariation([3])).toBeNull();
    expect(coefficientOfVariation([])).toBeNull();
    expect(coefficientOfVariation([-1, 1])).toBeNull();
    expect(coefficientOfVariation([4, 4])).toBe(0);
  });
});
