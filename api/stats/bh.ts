/**
 * Benjamini–Hochberg adjusted p-values ("q-values") — Benjamini & Hochberg 1995, "Controlling
 * the false discovery rate", JRSS B 57:289–300; the adjusted form as in R `p.adjust(method =
 * "BH")` (Yekutieli & Benjamini 1999). DESIGN "Metric definitions" 6: q-values across the groups
 * of one signal, so a list of flagged offices carries its expected share of false alarms.
 *
 * With m valid p-values sorted ascending p_(1) ≤ … ≤ p_(m):
 *   q_(i) = min_{j ≥ i} min(1, p_(j) · m / j)
 * (step-up; the running minimum from the top keeps q monotone in p).
 */

/**
 * Same order as the input. Null, NaN or undefined p gives a null q and does not count towards
 * m; a number outside [0, 1] is an error in the caller, so it throws.
 */
export function bhQValues(p: (number | null)[]): (number | null)[] {
  const idx: number[] = [];
  p.forEach((v, i) => {
    if (v == null || Number.isNaN(v)) return;
    if (!(v >= 0 && v <= 1)) throw new RangeError(`bhQValues: p at index ${i} must be in [0, 1], got ${v}`);
    idx.push(i);
  });
  const m = idx.length;
  idx.sort((a, b) => (p[a] as number) - (p[b] as number));
  const q: (number | null)[] = p.map(() => null);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = idx[rank - 1];
    running = Math.min(running, ((p[i] as number) * m) / rank);
    q[i] = running;
  }
  return q;
}
