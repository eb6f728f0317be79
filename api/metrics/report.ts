/**
 * The council's monthly report (issue 15): one Solar Hijri month against the month before, for the
 * whole city, one district, or an inspector's districts (DESIGN 10: the report says which). Every
 * number comes from the metric modules over the month's window (cases by submitted_at, complaints by
 * received_at): processing times and breach rates (processing.ts, DESIGN 1–2), complaint counts
 * (complaints.ts, DESIGN 5), the flags of the month (outliers.ts, DESIGN 7) and the monthly series
 * (trends.ts, DESIGN 8), and, where the dataset holds an event log, each district's bottleneck stage of
 * the month (stages.ts, DESIGN 12) and whose hands the scope's days were in (stage-actors.ts, DESIGN 13).
 * What is new here is which changes since the previous month are beyond chance:
 *
 * - medians (the scope's, each service category's and each district's): the Wilcoxon rank-sum
 *   (Mann–Whitney) test of the two months' closed-case durations (stats/rank-sum.ts);
 * - the deadline breach rate: the two-proportion z-test (stats/rate-tests.ts);
 * - complaint rates per case (all complaints, and each complaint category): the exact conditional
 *   test of two Poisson rates with the months' cases as exposure (stats/rate-tests.ts);
 *
 * with Benjamini–Hochberg q-values over all of the report's tests; a change is "beyond chance" when
 * q < 0.05. Closed-case medians of a month whose cases are not yet mostly closed are biased low
 * (DESIGN 8): each month carries its open share, and the report marks a month with more than 10% of
 * its cases open as provisional.
 *
 * Served by GET /api/report (api/routes/report.ts); the Report page (web/views/Report.tsx) turns it
 * into sentences (web/lib/reportSentences.ts) and prints it; `npm run report` prints it to PDF.
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { badParameter, quoteValue } from '../errors.ts';
import { factsCte, filterShape } from '../filters.ts';
import {
  addMonths,
  compareMonths,
  type JalaliMonth,
  lastCompleteMonth,
  monthBoundsS,
  monthKey,
  monthOf,
  parseMonth,
} from '../lib/months.ts';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_CATEGORY_LABELS,
  COMPLAINT_SOURCE_LABELS,
  COMPLAINT_SOURCES,
  type ComplaintCategory,
  type ComplaintSource,
} from '../lib/vocab.ts';
import { MAX_PARAM_LENGTH, query } from '../params.ts';
import { bhQValues, poissonRateTest, rankSumTest, twoProportionTest } from '../stats/index.ts';
import { type ComplaintCount, complaintCounts, rateCounts } from './complaints.ts';
import { loadAsOf } from './facts.ts';
import { compareKeys, groupLabel } from './labels.ts';
import { OutliersSchema, outliers } from './outliers.ts';
import { EMPTY_STATS, type ProcessingStats, processing } from './processing.ts';
import { ByActor, ByActorNullable, stageActors } from './stage-actors.ts';
import { ACTORS, type Actor, ActorSchema, loadStageNames, StageNameFields } from './stage-facts.ts';
import { bottleneckRows, stageFigures } from './stages.ts';
import { PROVISIONAL_OPEN_SHARE, trends } from './trends.ts';

/** A change is beyond chance when its BH q-value is below this. */
export const REPORT_ALPHA = 0.05;
/** A district needs this many closed cases in a month to be called the slowest (variance's min_n). */
export const SLOWEST_MIN_N = 20;
/** The outliers endpoint's default volume for a flag (DESIGN 7). */
export const FLAGS_MIN_N = 30;
/**
 * A district's bottleneck is named in the summary only over at least this many cases with events in
 * the month (variance's min_n, as for the slowest district).
 */
export const STAGE_MIN_CASES = 20;
/** Months of the trend the report draws, the report month last. */
export const TREND_MONTHS = 12;

