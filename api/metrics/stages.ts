/**
 * DESIGN 12: per stage, within the common filters: n (the stage's occurrences, repeats included),
 * median and p90 step time (quantile_cont), mean days per case (Σ step time / the cases that reached
 * the stage), and share of all step time; per group (the whole selection, a district or an office).
 * The bottleneck of a group is its stage with the largest Σ step time. The same stage across
 * districts: per district n and median step time and the Kruskal–Wallis test of DESIGN 3 (average
 * ranks for ties, tie-corrected H, df = k − 1, chi-square p, ε² = H(N+1)/(N²−1)) over the districts
 * with at least min_n occurrences; the stage is the `stage` parameter, else the selection's bottleneck.
 * Step times are DESIGN 11's (stage-facts.ts). An inspector's rows cover their districts; `city` is
 * the city-wide reference for the same window and service filters, labelled as such.
 *
 * Served by GET /api/stages (api/routes/stages.ts); drawn by web/charts/process.ts (median days by
 * stage per district, coloured by actor) and named as the bottleneck on the Process view
 * (web/views/Process.tsx).
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { badParameter, quoteValue } from '../errors.ts';
import { cityWide, type Filters, filterShape, stepCasesCte, stepsCte } from '../filters.ts';
import { num } from '../lib/sql.ts';
import { intParam, MAX_PARAM_LENGTH, query } from '../params.ts';
import { chiSquareSf } from '../stats/index.ts';
import { groupLabel } from './labels.ts';
import {
  type Actor,
  ActorSchema,
  actorOf,
  type CityLevel,
  cityLevel,
  loadStageNames,
  STAGE_FIGURES_SQL,
  StageNameFields,
  type StageNames,
} from './stage-facts.ts';

/** The groups of GET /api/stages: the selection as one (by=stage), or per district or office. */
export const STAGE_GROUPS = { stage: 'all', district: 'district', office: 'office' } as const;
export type StageGroup = keyof typeof STAGE_GROUPS;
const GROUP_SQL: Record<CityLevel, string> = {
  all: "'all'",
  district: 'district::VARCHAR',
  office: 'office_id',
};
const STAGE_GROUP_NAMES = Object.keys(STAGE_GROUPS) as [StageGroup, ...StageGroup[]];

/** `min_n` of the stage answers: groups with a smaller volume are shown but not tested. */
export const stageMinN = (fallback: number, what: string) =>
  intParam('min_n', 0, 1_000_000, `${what} with a smaller volume are shown but not tested`).default(fallback);

export const StagesQuery = query({
  ...filterShape,
  by: z
    .enum(STAGE_GROUP_NAMES)
    .default('stage')
    .openapi({ description: 'Per stage, or per district or office and stage' }),
  stage: z
    .string()
    .trim()
    .min(1, 'stage must not be empty')
    .max(MAX_PARAM_LENGTH)
    .optional()
    .openapi({ description: 'The stage compared across districts (default: the bottleneck)' }),
  min_n: stageMinN(20, 'Districts'),
});

const nullableNumber = z.number().nullable();

const StageRow = z.object({
  key: z.string(),
  label: z.string(),
  label_en: z.string(),
  ...StageNameFields,
  actor: ActorSchema,
  n: z.number(),
  cases: z.number(),
  median_days: nullableNumber,
  p90_days: nullableNumber,
  mean_days_per_case: nullableNumber,
  total_days: z.number(),
  share: nullableNumber,
  position: z.number(),
});

export const Bottleneck = z.object({
  key: z.string(),
  label: z.string(),
  label_en: z.string(),
  ...StageNameFields,
  actor: ActorSchema,
  total_days: z.number(),
  share: nullableNumber,
});

const KruskalWallis = z.object({
  h: z.number(),
  df: z.number(),
  p_value: z.number(),
  epsilon_squared: z.number(),
  n: z.number(),
});

export const StagesSchema = z.object({
  by: z.enum(STAGE_GROUP_NAMES),
  service: z.string().nullable(),
  n_cases: z.number(),
  rows: z.array(StageRow),
  bottlenecks: z.array(Bottleneck),
  city: z.object({
    scope: z.literal('city'),
    n_cases: z.number(),
    rows: z.array(
      z.object({
        ...StageNameFields,
        n: z.number(),
        median_days: nullableNumber,
        p90_days: nullableNumber,
        mean_days_per_case: nullableNumber,
        share: nullableNumber,
      }),
    ),
  }),
  across_districts: z
    .object({
      ...StageNameFields,
      min_n: z.number(),
      districts: z.array(
        z.object({
          district: z.number(),
          label: z.string(),
          label_en: z.string(),
          n: z.number(),
          median_days: nullableNumber,
          tested: z.boolean(),
        }),
      ),
      kruskal_wallis: KruskalWallis.nullable(),
    })
    .nullable(),
});
export type StagesAnswer = z.output<typeof StagesSchema>;

