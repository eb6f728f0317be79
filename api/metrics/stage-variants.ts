/**
 * DESIGN 14, routes and rework. A case's variant is its sequence of stages (its steps in DESIGN 11's
 * order). Among the selection's cases with at least one step: the top variants with count, share and
 * median throughput (quantile_cont). Rework: a case repeats a stage; the rework rate is the share of
 * cases with at least one repeated stage, per office and per district, on the funnel of DESIGN 6 with
 * kind 'proportion' and p₀ = the city rate (Σ rework / Σ cases over every group). Like the other
 * funnels it is computed over the whole city under the non-location filters; district, office and an
 * inspector's scope only choose the rows shown. Each group also names the stage its cases repeat most,
 * with that stage's repeat rate there and elsewhere (the other groups), for the flag's sentence.
 *
 * Served by GET /api/stages/variants (api/routes/stages.ts); listed as the Process view's top routes
 * and rework funnel with its flags in words (web/views/Process.tsx, web/lib/processWords.ts).
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { cityWide, type Filters, filterShape, stageCubeCte, stepCasesCte, stepsCte } from '../filters.ts';
import { num } from '../lib/sql.ts';
import { intParam, query } from '../params.ts';
import { type FunnelRow, funnel, funnelCurve } from '../stats/index.ts';
import { inView } from './funnel.ts';
import { compareKeys, groupLabel } from './labels.ts';
import { loadStageNames, StageNameFields, type StageNames } from './stage-facts.ts';
import { stageMinN } from './stages.ts';

export const StageVariantsQuery = query({
  ...filterShape,
  limit: intParam('limit', 1, 100, 'How many of the most frequent variants (1–100)').default(10),
  min_n: stageMinN(30, 'Offices and districts'),
});

const nullableNumber = z.number().nullable();

const RepeatedStage = z
  .object({ ...StageNameFields, rate: z.number(), other_rate: nullableNumber })
  .nullable();

export const ReworkRow = z.object({
  key: z.string(),
  label: z.string(),
  label_en: z.string(),
  district: z.number(),
  n: z.number(),
  count: z.number(),
  value: z.number(),
  z: nullableNumber,
  p: nullableNumber,
  q: nullableNumber,
  lo95: nullableNumber,
  hi95: nullableNumber,
  lo998: nullableNumber,
  hi998: nullableNumber,
  flag: z.enum(['above', 'below']).nullable(),
  tested: z.boolean(),
  top_stage: RepeatedStage,
});

const Curve = z.array(
  z.object({ n: z.number(), lo95: z.number(), hi95: z.number(), lo998: z.number(), hi998: z.number() }),
);

const ReworkFunnel = z.object({
  by: z.enum(['office', 'district']),
  target: z.number(),
  phi: z.number(),
  rows: z.array(ReworkRow),
  curve: Curve,
});

export const StageVariantsSchema = z.object({
  service: z.string().nullable(),
  n_cases: z.number(),
  n_variants: z.number(),
  variants: z.array(
    z.object({
      stages: z.array(z.string()),
      stage_names: z.array(z.string()),
      stage_names_en: z.array(z.string().nullable()),
      count: z.number(),
      share: z.number(),
      median_throughput_days: nullableNumber,
    }),
  ),
  rework: z.object({
    min_n: z.number(),
    target: z.number(),
    scope: z.literal('city'),
    /** Per stage in the selection: cases that reached it and cases that repeated it. */
    stages: z.array(
      z.object({ ...StageNameFields, cases: z.number(), repeated: z.number(), rate: nullableNumber }),
    ),
    offices: ReworkFunnel,
    districts: ReworkFunnel,
  }),
});
export type StageVariantsAnswer = z.output<typeof StageVariantsSchema>;

function topVariants(ctx: RequestContext, limit: number) {
  const c = stepCasesCte(ctx.f);
  return Promise.all([
    ctx.db.all<{ sids: number[]; n: number; med: unknown }>(
      `WITH ${c.sql},
         v AS (SELECT vid, count(*)::INTEGER AS n, quantile_cont(throughput_days, 0.5) AS med
               FROM cases_sc WHERE n_steps > 0 GROUP BY vid)
       SELECT sv.sids, v.n, v.med FROM v JOIN stage_variants sv USING (vid)
       ORDER BY v.n DESC, sv.vid LIMIT $limit`,
      { ...c.params, limit },
    ),
    ctx.db.one<{ n: number; v: number }>(
      `WITH ${c.sql}
       SELECT count(*)::INTEGER AS n, count(DISTINCT vid)::INTEGER AS v FROM cases_sc WHERE n_steps > 0`,
      c.params,
    ),
  ]).then(([rows, totals]) => ({ rows, n: Number(totals?.n ?? 0), variants: Number(totals?.v ?? 0) }));
}