export const ReportQuery = query({
  month: z.string().max(MAX_PARAM_LENGTH).optional().openapi({
    description:
      "Solar Hijri month, '1404-05' or '1404/05' (Persian digits allowed); default: the last month complete at the as-of time",
    example: '1404-05',
  }),
  district: filterShape.district,
});

const days = z.number().nullable();

const MonthFiguresSchema = z.object({
  n_cases: z.number(),
  n_closed: z.number(),
  n_open: z.number(),
  median_days: days,
  km_median_days: days,
  p90_days: days,
  breach_rate: z.number().nullable(),
  n_breached: z.number(),
  n_deadline_decided: z.number(),
  /** n_open / (n_closed + n_open), as the trends' (DESIGN 8) */
  open_share: z.number().nullable(),
  provisional: z.boolean(),
});
type MonthFigures = z.output<typeof MonthFiguresSchema>;

const RateFiguresSchema = z.object({
  complaints: z.number(),
  /** complaints per case (cases of the same window) */
  rate: z.number().nullable(),
});

export const REPORT_TESTS = ['rank_sum', 'two_proportion', 'poisson'] as const;
export const CHANGE_KINDS = ['median', 'breach_rate', 'complaint_rate'] as const;
export const CHANGE_GROUPS = ['scope', 'category', 'district', 'complaint_category'] as const;

const ChangeSchema = z.object({
  kind: z.enum(CHANGE_KINDS),
  group: z.enum(CHANGE_GROUPS),
  key: z.string(),
  label: z.string(),
  label_en: z.string(),
  /** the previous month's value and this month's: days, a proportion, or complaints per case */
  before: z.number().nullable(),
  after: z.number().nullable(),
  n_before: z.number(),
  n_after: z.number(),
  test: z.enum(REPORT_TESTS),
  /** z for rank_sum and two_proportion; the rate ratio for poisson */
  statistic: z.number().nullable(),
  p: z.number(),
  q: z.number(),
  beyond_chance: z.boolean(),
  direction: z.enum(['up', 'down', 'same']),
  /**
   * Either month has more than 10% of the group's cases open: its median of closed cases and its
   * breach rate are biased low (the slow cases are the ones still open), so the change may shrink.
   */
  provisional: z.boolean(),
});
export type ReportChange = z.output<typeof ChangeSchema>;

const GroupMonthsSchema = z.object({
  key: z.string(),
  label: z.string(),
  label_en: z.string(),
  current: MonthFiguresSchema,
  previous: MonthFiguresSchema,
});

const DistrictRowSchema = GroupMonthsSchema.extend({
  district: z.number(),
  complaints: RateFiguresSchema,
  previous_complaints: RateFiguresSchema,
});

const CountRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  label_en: z.string(),
  count: z.number(),
  previous: z.number(),
  rate: z.number().nullable(),
  previous_rate: z.number().nullable(),
});

const StageBottleneckSchema = z.object({
  district: z.number(),
  label: z.string(),
  label_en: z.string(),
  ...StageNameFields,
  /** who holds the case during the stage (the stage's most frequent actor, DESIGN 13) */
  actor: ActorSchema,
  /** Σ step time of the stage over the district's cases of the month (DESIGN 12) */
  total_days: z.number(),
  /** the stage's share of all the district's step time */
  share: z.number().nullable(),
  /** the district's cases of the month with at least one event */
  n_cases: z.number(),
});

const ReportStagesSchema = z
  .object({
    /** the scope's cases of the month (by submitted_at) with at least one event */
    n_cases: z.number(),
    min_cases: z.number(),
    /** per district in scope with events: its bottleneck (DESIGN 12), in district order */
    bottlenecks: z.array(StageBottleneckSchema),
    /**
     * The summary's bottleneck: the district whose bottleneck takes the largest share of its step
     * time, among districts with at least `min_cases` cases with events; null when none has.
     */
    top: StageBottleneckSchema.nullable(),
    /** the scope's step days by actor and each actor's share of them (DESIGN 13) */
    actors: z.object({ total_days: z.number(), days: ByActor, shares: ByActorNullable }),
  })
  .nullable()
  .openapi({
    description:
      'Stage bottlenecks of the month (DESIGN 12–13); null when the dataset holds no event data at all',
  });

