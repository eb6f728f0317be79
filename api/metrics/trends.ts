/**
 * DESIGN 8: monthly series per group (city, district or office), months in Tehran local time,
 * Gregorian or Solar Hijri. complaints: cases by submitted month, complaints by received month,
 * value = complaints per case, u-chart limits ū ± 3√(ū/nₜ) (lower not below 0) with ū = Σc/Σn of
 * the series. processing: value = the month's median days of closed cases submitted that month
 * (quantile_cont), center = the median of the monthly medians; no control limits (ucl/lcl null).
 * Month keys are Tehran-local, Gregorian or Solar Hijri (lib/month-key-sql.ts).
 *
 * Served by GET /api/trends (api/routes/trends.ts); drawn as control charts by
 * web/charts/controlChart.ts on the overview and an office's scorecard (scorecard.ts reuses it).
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { complaintFactsCte, type Filters, factsCte, filterShape } from '../filters.ts';
import { num } from '../lib/sql.ts';
import { CALENDARS, type Calendar, CalendarParam, FormatParam, query } from '../params.ts';
import { median, uChart } from '../stats/index.ts';
import { compareKeys, groupLabel, type Labels } from './labels.ts';
import { CASE_GROUP_KEYS } from './processing.ts';

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

/** The 'city' series of an inspector covers only their districts, and says so. */
function scopeLabel(f: Filters, labels: Labels): { label: string; label_en: string } {
  if (!f.scope) return groupLabel(labels, 'city', 'all');
  const names = f.scope.map((d) => labels.district(d));
  return { label: names.map((n) => n.fa).join('، '), label_en: names.map((n) => n.en).join(', ') };
}

export async function trends(
  ctx: RequestContext,
  q: { metric: TrendMetric; by: TrendBy; calendar: Calendar },
): Promise<TrendsAnswer> {
  const { db, f, labels } = ctx;
  const { metric, by, calendar } = q;
  const key = CASE_GROUP_KEYS[by];
  const facts = factsCte(f);
  const cells = new Map<string, Map<string, { n: number; c: number | null; v: number | null }>>();
  const months = new Set<string>();
  const put = (k: string, m: string, cell: { n: number; c: number | null; v: number | null }) => {
    if (!cells.has(k)) cells.set(k, new Map());
    cells.get(k)!.set(m, cell);
    months.add(m);
  };
  if (metric === 'complaints') {
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
      if (r.mk !== null) put(String(r.k), String(r.mk), { n: Number(r.n), c: Number(r.c), v: null });
  } else {
    const rows = await db.all<Record<string, unknown>>(
      `WITH ${facts.sql}
      SELECT ${key} AS k, mk_${calendar} AS mk, count(dur)::INTEGER AS n,
        quantile_cont(dur, 0.5) AS v
      FROM facts GROUP BY ALL`,
      facts.params,
    );
    for (const r of rows)
      if (r.mk !== null) put(String(r.k), String(r.mk), { n: Number(r.n), c: null, v: num(r.v) });
  }
  const allMonths = [...months].sort();
  const keys = [...cells.keys()].sort(compareKeys(by));
  const series = keys.map((k) => {
    const byMonth = cells.get(k)!;
    const filled = allMonths.map((m) => ({ month: m, ...(byMonth.get(m) ?? { n: 0, c: 0, v: null }) }));
    let points: TrendPoint[];
    if (metric === 'complaints') {
      const u = uChart(filled.map((p) => ({ n: p.n, c: p.c ?? 0 })));
      points = filled.map((p, i) => ({
        month: p.month,
        n: p.n,
        count: p.c ?? 0,
        value: u.rows[i].value,
        center: u.center,
        ucl: u.rows[i].ucl,
        lcl: u.rows[i].lcl,
      }));
    } else {
      const meds = filled.map((p) => p.v).filter((v): v is number => v !== null);
      const center = meds.length ? median(meds) : null;
      points = filled.map((p) => ({
        month: p.month,
        n: p.n,
        count: null,
        value: p.v,
        center,
        ucl: null,
        lcl: null,
      }));
    }
    return { key: k, ...(by === 'city' ? scopeLabel(f, labels) : groupLabel(labels, by, k)), points };
  });
  return { metric, by, calendar, series };
}
