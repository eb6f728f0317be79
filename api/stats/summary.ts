/**
 * Plain descriptive summaries used by DESIGN "Metric definitions" 1 (`mean_days`) and 3 (the
 * coefficient of variation of district medians).
 */

/** Arithmetic mean; null when empty. Non-finite input is rejected rather than poisoning the result. */
export function mean(values: ArrayLike<number>): number | null {
  const n = values.length;
  if (n === 0) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new RangeError(`mean: value at index ${i} is not a finite number (${v})`);
    sum += v;
  }
  return sum / n;
}

/**
 * Sample standard deviation with the n − 1 (Bessel) denominator, two-pass for accuracy
 * (Chan, Golub & LeVeque 1983, "Algorithms for computing the sample variance"). Null for fewer
 * than 2 values.
 */
export function sampleSd(values: ArrayLike<number>): number | null {
  const n = values.length;
  if (n < 2) return null;
  const m = mean(values) as number;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - m) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/**
 * Coefficient of variation = sample sd / mean (DESIGN metric 3, "coefficient of variation of
 * district medians"). The sd uses n − 1: the districts tested are treated as a sample of how the
 * service could be handled, and it matches R's `sd()` and DuckDB's `stddev_samp`, so an analyst
 * re-checking a number in either gets the same value. Null for fewer than 2 values or a zero
 * mean (undefined). The mean's sign is kept; for durations it is positive.
 */
export function coefficientOfVariation(values: number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values) as number;
  if (m === 0) return null;
  return (sampleSd(values) as number) / m;
}