export const ReportSchema = z.object({
  month: z.string().openapi({ description: "Solar Hijri 'YYYY-MM'" }),
  previous_month: z.string(),
  window: z.object({ from: z.string(), to: z.string() }).openapi({
    description: 'The month as ISO instants: from inclusive, to exclusive (Tehran-local midnights)',
  }),
  previous_window: z.object({ from: z.string(), to: z.string() }),
  as_of: z.string().nullable(),
  /** Complete months with data, newest first: what the report can be asked for. */
  months: z.array(z.string()),
  scope: z.object({
    kind: z.enum(['city', 'district', 'user_districts']),
    districts: z.array(z.number()).nullable(),
    label: z.string(),
    label_en: z.string(),
  }),
  settings: z.object({
    alpha: z.number(),
    provisional_open_share: z.number(),
    slowest_min_n: z.number(),
    flags_min_n: z.number(),
  }),
  total: z.object({
    current: MonthFiguresSchema,
    previous: MonthFiguresSchema,
    complaints: RateFiguresSchema,
    previous_complaints: RateFiguresSchema,
  }),
  categories: z.array(GroupMonthsSchema),
  districts: z.array(DistrictRowSchema),
  slowest: z
    .object({
      district: z.number(),
      label: z.string(),
      label_en: z.string(),
      median_days: z.number(),
      n_closed: z.number(),
      /** consecutive months, ending with the report's, in which this district was the slowest */
      months_running: z.number(),
      /** the months looked back over (the streak cannot be longer) */
      months_checked: z.number(),
    })
    .nullable(),
  changes: z.array(ChangeSchema),
  flags: OutliersSchema,
  complaints_by_category: z.array(CountRowSchema),
  complaints_by_source: z.array(CountRowSchema),
  trend: z.array(
    z.object({
      month: z.string(),
      n_cases: z.number(),
      n_closed: z.number(),
      median_days: days,
      /** more than 10% of the month's cases still open (trends.ts, DESIGN 8) */
      provisional: z.boolean(),
      complaints: z.number(),
      complaint_rate: z.number().nullable(),
    }),
  ),
  stages: ReportStagesSchema,
});
export type ReportAnswer = z.output<typeof ReportSchema>;

// ---- months

const iso = (s: number) => new Date(s * 1000).toISOString();

/** The report's month: the one asked for, else the last complete one; a 400 naming `month` otherwise. */
function chooseMonth(raw: string | undefined, complete: JalaliMonth, first: JalaliMonth | null): JalaliMonth {
  if (raw === undefined) return complete;
  const m = parseMonth(raw);
  if (!m)
    throw badParameter(
      'month',
      `month: ${quoteValue(raw)} is not a Solar Hijri month; use 1404-05 or 1404/05`,
    );
  if (compareMonths(m, complete) > 0)
    throw badParameter(
      'month',
      `month: ${monthKey(m)} is not complete in the data (the last complete month is ${monthKey(complete)})`,
    );
  if (!first || compareMonths(m, first) < 0)
    throw badParameter(
      'month',
      first
        ? `month: ${monthKey(m)} is before the data begins (${monthKey(first)})`
        : 'month: the dataset holds no cases',
    );
  return m;
}

// ---- figures

function monthFigures(s: ProcessingStats): MonthFigures {
  // DESIGN 8 (as trends.ts): open among the cases that are closed or open (withdrawn ones are neither)
  const openShare = s.n_closed + s.n_open > 0 ? s.n_open / (s.n_closed + s.n_open) : null;
  return {
    n_cases: s.n_cases,
    n_closed: s.n_closed,
    n_open: s.n_open,
    median_days: s.median_days,
    km_median_days: s.km_median_days,
    p90_days: s.p90_days,
    breach_rate: s.breach_rate,
    n_breached: s.n_breached,
    n_deadline_decided: s.n_deadline_decided,
    open_share: openShare,
    provisional: openShare !== null && openShare > PROVISIONAL_OPEN_SHARE,
  };
}