/** A stage answer's group label: the selection as a whole ('all'), a district or an office. */
export function stageGroupLabel(ctx: RequestContext, by: string, key: string) {
  return key === 'all' && (by === 'stage' || by === 'city')
    ? { label: 'همه', label_en: 'All' }
    : groupLabel(ctx.labels, by, key);
}

/** Per group and stage: the figures of DESIGN 12 before the shares. */
export interface StageFigures {
  key: string;
  sid: number;
  actor: Actor;
  n: number;
  /** Cases that reached the stage (its first visits). */
  cases: number;
  median: number | null;
  p90: number | null;
  total: number;
  /** Mean step number: the stage's place in the route, for ordering. */
  position: number;
}

/**
 * DESIGN 12's figures per (group, stage) of `f`'s steps, in route order: from the city-wide figures
 * when no filter cuts into the groups (stage-facts.ts `cityLevel`), else over the steps; kept in the
 * data cache (the city-wide ones serve every answer that compares with the city).
 */
export function stageFigures(ctx: RequestContext, f: Filters, by: CityLevel): Promise<StageFigures[]> {
  return ctx.cache.get(`stageFigures ${by} ${JSON.stringify(f)}`, async () => {
    const city = cityLevel(f, by, ctx.labels);
    const s = stepsCte(f);
    const rows = city
      ? (
          await ctx.db.all<Record<string, unknown>>(
            'SELECT * FROM stage_city_figures WHERE level = $level ORDER BY key, position, sid',
            { level: city.level },
          )
        )
          .filter((r) => city.keep(String(r.key)))
          .map((r) => (by === 'all' ? { ...r, key: 'all' } : r))
      : await ctx.db.all<Record<string, unknown>>(
          `WITH ${s.sql}
           SELECT ${GROUP_SQL[by]} AS key, sid, ${STAGE_FIGURES_SQL}
           FROM steps_s GROUP BY ALL ORDER BY key, position, sid`,
          s.params,
        );
    return rows.map((r) => {
      const q = (r.q as number[] | null) ?? [];
      return {
        key: String(r.key),
        sid: Number(r.sid),
        actor: actorOf(r.actor),
        n: Number(r.n),
        cases: Number(r.cases),
        median: num(q[0]),
        p90: num(q[1]),
        total: Number(r.total),
        position: Number(r.position),
      };
    });
  });
}

/** Cases with at least one step (one row each in case_step_facts). */
export function countStepCases(ctx: RequestContext, f: Filters): Promise<number> {
  return ctx.cache.get(`stepCases ${JSON.stringify(f)}`, async () => {
    const c = stepCasesCte(f);
    const row = await ctx.db.one<{ n: number }>(
      `WITH ${c.sql} SELECT count(*)::INTEGER AS n FROM cases_sc WHERE n_steps > 0`,
      c.params,
    );
    return Number(row?.n ?? 0);
  });
}

/** The group's stage with the largest Σ step time (ties: the earlier in the route). */
export function bottlenecks<T extends { key: string; total: number }>(figures: T[]): Map<string, T> {
  const out = new Map<string, T>();
  for (const a of figures) {
    const b = out.get(a.key);
    if (!b || a.total > b.total) out.set(a.key, a);
  }
  return out;
}

/** Each group's bottleneck as the answers carry it: its stage, actor, Σ step time and share of the group's. */
export function bottleneckRows(
  ctx: RequestContext,
  by: StageGroup,
  figures: StageFigures[],
  names: StageNames,
): z.output<typeof Bottleneck>[] {
  const totals = new Map<string, number>();
  for (const a of figures) totals.set(a.key, (totals.get(a.key) ?? 0) + a.total);
  return [...bottlenecks(figures).values()].map((a) => {
    const t = totals.get(a.key) ?? 0;
    return {
      key: a.key,
      ...stageGroupLabel(ctx, by, a.key),
      ...names.name(a.sid),
      actor: a.actor,
      total_days: a.total,
      share: t > 0 ? a.total / t : null,
    };
  });
}

