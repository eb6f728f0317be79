/**
 * Timestamps as the data contract gives them (DESIGN "Data contract"): ISO 8601 with or without an offset, or
 * Solar Hijri (1401/05/02, 1401-05-02 10:03), in Latin, Persian or Arabic-Indic digits. A time without an offset
 * is Tehran local time, including the daylight-saving years before 2022. Invalid dates are rejected, never guessed.
 */
import { toLatinDigits } from './digits.ts';
import { gregorianToJalali, isValidJalali, jalaliToGregorian } from './jalali.ts';

export { gregorianToJalali, jalaliToGregorian } from './jalali.ts';

export type ParsedTime =
  | { ok: true; ms: number; hasTime: boolean }
  | { ok: false; reason: 'empty' | 'format' | 'invalid_date'; message: string };

/**
 * Day/month order for slash dates with a 4-digit year at the end (12/31/2024). The contract's own forms never need it;
 * a mapping file declares it for exports that use such dates. Never guessed.
 */
export type DateOrder = 'mdy' | 'dmy';

export interface ParseOptions {
  order?: DateOrder;
  /** IANA zone for times without an offset (a mapping's `timezone`); default Asia/Tehran. */
  timeZone?: string;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

const tehranParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Tehran',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

const offsetCache = new Map<number, number>();

/** Asia/Tehran's UTC offset in ms at an instant (ICU's tz database knows Iran's DST history). */
export function tehranOffsetMs(utcMs: number): number {
  // Iran's offsets change only on whole hours (UTC 20:30/19:30 → local midnight); cache per UTC half-hour.
  const bucket = Math.floor(utcMs / (HOUR / 2));
  const hit = offsetCache.get(bucket);
  if (hit !== undefined) return hit;
  const p: Record<string, number> = {};
  for (const part of tehranParts.formatToParts(new Date(bucket * (HOUR / 2)))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const off = local - bucket * (HOUR / 2);
  if (offsetCache.size > 200_000) offsetCache.clear();
  offsetCache.set(bucket, off);
  return off;
}

/**
 * UTC instant of a Tehran wall-clock time. A time skipped by the spring-forward jump is read as if the clock had
 * not been moved yet (it lands one hour later); a repeated autumn hour takes its first occurrence — the same
 * "compatible" choice as JavaScript's Date and Temporal.
 */
export function tehranLocalToUtcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const before = tehranOffsetMs(asUtc - 12 * HOUR);
  const after = tehranOffsetMs(asUtc + 12 * HOUR);
  if (before === after) return asUtc - before;
  const a = asUtc - before; // reading with the earlier offset
  const b = asUtc - after;
  const aValid = tehranOffsetMs(a) === before;
  const bValid = tehranOffsetMs(b) === after;
  if (aValid && bValid) return Math.min(a, b); // repeated hour: first occurrence
  if (aValid) return a;
  if (bValid) return b;
  return a; // skipped hour: as if the clock had not jumped yet
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();
const zoneOffsetCache = new Map<string, number>();
const QUARTER_HOUR = HOUR / 4;

/** A zone's UTC offset in ms at an instant. Offsets of all current zones change on UTC quarter hours: cache per one. */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  if (zone === 'Asia/Tehran') return tehranOffsetMs(utcMs);
  const bucket = Math.floor(utcMs / QUARTER_HOUR);
  const key = `${zone}|${bucket}`;
  const hit = zoneOffsetCache.get(key);
  if (hit !== undefined) return hit;
  let fmt = zoneFormatters.get(zone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormatters.set(zone, fmt);
  }
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(new Date(bucket * QUARTER_HOUR))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - bucket * QUARTER_HOUR;
  if (zoneOffsetCache.size > 200_000) zoneOffsetCache.clear();
  zoneOffsetCache.set(key, off);
  return off;
}

/** UTC instant of a wall-clock time in any IANA zone, with the same gap/overlap choice as `tehranLocalToUtcMs`. */
export function zonedLocalToUtcMs(
  zone: string,
  y: number,
  mo: number,
  d: number,
  h = 0,
  mi = 0,
  s = 0,
  ms = 0,
): number {
  if (zone === 'Asia/Tehran') return tehranLocalToUtcMs(y, mo, d, h, mi, s, ms);
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const before = zoneOffsetMs(zone, asUtc - 14 * HOUR);
  const after = zoneOffsetMs(zone, asUtc + 14 * HOUR);
  if (before === after) return asUtc - before;
  const a = asUtc - before;
  const b = asUtc - after;
  const aValid = zoneOffsetMs(zone, a) === before;
  const bValid = zoneOffsetMs(zone, b) === after;
  if (aValid && bValid) return Math.min(a, b);
  if (aValid) return a;
  if (bValid) return b;
  return a;
}

/** Tehran-local calendar fields of an instant. */
export function tehranFields(utcMs: number): {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
} {
  const t = new Date(utcMs + tehranOffsetMs(utcMs));
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
  };
}

