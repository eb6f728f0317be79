/**
 * DESIGN 1 (processing time) and DESIGN 2 (deadline breach rate) per group.
 *
 * Served by GET /api/processing (api/routes/processing.ts); shown as the overview's headline figures
 * and district map (web/views/Overview.tsx, web/lib/mapMetrics.ts, web/charts/districtMap.ts), and in
 * the offices list and scorecard (scorecard.ts).
 *
 * DESIGN 1: a case's duration is (closed_at − submitted_at) in seconds / 86 400, for completed and
 * rejected cases only; n_cases counts every filtered case (withdrawn included); median_days and
 * p90_days are quantile_cont (linear interpolation) over closed cases; km_median_days is the
 * Kaplan–Meier median that counts open cases as censored at their age on the dataset's as-of time.
 * DESIGN 2: the deadline is the case's own due_at, else submitted_at + the service's sla_days calendar
 * days; breached = closed after it, or open and already past it on the as-of time; breach_rate =
 * breached / (closed cases with a deadline + open cases past it): open cases still inside their
 * deadline are undecided.
 *
 * The per-case columns (dur, age, breached, the Kaplan–Meier order) are defined here and
 * materialised once per dataset in `case_facts` (facts.ts); a request aggregates them.
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { factsCte, filterShape } from '../filters.ts';
import { num } from '../lib/sql.ts';
import { CALENDARS, type Calendar, CalendarParam, FormatParam, query } from '../params.ts';
import type { OrderKey } from './case-order.ts';
import { compareKeys, groupLabel, selectionLabel } from './labels.ts';

// ---- per-case columns, over `cases c JOIN services s`; `_as_of.s` is the as-of instant (facts.ts)

/** DESIGN 1: days from submission to closing, for closed (completed or rejected) cases. */
export const DURATION_SQL = `CASE WHEN c.status IN ('completed', 'rejected') AND c.closed_at IS NOT NULL
    THEN (epoch(c.closed_at) - epoch(c.submitted_at)) / 86400.0 END`;

/** DESIGN 1: an open case's age on the as-of time, where the Kaplan–Meier median censors it. */
export const AGE_SQL = `CASE WHEN c.status = 'open' THEN greatest(((SELECT s FROM _as_of) - epoch(c.submitted_at)) / 86400.0, 0) END`;

/** `ts + to_days(n)`: a number of calendar days on the session zone's wall clock, as ICU adds it. */
export type AddDays = (ts: string, n: string) => string;
const ICU_ADD_DAYS: AddDays = (ts, n) => `${ts} + to_days(${n})`;

/**
 * DESIGN 2: TRUE / FALSE once decided, NULL without a deadline or while an open case is inside it. The deadline is
 * the case's own due time, else its service's days from submission; facts.ts passes lib/zone-arithmetic.ts's addition,
 * equal to ICU's and quicker.
 */
export function breachedSql(addDays: AddDays = ICU_ADD_DAYS): string {
  const deadline = `coalesce(c.due_at, ${addDays('c.submitted_at', 's.sla_days')})`;
  return `CASE
           WHEN ${deadline} IS NULL THEN NULL
           WHEN c.status IN ('completed', 'rejected') AND c.closed_at IS NOT NULL THEN c.closed_at > ${deadline}
           WHEN c.status = 'open' AND to_timestamp((SELECT s FROM _as_of)) > ${deadline} THEN TRUE
         END`;
}

/**
 * The Kaplan–Meier order (time, events before censorings at a tied time) as one integer over the
 * dur and age columns: sorting a group by it is several times faster than by (double, boolean).
 */
export const KM_ORDER_SQL = `CASE WHEN dur IS NOT NULL OR age IS NOT NULL THEN
         row_number() OVER (ORDER BY coalesce(dur, age) NULLS LAST, dur IS NULL, case_id) END::INTEGER`;

/**
 * KM_ORDER_SQL computed on (case_id, dur, age) alone, for a join back by case_id (facts.ts): a window sorts every
 * column it is given, and the fact rows' seventeen made that one sort 10 s of a 24 s build at ten million cases.
 */
