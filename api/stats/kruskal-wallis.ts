/**
 * Kruskal–Wallis one-way analysis of variance on ranks (Kruskal & Wallis 1952, JASA 47:583–621;
 * Hollander, Wolfe & Chicken, "Nonparametric Statistical Methods", 3rd ed. 2014, §6.1) for
 * DESIGN "Metric definitions" 3: are the processing times of one service distributed alike
 * across districts?
 *
 *   H = 12 / (N(N+1)) · Σ n_i (R̄_i − (N+1)/2)²  ÷  (1 − Σ(t³ − t) / (N³ − N))
 *
 * with average ranks for ties and t the size of each tie group; df = k − 1; p from the
 * chi-square upper tail (large-sample approximation, as R `kruskal.test`). The centred form of H
 * is algebraically the textbook 12/(N(N+1))·Σ R_i²/n_i − 3(N+1) but does not lose digits to
 * cancellation when N is large.
 *
 * Effect size ε² = H(N+1)/(N²−1) = H/(N−1) (Tomczak & Tomczak 2014, "The need to report effect
 * size estimates revisited", Trends in Sport Sciences 21:19–25), DESIGN's H(n+1)/(n²−1) with
 * n = N, the observations of the tested groups.
 */
import { chiSquareSf } from './distributions.ts';

export interface KruskalWallisResult {
  h: number;
  df: number;
  p_value: number;
  epsilon_squared: number;
  n: number;
}

/**
 * Groups with no observations are ignored (the caller has already dropped groups below
 * `min_n`). Null when fewer than 2 groups remain, or when every observation is tied — then there
 * is no ordering to compare and H is 0/0.
 */
export function kruskalWallis(groups: number[][]): KruskalWallisResult | null {
  const used = groups.filter((g) => g.length > 0);
  const k = used.length;
  if (k < 2) return null;
  let total = 0;
  for (const g of used) total += g.length;
  const values = new Float64Array(total);
  const groupOf = new Int32Array(total);
  let at = 0;
  used.forEach((g, gi) => {
    g.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        throw new RangeError(`kruskalWallis: group ${gi} value at index ${i} is not a finite number (${v})`);
      }
      values[at] = v;
      groupOf[at] = gi;
      at++;
    });
  });
  const order = Array.from({ length: total }, (_, i) => i).sort((a, b) => values[a] - values[b]);

  const rankSum = new Float64Array(k);
  let tieTerm = 0;
  for (let start = 0; start < total; ) {
    let end = start + 1;
    while (end < total && values[order[end]] === values[order[start]]) end++;
    const t = end - start;
    const avgRank = (start + 1 + end) / 2; // ranks start+1 … end
    for (let i = start; i < end; i++) rankSum[groupOf[order[i]]] += avgRank;
    if (t > 1) tieTerm += t * t * t - t;
    start = end;
  }

  const n = total;
  const correction = 1 - tieTerm / (n * n * n - n);
  if (correction <= 0) return null;
  const centre = (n + 1) / 2;
  let spread = 0;
  used.forEach((g, gi) => {
    const d = rankSum[gi] / g.length - centre;
    spread += g.length * d * d;
  });
  const h = ((12 / (n * (n + 1))) * spread) / correction;
  const df = k - 1;
  return { h, df, p_value: chiSquareSf(h, df), epsilon_squared: (h * (n + 1)) / (n * n - 1), n };
}
