/**
 * DESIGN 8: monthly series per group (city, district or office), months in Tehran local time,
 * Gregorian or Solar Hijri. complaints: cases by submitted month, complaints by received month,
 * value = complaints per case, u-chart limits ū ± 3√(ū/nₜ) (lower not below 0) with ū = Σc/Σn of
 * the series. processing: value = the month's median days of closed cases submitted that month
 * (quantile_cont), center = the median of the monthly medians; no control limits (ucl/lcl null).
 */
import type { Db } from '../db.ts';
import type { Filters } from '../filters.ts';
import { median, uChart } from '../stats/index.ts';
import { type Calendar, complaintFactsCte, factsCte, num } from './base.ts';
import type { Labels } from './labels.ts';

export const TREND_METRICS = ['complaints', 'processing'] as const;
export type TrendMetric = (typeof TREND_METRICS)[number];
export const TREND_BY = ['city', 'district', 'office'] as const;
export type TrendBy = (typeof TREND_BY)[number];

const KEY: Record<TrendBy, string> = { city: "'all'", district: 'district::VARCHAR', office: 'office_id' };

export interface TrendPoint {
  month: string;
  n: number;
  count: number | null;
  value: number | null;
  center: number | null;
  ucl: number | null;
  lcl: number | null;
}

/** The 'city' series of an inspector covers only their districts, and says so. */
function scopeLabel(f: Filters, labels: Labels): { fa: string; en: string } {
  if (!f.scope) return { fa: 'کل شهر', en: 'Whole city' };
  const names = f.scope.map((d) => labels.district(d));
  return { fa: names.map((n) => n.fa).join('، '), en: names.map((n) => n.en).join(', ') };
}

export async function trends(
  db: Db,
  f: Filters,
  asOfS: number | null,
  metric: TrendMetric,
  by: TrendBy,
  calendar: Calendar,
  labels: Labels,
) {
  const facts = factsCte(f, asOfS);
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
        n AS (SELECT ${KEY[by]} AS k, mk_${calendar} AS mk, count(*)::INTEGER AS n FROM facts GROUP BY ALL),
        c AS (SELECT ${KEY[by]} AS k, mk_${calendar} AS mk, count(*)::INTEGER AS c FROM kfacts GROUP BY ALL)
      SELECT coalesce(n.k, c.k) AS k, coalesce(n.mk, c.mk) AS mk, coalesce(n.n, 0) AS n, coalesce(c.c, 0) AS c
      FROM n FULL JOIN c ON n.k = c.k AND n.mk = c.mk`,
      { ...facts.params, ...kf.params },
    );
    for (const r of rows)
      if (r.mk !== null) put(String(r.k), String(r.mk), { n: Number(r.n), c: Number(r.c), v: null });
  } else {
    const rows = await db.all<Record<string, unknown>>(
      `WITH ${facts.sql}
      SELECT ${KEY[by]} AS k, mk_${calendar} AS mk, count(dur)::INTEGER AS n,
        quantile_cont(dur, 0.5) AS v
      FROM facts GROUP BY ALL`,
      facts.params,
    );
    for (const r of rows)
      if (r.mk !== null) put(String(r.k), String(r.mk), { n: Number(r.n), c: null, v: num(r.v) });
  }
  const allMonths = [...months].sort();
  const keys = [...cells.keys()].sort((a, b) =>
    by === 'district' ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0,
  );
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
    const label =
      by === 'city'
        ? scopeLabel(f, labels)
        : by === 'district'
          ? labels.district(k)
          : { fa: labels.office(k).name, en: k };
    return { key: k, label: label.fa, label_en: label.en, points };
  });
  return { metric, by, calendar, series };
}
