/**
 * The demo city's calendar: one entry per Tehran-local day from 1400/01/01 (2021-03-21) to the
 * as-of day, with its Solar Hijri date, weekday, public holidays and UTC offset. Asia/Tehran kept
 * daylight saving time until 2022 (+04:30 in summer), so offsets come from the platform's time-zone
 * database (Intl), never from a fixed +03:30.
 */

export const TIME_ZONE = 'Asia/Tehran';
/** 1400/01/01, the first day of data. */
export const FIRST_DAY = { year: 2021, month: 3, day: 21 } as const;
/** 1404/06/31, the as-of day: the data ends at 23:59:59 Tehran time on it. */
export const LAST_DAY = { year: 2025, month: 9, day: 22 } as const;

const DAY_MS = 86_400_000;

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' });
const persianFormat = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});
const islamicFormat = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura-nu-latn', {
  timeZone: 'UTC',
  month: 'numeric',
  day: 'numeric',
});

/** Tehran's UTC offset in minutes at an instant, e.g. 270 for +04:30. */
export function tehranOffsetMinutes(utcMs: number): number {
  const name =
    offsetFormat.formatToParts(new Date(utcMs)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) throw new Error(`unexpected offset format for ${TIME_ZONE}: ${name}`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** The instant (UTC ms) of a Tehran wall-clock time. Times skipped by a DST change map one hour on. */
export function tehranLocalToUtcMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const first = wall - tehranOffsetMinutes(wall - 210 * 60_000) * 60_000;
  return wall - tehranOffsetMinutes(first) * 60_000;
}

function parts(format: Intl.DateTimeFormat, ms: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(ms))) {
    if (p.type === 'year' || p.type === 'month' || p.type === 'day') out[p.type] = Number(p.value);
  }
  return out;
}

/** Solar Hijri public holidays (month, day): Nowruz, Islamic Republic Day, Sizdah Bedar, 14–15 Khordad, 22 Bahman, 29 Esfand. */
const SOLAR_HOLIDAYS = new Set([
  '1-1',
  '1-2',
  '1-3',
  '1-4',
  '1-12',
  '1-13',
  '3-14',
  '3-15',
  '11-22',
  '12-29',
]);
/** Lunar (Hijri) holidays (month, day): Tasua, Ashura, Arbaeen, 28 Safar, Mawlid, … Eid al-Adha, Ghadir. */
const LUNAR_HOLIDAYS = new Set([
  '1-9',
  '1-10',
  '2-20',
  '2-28',
  '3-17',
  '6-3',
  '7-13',
  '7-27',
  '8-15',
  '9-21',
  '10-1',
  '10-2',
  '10-25',
  '12-10',
  '12-18',
]);

export interface CalendarDay {
  /** Gregorian date of the Tehran-local day, 'YYYY-MM-DD'. */
  iso: string;
  /** Seconds since the epoch of this day's 00:00 read as if it were UTC (wall-clock seconds). */
  wallStartSec: number;
  /** Tehran's UTC offset in seconds on this day (taken at local noon). */
  offsetSec: number;
  jy: number;
  jm: number;
  jd: number;
  /** 0 = Sunday … 5 = Friday (Tehran's weekend) … 6 = Saturday. */
  weekday: number;
  holiday: boolean;
}

export function buildCalendar(): CalendarDay[] {
  const days: CalendarDay[] = [];
  const start = Date.UTC(FIRST_DAY.year, FIRST_DAY.month - 1, FIRST_DAY.day);
  const end = Date.UTC(LAST_DAY.year, LAST_DAY.month - 1, LAST_DAY.day);
  for (let ms = start; ms <= end; ms += DAY_MS) {
    const noon = ms + DAY_MS / 2;
    const date = new Date(ms);
    const j = parts(persianFormat, noon);
    const h = parts(islamicFormat, noon);
    const noonUtc = tehranLocalToUtcMs(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), 12);
    days.push({
      iso: date.toISOString().slice(0, 10),
      wallStartSec: ms / 1000,
      offsetSec: (noon - noonUtc) / 1000,
      jy: j.year,
      jm: j.month,
      jd: j.day,
      weekday: date.getUTCDay(),
      holiday: SOLAR_HOLIDAYS.has(`${j.month}-${j.day}`) || LUNAR_HOLIDAYS.has(`${h.month}-${h.day}`),
    });
  }
  return days;
}

/** The as-of instant: 23:59:59 Tehran time on the last day. */
export function asOfMs(): number {
  return tehranLocalToUtcMs(LAST_DAY.year, LAST_DAY.month, LAST_DAY.day, 23, 59, 59);
}
