/**
 * DESIGN 1 (processing time) and DESIGN 2 (deadline breach rate) per group.
 * n_cases counts every filtered case (withdrawn included); median/p90 are DuckDB quantile_cont
 * (linear interpolation) over closed cases; km_median counts open cases as censored at their age on
 * the as-of time. breach_rate = breached / (closed with a deadline + open past their deadline).
 */
import type { Db } from '../db.ts';
import type { Filters } from '../filters.ts';
import { CASE_GROUP_KEYS, type Calendar, factsCte, kmCte, num } from './base.ts';
import type { Labels } from './labels.ts';
import { memo } from './memo.ts';

export const PROCESSING_BY = ['district', 'office', 'service', 'category', 'month'] as const;
export type ProcessingBy = (typeof PROCESSING_BY)[number];

export interface ProcessingStats {
  n_cases: number;
  n_closed: number;
  n_open: number;
  median_days: number | null;
  p90_days: number | null;
  mean_days: number | null;
  km_median_days: number | null;
  breach_rate: number | null;
  n_breached: number;
  n_deadline_decided: number;
}

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

/** Stats per group; `keySql` is an allow-listed expression over the `facts` columns. */
export function groupStats(
  db: Db,
  f: Filters,
  asOfS: number | null,
  keySql: string,
): Promise<Map<string, ProcessingStats>> {
  return memo(db, `groupStats ${keySql} ${JSON.stringify(f)}`, () => computeGroupStats(db, f, asOfS, keySql));
}

/**
 * The case_facts column that already holds each row's Kaplan–Meier rank within its group, when the
 * filters keep or drop whole groups only: then the filtered group is the whole group, and its rank
 * order is the same. Any filter that can split a group (dates, channel, a service within a district,
 * an inspector's scope over services) returns null and the ranks are computed in the query.
 */
export function precomputedRank(f: Filters, keySql: string): string | null {
  const present = (Object.keys(f) as (keyof Filters)[]).filter((k) => f[k] !== undefined && f[k] !== null);
  const only = (...allowed: (keyof Filters)[]) => present.every((k) => allowed.includes(k));
  const has = (k: keyof Filters) => present.includes(k);
  switch (keySql) {
    case CASE_GROUP_KEYS.office:
      return only('district', 'office', 'scope') ? 'km_r_office' : null;
    case CASE_GROUP_KEYS.district:
      return only('district', 'scope') ? 'km_r_district' : null;
    case CASE_GROUP_KEYS.service:
      return only('service', 'category') ? 'km_r_service' : null;
    case CASE_GROUP_KEYS.category:
      return only('category') ? 'km_r_category' : null;
    case CASE_GROUP_KEYS.city:
      // one group, so the filters must select exactly one office, district, service or category
      if (present.length === 0) return 'km_order';
      if (has('office') && only('district', 'office', 'scope')) return 'km_r_office';
      if (has('district') && only('district', 'scope')) return 'km_r_district';
      if (has('service') && only('service', 'category')) return 'km_r_service';
      if (has('category') && only('category')) return 'km_r_category';
      return null;
    case 'mk_gregorian':
    case 'mk_jalali':
      // any filter, a date window included, can cut a month short
      return present.length === 0 ? `km_r_${keySql}` : null;
    default:
      return null;
  }
}

/** `ranked` false forces the in-query ranks (to check the two agree). */
export async function computeGroupStats(
  db: Db,
  f: Filters,
  asOfS: number | null,
  keySql: string,
  ranked = true,
): Promise<Map<string, ProcessingStats>> {
  const facts = factsCte(f, asOfS);
  const rank = ranked ? precomputedRank(f, keySql) : null;
  const rows = await db.all<Record<string, unknown>>(
    `WITH ${facts.sql},
      g AS (SELECT (${keySql}) AS k, dur, age, km_order, ${rank ?? 'NULL'} AS km_rank, status, breached FROM facts),
      agg AS (
        SELECT k, count(*)::INTEGER AS n_cases, count(dur)::INTEGER AS n_closed,
          count_if(status = 'open')::INTEGER AS n_open,
          quantile_cont(dur, 0.5) AS median_days, quantile_cont(dur, 0.9) AS p90_days, avg(dur) AS mean_days,
          count_if(breached)::INTEGER AS n_breached, count(breached)::INTEGER AS n_decided
        FROM g GROUP BY k),
      ${kmCte('g', keySql === "'all'", rank !== null)}
    SELECT agg.*, km.km_median FROM agg LEFT JOIN km ON km.k IS NOT DISTINCT FROM agg.k`,
    facts.params,
  );
  const out = new Map<string, ProcessingStats>();
  for (const r of rows) {
    const nDecided = Number(r.n_decided);
    out.set(String(r.k), {
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
    });
  }
  return out;
}

export function processingKeySql(by: ProcessingBy, calendar: Calendar): string {
  return by === 'month' ? `mk_${calendar}` : CASE_GROUP_KEYS[by];
}

export interface ProcessingRow extends ProcessingStats {
  key: string;
  label: string;
  label_en: string;
}

export function labelFor(
  by: ProcessingBy | 'city',
  key: string,
  labels: Labels,
): { label: string; label_en: string } {
  switch (by) {
    case 'district': {
      const d = labels.district(key);
      return { label: d.fa, label_en: d.en };
    }
    case 'office': {
      const o = labels.office(key);
      return { label: o.name, label_en: key };
    }
    case 'service': {
      const s = labels.service(key);
      return { label: s.name, label_en: s.name_en ?? key };
    }
    case 'category': {
      const c = labels.category(key);
      return { label: c.fa, label_en: c.en };
    }
    case 'city':
      return { label: 'کل شهر', label_en: 'Whole city' };
    default:
      return { label: key, label_en: key };
  }
}

export async function processing(
  db: Db,
  f: Filters,
  asOfS: number | null,
  by: ProcessingBy,
  calendar: Calendar,
  labels: Labels,
): Promise<{ rows: ProcessingRow[]; total: ProcessingRow }> {
  const [groups, all] = await Promise.all([
    groupStats(db, f, asOfS, processingKeySql(by, calendar)),
    groupStats(db, f, asOfS, "'all'"),
  ]);
  const total = all.get('all') ?? EMPTY_STATS;
  const keys = [...groups.keys()].sort((a, b) =>
    by === 'district' ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0,
  );
  return {
    rows: keys.map((k) => ({ key: k, ...labelFor(by, k, labels), ...groups.get(k)! })),
    total: { key: 'all', ...labelFor('city', 'all', labels), ...total },
  };
}