const rateFigures = (complaints: number, cases: number) => ({
  complaints,
  rate: cases > 0 ? complaints / cases : null,
});

/** Closed-case durations of both months, by month, district and category, for the rank-sum tests. */
async function durations(ctx: RequestContext, current: string) {
  const facts = factsCte(ctx.f);
  const rows = await ctx.db.all<{ cur: boolean; district: number; category: string; dur: number }>(
    `WITH ${facts.sql}
    SELECT mk_jalali = $current AS cur, district, coalesce(category, '') AS category, dur
    FROM facts WHERE dur IS NOT NULL`,
    { ...facts.params, current },
  );
  type Pair = { cur: number[]; prev: number[] };
  const groups = new Map<string, Pair>();
  const add = (key: string, cur: boolean, v: number) => {
    let g = groups.get(key);
    if (!g) {
      g = { cur: [], prev: [] };
      groups.set(key, g);
    }
    (cur ? g.cur : g.prev).push(v);
  };
  for (const r of rows) {
    const v = Number(r.dur);
    add('scope', r.cur, v);
    add(`category:${r.category}`, r.cur, v);
    add(`district:${r.district}`, r.cur, v);
  }
  return (key: string): Pair => groups.get(key) ?? { cur: [], prev: [] };
}

const direction = (before: number | null, after: number | null) =>
  before === null || after === null || before === after ? 'same' : after > before ? 'up' : 'down';

type Untested = Omit<ReportChange, 'q' | 'beyond_chance'>;

function medianChange(
  group: ReportChange['group'],
  key: string,
  label: { label: string; label_en: string },
  cur: MonthFigures,
  prev: MonthFigures,
  samples: { cur: number[]; prev: number[] },
): Untested | null {
  const t = rankSumTest(samples.cur, samples.prev);
  if (!t) return null;
  return {
    kind: 'median',
    group,
    key,
    ...label,
    before: prev.median_days,
    after: cur.median_days,
    n_before: t.n2,
    n_after: t.n1,
    test: 'rank_sum',
    statistic: t.z,
    p: t.p,
    direction: direction(prev.median_days, cur.median_days),
    provisional: cur.provisional || prev.provisional,
  };
}

function complaintChange(
  group: ReportChange['group'],
  key: string,
  label: { label: string; label_en: string },
  cur: { count: number; cases: number },
  prev: { count: number; cases: number },
): Untested | null {
  if (cur.count + prev.count === 0) return null;
  const t = poissonRateTest(cur.count, cur.cases, prev.count, prev.cases);
  if (!t) return null;
  const before = prev.count / prev.cases;
  const after = cur.count / cur.cases;
  return {
    kind: 'complaint_rate',
    group,
    key,
    ...label,
    before,
    after,
    n_before: prev.count,
    n_after: cur.count,
    test: 'poisson',
    statistic: t.ratio,
    p: t.p,
    direction: direction(before, after),
    provisional: false,
  };
}

/** Counts per category (or source), both months, in the vocabulary's order and then any other key. */
function countRows<K extends string>(
  known: readonly K[],
  labels: Record<K, { fa: string; en: string }>,
  keyOf: (c: ComplaintCount) => string,
  cur: ComplaintCount[],
  prev: ComplaintCount[],
  cases: { cur: number; prev: number },
) {
  const sum = (rows: ComplaintCount[]) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(keyOf(r), (m.get(keyOf(r)) ?? 0) + r.count);
    return m;
  };
  const a = sum(cur);
  const b = sum(prev);
  const extra = [...new Set([...a.keys(), ...b.keys()])].filter(
    (k) => !(known as readonly string[]).includes(k),
  );
  return [...known, ...extra.sort()].map((key) => {
    const l = (labels as Record<string, { fa: string; en: string }>)[key];
    const count = a.get(key) ?? 0;
    const previous = b.get(key) ?? 0;
    return {
      key,
      label: l?.fa ?? (key === '' ? '—' : key),
      label_en: l?.en ?? (key === '' ? '(none)' : key),
      count,
      previous,
      rate: cases.cur > 0 ? count / cases.cur : null,
      previous_rate: cases.prev > 0 ? previous / cases.prev : null,
    };
  });
}