/** The last millisecond of the Tehran-local day that contains `utcMs` (for inclusive `to` filters). */
export function endOfTehranDayMs(utcMs: number): number {
  const f = tehranFields(utcMs);
  return tehranLocalToUtcMs(f.y, f.mo, f.d + 1) - 1;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isValidGregorian(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : MONTH_DAYS[m - 1]);
}

// date [sep time] [offset]; date is Y-M-D or Y/M/D (Jalali when the year is below 1700) or M/D/Y with a declared order.
const YMD = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:(?:[T ]|\s+)(.*))?$/;
const SLASH_Y_LAST = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:\s+(.*))?$/;
const TIME =
  /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(?:([AaPp])\.?[Mm]\.?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function fail(reason: 'format' | 'invalid_date', raw: string, why: string): ParsedTime {
  return { ok: false, reason, message: `${why}: "${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}"` };
}

/** Parses one timestamp of the contract. Never guesses: anything not clearly one of the forms is an error. */
export function parseTimestamp(input: string, opts: ParseOptions = {}): ParsedTime {
  const raw = input ?? '';
  const common = parseCommon(raw, opts);
  if (common) return common;
  const text = toLatinDigits(raw).trim();
  if (text === '') return { ok: false, reason: 'empty', message: 'empty date' };

  let y: number;
  let mo: number;
  let d: number;
  let rest: string | undefined;
  let jalali = false;
  const m = YMD.exec(text);
  if (m) {
    y = Number(m[1]);
    mo = Number(m[3]);
    d = Number(m[4]);
    rest = m[5];
    jalali = y < 1700;
  } else {
    const s = SLASH_Y_LAST.exec(text);
    if (!s)
      return fail(
        'format',
        raw,
        'not a date in a recognised form (ISO 2022-07-24 or Solar Hijri 1401/05/02)',
      );
    if (!opts.order) {
      return fail(
        'format',
        raw,
        'day/month order is ambiguous; declare date_order (mdy or dmy) in the mapping',
      );
    }
    y = Number(s[4]);
    const a = Number(s[1]);
    const b = Number(s[3]);
    [mo, d] = opts.order === 'mdy' ? [a, b] : [b, a];
    rest = s[5];
  }

  let h = 0;
  let mi = 0;
  let sec = 0;
  let frac = 0;
  let offsetMin: number | null = null;
  const hasTime = rest !== undefined && rest.trim() !== '';
  if (hasTime) {
    const t = TIME.exec(rest!.trim());
    if (!t) return fail('format', raw, 'time is not in a recognised form (hh:mm[:ss])');
    h = Number(t[1]);
    mi = Number(t[2]);
    sec = t[3] ? Number(t[3]) : 0;
    frac = t[4] ? Math.round(Number(`0.${t[4]}`) * 1000) : 0;
    if (t[5]) {
      if (h < 1 || h > 12) return fail('invalid_date', raw, 'hour must be 1–12 with AM/PM');
      const pm = t[5].toLowerCase() === 'p';
      h = (h % 12) + (pm ? 12 : 0);
    }
    if (t[6]) {
      if (t[6] === 'Z') offsetMin = 0;
      else {
        const sign = t[6][0] === '-' ? -1 : 1;
        const digits = t[6].slice(1).replace(':', '');
        const oh = Number(digits.slice(0, 2));
        const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
        if (oh > 14 || om > 59) return fail('invalid_date', raw, 'offset out of range');
        offsetMin = sign * (oh * 60 + om);
      }
    }
    if (h > 23 || mi > 59 || sec > 59) return fail('invalid_date', raw, 'time out of range');
  }

  return finish(raw, y, mo, d, h, mi, sec, frac, offsetMin, hasTime, jalali, opts);
}

function finish(
  raw: string,
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  sec: number,
  frac: number,
  offsetMin: number | null,
  hasTime: boolean,
  jalali: boolean,
  opts: ParseOptions,
): ParsedTime {
  if (jalali) {
    if (!isValidJalali(y, mo, d)) return fail('invalid_date', raw, 'no such Solar Hijri date');
    [y, mo, d] = jalaliToGregorian(y, mo, d);
  } else if (!isValidGregorian(y, mo, d)) {
    return fail('invalid_date', raw, 'no such date');
  }

  const ms =
    offsetMin === null
      ? opts.timeZone && opts.timeZone !== 'Asia/Tehran'
        ? zonedLocalToUtcMs(opts.timeZone, y, mo, d, h, mi, sec, frac)
        : tehranLocalToUtcMs(y, mo, d, h, mi, sec, frac)
      : Date.UTC(y, mo - 1, d, h, mi, sec, frac) - offsetMin * 60_000;
  return { ok: true, ms, hasTime };
}

/** A Latin digit's value, or a large negative number that makes any sum using it negative. */
function dig(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -100_000;
}

/**
 * The common export shapes `YYYY-MM-DD`, `YYYY-MM-DD hh:mm` and `YYYY-MM-DD hh:mm:ss` (also with / or T) in Latin
 * digits, read without regular expressions: imports of millions of rows spend most of their time here.
 * Returns null for anything else, which then takes the general path.
 */
function parseCommon(s: string, opts: ParseOptions): ParsedTime | null {
  const n = s.length;
  if (n !== 10 && n !== 16 && n !== 19) return null;
  const sep = s.charCodeAt(4);
  if ((sep !== 45 && sep !== 47) || s.charCodeAt(7) !== sep) return null;
  const y = dig(s, 0) * 1000 + dig(s, 1) * 100 + dig(s, 2) * 10 + dig(s, 3);
  const mo = dig(s, 5) * 10 + dig(s, 6);
  const d = dig(s, 8) * 10 + dig(s, 9);
  if (y < 0 || mo < 0 || d < 0) return null;
  let h = 0;
  let mi = 0;
  let sec = 0;
  if (n > 10) {
    const t = s.charCodeAt(10);
    if ((t !== 32 && t !== 84) || s.charCodeAt(13) !== 58) return null;
    h = dig(s, 11) * 10 + dig(s, 12);
    mi = dig(s, 14) * 10 + dig(s, 15);
    if (n === 19) {
      if (s.charCodeAt(16) !== 58) return null;
      sec = dig(s, 17) * 10 + dig(s, 18);
    }
    if (h < 0 || mi < 0 || sec < 0) return null;
    if (h > 23 || mi > 59 || sec > 59) return fail('invalid_date', s, 'time out of range');
  }
  return finish(s, y, mo, d, h, mi, sec, 0, null, n > 10, y < 1700, opts);
}

/** Jalali 'YYYY-MM' month key of an instant, in Tehran local time. */
export function jalaliMonthKey(utcMs: number): string {
  const f = tehranFields(utcMs);
  const [jy, jm] = gregorianToJalali(f.y, f.mo, f.d);
  return `${jy}-${String(jm).padStart(2, '0')}`;
}

/** Start (UTC ms) of the Tehran-local day `days` days after the instant's day (for window arithmetic). */
export function addTehranDays(utcMs: number, days: number): number {
  const f = tehranFields(utcMs);
  return tehranLocalToUtcMs(f.y, f.mo, f.d + days);
}

export const MS_PER_DAY = DAY;