export const KM_ORDER_NARROW_SQL = `SELECT case_id AS km_case, ${KM_ORDER_SQL} AS km_order
  FROM (SELECT c.case_id, ${DURATION_SQL} AS dur, ${AGE_SQL} AS age FROM cases c)`;

/** Group keys over `facts`, from an allow-list only. */
export const CASE_GROUP_KEYS = {
  district: 'district::VARCHAR',
  office: 'office_id',
  service: 'service_code',
  category: "coalesce(category, '')",
  city: "'all'",
} as const;

/**
 * `km` CTE over a relation `src(k, dur, age, km_order)`: the Kaplan–Meier median per k (DESIGN 1, R
 * `survival`'s rule): the smallest event time with S(t) < 0.5, or, where S(t) is exactly 0.5 (to
 * 1e-9) until the next event time, the midpoint of the two (the left time if no event follows).
 * Open cases are censored at their age and, at a tied time, still at risk (events first): `km_order`
 * numbers all cases in that order. Computed with one sort instead of a running product over every
 * distinct time: number the group's N cases 1..N in that order. Each event row r multiplies S by
 * (N−r)/(N−r+1), so over all rows the product telescopes to (N−r)/N, and S(r) = (N−r)/N · e^(−C),
 * where C sums ln(1 − 1/(N−p+1)) over the censored rows p before r (a censored row's factor, divided
 * back out). Between two censored rows C is constant, so the first event row with S ≤ 0.5 in each
 * stretch is r ≥ N − 0.5·N·e^C; the smallest such row r* gives t*. S at t* itself is S after the
 * last event row at t* (ties are consecutive rows, events before censorings); where that is 0.5 the
 * next event time t' gives (t* + t')/2. Only the censored rows (open cases, a few percent) go through
 * the running sum. Checked against the statistics library's product-limit estimator (which follows
 * R) in test/api/processing.test.ts.
 */
export function kmCte(src: string, single = false): string {
  // One group: no PARTITION BY, which DuckDB would otherwise hash into a single slow partition.
  const over = single ? 'ORDER BY km_order' : 'PARTITION BY k ORDER BY km_order';
  return `km_n AS (SELECT k, count(*)::DOUBLE AS n FROM ${src} WHERE dur IS NOT NULL OR age IS NOT NULL GROUP BY k),
    km_rows AS MATERIALIZED (
      SELECT k, coalesce(dur, age) AS t, dur IS NULL AS cens,
        row_number() OVER (${over}) AS r
      FROM ${src} WHERE dur IS NOT NULL OR age IS NOT NULL),
    km_seg AS (
      SELECT k, p, n, coalesce(lead(p) OVER (PARTITION BY k ORDER BY p), n + 1) AS p_next,
        sum(CASE WHEN p = 0 THEN 0 WHEN n - p > 0 THEN ln(1 - 1 / (n - p + 1)) ELSE -1e300 END)
          OVER (PARTITION BY k ORDER BY p ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS c
      FROM (SELECT k, r::DOUBLE AS p FROM km_rows WHERE cens UNION ALL SELECT k, 0 FROM km_n) JOIN km_n USING (k)),
    km_pick AS (
      SELECT k, min(greatest(p + 1, ceil(n - 0.5 * n * exp(c) - 1e-9))) AS r
      FROM km_seg WHERE greatest(p + 1, ceil(n - 0.5 * n * exp(c) - 1e-9)) <= p_next - 1
      GROUP BY k),
    km_first AS (
      SELECT km_pick.k, km_rows.t FROM km_pick JOIN km_rows ON km_rows.k = km_pick.k AND km_rows.r = km_pick.r),
    km_last AS (
      SELECT km_first.k, km_first.t, max(km_rows.r) AS r_last
      FROM km_first JOIN km_rows ON km_rows.k = km_first.k AND km_rows.t = km_first.t AND NOT km_rows.cens
      GROUP BY km_first.k, km_first.t),
    km_half AS (
      SELECT km_last.k, km_last.t, km_last.r_last,
        abs((km_seg.n - km_last.r_last) / km_seg.n * exp(-km_seg.c) - 0.5) < 1e-9 AS at_half
      FROM km_last JOIN km_seg ON km_seg.k = km_last.k AND km_seg.p < km_last.r_last AND km_last.r_last < km_seg.p_next),
    km_next AS (
      SELECT km_half.k, min(km_rows.t) AS t_next
      FROM km_half JOIN km_rows ON km_rows.k = km_half.k AND km_rows.r > km_half.r_last AND NOT km_rows.cens
      WHERE km_half.at_half
      GROUP BY km_half.k),
    km AS (
      SELECT km_half.k, CASE WHEN km_next.t_next IS NULL THEN km_half.t ELSE (km_half.t + km_next.t_next) / 2 END AS km_median
      FROM km_half LEFT JOIN km_next ON km_next.k = km_half.k)`;
}

