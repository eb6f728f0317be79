/**
 * DESIGN 3: variance between districts for one service. Per district: n, median, q1, q3, p10, p90
 * of closed cases (quantile_cont). Across the districts with at least min_n closed cases:
 * Kruskal–Wallis H with average ranks for ties and the tie correction, computed in SQL from
 * per-value counts (so no case-level rows leave DuckDB):
 *   rank of a value v with c ties and b smaller values = b + (c + 1) / 2,
 *   H = [12 / (N(N+1)) · Σ Rᵢ² / nᵢ − 3(N+1)] / [1 − Σ(c³ − c) / (N³ − N)],
 * df = k − 1, p from chi-square, ε² = H(N+1)/(N²−1); the slowest/fastest median ratio and the CV
 * (sample sd / mean) of the tested districts' medians.
 *
 * `city` is the same summary over every district's closed cases together (the city-wide reference, as
 * the funnel's target is): an inspector, who sees only their own districts, compares with it.
 *
 * Served by GET /api/variance (api/routes/variance.ts); shown on the districts view as a box plot
 * (web/views/Districts.tsx, web/charts/boxplot.ts) with its reading in words (web/lib/varianceWords.ts).
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { cityWide, factsCte, filterShape } from '../filters.ts';
import { num } from '../lib/sql.ts';
import { FormatParam, intParam, MAX_PARAM_LENGTH, query } from '../params.ts';
import { chiSquareSf, coefficientOfVariation } from '../stats/index.ts';

export const VarianceQuery = query({
  ...filterShape,
  service: z
    .string()
    .min(1, 'service is required')
    .max(MAX_PARAM_LENGTH)
    .openapi({ description: 'Service code' }),
  min_n: intParam(
    'min_n',
    0,
    1_000_000,
    'Districts with fewer closed cases are listed but not tested',
  ).default(20),
  format: FormatParam,
});

const days = z.number().nullable();
const KruskalWallisSchema = z.object({
  h: z.number(),
  df: z.number(),
  p_value: z.number(),
  epsilon_squared: z.number(),
  n: z.number(),
});
export type KruskalWallis = z.output<typeof KruskalWallisSchema>;

const SummarySchema = z.object({
  n: z.number(),
  median_days: days,
  q1_days: days,
  q3_days: days,
  p10_days: days,
  p90_days: days,
});

const Extreme = z.object({ district: z.number(), median_days: z.number() }).nullable();
export const VarianceSchema = z.object({
  service: z.string(),
  min_n: z.number(),
  districts: z.array(
    z.object({
      district: z.number(),
      label: z.string(),
      label_en: z.string(),
      n: z.number(),
      median_days: days,
      q1_days: days,
      q3_days: days,
      p10_days: days,
      p90_days: days,
      tested: z.boolean(),
    }),
  ),
  city: SummarySchema.openapi({
    description: "All districts' closed cases together (city-wide whatever the user's districts)",
  }),
  kruskal_wallis: KruskalWallisSchema.nullable(),
  ratio_max_min: z.number().nullable(),
  cv_medians: z.number().nullable(),
  slowest: Extreme,
  fastest: Extreme,
});
export type VarianceAnswer = z.output<typeof VarianceSchema>;

/** The districts' closed-case durations for the service in `ctx.f` (the route requires one). */
export async function variance(ctx: RequestContext, q: { min_n: number }): Promise<VarianceAnswer> {
  const minN = q.min_n;
  const facts = factsCte(ctx.f);
  const params = { ...facts.params, min_n: minN };
  const city = factsCte(cityWide(ctx.f));
  const [districts, ranks, ties, cityRow] = await Promise.all([
    ctx.db.all<Record<string, unknown>>(
      `WITH ${facts.sql}
       SELECT district, count(*)::INTEGER AS n, quantile_cont(dur, [0.1, 0.25, 0.5, 0.75, 0.9]) AS q
       FROM facts WHERE dur IS NOT NULL GROUP BY district ORDER BY district`,
      facts.params,
    ),
    ctx.db.all<{ district: number; n: number; r: number }>(
      `WITH ${facts.sql}, ${testedCte}
       SELECT t.district, count(*)::DOUBLE AS n, sum(coalesce(r.before, 0) + (r.c + 1) / 2.0)::DOUBLE AS r
       FROM t JOIN r ON r.dur = t.dur GROUP BY t.district`,
      params,
    ),
    ctx.db.one<{ tie: number | null }>(
      `WITH ${facts.sql}, ${testedCte} SELECT sum(c * c * c - c)::DOUBLE AS tie FROM v`,
      params,
    ),
    ctx.db.one<Record<string, unknown>>(
      `WITH ${city.sql}
       SELECT count(*)::INTEGER AS n, quantile_cont(dur, [0.1, 0.25, 0.5, 0.75, 0.9]) AS q
       FROM facts WHERE dur IS NOT NULL`,
      city.params,
    ),
  ]);
  const cq = (cityRow?.q as number[] | null) ?? [];
  const rows = districts.map((d) => {
    const q = (d.q as number[] | null) ?? [];
    const n = Number(d.n);
    const label = ctx.labels.district(Number(d.district));
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
    service: ctx.f.service ?? '',
    min_n: minN,
    districts: rows,
    city: {
      n: Number(cityRow?.n ?? 0),
      median_days: num(cq[2]),
      q1_days: num(cq[1]),
      q3_days: num(cq[3]),
      p10_days: num(cq[0]),
      p90_days: num(cq[4]),
    },
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
