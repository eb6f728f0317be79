/**
 * The Wilcoxon rank-sum (Mann–Whitney U) test of two independent samples (Wilcoxon 1945; Mann &
 * Whitney 1947; Hollander, Wolfe & Chicken, "Nonparametric Statistical Methods", 3rd ed. 2014, §4.1),
 * as R's `wilcox.test(x, y, exact = FALSE, correct = TRUE)` computes it: the monthly report's test of
 * whether one month's closed-case durations run longer or shorter than the previous month's.
 *
 *   W = Σ ranks of x − n₁(n₁+1)/2          (average ranks for ties; R's statistic "W", Mann–Whitney U of x)
 *   σ² = n₁n₂/12 · ((N+1) − Σ(t³ − t)/(N(N−1)))   (tie-corrected, t the size of each tie group)
 *   z = (W − n₁n₂/2 − ½·sign(W − n₁n₂/2)) / σ      (continuity correction)
 *   p = 2·P(Z > |z|)                               (normal approximation, two-sided)
 *
 * `auc` = W/(n₁n₂) is the probability that a random x exceeds a random y (ties counted half): 0.5 when
 * neither month is slower, the test's own effect size ("common-language effect size").
 */
import { normalSf } from './distributions.ts';

export interface RankSumResult {
  n1: number;
  n2: number;
  /** R's W: the Mann–Whitney U of the first sample. */
  w: number;
  z: number;
  p: number;
  /** W / (n1·n2): P(x > y) + ½·P(x = y). */
  auc: number;
}

/**
 * Null when either sample is empty or every value is tied (nothing to order: σ = 0). Large samples
 * are fine (one sort, O(N log N)); the normal approximation is what R uses for them too (R switches to
 * the exact distribution only below 50 observations without ties).
 */
export function rankSumTest(x: ArrayLike<number>, y: ArrayLike<number>): RankSumResult | null {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return null;
  const total = n1 + n2;
  const values = new Float64Array(total);
  for (let i = 0; i < n1; i++) values[i] = check(x[i], 'x', i);
  for (let i = 0; i < n2; i++) values[n1 + i] = check(y[i], 'y', i);
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b]);

  let rankSumX = 0;
  let tieTerm = 0;
  for (let start = 0; start < total; ) {
    let end = start + 1;
    while (end < total && values[order[end]] === values[order[start]]) end++;
    const t = end - start;
    const avgRank = (start + 1 + end) / 2; // ranks start+1 … end
    for (let k = start; k < end; k++) if (order[k] < n1) rankSumX += avgRank;
    if (t > 1) tieTerm += t * t * t - t;
    start = end;
  }
  const w = rankSumX - (n1 * (n1 + 1)) / 2;
  const variance = ((n1 * n2) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  if (!(variance > 0)) return null;
  const d = w - (n1 * n2) / 2;
  const z = (d - 0.5 * Math.sign(d)) / Math.sqrt(variance);
  return { n1, n2, w, z, p: Math.min(1, 2 * normalSf(Math.abs(z))), auc: w / (n1 * n2) };
}

function check(v: number, name: string, i: number): number {
  if (!Number.isFinite(v)) throw new RangeError(`rankSumTest: ${name}[${i}] is not a finite number (${v})`);
  return v;
}