function scopeOfReport(ctx: RequestContext): ReportAnswer['scope'] {
  const { f, labels } = ctx;
  if (f.district !== undefined) {
    const d = labels.district(f.district);
    return { kind: 'district', districts: [f.district], label: d.fa, label_en: d.en };
  }
  if (f.scope) {
    const names = f.scope.map((d) => labels.district(d));
    return {
      kind: 'user_districts',
      districts: [...f.scope],
      label: names.map((n) => n.fa).join('، '),
      label_en: names.map((n) => n.en).join(', '),
    };
  }
  return { kind: 'city', districts: null, ...groupLabel(labels, 'city', 'all') };
}

// ---- the answer

export async function report(ctx: RequestContext, q: { month?: string }): Promise<ReportAnswer> {
  const { db, labels } = ctx;
  const [asOfS, range] = await Promise.all([
    loadAsOf(db),
    db.one<{ lo: number | null }>('SELECT min(sub_s)::DOUBLE AS lo FROM case_facts'),
  ]);
  if (asOfS === null || range?.lo === null || range?.lo === undefined)
    throw badParameter('month', 'month: the dataset holds no cases, so there is no month to report on');
  const complete = lastCompleteMonth(asOfS * 1000);
  const first = monthOf(range.lo * 1000);
  const month = chooseMonth(q.month, complete, first);
  const prevMonth = addMonths(month, -1);
  const months: string[] = [];
  for (let m = complete; compareMonths(m, first) >= 0; m = addMonths(m, -1)) months.push(monthKey(m));

  const cur = monthBoundsS(month);
  const prev = monthBoundsS(prevMonth);
  const trendStart = monthBoundsS(addMonths(month, -(TREND_MONTHS - 1)));
  const at = (w: { fromS: number; toS: number }): RequestContext => ({ ...ctx, f: { ...ctx.f, ...w } });
  const cCur = at(cur);
  const cPrev = at(prev);
  const cBoth = at({ fromS: prev.fromS, toS: cur.toS });
  const cTrend = at({ fromS: trendStart.fromS, toS: cur.toS });

  const [
    byCatCur,
    byCatPrev,
    byDistCur,
    byDistPrev,
    kCur,
    kPrev,
    kdCur,
    kdPrev,
    flags,
    monthly,
    trendComplaints,
    samples,
    stageSection,
  ] = await Promise.all([
    processing(cCur, { by: 'category', calendar: 'jalali' }),
    processing(cPrev, { by: 'category', calendar: 'jalali' }),
    processing(cCur, { by: 'district', calendar: 'jalali' }),
    processing(cPrev, { by: 'district', calendar: 'jalali' }),
    complaintCounts(cCur),
    complaintCounts(cPrev),
    rateCounts(cCur),
    rateCounts(cPrev),
    outliers(cCur, { min_n: FLAGS_MIN_N, method: 'multiplicative' }),
    monthlyMedians(cTrend),
    trends(cTrend, { metric: 'complaints', by: 'city', calendar: 'jalali' }),
    durations(cBoth, monthKey(month)),
    monthStages(cCur),
  ]);

  const totalCur = monthFigures(byCatCur.total);
  const totalPrev = monthFigures(byCatPrev.total);
  const casesCur = byCatCur.total.n_cases;
  const casesPrev = byCatPrev.total.n_cases;
  const kTotal = (rows: ComplaintCount[]) => rows.reduce((s, r) => s + r.count, 0);

  const untested: Untested[] = [];
  const push = (c: Untested | null) => {
    if (c) untested.push(c);
  };
  const scope = scopeOfReport(ctx);
  const scopeLabel = { label: scope.label, label_en: scope.label_en };

  // the scope as a whole
  push(medianChange('scope', 'all', scopeLabel, totalCur, totalPrev, samples('scope')));
  const breach = twoProportionTest(
    totalCur.n_breached,
    totalCur.n_deadline_decided,
    totalPrev.n_breached,
    totalPrev.n_deadline_decided,
  );
  if (breach)
    untested.push({
      kind: 'breach_rate',
      group: 'scope',
      key: 'all',
      ...scopeLabel,
      before: totalPrev.breach_rate,
      after: totalCur.breach_rate,
      n_before: totalPrev.n_deadline_decided,
      n_after: totalCur.n_deadline_decided,
      test: 'two_proportion',
      statistic: breach.z,
      p: breach.p,
      direction: direction(totalPrev.breach_rate, totalCur.breach_rate),
      provisional: totalCur.provisional || totalPrev.provisional,
    });
  push(
    complaintChange(
      'scope',
      'all',
      scopeLabel,
      { count: kTotal(kCur), cases: casesCur },
      { count: kTotal(kPrev), cases: casesPrev },
    ),
  );

  // service categories
  const catKeys = [...new Set([...byCatCur.rows, ...byCatPrev.rows].map((r) => r.key))].sort(
    compareKeys('category'),
  );
  const statsOf = (rows: { key: string }[], key: string) =>
    (rows.find((r) => r.key === key) as ProcessingStats | undefined) ?? EMPTY_STATS;
  const categories = catKeys.map((key) => {
    const l = groupLabel(labels, 'category', key);
    const row = {
      key,
      ...l,
      current: monthFigures(statsOf(byCatCur.rows, key)),
      previous: monthFigures(statsOf(byCatPrev.rows, key)),
    };
    push(medianChange('category', key, l, row.current, row.previous, samples(`category:${key}`)));
    return row;
  });

  // districts
  const kByDistrict = (rows: { district: number; complaints: number }[]) => {
    const m = new Map<number, number>();
    for (const r of rows) m.set(r.district, (m.get(r.district) ?? 0) + r.complaints);
    return m;
  };
  const kdc = kByDistrict(kdCur);
  const kdp = kByDistrict(kdPrev);
  const distKeys = [...new Set([...byDistCur.rows, ...byDistPrev.rows].map((r) => r.key))].sort(
    compareKeys('district'),
  );
  const districts = distKeys.map((key) => {
    const d = Number(key);
    const l = groupLabel(labels, 'district', key);
    const current = monthFigures(statsOf(byDistCur.rows, key));
    const previous = monthFigures(statsOf(byDistPrev.rows, key));
    push(medianChange('district', key, l, current, previous, samples(`district:${key}`)));
    return {
      key,
      district: d,
      ...l,
      current,
      previous,
      complaints: rateFigures(kdc.get(d) ?? 0, current.n_cases),
      previous_complaints: rateFigures(kdp.get(d) ?? 0, previous.n_cases),
    };
  });

  // complaints by category (each tested) and by source
  const complaintsByCategory = countRows<ComplaintCategory>(
    COMPLAINT_CATEGORIES,
    COMPLAINT_CATEGORY_LABELS,
    (r) => r.category,
    kCur,
    kPrev,
    { cur: casesCur, prev: casesPrev },
  );
  for (const r of complaintsByCategory)
    push(
      complaintChange(
        'complaint_category',
        r.key,
        { label: r.label, label_en: r.label_en },
        { count: r.count, cases: casesCur },
        { count: r.previous, cases: casesPrev },
      ),
    );
  const complaintsBySource = countRows<ComplaintSource>(
    COMPLAINT_SOURCES,
    COMPLAINT_SOURCE_LABELS,
    (r) => r.source ?? '',
    kCur,
    kPrev,
    { cur: casesCur, prev: casesPrev },
  );

  // Benjamini–Hochberg over every test of the report
  const qs = bhQValues(untested.map((c) => c.p));
  const changes: ReportChange[] = untested.map((c, i) => {
    const qv = qs[i] ?? 1;
    return { ...c, q: qv, beyond_chance: qv < REPORT_ALPHA };
  });

  return {
    month: monthKey(month),
    previous_month: monthKey(prevMonth),
    window: { from: iso(cur.fromS), to: iso(cur.toS) },
    previous_window: { from: iso(prev.fromS), to: iso(prev.toS) },
    as_of: iso(asOfS),
    months,
    scope,
    settings: {
      alpha: REPORT_ALPHA,
      provisional_open_share: PROVISIONAL_OPEN_SHARE,
      slowest_min_n: SLOWEST_MIN_N,
      flags_min_n: FLAGS_MIN_N,
    },
    total: {
      current: totalCur,
      previous: totalPrev,
      complaints: rateFigures(kTotal(kCur), casesCur),
      previous_complaints: rateFigures(kTotal(kPrev), casesPrev),
    },
    categories,
    districts,
    slowest: slowestDistrict(monthly, monthKey(month), ctx),
    changes,
    flags,
    complaints_by_category: complaintsByCategory,
    complaints_by_source: complaintsBySource,
    trend: trendRows(monthly, trendComplaints, month),
    stages: stageSection,
  };
}