interface GroupRework {
  office_id: string;
  district: number;
  n: number;
  rework: number;
}

/** Per office (and its district): cases with steps and cases with rework, over the city population. */
function reworkCounts(ctx: RequestContext, population: Filters): Promise<GroupRework[]> {
  return ctx.cache.get(`rework ${JSON.stringify(population)}`, async () => {
    const c = stepCasesCte(population);
    const rows = await ctx.db.all<Record<string, unknown>>(
      `WITH ${c.sql}
       SELECT office_id, district, count(*)::INTEGER AS n, count(*) FILTER (WHERE rework)::INTEGER AS rw
       FROM cases_sc WHERE n_steps > 0 GROUP BY ALL ORDER BY office_id`,
      c.params,
    );
    return rows.map((r) => ({
      office_id: String(r.office_id),
      district: Number(r.district),
      n: Number(r.n),
      rework: Number(r.rw),
    }));
  });
}

export interface StageVisits {
  office_id: string;
  district: number;
  service_code: string;
  sid: number;
  /** Cases that reached the stage (first visits) and cases that came back to it (second visits). */
  cases: number;
  repeated: number;
  /** Σ step number, for the stage's mean place in the route. */
  sum_pos: number;
  n: number;
}

/**
 * Per office, service and stage: first and second visits (the counts DESIGN 14's rework and extra
 * steps need), of `f`'s steps: summed from the stage cube when no date window is set, else counted
 * over the steps; kept in the data cache.
 */
export function stageVisits(ctx: RequestContext, f: Filters): Promise<StageVisits[]> {
  return ctx.cache.get(`stageVisits ${JSON.stringify(f)}`, async () => {
    const cube = stageCubeCte(f);
    const s = stepsCte(f);
    const columns = 'office_id, district, service_code, sid::INTEGER AS sid';
    const rows = await ctx.db.all<Record<string, unknown>>(
      cube
        ? `WITH ${cube.sql}
           SELECT ${columns}, sum(cases)::INTEGER AS cases, sum(repeated)::INTEGER AS repeated,
             sum(sum_pos)::DOUBLE AS sum_pos, sum(n)::INTEGER AS n
           FROM cube GROUP BY ALL`
        : `WITH ${s.sql}
           SELECT ${columns}, count(*) FILTER (WHERE visit = 1)::INTEGER AS cases,
             count(*) FILTER (WHERE visit = 2)::INTEGER AS repeated, sum(step_no)::DOUBLE AS sum_pos,
             count(*)::INTEGER AS n
           FROM steps_s GROUP BY ALL`,
      cube ? cube.params : s.params,
    );
    return rows.map((r) => ({
      office_id: String(r.office_id),
      district: Number(r.district),
      service_code: String(r.service_code),
      sid: Number(r.sid),
      cases: Number(r.cases),
      repeated: Number(r.repeated),
      sum_pos: Number(r.sum_pos),
      n: Number(r.n),
    }));
  });
}

type Level = 'office' | 'district';

interface Visits {
  cases: number;
  repeated: number;
}

function addVisits<K>(m: Map<K, Visits>, k: K, x: Visits): void {
  const acc = m.get(k) ?? { cases: 0, repeated: 0 };
  acc.cases += x.cases;
  acc.repeated += x.repeated;
  m.set(k, acc);
}

