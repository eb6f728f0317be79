/**
 * DESIGN 8: monthly series per group (city, district or office), months in Tehran local time,
 * Gregorian or Solar Hijri. complaints: cases by submitted month, complaints by received month,
 * value = complaints per case, u-chart limits ū ± 3√(ū/nₜ) (lower not below 0) with ū = Σc/Σn of
 * the series' full months; `flag` marks a full month outside its limits. processing: value = the
 * month's median days of closed cases submitted that month (quantile_cont), `km_median` its
 * Kaplan–Meier median (open cases censored at their age: processing.ts), `open_share` = open cases /
 * (closed + open) among them, `provisional` when open_share > 10% (the closed median is biased low
 * while many are still open); center = the median of the full months' medians, no control limits.
 *
 * `partial`: a month the data covers only in part — it starts before the data's first timestamp (the
 * earliest submitted_at or received_at), ends after the as-of time, or is cut by the request's date
 * window. A partial month is never flagged and takes no part in ū or the center.
 * Month keys are Tehran-local, Gregorian or Solar Hijri (lib/month-key-sql.ts).
 *
 * Served by GET /api/trends (api/routes/trends.ts); drawn as control charts by
 * web/charts/controlChart.ts on the overview and an office's scorecard (scorecard.ts reuses it).
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { complaintFactsCte, factsCte, filterShape } from '../filters.ts';
import { jalaliToGregorian, tehranLocalToUtcMs } from '../lib/dates.ts';
import { CALENDARS, type Calendar, CalendarParam, FormatParam, query } from '../params.ts';
import { median, uChart } from '../stats/index.ts';
import { loadAsOf } from './facts.ts';
import { compareKeys, groupLabel, selectionLabel } from './labels.ts';
import { CASE_GROUP_KEYS, groupStats } from './processing.ts';

export const TREND_METRICS = ['complaints', 'processing'] as const;
export type TrendMetric = (typeof TREND_METRICS)[number];
export const TREND_BY = ['city', 'district', 'office'] as const;
export type TrendBy = (typeof TREND_BY)[number];

export const TrendsQuery = query({
  ...filterShape,
  metric: z.enum(TREND_METRICS).default('complaints'),
  by: z.enum(TREND_BY).default('city'),
  calendar: CalendarParam,
  format: FormatParam,
});

const value = z.number().nullable();
const TrendPointSchema = z.object({
  month: z.string(),
  n: z.number(),
  count: value,
  value,
  center: value,
  ucl: value,
  lcl: value,
  partial: z.boolean().openapi({ description: 'The data covers this month only in part: never flagged' }),
  flag: z
    .enum(['above', 'below'])
    .nullable()
    .openapi({ description: 'complaints: a full month outside its limits' }),
  km_median: value.openapi({
    description: "processing: the month's Kaplan–Meier median (open cases censored)",
  }),
  open_share: value.openapi({ description: "processing: open / (closed + open) among the month's cases" }),
  provisional: z
    .boolean()
    .openapi({ description: 'processing: open_share above 10%: the median may still rise' }),
});
type TrendPoint = z.output<typeof TrendPointSchema>;

export const TrendsSchema = z.object({
  metric: z.enum(TREND_METRICS),
  by: z.enum(TREND_BY),
  calendar: z.enum(CALENDARS),
  series: z.array(
    z.object({ key: z.string(), label: z.string(), label_en: z.string(), points: z.array(TrendPointSchema) }),
  ),
});
export type TrendsAnswer = z.output<typeof TrendsSchema>;

/** DESIGN 8: above this share of still-open cases a month's closed-case median is provisional. */
export const PROVISIONAL_OPEN_SHARE = 0.1;

/** [start, end) of a Tehran-local month key 'YYYY-MM', in epoch ms. */
export function monthSpanMs(month: string, calendar: Calendar): [number, number] {
  const [y, m] = month.split('-').map(Number);
  const [ny, nm] = m === 12 ? [y + 1, 1] : [y, m + 1];
  const start = (yy: number, mm: number) => {
    const [gy, gm, gd] = calendar === 'jalali' ? jalaliToGregorian(yy, mm, 1) : [yy, mm, 1];
    return tehranLocalToUtcMs(gy, gm, gd);
  };
  return [start(y, m), start(ny, nm)];
}

/** The span the data covers: its first timestamp to the as-of time (epoch ms), kept per dataset. */
function coverage(ctx: RequestContext): Promise<[number | null, number | null]> {
  return ctx.cache.get('data coverage', async () => {
    const [first, asOf] = await Promise.all([
      ctx.db.one<{ s: number | null }>(
        `SELECT epoch(least((SELECT min(submitted_at) FROM cases), (SELECT min(received_at) FROM complaints)))::DOUBLE AS s`,
      ),
      loadAsOf(ctx.db),
    ]);
    return [first?.s == null ? null : Number(first.s) * 1000, asOf === null ? null : asOf * 1000];
  });
}