/** Whether the dataset holds any event at all (else the report says no event data is loaded). */
function eventsLoaded(ctx: RequestContext): Promise<boolean> {
  return ctx.cache.get('eventsLoaded', async () => {
    const row = await ctx.db.one<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM events) AS "any"');
    return Boolean(row?.any);
  });
}

/**
 * The month's stages (ctx holds the month's window and the report's scope): each district's
 * bottleneck from the same figures and rule as GET /api/stages?by=district (stages.ts), the cases
 * with events and the days by actor per district from GET /api/stages/actors?by=district
 * (stage-actors.ts), summed over the scope (days add up; a case lies in one district).
 */
async function monthStages(ctx: RequestContext): Promise<ReportAnswer['stages']> {
  if (!(await eventsLoaded(ctx))) return null;
  const [names, figures, actors] = await Promise.all([
    loadStageNames(ctx),
    stageFigures(ctx, ctx.f, 'district'),
    stageActors(ctx, { by: 'district' }),
  ]);
  const cases = new Map(actors.rows.map((r) => [r.key, r.n_cases]));
  const rows = bottleneckRows(ctx, 'district', figures, names)
    .map(({ key, ...b }) => ({ district: Number(key), ...b, n_cases: cases.get(key) ?? 0 }))
    .sort((a, b) => a.district - b.district);
  let top: (typeof rows)[number] | null = null;
  for (const b of rows)
    if (b.n_cases >= STAGE_MIN_CASES && b.share !== null && (top === null || b.share > (top.share ?? 0)))
      top = b;
  const days = Object.fromEntries(ACTORS.map((a) => [a, 0])) as Record<Actor, number>;
  for (const r of actors.rows) for (const a of ACTORS) days[a] += r.days[a];
  const total = ACTORS.reduce((s, a) => s + days[a], 0);
  const shares = Object.fromEntries(ACTORS.map((a) => [a, total > 0 ? days[a] / total : null])) as Record<
    Actor,
    number | null
  >;
  return {
    n_cases: actors.rows.reduce((s, r) => s + r.n_cases, 0),
    min_cases: STAGE_MIN_CASES,
    bottlenecks: rows,
    top,
    actors: { total_days: total, days, shares },
  };
}