// ---- the answer

export const PROCESSING_BY = ['district', 'office', 'service', 'category', 'month'] as const;
export type ProcessingBy = (typeof PROCESSING_BY)[number];

export const ProcessingQuery = query({
  ...filterShape,
  by: z.enum(PROCESSING_BY).default('district').openapi({ description: 'Group by' }),
  calendar: CalendarParam,
  format: FormatParam,
});

const days = z.number().nullable();

/** One group's figures (DESIGN 1 and 2). */
export const ProcessingStatsSchema = z.object({
  n_cases: z.number(),
  n_closed: z.number(),
  n_open: z.number(),
  median_days: days,
  p90_days: days,
  mean_days: days,
  km_median_days: days,
  breach_rate: z.number().nullable(),
  n_breached: z.number(),
  n_deadline_decided: z.number(),
});
export type ProcessingStats = z.output<typeof ProcessingStatsSchema>;

const ProcessingRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  label_en: z.string(),
  ...ProcessingStatsSchema.shape,
});

export const ProcessingSchema = z.object({
  by: z.enum(PROCESSING_BY),
  calendar: z.enum(CALENDARS),
  rows: z.array(ProcessingRowSchema),
  total: ProcessingRowSchema,
});
export type ProcessingAnswer = z.output<typeof ProcessingSchema>;

export const EMPTY_STATS: ProcessingStats = {
  n_cases: 0,
  n_closed: 0,
  n_open: 0,
  median_days: null,
  p90_days: null,
  mean_days: null,
  km_median_days: null,
  breach_rate: null,
  n_breached: 0,
  n_deadline_decided: 0,
};

/** Stats per group of `ctx.f`'s cases; `keySql` is an allow-listed expression over the `facts` columns. */
export function groupStats(ctx: RequestContext, keySql: string): Promise<Map<string, ProcessingStats>> {
  return ctx.cache.get(`groupStats ${keySql} ${JSON.stringify(ctx.f)}`, () => computeGroupStats(ctx, keySql));
}

/** The case order's name for a group key (metrics/case-order.ts), for the keys it can group by. */
const ORDER_KEYS: Record<string, OrderKey> = (() => {
  const base = {
    [CASE_GROUP_KEYS.district]: 'district',
    [CASE_GROUP_KEYS.office]: 'office',
    [CASE_GROUP_KEYS.service]: 'service',
    [CASE_GROUP_KEYS.category]: 'category',
    [CASE_GROUP_KEYS.city]: 'city',
  } as const;
  const keys: Record<string, OrderKey> = { mk_gregorian: 'mk_gregorian', mk_jalali: 'mk_jalali' };
  for (const [sql, name] of Object.entries(base)) {
    keys[sql] = name;
    // trends.ts: a group and its month
    for (const month of ['mk_gregorian', 'mk_jalali'] as const)
      keys[`(${sql}) || '|' || ${month}`] = `${name}|${month}`;
  }
  return keys;
})();

/** Counts, mean and breaches per group over `g`: everything of ProcessingStats that is a sum over the cases. */
const SUM_COLUMNS = `count(*)::INTEGER AS n_cases, count(dur)::INTEGER AS n_closed,
          count_if(status = 'open')::INTEGER AS n_open, avg(dur) AS mean_days,
          count_if(breached)::INTEGER AS n_breached, count(breached)::INTEGER AS n_decided`;

