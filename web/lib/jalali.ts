/**
 * Solar Hijri (Jalali) dates for the date picker, on the same conversion the API uses (api/lib/jalali.ts):
 * the browser's Intl can format Persian dates but cannot parse them back.
 */
import { toLatinDigits } from '../../api/lib/digits.ts';
import {
  gregorianToJalali,
  isJalaliLeapYear,
  jalaliMonthLength,
  jalaliToGregorian,
} from '../../api/lib/jalali.ts';

export interface JalaliDate {
  jy: number;
  jm: number;
  jd: number;
}

export function isLeapJalaliYear(jy: number): boolean {
  return isJalaliLeapYear(jy);
}

export { jalaliMonthLength };

/** Gregorian day of a valid Jalali day (throws RangeError for an impossible one). */
export function toGregorian(jy: number, jm: number, jd: number): { gy: number; gm: number; gd: number } {
  const [gy, gm, gd] = jalaliToGregorian(jy, jm, jd);
  return { gy, gm, gd };
}

export function toJalali(gy: number, gm: number, gd: number): JalaliDate {
  const [jy, jm, jd] = gregorianToJalali(gy, gm, gd);
  return { jy, jm, jd };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** '2023-09-23' → '1402/07/01' (Latin digits; the caller localises them). */
export function isoToJalali(iso: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const { jy, jm, jd } = toJalali(Number(m[1]), Number(m[2]), Number(m[3]));
  return `${jy}/${pad(jm)}/${pad(jd)}`;
}

export type DateParse =
  | { ok: true; iso: string }
  | { ok: false; reason: 'format' | 'month' | 'day' | 'year' };

/**
 * Reads what a person typed in the date box: Jalali `1402/07/01` (or with `-`, Persian or
 * Arabic digits) or ISO `2023-09-23`. Years ≥ 1700 are taken as Gregorian, so both calendars
 * can be typed in either language. Returns the ISO Gregorian day the URL and API use.
 */
export function parseDateInput(text: string): DateParse {
  const s = toLatinDigits(text.trim());
  const m = /^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$/.exec(s);
  if (!m) return { ok: false, reason: 'format' };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) return { ok: false, reason: 'month' };
  if (y >= 1700) {
    const probe = new Date(Date.UTC(y, mo - 1, d));
    if (d < 1 || probe.getUTCMonth() !== mo - 1) return { ok: false, reason: 'day' };
    return { ok: true, iso: `${y}-${pad(mo)}-${pad(d)}` };
  }
  if (y < 1300 || y > 1500) return { ok: false, reason: 'year' };
  if (d < 1 || d > jalaliMonthLength(y, mo)) return { ok: false, reason: 'day' };
  const g = toGregorian(y, mo, d);
  return { ok: true, iso: `${g.gy}-${pad(g.gm)}-${pad(g.gd)}` };
}
