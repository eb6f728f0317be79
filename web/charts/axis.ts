/**
 * Where a value axis starts and ends. A count or a rate near zero starts at zero; a quantity that
 * stays far from zero (monthly medians of 3 ± 0.5 days) gets an axis that starts where the data do,
 * or its movement is a flat line. Limits are rounded to a readable step (1, 2 or 5 × 10ⁿ).
 */

/** True when zero is close enough to the data that the axis should include it. */
export function startsAtZero(min: number, max: number): boolean {
  return min >= 0 && min <= 0.4 * max;
}

/** A readable step for about `ticks` intervals over `span`. */
export function niceStep(span: number, ticks = 5): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / ticks;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/**
 * The axis range for `values` (nulls and non-finite values ignored): from zero when zero is near,
 * else from a step below the smallest value; `floor`/`ceil` clamp it (a share lives in 0–100%).
 * Undefined ends when there is nothing to scale to (ECharts then decides).
 */
export function valueRange(
  values: readonly (number | null | undefined)[],
  clamp: { floor?: number; ceil?: number } = {},
): { min?: number; max?: number } {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return {};
  let lo = Math.min(...xs);
  let hi = Math.max(...xs);
  if (lo === hi) {
    const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const zero = startsAtZero(lo, hi);
  const step = niceStep(hi - (zero ? 0 : lo));
  let min = zero ? 0 : Math.floor(lo / step) * step;
  let max = Math.ceil(hi / step) * step;
  if (clamp.floor !== undefined) min = Math.max(clamp.floor, min);
  if (clamp.ceil !== undefined) max = Math.min(clamp.ceil, max);
  return { min, max };
}