function reworkFunnel(
  ctx: RequestContext,
  level: Level,
  counts: GroupRework[],
  visits: StageVisits[],
  minN: number,
  names: StageNames,
) {
  const groups = new Map<string, GroupRework>();
  for (const r of counts) {
    const key = level === 'office' ? r.office_id : String(r.district);
    const g = groups.get(key) ?? { office_id: key, district: r.district, n: 0, rework: 0 };
    g.n += r.n;
    g.rework += r.rework;
    groups.set(key, g);
  }
  const order = compareKeys(level);
  const list = [...groups.entries()].sort(([a], [b]) => order(a, b));
  const sumN = list.reduce((s, [, g]) => s + g.n, 0);
  const sumR = list.reduce((s, [, g]) => s + g.rework, 0);
  const target = sumN > 0 ? sumR / sumN : 0;
  const r = funnel(
    list.map(([key, g]) => ({ key, n: g.n, y: g.n > 0 ? g.rework / g.n : 0 })),
    { kind: 'proportion', target, minN },
  );
  // Repeats per (group, stage) and per stage over the city, for "X% repeat stage S, against Y% elsewhere".
  const byGroupStage = new Map<string, Map<number, Visits>>();
  const byStage = new Map<number, Visits>();
  for (const x of visits) {
    const key = level === 'office' ? x.office_id : String(x.district);
    const m = byGroupStage.get(key) ?? new Map<number, Visits>();
    byGroupStage.set(key, m);
    addVisits(m, x.sid, x);
    addVisits(byStage, x.sid, x);
  }
  const topStage = (key: string) => {
    let best: { sid: number; repeated: number; cases: number } | undefined;
    for (const [sid, v] of byGroupStage.get(key) ?? []) {
      if (v.repeated === 0) continue;
      const code = names.name(sid).stage;
      if (
        !best ||
        v.repeated > best.repeated ||
        (v.repeated === best.repeated && code < names.name(best.sid).stage)
      )
        best = { sid, ...v };
    }
    if (!best) return null;
    const all = byStage.get(best.sid) ?? { cases: 0, repeated: 0 };
    const otherCases = all.cases - best.cases;
    return {
      ...names.name(best.sid),
      rate: best.cases > 0 ? best.repeated / best.cases : 0,
      other_rate: otherCases > 0 ? (all.repeated - best.repeated) / otherCases : null,
    };
  };
  const rows = r.rows
    .map((row: FunnelRow, i) => ({ row, g: list[i][1] }))
    .filter(({ row, g }) => inView(ctx.f, level, { key: row.key, district: g.district }))
    .map(({ row, g }) => ({
      key: row.key,
      ...groupLabel(ctx.labels, level, row.key),
      district: g.district,
      n: row.n,
      count: g.rework,
      value: row.y,
      z: row.z,
      p: row.p,
      q: row.q,
      lo95: row.lo95,
      hi95: row.hi95,
      lo998: row.lo998,
      hi998: row.hi998,
      flag: row.flag,
      tested: row.tested,
      top_stage: topStage(row.key),
    }));
  const ns = r.rows.filter((x) => x.n > 0).map((x) => x.n);
  const curve =
    ns.length === 0 || target <= 0 || target >= 1
      ? []
      : funnelCurve({
          kind: 'proportion',
          target,
          phi: r.phi,
          nMin: Math.min(...ns),
          nMax: Math.max(...ns),
          count: 60,
        });
  return { by: level, target, phi: r.phi, rows, curve };
}

export async function stageVariants(
  ctx: RequestContext,
  q: { limit: number; min_n: number },
): Promise<StageVariantsAnswer> {
  const population = cityWide(ctx.f);
  const [names, top, counts, cityVisits, visits] = await Promise.all([
    loadStageNames(ctx),
    topVariants(ctx, q.limit),
    reworkCounts(ctx, population),
    stageVisits(ctx, population),
    stageVisits(ctx, ctx.f),
  ]);
  const offices = reworkFunnel(ctx, 'office', counts, cityVisits, q.min_n, names);
  const districts = reworkFunnel(ctx, 'district', counts, cityVisits, q.min_n, names);
  // Per stage of the selection, in route order (mean step number, then code)
  const perStage = new Map<number, Visits & { sum_pos: number; n: number }>();
  for (const x of visits) {
    const acc = perStage.get(x.sid) ?? { cases: 0, repeated: 0, sum_pos: 0, n: 0 };
    acc.cases += x.cases;
    acc.repeated += x.repeated;
    acc.sum_pos += x.sum_pos;
    acc.n += x.n;
    perStage.set(x.sid, acc);
  }
  const stageRows = [...perStage.entries()].sort(
    ([a, x], [b, y]) => x.sum_pos / x.n - y.sum_pos / y.n || a - b,
  );
  return {
    service: ctx.f.service ?? null,
    n_cases: top.n,
    n_variants: top.variants,
    variants: top.rows.map((v) => {
      const named = (v.sids ?? []).map((sid) => names.name(Number(sid)));
      return {
        stages: named.map((x) => x.stage),
        stage_names: named.map((x) => x.stage_name),
        stage_names_en: named.map((x) => x.stage_name_en),
        count: Number(v.n),
        share: top.n > 0 ? Number(v.n) / top.n : 0,
        median_throughput_days: num(v.med),
      };
    }),
    rework: {
      min_n: q.min_n,
      target: districts.target,
      scope: 'city',
      stages: stageRows.map(([sid, r]) => ({
        ...names.name(sid),
        cases: r.cases,
        repeated: r.repeated,
        rate: r.cases > 0 ? r.repeated / r.cases : null,
      })),
      offices,
      districts,
    },
  };
}