function toStats(r: Record<string, unknown>): ProcessingStats {
  const nDecided = Number(r.n_decided);
  return {
    n_cases: Number(r.n_cases),
    n_closed: Number(r.n_closed),
    n_open: Number(r.n_open),
    median_days: num(r.median_days),
    p90_days: num(r.p90_days),
    mean_days: num(r.mean_days),
    km_median_days: num(r.km_median),
    breach_rate: nDecided > 0 ? Number(r.n_breached) / nDecided : null,
    n_breached: Number(r.n_breached),
    n_deadline_decided: nDecided,
  };
}

/**
 * A large selection takes its quantiles and Kaplan–Meier medians from the in-memory case order
 * (case-order.ts), once it is loaded, and only its sums from SQL; a small one, or any before the load,
 * all from SQL, which sorts the selection. `useOrder` false forces the SQL (to check the two agree).
 */
export async function computeGroupStats(
  ctx: RequestContext,
  keySql: string,
  useOrder = true,
): Promise<Map<string, ProcessingStats>> {
  const facts = factsCte(ctx.f);
  const orderKey = ORDER_KEYS[keySql];
  if (useOrder && orderKey && ctx.cache) {
    const order = await ctx.cache.loadedCaseOrder();
    // a small selection stays on the SQL, which then needs no second query for the sums
    if (order && order.estimate(ctx.f) >= ctx.cache.caseOrderMinRows) {
      // a grouped pass also yields the selection's total, which the request's city total then takes
      const done = orderKey === 'city' ? () => {} : order.announce(ctx.f);
      try {
        const sums = await ctx.db.all<Record<string, unknown>>(
          `WITH ${facts.sql}, g AS (SELECT (${keySql}) AS k, dur, status, breached FROM facts)
          SELECT k, ${SUM_COLUMNS} FROM g GROUP BY k`,
          facts.params,
        );
        const counts = new Map(
          sums.map((r) => [String(r.k), { n_closed: Number(r.n_closed), n_open: Number(r.n_open) }]),
        );
        let rows = 0;
        for (const c of counts.values()) rows += c.n_closed + c.n_open;
        const total = orderKey === 'city' ? await order.total(ctx.f) : null;
        const ordered =
          total && total.rows === rows ? total.stats : await order.stats(ctx.f, orderKey, counts);
        if (ordered) {
          return new Map(
            sums.map((r) => {
              const k = String(r.k);
              return [k, { ...toStats(r), ...ordered.get(k) }];
            }),
          );
        }
      } finally {
        done();
      }
    }
  }
  const rows = await ctx.db.all<Record<string, unknown>>(
    `WITH ${facts.sql},
      g AS (SELECT (${keySql}) AS k, dur, age, km_order, status, breached FROM facts),
      agg AS (
        -- both quantiles from one list argument: the values are gathered once, not twice
        SELECT k, ${SUM_COLUMNS}, quantile_cont(dur, [0.5, 0.9]) AS q FROM g GROUP BY k),
      ${kmCte('g', keySql === CASE_GROUP_KEYS.city)}
    SELECT agg.* EXCLUDE (q), agg.q[1] AS median_days, agg.q[2] AS p90_days, km.km_median
    FROM agg LEFT JOIN km ON km.k IS NOT DISTINCT FROM agg.k`,
    facts.params,
  );
  return new Map(rows.map((r) => [String(r.k), toStats(r)]));
}

function processingKeySql(by: ProcessingBy, calendar: Calendar): string {
  return by === 'month' ? `mk_${calendar}` : CASE_GROUP_KEYS[by];
}

export async function processing(
  ctx: RequestContext,
  q: { by: ProcessingBy; calendar: Calendar },
): Promise<ProcessingAnswer> {
  const [groups, all] = await Promise.all([
    groupStats(ctx, processingKeySql(q.by, q.calendar)),
    groupStats(ctx, CASE_GROUP_KEYS.city),
  ]);
  const keys = [...groups.keys()].sort(compareKeys(q.by));
  return {
    by: q.by,
    calendar: q.calendar,
    rows: keys.map((k) => ({ key: k, ...groupLabel(ctx.labels, q.by, k), ...groups.get(k)! })),
    total: { key: 'all', ...selectionLabel(ctx.labels, ctx.f), ...(all.get('all') ?? EMPTY_STATS) },
  };
}
