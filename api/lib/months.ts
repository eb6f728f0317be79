/**
 * Solar Hijri months as the monthly report names them: 'YYYY-MM' keys (the same keys as the trends'
 * `calendar=jalali` and `case_facts.mk_jalali`), their first and last days as Jalali date text the
 * common filters accept, and which months are complete before a dataset's as-of time.
 */
import { tehranFields, tehranLocalToUtcMs } from './dates.ts';
import { toLatinDigits } from './digits.ts';
import { gregorianToJalali, jalaliMonthLength, jalaliToGregorian } from './jalali.ts';

export interface JalaliMonth {
  y: number;
  m: number;
}

export const monthKey = ({ y, m }: JalaliMonth): string => `${y}-${String(m).padStart(2, '0')}`;

/** '1404-05', '1404/05', '1404/5', in Latin, Persian or Arabic-Indic digits; null when not a month. */
export function parseMonth(raw: string): JalaliMonth | null {
  const s = /^(\d{4})[-/](\d{1,2})$/.exec(toLatinDigits(raw.trim()));
  if (!s) return null;
  const y = Number(s[1]);
  const m = Number(s[2]);
  return m >= 1 && m <= 12 && y >= 1 && y <= 3000 ? { y, m } : null;
}

export function addMonths({ y, m }: JalaliMonth, n: number): JalaliMonth {
  const i = y * 12 + (m - 1) + n;
  return { y: Math.floor(i / 12), m: (i % 12) + 1 };
}

export const compareMonths = (a: JalaliMonth, b: JalaliMonth): number => a.y * 12 + a.m - (b.y * 12 + b.m);

const two = (n: number) => String(n).padStart(2, '0');

/** The month's first and last day as Jalali dates ('1404/05/01', '1404/05/31'): a `from`/`to` window. */
export function monthWindow(month: JalaliMonth): { from: string; to: string } {
  const { y, m } = month;
  return { from: `${y}/${two(m)}/01`, to: `${y}/${two(m)}/${two(jalaliMonthLength(y, m))}` };
}

/** The Jalali month of an instant, in Tehran local time. */
export function monthOf(utcMs: number): JalaliMonth {
  const f = tehranFields(utcMs);
  const [y, m] = gregorianToJalali(f.y, f.mo, f.d);
  return { y, m };
}

/**
 * The last month the data covers whole: the month before the one the first instant after the as-of
 * time falls in. The as-of time covers its whole second (data "as of 23:59:59" on a month's last day
 * includes that day), so the instant after it is as-of + 1 s.
 */
export const lastCompleteMonth = (asOfMs: number): JalaliMonth => addMonths(monthOf(asOfMs + 1000), -1);

/** The month's start and end (exclusive) as epoch seconds: Tehran-local midnights. */
export function monthBoundsS(month: JalaliMonth): { fromS: number; toS: number } {
  const next = addMonths(month, 1);
  const start = (x: JalaliMonth) => {
    const [gy, gm, gd] = jalaliToGregorian(x.y, x.m, 1);
    return tehranLocalToUtcMs(gy, gm, gd) / 1000;
  };
  return { fromS: start(month), toS: start(next) };
}