type Trends = Awaited<ReturnType<typeof trends>>;

interface MonthCell {
  n_closed: number;
  n_open: number;
  median: number | null;
}

/**
 * DESIGN 8's monthly median of closed cases (quantile_cont, cases by submitted month), per district
 * and for the whole scope, and each month's open share, over the trend's window. The same figure as
 * GET /api/trends?metric=processing (checked in test/api/report.test.ts) without the Kaplan–Meier
 * median per month that the trends compute and the report does not show: one grouped scan instead of
 * two KM passes over twelve months of cases (2.5 s each on the full city).
 */
async function monthlyMedians(ctx: RequestContext): Promise<Map<string, Map<string, MonthCell>>> {
  const facts = factsCte(ctx.f);
  const rows = await ctx.db.all<Record<string, unknown>>(
    `WITH ${facts.sql}
    SELECT CASE WHEN grouping(district) = 1 THEN 'all' ELSE district::VARCHAR END AS k, mk_jalali AS mk,
      count(dur)::INTEGER AS n_closed, count_if(status = 'open')::INTEGER AS n_open,
      quantile_cont(dur, 0.5) AS median
    FROM facts GROUP BY GROUPING SETS ((district, mk_jalali), (mk_jalali))`,
    facts.params,
  );
  const out = new Map<string, Map<string, MonthCell>>();
  for (const r of rows) {
    const k = String(r.k);
    if (!out.has(k)) out.set(k, new Map());
    out.get(k)!.set(String(r.mk), {
      n_closed: Number(r.n_closed),
      n_open: Number(r.n_open),
      median: r.median === null ? null : Number(r.median),
    });
  }
  return out;
}

