/**
 * Month keys 'YYYY-MM' in SQL, Gregorian or Solar Hijri (DESIGN 8: months in Tehran local time, either
 * calendar on request). case_facts and complaint_facts carry both keys (metrics/facts.ts).
 */
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
