/**
 * Solar Hijri (Jalali) ↔ Gregorian conversion for the date picker.
 * Borkowski's algorithm with the 33-year break table, as in jalaali-js (MIT), re-typed here
 * because the browser's Intl can format Persian dates but cannot parse them back.
 */
import { toLatinDigits } from '../../api/lib/digits.ts';

export interface JalaliDate {
  jy: number;
  jm: number;
  jd: number;
}

const BREAKS = [
  -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178,
];

const div = (a: number, b: number) => Math.trunc(a / b);
const mod = (a: number, b: number) => a - Math.trunc(a / b) * b;

function jalCal(jy: number): { leap: number; gy: number; march: number } {
  const gy = jy + 621;
  let leapJ = -14;
  let jp = BREAKS[0];
  let jump = 0;
  if (jy < jp || jy >= BREAKS[BREAKS.length - 1]) throw new RangeError(`Jalali year ${jy} is out of range`);
  for (let i = 1; i < BREAKS.length; i++) {
    const jm = BREAKS[i];
    jump = jm - jp;
    if (jy < jm) break;
    leapJ += div(jump, 33) * 8 + div(mod(jump, 33), 4);
    jp = jm;
  }
  let n = jy - jp;
  leapJ += div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
  if (mod(jump, 33) === 4 && jump - n === 4) leapJ += 1;
  const leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
  const march = 20 + leapJ - leapG;
  if (jump - n < 6) n = n - jump + div(jump + 4, 33) * 33;
  let leap = mod(mod(n + 1, 33) - 1, 4);
  if (leap === -1) leap = 4;
  return { leap, gy, march };
}

function g2d(gy: number, gm: number, gd: number): number {
  const d = div((gy + div(gm - 8, 6) + 100100) * 1461, 4) + div(153 * mod(gm + 9, 12) + 2, 5) + gd - 34840408;
  return d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
}

function d2g(jdn: number): { gy: number; gm: number; gd: number } {
  let j = 4 * jdn + 139361631;
  j = j + div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
  const i = div(mod(j, 1461), 4) * 5 + 308;
  const gd = div(mod(i, 153), 5) + 1;
  const gm = mod(div(i, 153), 12) + 1;
  const gy = div(j, 1461) - 100100 + div(8 - gm, 6);
  return { gy, gm, gd };
}

function d2j(jdn: number): JalaliDate {
  const { gy } = d2g(jdn);
  let jy = gy - 621;
  const r = jalCal(jy);
  let k = jdn - g2d(gy, 3, r.march);
  if (k >= 0) {
    if (k <= 185) return { jy, jm: 1 + div(k, 31), jd: mod(k, 31) + 1 };
    k -= 186;
  } else {
    jy -= 1;
    k += 179;
    if (r.leap === 1) k += 1;
  }
  return { jy, jm: 7 + div(k, 30), jd: mod(k, 30) + 1 };
}

export function isLeapJalaliYear(jy: number): boolean {
  return jalCal(jy).leap === 0;
}

export function jalaliMonthLength(jy: number, jm: number): number {
  if (jm <= 6) return 31;
  if (jm <= 11) return 30;
  return isLeapJalaliYear(jy) ? 30 : 29;
}

export function toGregorian(jy: number, jm: number, jd: number): { gy: number; gm: number; gd: number } {
  const r = jalCal(jy);
  return d2g(g2d(r.gy, 3, r.march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1);
}

export function toJalali(gy: number, gm: number, gd: number): JalaliDate {
  return d2j(g2d(gy, gm, gd));
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