/**
 * The slowest district of the report month (highest median of closed cases among districts with at
 * least SLOWEST_MIN_N of them, and at least two such districts), and for how many months running it
 * has been the slowest, from the districts' monthly medians (DESIGN 8).
 */
function slowestDistrict(
  monthly: Map<string, Map<string, MonthCell>>,
  month: string,
  ctx: RequestContext,
): ReportAnswer['slowest'] {
  const districts = [...monthly.keys()].filter((k) => k !== 'all');
  const months = [...new Set([...monthly.values()].flatMap((m) => [...m.keys()]))].sort().reverse();
  const slowestIn = (m: string) => {
    const eligible = districts
      .map((key) => ({ key, c: monthly.get(key)?.get(m) }))
      .filter((x): x is { key: string; c: MonthCell & { median: number } } =>
        Boolean(x.c && x.c.median !== null && x.c.n_closed >= SLOWEST_MIN_N),
      );
    if (eligible.length < 2) return null;
    return eligible.reduce((a, b) => (b.c.median > a.c.median ? b : a));
  };
  const top = slowestIn(month);
  if (!top) return null;
  const checked = months.filter((m) => m <= month);
  let running = 0;
  for (const m of checked) {
    if (slowestIn(m)?.key !== top.key) break;
    running++;
  }
  return {
    district: Number(top.key),
    ...groupLabel(ctx.labels, 'district', top.key),
    median_days: top.c.median,
    n_closed: top.c.n_closed,
    months_running: running,
    months_checked: checked.length,
  };
}

/** The scope's last TREND_MONTHS months: cases, the median of closed cases and complaints per case. */
function trendRows(
  monthly: Map<string, Map<string, MonthCell>>,
  complaints: Trends,
  month: JalaliMonth,
): ReportAnswer['trend'] {
  const t = monthly.get('all');
  const k = complaints.series[0]?.points ?? [];
  const out: ReportAnswer['trend'] = [];
  for (let i = TREND_MONTHS - 1; i >= 0; i--) {
    const m = monthKey(addMonths(month, -i));
    const tp = t?.get(m);
    const kp = k.find((p) => p.month === m);
    const nCases = kp?.n ?? 0;
    const decided = (tp?.n_closed ?? 0) + (tp?.n_open ?? 0);
    out.push({
      month: m,
      n_cases: nCases,
      n_closed: tp?.n_closed ?? 0,
      median_days: tp?.median ?? null,
      provisional: decided > 0 && (tp?.n_open ?? 0) / decided > PROVISIONAL_OPEN_SHARE,
      complaints: kp?.count ?? 0,
      complaint_rate: nCases > 0 ? (kp?.count ?? 0) / nCases : null,
    });
  }
  return out;
}
