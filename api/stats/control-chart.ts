/**
 * Shewhart u-chart for a rate of events per unit of varying size (Montgomery, "Introduction to
 * Statistical Quality Control", 8th ed. 2019, §7.3.1): DESIGN "Metric definitions" 8 — monthly
 * complaints per case with 3-sigma limits.
 *
 *   ū = Σc / Σn over points with n > 0;  UCL_t = ū + 3√(ū/n_t);  LCL_t = max(0, ū − 3√(ū/n_t)).
 *
 * A point with n = 0 (no cases that month) has no rate and no limits: its row is all null. With
 * no point having n > 0 the centre is 0 (and every row null).
 */

export interface UChartRow {
  value: number | null;
  ucl: number | null;
  lcl: number | null;
}

export function uChart(points: { n: number; c: number }[]): { center: number; rows: UChartRow[] } {
  let sumC = 0;
  let sumN = 0;
  points.forEach((p, i) => {
    if (!(Number.isFinite(p.n) && p.n >= 0))
      throw new RangeError(`uChart: point ${i} n must be ≥ 0, got ${p.n}`);
    if (!(Number.isFinite(p.c) && p.c >= 0))
      throw new RangeError(`uChart: point ${i} c must be ≥ 0, got ${p.c}`);
    if (p.n > 0) {
      sumC += p.c;
      sumN += p.n;
    }
  });
  const center = sumN > 0 ? sumC / sumN : 0;
  const rows = points.map((p) => {
    if (p.n === 0) return { value: null, ucl: null, lcl: null };
    const spread = 3 * Math.sqrt(center / p.n);
    return { value: p.c / p.n, ucl: center + spread, lcl: Math.max(0, center - spread) };
  });
  return { center, rows };
}
