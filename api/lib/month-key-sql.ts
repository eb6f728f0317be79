/**
 * Month keys 'YYYY-MM' in SQL, Gregorian or Solar Hijri (DESIGN 8: months in Tehran local time, either
 * calendar on request). case_facts and complaint_facts carry both keys (metrics/facts.ts).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Calendar } from '../params.ts';
import { jalaliToGregorian } from './jalali.ts';

// Nowruz (1 Farvardin) falls on 19–22 March; the list holds its March day for each Gregorian year.
const NOWRUZ_FIRST_YEAR = 1980;
const NOWRUZ_LAST_YEAR = 2060;
const NOWRUZ_DAYS = Array.from({ length: NOWRUZ_LAST_YEAR - NOWRUZ_FIRST_YEAR + 1 }, (_, i) => {
  const [, gm, gd] = jalaliToGregorian(NOWRUZ_FIRST_YEAR + i - 621, 1, 1);
  if (gm !== 3) throw new Error('Nowruz outside March');
  return gd;
});
const NOWRUZ_LIST = `[${NOWRUZ_DAYS.join(', ')}]`;
/** SQL for the date of Nowruz in the Gregorian year `y`: NULL outside 1980–2060 (a list index below 1 would count
 * from the list's end). */
const nowruz = (y: string) =>
  `CASE WHEN ${y} BETWEEN ${NOWRUZ_FIRST_YEAR} AND ${NOWRUZ_LAST_YEAR} THEN make_date(${y}, 3, ${NOWRUZ_LIST}[${y} - ${NOWRUZ_FIRST_YEAR - 1}]) END`;

/**
 * SQL for the month key 'YYYY-MM' of a Tehran-local DATE expression `d`. Jalali: days since the
 * year's Nowruz; months 1–6 have 31 days, 7–11 have 30, so the month follows by integer division.
 * Exact for Gregorian years 1980–2060 (NULL outside), tested against the TS calendar day by day.
 */
export function monthKeySql(d: string, calendar: Calendar): string {
  if (calendar === 'gregorian') return `strftime(${d}, '%Y-%m')`;
  const y = `year(${d})`;
  const after = `(${d} >= ${nowruz(y)})`;
  const k = `(${d} - CASE WHEN ${after} THEN ${nowruz(y)} WHEN NOT ${after} THEN ${nowruz(`(${y} - 1)`)} END)`;
  const jy = `(${y} - CASE WHEN ${after} THEN 621 ELSE 622 END)`;
  const jm = `CASE WHEN ${k} < 186 THEN ${k} // 31 + 1 ELSE 7 + (${k} - 186) // 30 END`;
  return `printf('%04d-%02d', ${jy}, ${jm})`;
}

/**
 * The Solar Hijri year of the Jalali month key, as a number without making the key: NULL exactly where the key is
 * NULL. facts.ts sorts ten million cases on it; made from the key's printf, it was 2 s of CPU more (0.8 s).
 */
export function jalaliYearSql(d: string): string {
  const y = `year(${d})`;
  const after = `(${d} >= ${nowruz(y)})`;
  return `CASE WHEN ${after} THEN ${y} - 621 WHEN NOT ${after} AND ${nowruz(`(${y} - 1)`)} IS NOT NULL THEN ${y} - 622 END`;
}

/** The longest span of days whose keys `monthKeyDays` lists (55 years, some 150 kB of SQL per calendar). */
const MAX_LISTED_DAYS = 20_000;

/**
 * Month keys of the days from `fromSql` to `toSql` (SQL for DATE bounds, e.g. a column's min and max), made once
 * per day by `monthKeySql` and looked up by day: the keys of ten million cases in 0.4 s instead of 1.2 s
 * (facts.ts). A day outside the span (or beyond MAX_LISTED_DAYS) takes `monthKeySql` itself.
 */
export async function monthKeyDays(
  c: DuckDBConnection,
  fromSql: string,
  toSql: string,
): Promise<(d: string, calendar: Calendar) => string> {
  const span = (
    await c.runAndReadAll(
      `SELECT (${fromSql} - DATE '1970-01-01')::INTEGER AS lo, (${toSql} - DATE '1970-01-01')::INTEGER AS hi`,
    )
  ).getRowObjects()[0] as { lo: number | null; hi: number | null };
  if (span.lo === null || span.hi === null) return monthKeySql;
  const lo = span.lo;
  const hi = Math.min(span.hi, lo + MAX_LISTED_DAYS - 1);
  const keys = (
    await c.runAndReadAll(
      `SELECT list(${monthKeySql('d', 'gregorian')} ORDER BY d) AS g, list(${monthKeySql('d', 'jalali')} ORDER BY d) AS j
       FROM (SELECT DATE '1970-01-01' + x::INTEGER AS d FROM range(${lo}, ${hi + 1}) r(x))`,
    )
  ).getRowObjects()[0] as Record<'g' | 'j', { items: (string | null)[] }>;
  // the keys are digits and '-' (or NULL): nothing to quote
  const list = (l: { items: (string | null)[] }) =>
    `([${l.items.map((k) => (k === null ? 'NULL' : `'${k}'`)).join(',')}]::VARCHAR[])`;
  const lists = { gregorian: list(keys.g), jalali: list(keys.j) };
  return (d, calendar) => {
    const i = `((${d}) - DATE '1970-01-01')::INTEGER - ${lo - 1}`;
    return `CASE WHEN ${i} BETWEEN 1 AND ${hi - lo + 1} THEN ${lists[calendar]}[${i}] ELSE ${monthKeySql(d, calendar)} END`;
  };
}
