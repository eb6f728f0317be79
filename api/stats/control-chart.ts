/**
 * Shewhart u-chart for a rate of events per unit of varying size (Montgomery, "Introduction to
 * Statistical Quality Control", 8th ed. 2019, §7.3.1): DESIGN "Metric definitions" 8 — monthly
 * complaints per case with 3-sigma limits.
 *
 *   ū = Σc / Σn over full points with n > 0;  UCL_t = ū + 3√(ū/n_t);  LCL_t = max(0, ū − 3√(ū/n_t)).
 *
 * A point with n = 0 (no cases that month) has no rate and no limits: its row is all null. With
 * no point having n > 0 the centre is 0 (and every row null).
 *
 * A `partial` point (a month the data covers only in part: DESIGN 8) takes no part in ū and is
 * never flagged; it still gets its value and the limits at its n, so a chart can draw it apart.
 * `flag` is 'above'/'below' for a full point outside its limits (strictly), else null.
 */

export interface UChartRow {
  value: number | null;
  ucl: number | null;
  lcl: number | null;
  flag: 'above' | 'below' | null;
}

export function uChart(points: { n: number; c: number; partial?: boolean }[]): {
  center: number;
  rows: UChartRow[];
} {
  let sumC = 0;
  let sumN = 0;
  points.forEach((p, i) => {
    if (!(Number.isFinite(p.n) && p.n >= 0))
      throw new RangeError(`uChart: point ${i} n must be ≥ 0, got ${p.n}`);
    if (!(Number.isFinite(p.c) && p.c >= 0))
      throw new RangeError(`uChart: point ${i} c must be ≥ 0, got ${p.c}`);
    if (p.n > 0 && !p.partial) {
      sumC += p.c;
      sumN += p.n;
    }
  });
  const center = sumN > 0 ? sumC / sumN : 0;
  const rows = points.map((p) => {
    if (p.n === 0) return { value: null, ucl: null, lcl: null, flag: null };
    const spread = 3 * Math.sqrt(center / p.n);
    const value = p.c / p.n;
    const ucl = center + spread;
    const lcl = Math.max(0, center - spread);
    const flag: UChartRow['flag'] = p.partial ? null : value > ucl ? 'above' : value < lcl ? 'below' : null;
    return { value, ucl, lcl, flag };
  });
  return { center, rows };
}