export async function trends(
  ctx: RequestContext,
  q: { metric: TrendMetric; by: TrendBy; calendar: Calendar },
): Promise<TrendsAnswer> {
  const { db, f, labels } = ctx;
  const { metric, by, calendar } = q;
  const key = CASE_GROUP_KEYS[by];
  interface Cell {
    n: number;
    c: number | null;
    v: number | null;
    km: number | null;
    open: number | null;
  }
  const cells = new Map<string, Map<string, Cell>>();
  const months = new Set<string>();
  const put = (k: string, m: string, cell: Cell) => {
    if (!cells.has(k)) cells.set(k, new Map());
    cells.get(k)!.set(m, cell);
    months.add(m);
  };
  const [first, asOf] = await coverage(ctx);
  if (metric === 'complaints') {
    const facts = factsCte(f);
    const kf = complaintFactsCte(f);
    const rows = await db.all<Record<string, unknown>>(
      `WITH ${facts.sql}, ${kf.sql},
        n AS (SELECT ${key} AS k, mk_${calendar} AS mk, count(*)::INTEGER AS n FROM facts GROUP BY ALL),
        c AS (SELECT ${key} AS k, mk_${calendar} AS mk, count(*)::INTEGER AS c FROM kfacts GROUP BY ALL)
      SELECT coalesce(n.k, c.k) AS k, coalesce(n.mk, c.mk) AS mk, coalesce(n.n, 0) AS n, coalesce(c.c, 0) AS c
      FROM n FULL JOIN c ON n.k = c.k AND n.mk = c.mk`,
      { ...facts.params, ...kf.params },
    );
    for (const r of rows)
      if (r.mk !== null)
        put(String(r.k), String(r.mk), { n: Number(r.n), c: Number(r.c), v: null, km: null, open: null });
  } else {
    // one group per (group, month): the closed median, the Kaplan–Meier median and the open count
    const stats = await groupStats(ctx, `(${key}) || '|' || mk_${calendar}`);
    for (const [gk, st] of stats) {
      const cut = gk.lastIndexOf('|');
      if (cut < 0) continue; // a case without a month key (outside the calendar's range)
      const timed = st.n_closed + st.n_open;
      put(gk.slice(0, cut), gk.slice(cut + 1), {
        n: st.n_closed,
        c: null,
        v: st.median_days,
        km: st.km_median_days,
        open: timed > 0 ? st.n_open / timed : null,
      });
    }
  }
  const lo = Math.max(first ?? -Infinity, f.fromS === undefined ? -Infinity : f.fromS * 1000);
  const hi = Math.min(asOf ?? Infinity, f.toS === undefined ? Infinity : f.toS * 1000);
  const isPartial = (m: string) => {
    const [start, end] = monthSpanMs(m, calendar);
    return start < lo || end > hi;
  };
  const allMonths = [...months].sort();
  const partial = new Map(allMonths.map((m) => [m, isPartial(m)]));
  const keys = [...cells.keys()].sort(compareKeys(by));
  const empty: Cell = { n: 0, c: 0, v: null, km: null, open: null };
  const series = keys.map((k) => {
    const byMonth = cells.get(k)!;
    const filled = allMonths.map((m) => ({
      month: m,
      partial: partial.get(m)!,
      ...(byMonth.get(m) ?? empty),
    }));
    let points: TrendPoint[];
    if (metric === 'complaints') {
      const u = uChart(filled.map((p) => ({ n: p.n, c: p.c ?? 0, partial: p.partial })));
      points = filled.map((p, i) => ({
        month: p.month,
        n: p.n,
        count: p.c ?? 0,
        value: u.rows[i].value,
        center: u.center,
        ucl: u.rows[i].ucl,
        lcl: u.rows[i].lcl,
        partial: p.partial,
        flag: u.rows[i].flag,
        km_median: null,
        open_share: null,
        provisional: false,
      }));
    } else {
      const meds = filled
        .filter((p) => !p.partial)
        .map((p) => p.v)
        .filter((v): v is number => v !== null);
      const center = meds.length ? median(meds) : null;
      points = filled.map((p) => ({
        month: p.month,
        n: p.n,
        count: null,
        value: p.v,
        center,
        ucl: null,
        lcl: null,
        partial: p.partial,
        flag: null,
        km_median: p.km,
        open_share: p.open,
        provisional: p.open !== null && p.open > PROVISIONAL_OPEN_SHARE,
      }));
    }
    return { key: k, ...(by === 'city' ? selectionLabel(labels, f) : groupLabel(labels, by, k)), points };
  });
  return { metric, by, calendar, series };
}
