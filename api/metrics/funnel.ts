/**
 * DESIGN 6: funnel limits for slow_share (DESIGN 4, slow-share.ts: a proportion with target 0.5,
 * volume = closed cases) and for complaint and bribe-report rates (DESIGN 5, complaints.ts: per-case
 * Poisson rates with target Σcomplaints / Σcases over all groups, volume = cases), by office or
 * district, over all services or one service category (scope). The limits, φ, z, p and BH q come
 * from api/stats/funnel.ts.
 *
 * The population is the filters without the location filters (district, office) and without an
 * inspector's district scope: the funnel, its φ, target and q-values are always computed over every
 * group in the city, and a district or office filter (or the scope) only selects which rows are
 * returned. An office's flag therefore does not change with the view it is looked at from.
 *
 * Served by GET /api/funnel (api/routes/funnel.ts); drawn by web/charts/funnel.ts on the offices and
 * districts views (web/components/FunnelCard.tsx), and the district funnels colour the overview map.
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { badParameter, quoteValue } from '../errors.ts';
import { cityWide, type Filters, filterShape, inScope } from '../filters.ts';
import { FormatParam, FunnelMethodParam, FunnelMinN, MAX_PARAM_LENGTH, query } from '../params.ts';
import { FUNNEL_METHODS, type FunnelMethod, type FunnelRow, funnel, funnelCurve } from '../stats/index.ts';
import { type OfficeRateCounts, rateCounts } from './complaints.ts';
import { compareKeys, groupLabel, selectionLabel } from './labels.ts';
import { type SlowCount, SPEED_TIMES, type SpeedTime, slowCounts, TimeParam } from './slow-share.ts';

export const FUNNEL_METRICS = ['slow_share', 'complaints', 'bribe_reports'] as const;
export type FunnelMetric = (typeof FUNNEL_METRICS)[number];
export const FUNNEL_LEVELS = ['office', 'district'] as const;
export type FunnelLevel = (typeof FUNNEL_LEVELS)[number];

export const FunnelQuery = query({
  ...filterShape,
  metric: z.enum(FUNNEL_METRICS),
  by: z.enum(FUNNEL_LEVELS).default('office'),
  scope: z
    .string()
    .max(MAX_PARAM_LENGTH)
    .default('all')
    .openapi({ description: "'all' or a service category" }),
  min_n: FunnelMinN,
  method: FunnelMethodParam,
  time: TimeParam,
  format: FormatParam,
});

const limit = z.number().nullable();
export const FunnelSchema = z.object({
  metric: z.enum(FUNNEL_METRICS),
  time: z.enum(SPEED_TIMES),
  by: z.enum(FUNNEL_LEVELS),
  scope: z.string(),
  target: z.number(),
  phi: z.number().openapi({ description: 'Winsorised mean z² over the tested groups (city-wide)' }),
  method: z.enum(FUNNEL_METHODS),
  tau2: z.number().openapi({ description: 'Additive between-group variance τ² (0 for multiplicative)' }),
  min_n: z.number(),
  rows: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      district: z.number(),
      n: z.number(),
      count: z.number(),
      value: z.number(),
      z: limit,
      p: limit,
      q: limit,
      lo95: limit,
      hi95: limit,
      lo998: limit,
      hi998: limit,
      flag: z.enum(['above', 'below']).nullable(),
      tested: z.boolean(),
    }),
  ),
  curve: z.array(
    z.object({ n: z.number(), lo95: z.number(), hi95: z.number(), lo998: z.number(), hi998: z.number() }),
  ),
  selection: z
    .object({
      label: z.string(),
      label_en: z.string(),
      n: z.number(),
      count: z.number(),
      value: z.number().nullable(),
    })
    .openapi({
      description:
        "DESIGN 10: the signal over the filtered selection's own places (its offices), next to `target`, which is " +
        'always the whole city',
    }),
});
export type FunnelAnswer = z.output<typeof FunnelSchema>;

/** Everything the signals need, counted once per population. */
export interface SignalData {
  slow: SlowCount[];
  rates: OfficeRateCounts[];
}

/**
 * The counts behind every funnel, flag and office figure, over the city-wide population of `ctx.f`;
 * `time` says whose time the speed counts measure (slow-share.ts).
 */
export function loadSignalData(ctx: RequestContext, time: SpeedTime = 'total'): Promise<SignalData> {
  const population = { ...ctx, f: cityWide(ctx.f) };
  const key = `signals ${JSON.stringify(population.f)}${time === 'total' ? '' : ` ${time}`}`;
  return ctx.cache.get(key, async () => {
    const [slow, rates] = await Promise.all([slowCounts(population, time), rateCounts(population)]);
    return { slow, rates };
  });
}

export interface GroupCount {
  key: string;
  district: number;
  n: number;
  count: number;
}