export async function stages(
  ctx: RequestContext,
  q: { by: StageGroup; stage?: string; min_n: number },
): Promise<StagesAnswer> {
  const { f } = ctx;
  const city = cityWide(f);
  const [names, figures, nCases, cityFigures, cityCases] = await Promise.all([
    loadStageNames(ctx),
    stageFigures(ctx, f, STAGE_GROUPS[q.by]),
    countStepCases(ctx, f),
    stageFigures(ctx, city, STAGE_GROUPS.stage),
    countStepCases(ctx, city),
  ]);
  const asked = q.stage === undefined ? undefined : names.byCode.get(q.stage);
  if (q.stage !== undefined && !asked)
    throw badParameter('stage', `stage: ${quoteValue(q.stage)} is not a known stage`);
  const totals = new Map<string, number>();
  for (const a of figures) totals.set(a.key, (totals.get(a.key) ?? 0) + a.total);
  const share = (a: StageFigures) => {
    const t = totals.get(a.key) ?? 0;
    return t > 0 ? a.total / t : null;
  };
  const cityTotal = cityFigures.reduce((s, a) => s + a.total, 0);
  // The stage compared across districts: the one asked for, else the selection's own bottleneck.
  let focus = asked?.sid;
  if (focus === undefined) {
    const all = new Map<number, number>();
    for (const a of figures) all.set(a.sid, (all.get(a.sid) ?? 0) + a.total);
    let best: [number, number] | undefined;
    for (const e of all) if (!best || e[1] > best[1]) best = e;
    focus = best?.[0];
  }
  return {
    by: q.by,
    service: f.service ?? null,
    n_cases: nCases,
    rows: figures.map((a) => ({
      key: a.key,
      ...stageGroupLabel(ctx, q.by, a.key),
      ...names.name(a.sid),
      actor: a.actor,
      n: a.n,
      cases: a.cases,
      median_days: a.median,
      p90_days: a.p90,
      mean_days_per_case: a.cases > 0 ? a.total / a.cases : null,
      total_days: a.total,
      share: share(a),
      position: a.position,
    })),
    bottlenecks: bottleneckRows(ctx, q.by, figures, names),
    city: {
      scope: 'city',
      n_cases: cityCases,
      rows: cityFigures.map((a) => ({
        ...names.name(a.sid),
        n: a.n,
        median_days: a.median,
        p90_days: a.p90,
        mean_days_per_case: a.cases > 0 ? a.total / a.cases : null,
        share: cityTotal > 0 ? a.total / cityTotal : null,
      })),
    },
    across_districts: focus === undefined ? null : await acrossDistricts(ctx, focus, q.min_n),
  };
}

/**
 * DESIGN 12 with DESIGN 3's test: one stage's step times per district. A value's average rank among
 * all tested values is (rank + the number of values ≤ it) / 2 (rank = 1 + the number below it), both
 * from one window over the values in order, so no step-level rows leave DuckDB; a tie of c values
 * adds c(c² − 1) = Σ over its rows of (c² − 1) to the tie term. H = [12/(N(N+1)) · Σ Rᵢ²/nᵢ − 3(N+1)] /
 * [1 − Σ(c³ − c)/(N³ − N)].
 */
async function acrossDistricts(ctx: RequestContext, sid: number, minN: number) {
  const s = stepsCte(ctx.f);
  // one statement after the other, the districts tested read from the first: the rank window then reads the
  // steps once (with the counts in the same statement, DuckDB stored the steps for both references)
  const [rows, names] = await Promise.all([
    ctx.db.all<Record<string, unknown>>(
      `WITH ${s.sql}
       SELECT district, count(*)::INTEGER AS n, quantile_cont(step_days, 0.5) AS med
       FROM steps_s WHERE sid = $sid GROUP BY district ORDER BY district`,
      { ...s.params, sid },
    ),
    loadStageNames(ctx),
  ]);
  const tested = rows.filter((d) => Number(d.n) >= Math.max(minN, 1)).map((d) => Number(d.district));
  const ranks = await ctx.db.all<{ district: number; n: number; r: number; tie: number }>(
    `WITH ${s.sql},
       t AS (SELECT district, step_days AS v FROM steps_s
         WHERE sid = $sid AND district IN (SELECT unnest($tested::INTEGER[]))),
       r AS (SELECT district, rank() OVER w AS rk,
               count(*) OVER (w RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS le
             FROM t WINDOW w AS (ORDER BY v))
     SELECT district, count(*)::DOUBLE AS n, sum((rk + le) / 2.0)::DOUBLE AS r,
       sum((le - rk + 1) * (le - rk + 1) - 1)::DOUBLE AS tie
     FROM r GROUP BY district`,
    { ...s.params, sid, tested: JSON.stringify(tested) },
  );
  return {
    ...names.name(sid),
    min_n: minN,
    districts: rows.map((d) => {
      const n = Number(d.n);
      return {
        district: Number(d.district),
        ...groupLabel(ctx.labels, 'district', String(d.district)),
        n,
        median_days: num(d.med),
        tested: n >= Math.max(minN, 1),
      };
    }),
    kruskal_wallis: kruskalFromRankSums(
      ranks.map((r) => ({ n: Number(r.n), r: Number(r.r) })),
      ranks.reduce((sum, r) => sum + Number(r.tie), 0),
    ),
  };
}

/** H, df, p and ε² from each group's size and rank sum and the tie term Σ(c³ − c). */
export function kruskalFromRankSums(groups: { n: number; r: number }[], tieSum: number) {
  const k = groups.length;
  if (k < 2) return null;
  const total = groups.reduce((s, g) => s + g.n, 0);
  const correction = 1 - tieSum / (total ** 3 - total);
  if (!(correction > 0)) return null;
  const centre = (total + 1) / 2;
  const spread = groups.reduce((s, g) => s + g.n * (g.r / g.n - centre) ** 2, 0);
  const h = ((12 / (total * (total + 1))) * spread) / correction;
  const df = k - 1;
  return {
    h,
    df,
    p_value: chiSquareSf(h, df),
    epsilon_squared: (h * (total + 1)) / (total * total - 1),
    n: total,
  };
}
