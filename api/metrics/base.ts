/**
 * Shared SQL building blocks for the metric modules: the filtered case facts (durations, ages, breach),
 * month keys in Tehran local time (Gregorian or Solar Hijri), and the Kaplan–Meier median in SQL.
 * DESIGN "Metric definitions": durations are (closed_at − submitted_at) s / 86 400 for completed and
 * rejected cases; open cases are censored at their age on the dataset's as-of time; withdrawn cases
 * count in n_cases only.
 */
import type { Db, Params } from '../db.ts';
import { caseConditions, complaintConditions, type Filters } from '../filters.ts';
import { jalaliToGregorian } from '../lib/jalali.ts';

export type Calendar = 'gregorian' | 'jalali';

export interface Sql {
  sql: string;
  params: Params;
}

/** The dataset's as-of instant (epoch seconds): `dataset.as_of`, else the latest timestamp in the cases. */
export async function loadAsOf(db: Db): Promise<number | null> {
  // Two steps: the fallback scans every case, so it must not run when as_of is set.
  const set = await db.one<{ s: number | null }>(
    'SELECT epoch(as_of)::DOUBLE AS s FROM dataset WHERE id = 1',
  );
  if (set?.s !== null && set?.s !== undefined) return Number(set.s);
  const row = await db.one<{ s: number | null }>(
    'SELECT epoch(max(coalesce(closed_at, submitted_at)))::DOUBLE AS s FROM cases',
  );
  return row?.s ?? null;
}

export const DURATION_SQL = `CASE WHEN c.status IN ('completed', 'rejected') AND c.closed_at IS NOT NULL
    THEN (epoch(c.closed_at) - epoch(c.submitted_at)) / 86400.0 END`;

/**
 * `facts` CTE: the filtered rows of `case_facts` (see facts.ts): district, category, dur (closed
 * only), age on the as-of time (open only), breached (DESIGN 2; NULL = not counted), sub_d (the
 * Tehran-local submission date) and the month keys mk_gregorian / mk_jalali.
 * The as-of time is baked into case_facts when it is built; `_asOfS` is kept for the call sites.
 */
export function factsCte(f: Filters, _asOfS: number | null, prefix = 'f'): Sql {
  const w = caseConditions(f, prefix);
  return {
    sql: `${prefix === 'f' ? 'facts' : `facts_${prefix}`} AS (SELECT * FROM case_facts c WHERE ${w.sql})`,
    params: w.params,
  };
}

/** `kfacts` CTE: filtered rows of `complaint_facts` (district, category, rec_d, month keys). */
export function complaintFactsCte(f: Filters, prefix = 'k'): Sql {
  const w = complaintConditions(f, prefix);
  return { sql: `kfacts AS (SELECT * FROM complaint_facts k WHERE ${w.sql})`, params: w.params };
}

// Nowruz (1 Farvardin) falls on 19–22 March; the list holds its March day for each Gregorian year.
const NOWRUZ_FIRST_YEAR = 1980;
const NOWRUZ_LAST_YEAR = 2060;
const NOWRUZ_DAYS = Array.from({ length: NOWRUZ_LAST_YEAR - NOWRUZ_FIRST_YEAR + 1 }, (_, i) => {
  const [, gm, gd] = jalaliToGregorian(NOWRUZ_FIRST_YEAR + i - 621, 1, 1);
  if (gm !== 3) throw new Error('Nowruz outside March');
  return gd;
});
const NOWRUZ_LIST = `[${NOWRUZ_DAYS.join(', ')}]`;

/**
 * SQL for the month key 'YYYY-MM' of a Tehran-local DATE expression `d`. Jalali: days since the
 * year's Nowruz; months 1–6 have 31 days, 7–11 have 30, so the month follows by integer division.
 * Exact for Gregorian years 1980–2060 (NULL outside), tested against the TS calendar day by day.
 */
export function monthKeySql(d: string, calendar: Calendar): string {
  if (calendar === 'gregorian') return `strftime(${d}, '%Y-%m')`;
  const nowruz = (y: string) => `make_date(${y}, 3, ${NOWRUZ_LIST}[${y} - ${NOWRUZ_FIRST_YEAR - 1}])`;
  const y = `year(${d})`;
  const after = `(${d} >= ${nowruz(y)})`;
  const k = `(${d} - CASE WHEN ${after} THEN ${nowruz(y)} ELSE ${nowruz(`(${y} - 1)`)} END)`;
  const jy = `(${y} - CASE WHEN ${after} THEN 621 ELSE 622 END)`;
  const jm = `CASE WHEN ${k} < 186 THEN ${k} // 31 + 1 ELSE 7 + (${k} - 186) // 30 END`;
  return `printf('%04d-%02d', ${jy}, ${jm})`;
}

/**
 * `km` CTE over a relation `src(k, dur, age, km_order)`: the Kaplan–Meier median per k (DESIGN 1), the smallest
 * event time with S(t) ≤ 0.5; open cases are censored at their age and, at a tied time, still at risk
 * (events first): `km_order` (facts.ts) numbers all cases in that order. Computed with one sort instead of a running product over every distinct time:
 * number the group's N cases 1..N in that order. Each event row r multiplies S by (N−r)/(N−r+1),
 * so over all rows the product telescopes to (N−r)/N, and S(r) = (N−r)/N · e^(−C), where C sums
 * ln(1 − 1/(N−p+1)) over the censored rows p before r (a censored row's factor, divided back out).
 * Between two censored rows C is constant, so the first event row with S ≤ 0.5 in each stretch is
 * r ≥ N − 0.5·N·e^C; the median is the time of the smallest such row. Only the censored rows (open
 * cases, a few percent) go through the running sum. The 1e-9 slack keeps an exact S = 0.5 exact.
 * Checked against the statistics library's product-limit estimator in test/api/processing.test.ts.
 */
export function kmCte(src: string, single = false, ranked = false): string {
  // One group: no PARTITION BY, which DuckDB would otherwise hash into a single slow partition.
  const over = single ? 'ORDER BY km_order' : 'PARTITION BY k ORDER BY km_order';
  // `ranked`: src carries `km_rank`, each row's number in that order within its group, read from
  // case_facts (processing.ts decides when that equals what the window would compute). Then the rows
  // need no sort, and scanning them twice is cheaper than materialising millions of rows.
  const rank = ranked ? 'km_rank::BIGINT' : `row_number() OVER (${over})`;
  return `km_n AS (SELECT k, count(*)::DOUBLE AS n FROM ${src} WHERE dur IS NOT NULL OR age IS NOT NULL GROUP BY k),
    km_rows AS ${ranked ? 'NOT MATERIALIZED' : 'MATERIALIZED'} (
      SELECT k, coalesce(dur, age) AS t, dur IS NULL AS cens,
        ${rank} AS r
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
    km AS (
      SELECT km_pick.k, km_rows.t AS km_median
      FROM km_pick JOIN km_rows ON km_rows.k = km_pick.k AND km_rows.r = km_pick.r)`;
}

/** Group-key SQL over `facts`, from an allow-list only. */
export const CASE_GROUP_KEYS = {
  district: 'district::VARCHAR',
  office: 'office_id',
  service: 'service_code',
  category: "coalesce(category, '')",
  city: "'all'",
} as const;

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** ISO 8601 UTC text for a TIMESTAMPTZ expression ('2022-07-24T05:33:00Z'). */
export const isoSql = (expr: string): string =>
  `strftime((${expr}) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`;

export const isoFromEpoch = (s: number | null): string | null =>
  s === null ? null : new Date(Math.round(s) * 1000).toISOString().replace('.000Z', 'Z');