/** Volumes and counts per group for one signal and scope ('all' or a category). */
export function signalGroups(
  data: SignalData,
  metric: FunnelMetric,
  level: FunnelLevel,
  scope: string,
): GroupCount[] {
  const acc = new Map<string, GroupCount>();
  const add = (office: string, district: number, n: number, count: number) => {
    const key = level === 'office' ? office : String(district);
    const g = acc.get(key) ?? { key, district, n: 0, count: 0 };
    g.n += n;
    g.count += count;
    acc.set(key, g);
  };
  if (metric === 'slow_share') {
    for (const r of data.slow)
      if (scope === 'all' || r.category === scope) add(r.office_id, r.district, r.n, r.slow);
  } else {
    for (const r of data.rates)
      add(r.office_id, r.district, r.cases, metric === 'complaints' ? r.complaints : r.bribes);
  }
  const order = compareKeys(level);
  return [...acc.values()].sort((a, b) => order(a.key, b.key));
}

export interface FunnelOut {
  metric: FunnelMetric;
  method: FunnelMethod;
  target: number;
  phi: number;
  tau2: number;
  rows: (FunnelRow & { district: number; count: number; value: number })[];
}

export function computeFunnel(
  groups: GroupCount[],
  metric: FunnelMetric,
  minN: number,
  method: FunnelMethod = 'multiplicative',
): FunnelOut {
  const sumN = groups.reduce((s, g) => s + g.n, 0);
  const sumC = groups.reduce((s, g) => s + g.count, 0);
  const kind = metric === 'slow_share' ? 'proportion' : 'rate';
  const target = metric === 'slow_share' ? 0.5 : sumN > 0 ? sumC / sumN : 0;
  const input = groups.map((g) => ({ key: g.key, n: g.n, y: g.n > 0 ? g.count / g.n : 0 }));
  const r = funnel(input, { kind, target, minN, method });
  return {
    metric,
    method,
    target: r.target,
    phi: r.phi,
    tau2: r.tau2,
    rows: r.rows.map((row, i) => ({
      ...row,
      district: groups[i].district,
      count: groups[i].count,
      value: row.y,
    })),
  };
}

function curveFor(out: FunnelOut) {
  const ns = out.rows.filter((r) => r.n > 0).map((r) => r.n);
  if (ns.length === 0) return [];
  const kind = out.metric === 'slow_share' ? 'proportion' : 'rate';
  return funnelCurve({
    kind,
    target: out.target,
    phi: out.phi,
    method: out.method,
    tau2: out.tau2,
    nMin: Math.min(...ns),
    nMax: Math.max(...ns),
    count: 60,
  });
}

/** Keeps the rows the location filters select (the funnel itself was computed city-wide). */
export function inView(f: Filters, level: FunnelLevel, row: { key: string; district: number }): boolean {
  if (!inScope(f, row.district)) return false;
  if (f.district !== undefined && row.district !== f.district) return false;
  if (f.office !== undefined && (level !== 'office' || row.key !== f.office)) return false;
  return true;
}

async function categoryExists(ctx: RequestContext, category: string): Promise<boolean> {
  const row = await ctx.db.one<{ n: number }>(
    'SELECT count(*)::INTEGER AS n FROM services WHERE category = $c',
    { c: category },
  );
  return Number(row?.n ?? 0) > 0;
}

export async function funnelReport(
  ctx: RequestContext,
  q: {
    metric: FunnelMetric;
    by: FunnelLevel;
    scope: string;
    min_n: number;
    method: FunnelMethod;
    time?: SpeedTime;
  },
): Promise<FunnelAnswer> {
  const { metric, by: level, min_n: minN, method } = q;
  const time = q.time ?? 'total';
  const scope = q.scope.trim() || 'all';
  if (scope !== 'all' && !(await categoryExists(ctx, scope)))
    throw badParameter('scope', `scope: ${quoteValue(scope)} is neither 'all' nor a known service category`);
  // Complaints are not timed per category, so a category scope for a rate is a category filter.
  const population = metric !== 'slow_share' && scope !== 'all' ? { ...ctx.f, category: scope } : ctx.f;
  const data = await loadSignalData({ ...ctx, f: population }, time);
  const out = computeFunnel(signalGroups(data, metric, level, scope), metric, minN, method);
  let selN = 0;
  let selCount = 0;
  for (const g of signalGroups(data, metric, 'office', scope))
    if (inView(ctx.f, 'office', g)) {
      selN += g.n;
      selCount += g.count;
    }
  return {
    metric,
    time,
    by: level,
    scope,
    target: out.target,
    phi: out.phi,
    method,
    tau2: out.tau2,
    min_n: minN,
    rows: out.rows
      .filter((r) => inView(ctx.f, level, r))
      .map((r) => ({
        key: r.key,
        label: groupLabel(ctx.labels, level, r.key).label,
        district: r.district,
        n: r.n,
        count: r.count,
        value: r.value,
        z: r.z,
        p: r.p,
        q: r.q,
        lo95: r.lo95,
        hi95: r.hi95,
        lo998: r.lo998,
        hi998: r.hi998,
        flag: r.flag,
        tested: r.tested,
      })),
    curve: curveFor(out),
    selection: {
      ...selectionLabel(ctx.labels, ctx.f),
      n: selN,
      count: selCount,
      value: selN > 0 ? selCount / selN : null,
    },
  };
}
