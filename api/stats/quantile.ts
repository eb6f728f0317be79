/**
 * Linear-interpolated sample quantiles, Hyndman & Fan (1996) "Sample quantiles in statistical
 * packages", The American Statistician 50(4), definition 7 — the R default and DuckDB's
 * `quantile_cont`. DESIGN "Metric definitions" 1 and 3 (median, p90, q1, q3) and 6 (the
 * winsorisation percentiles) all say "linear-interpolated", so the TypeScript side and the SQL
 * side must agree on this one definition.
 */

function checkProbability(q: number): void {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be a number in [0, 1], got ${q}`);
}

/**
 * Type-7 quantile of an ascending, NaN-free array: h = (n − 1)·q, result
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). Null when empty. The order is trusted, not checked,
 * so callers can take several quantiles of one sorted array without re-sorting.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  checkProbability(q);
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const frac = h - lo;
  const a = sorted[lo];
  // Written as a + frac·(b − a), the form DuckDB uses, so equal neighbours give exactly a.
  return frac === 0 ? a : a + frac * (sorted[hi] - a);
}

/** Ascending copy as a Float64Array; rejects non-finite values with a clear message. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v))
      throw new RangeError(`quantile: value at index ${i} is not a finite number (${v})`);
    out[i] = v;
  }
  return out.sort();
}

/** Type-7 quantile of unsorted values (sorts a copy; the input is left alone). Null when empty. */
export function quantile(values: number[], q: number): number | null {
  checkProbability(q);
  return quantileSorted(sortedCopy(values), q);
}

/** Type-7 median: the middle value, or the mean of the two middle values. Null when empty. */
export function median(values: number[]): number | null {
  return quantile(values, 0.5);
}
