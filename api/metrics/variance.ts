/**
 * DESIGN 3: variance between districts for one service. Per district: n, median, q1, q3, p10, p90
 * of closed cases (quantile_cont). Across the districts with at least min_n closed cases:
 * Kruskal–Wallis H with average ranks for ties and the tie correction, computed in SQL from
 * per-value counts (so no case-level rows leave DuckDB):
 *   rank of a value v with c ties and b smaller values = b + (c + 1) / 2,
 *   H = [12 / (N(N+1)) · Σ Rᵢ² / nᵢ − 3(N+1)] / [1 − Σ(c³ − c) / (N³ − N)],
 * df = k − 1, p from chi-square, ε² = H(N+1)/(N²−1); the slowest/fastest median ratio and the CV
 * (sample sd / mean) of the tested districts' medians.
 */
import type { Db } from '../db.ts';
import type { Filters } from '../filters.ts';
import { chiSquareSf, coefficientOfVariation } from '../stats/index.ts';
import { factsCte, num } from './base.ts';
import type { Labels } from './labels.ts';

export interface KruskalWallis {
  h: number;
  df: number;
  p_value: number;
  epsilon_squared: number;
  n: number;
}

export async function variance(db: Db, f: Filters, asOfS: number | null, minN: number, labels: Labels) {
  const facts = factsCte(f, asOfS);
  const params = { ...facts.params, min_n: minN };
  const [districts, ranks, ties] = await Promise.all([
    db.all<Record<string, unknown>>(
      `WITH ${facts.sql}
       SELECT district, count(*)::INTEGER AS n, quantile_cont(dur, [0.1, 0.25, 0.5, 0.75, 0.9]) AS q
       FROM facts WHERE dur IS NOT NULL GROUP BY district ORDER BY district`,
      facts.params,
    ),
    db.all<{ district: number; n: number; r: number }>(
      `WITH ${facts.sql}, ${testedCte}
       SELECT t.district, count(*)::DOUBLE AS n, sum(coalesce(r.before, 0) + (r.c + 1) / 2.0)::DOUBLE AS r
       FROM t JOIN r ON r.dur = t.dur GROUP BY t.district`,
      params,
    ),
    db.one<{ tie: number | null }>(
      `WITH ${facts.sql}, ${testedCte} SELECT sum(c * c * c - c)::DOUBLE AS tie FROM v`,
      params,
    ),
  ]);
  const rows = districts.map((d) => {
    const q = (d.q as number[] | null) ?? [];
    const n = Number(d.n);
    const label = labels.district(Number(d.district));
    return {
      district: Number(d.district),
      label: label.fa,
      label_en: label.en,
      n,
      median_days: num(q[2]),
      q1_days: num(q[1]),
      q3_days: num(q[3]),
      p10_days: num(q[0]),
      p90_days: num(q[4]),
      tested: n >= minN && n > 0,
    };
  });
  const tested = rows.filter((r) => r.tested && r.median_days !== null);
  const medians = tested.map((r) => r.median_days as number);
  let slowest: { district: number; median_days: number } | null = null;
  let fastest: { district: number; median_days: number } | null = null;
  for (const r of tested) {
    const m = r.median_days as number;
    if (!slowest || m > slowest.median_days) slowest = { district: r.district, median_days: m };
    if (!fastest || m < fastest.median_days) fastest = { district: r.district, median_days: m };
  }
  return {
    min_n: minN,
    districts: rows,
    kruskal_wallis: kruskalFromRanks(
      ranks.map((r) => ({ n: Number(r.n), r: Number(r.r) })),
      Number(ties?.tie ?? 0),
    ),
    ratio_max_min:
      slowest && fastest && fastest.median_days > 0 ? slowest.median_days / fastest.median_days : null,
    cv_medians: medians.length >= 2 ? coefficientOfVariation(medians) : null,
    slowest,
    fastest,
  };
}

/** Tested districts' closed durations (t), their distinct values with counts (v) and cumulative ranks (r). */
const testedCte = `t AS (
    SELECT district, dur FROM facts
    WHERE dur IS NOT NULL AND district IN (
      SELECT district FROM facts WHERE dur IS NOT NULL GROUP BY district HAVING count(*) >= greatest($min_n, 1))),
  v AS (SELECT dur, count(*)::DOUBLE AS c FROM t GROUP BY dur),
  r AS (SELECT dur, c, sum(c) OVER (ORDER BY dur ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before FROM v)`;

export function kruskalFromRanks(groups: { n: number; r: number }[], tieSum: number): KruskalWallis | null {
  const k = groups.length;
  if (k < 2) return null;
  const total = groups.reduce((s, g) => s + g.n, 0);
  const correction = 1 - tieSum / (total ** 3 - total);
  if (!(correction > 0)) return null; // every value tied: no ordering to compare
  const sumSq = groups.reduce((s, g) => s + (g.r * g.r) / g.n, 0);
  const h = ((12 / (total * (total + 1))) * sumSq - 3 * (total + 1)) / correction;
  const df = k - 1;
  return {
    h,
    df,
    p_value: chiSquareSf(h, df),
    epsilon_squared: (h * (total + 1)) / (total * total - 1),
    n: total,
  };
}
