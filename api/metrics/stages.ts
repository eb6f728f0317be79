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
 */
import { z } from '@hono/zod-openapi';
import type { Db } from '../db.ts';
import { badParameter, quoteValue } from '../errors.ts';
import { cityWide, type Filters } from '../filters.ts';
import { chiSquareSf } from '../stats/index.ts';
import { num } from './base.ts';
import type { Labels } from './labels.ts';
import { memo } from './memo.ts';
import { ActorSchema, loadStageLabels, type StageLabel, stepCasesCte, stepsCte } from './stage-facts.ts';

export const STAGE_GROUPS = { stage: "'all'", district: 'district::VARCHAR', office: 'office_id' } as const;
export type StageGroup = keyof typeof STAGE_GROUPS;

const nullableNumber = z.number().nullable();

export const StageNameFields = {
  stage: z.string(),
  stage_name: z.string(),
  stage_name_en: z.string().nullable(),
};

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

const Bottleneck = z.object({
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
  by: z.enum(['stage', 'district', 'office']),
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
export type StagesBody = z.infer<typeof StagesSchema>;

export function stageName(names: Map<string, StageLabel>, stage: string) {
  const s = names.get(stage);
  return { stage, stage_name: s?.name ?? stage, stage_name_en: s?.name_en ?? null };
}

export function groupLabel(by: StageGroup | 'city', key: string, labels: Labels) {
  if (by === 'district') {
    const d = labels.district(key);
    return { label: d.fa, label_en: d.en };
  }
  if (by === 'office') {
    const name = labels.office(key).name;
    return { label: name, label_en: name };
  }
  return { label: 'همه', label_en: 'All' };
}

interface StageAgg {
  key: string;
  stage: string;
  actor: string;
  n: number;
  cases: number;
  median: number | null;
  p90: number | null;
  total: number;
  position: number;
}

async function stageAggregates(db: Db, f: Filters, groupSql: string): Promise<StageAgg[]> {
  const s = stepsCte(f);
  const rows = await db.all<Record<string, unknown>>(
    `WITH ${s.sql}
     SELECT ${groupSql} AS key, stage, mode(actor) AS actor, count(*)::INTEGER AS n,
       count(*) FILTER (WHERE visit = 1)::INTEGER AS cases,
       quantile_cont(step_days, [0.5, 0.9]) AS q, sum(step_days)::DOUBLE AS total,
       avg(step_no)::DOUBLE AS position
     FROM steps_s GROUP BY ALL ORDER BY key, position, stage`,
    s.params,
  );
  return rows.map((r) => {
    const q = (r.q as number[] | null) ?? [];
    return {
      key: String(r.key),
      stage: String(r.stage),
      actor: String(r.actor),
      n: Number(r.n),
      cases: Number(r.cases),
      median: num(q[0]),
      p90: num(q[1]),
      total: Number(r.total),
      position: Number(r.position),
    };
  });
}

/** Cases with at least one step (one row each in case_step_facts: no distinct count over the steps). */
async function countCases(db: Db, f: Filters): Promise<number> {
  const c = stepCasesCte(f);
  const row = await db.one<{ n: number }>(
    `WITH ${c.sql} SELECT count(*)::INTEGER AS n FROM cases_sc WHERE n_steps > 0`,
    c.params,
  );
  return Number(row?.n ?? 0);
}

/** The city-wide per-stage figures for the same window and service filters (one per filter set). */
function cityStages(db: Db, f: Filters) {
  const city = cityWide(f);
  return memo(db, `cityStages ${JSON.stringify(city)}`, async () => {
    const [aggs, n] = await Promise.all([stageAggregates(db, city, "'all'"), countCases(db, city)]);
    return { aggs, n };
  });
}

/** Largest Σ step time per group; ties go to the earlier stage in the route, then by code. */
function bottlenecks(aggs: StageAgg[]): Map<string, StageAgg> {
  const out = new Map<string, StageAgg>();
  for (const a of aggs) {
    const b = out.get(a.key);
    if (!b || a.total > b.total) out.set(a.key, a);
  }
  return out;
}

export async function stageReport(
  db: Db,
  f: Filters,
  by: StageGroup,
  stageParam: string | undefined,
  minN: number,
  labels: Labels,
): Promise<StagesBody> {
  const [names, aggs, nCases, city] = await Promise.all([
    loadStageLabels(db),
    stageAggregates(db, f, STAGE_GROUPS[by]),
    countCases(db, f),
    cityStages(db, f),
  ]);
  if (stageParam !== undefined && !names.has(stageParam))
    throw badParameter('stage', `stage: ${quoteValue(stageParam)} is not a known stage`);
  const totals = new Map<string, number>();
  for (const a of aggs) totals.set(a.key, (totals.get(a.key) ?? 0) + a.total);
  const share = (a: StageAgg) => {
    const t = totals.get(a.key) ?? 0;
    return t > 0 ? a.total / t : null;
  };
  const rows = aggs.map((a) => ({
    key: a.key,
    ...groupLabel(by, a.key, labels),
    ...stageName(names, a.stage),
    actor: ActorSchema.catch('other').parse(a.actor),
    n: a.n,
    cases: a.cases,
    median_days: a.median,
    p90_days: a.p90,
    mean_days_per_case: a.cases > 0 ? a.total / a.cases : null,
    total_days: a.total,
    share: share(a),
    position: a.position,
  }));
  const bn = [...bottlenecks(aggs).values()].map((a) => ({
    key: a.key,
    ...groupLabel(by, a.key, labels),
    ...stageName(names, a.stage),
    actor: ActorSchema.catch('other').parse(a.actor),
    total_days: a.total,
    share: share(a),
  }));
  const cityTotal = city.aggs.reduce((s, a) => s + a.total, 0);
  // The stage compared across districts: the one asked for, else the selection's own bottleneck.
  let focus = stageParam;
  if (focus === undefined) {
    const all = new Map<string, number>();
    for (const a of aggs) all.set(a.stage, (all.get(a.stage) ?? 0) + a.total);
    let best: [string, number] | undefined;
    for (const e of all) if (!best || e[1] > best[1]) best = e;
    focus = best?.[0];
  }
  return {
    by,
    service: f.service ?? null,
    n_cases: nCases,
    rows,
    bottlenecks: bn,
    city: {
      scope: 'city',
      n_cases: city.n,
      rows: city.aggs.map((a) => ({
        ...stageName(names, a.stage),
        n: a.n,
        median_days: a.median,
        p90_days: a.p90,
        mean_days_per_case: a.cases > 0 ? a.total / a.cases : null,
        share: cityTotal > 0 ? a.total / cityTotal : null,
      })),
    },
    across_districts: focus === undefined ? null : await acrossDistricts(db, f, focus, minN, names, labels),
  };
}

/**
 * DESIGN 12 with DESIGN 3's test: one stage's step times per district. Ranks come from per-value
 * counts in SQL (rank of a value with c ties and b smaller values = b + (c + 1)/2), so no step-level
 * rows leave DuckDB: H = [12/(N(N+1)) · Σ Rᵢ²/nᵢ − 3(N+1)] / [1 − Σ(c³ − c)/(N³ − N)].
 */
async function acrossDistricts(
  db: Db,
  f: Filters,
  stage: string,
  minN: number,
  names: Map<string, StageLabel>,
  labels: Labels,
) {
  const s = stepsCte(f);
  const params = { ...s.params, stage, min_n: minN };
  const tested = `t AS (
      SELECT district, step_days AS v FROM steps_s WHERE stage = $stage AND district IN (
        SELECT district FROM steps_s WHERE stage = $stage GROUP BY district HAVING count(*) >= greatest($min_n, 1))),
    v AS (SELECT v, count(*)::DOUBLE AS c FROM t GROUP BY v),
    r AS (SELECT v, c, sum(c) OVER (ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before FROM v)`;
  const [districts, ranks, ties] = await Promise.all([
    db.all<Record<string, unknown>>(
      `WITH ${s.sql}
       SELECT district, count(*)::INTEGER AS n, quantile_cont(step_days, 0.5) AS med
       FROM steps_s WHERE stage = $stage GROUP BY district ORDER BY district`,
      { ...s.params, stage },
    ),
    db.all<{ n: number; r: number }>(
      `WITH ${s.sql}, ${tested}
       SELECT t.district, count(*)::DOUBLE AS n, sum(coalesce(r.before, 0) + (r.c + 1) / 2.0)::DOUBLE AS r
       FROM t JOIN r ON r.v = t.v GROUP BY t.district`,
      params,
    ),
    db.one<{ tie: number | null }>(
      `WITH ${s.sql}, ${tested} SELECT sum(c * c * c - c)::DOUBLE AS tie FROM v`,
      params,
    ),
  ]);
  return {
    ...stageName(names, stage),
    min_n: minN,
    districts: districts.map((d) => {
      const l = labels.district(Number(d.district));
      const n = Number(d.n);
      return {
        district: Number(d.district),
        label: l.fa,
        label_en: l.en,
        n,
        median_days: num(d.med),
        tested: n >= Math.max(minN, 1),
      };
    }),
    kruskal_wallis: kruskalFromRankSums(
      ranks.map((r) => ({ n: Number(r.n), r: Number(r.r) })),
      Number(ties?.tie ?? 0),
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
