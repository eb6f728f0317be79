/**
 * Pure month-grid arithmetic for the date picker. Days are ISO Gregorian strings throughout (what
 * the URL holds); a calendar system only decides how they are grouped into months and weeks.
 * Weekdays use JavaScript's numbering (0 = Sunday … 6 = Saturday), computed in UTC so the
 * machine's time zone never shifts a day.
 */
import type { Calendar } from './format.ts';
import { jalaliMonthLength, toGregorian, toJalali } from './jalali.ts';

export interface YMD {
  y: number;
  m: number;
  d: number;
}

export interface DayCell {
  iso: string;
  day: number;
  weekday: number;
  weekend: boolean;
}

/** Persian week: Saturday to Friday; ISO week (the English one): Monday to Sunday. */
export const weekStart = (cal: Calendar): number => (cal === 'jalali' ? 6 : 1);

/** Tehran's offices close on Friday, whichever calendar the reader uses. */
export const isWeekend = (weekday: number): boolean => weekday === 5;

/** Weekdays in column order (first column first; the page direction decides which side that is). */
export const weekdayColumns = (cal: Calendar): number[] =>
  Array.from({ length: 7 }, (_, i) => (weekStart(cal) + i) % 7);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const isoOf = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

function utc(iso: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`Not an ISO day: ${iso}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

export const weekdayOf = (iso: string): number => utc(iso).getUTCDay();

export function addDays(iso: string, n: number): string {
  const t = utc(iso);
  t.setUTCDate(t.getUTCDate() + n);
  return isoOf(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function monthLength(cal: Calendar, y: number, m: number): number {
  if (cal === 'jalali') return jalaliMonthLength(y, m);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The day's year, month and day in the given calendar. */
export function partsOf(cal: Calendar, iso: string): YMD {
  const t = utc(iso);
  const [gy, gm, gd] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
  if (cal === 'gregorian') return { y: gy, m: gm, d: gd };
  const j = toJalali(gy, gm, gd);
  return { y: j.jy, m: j.jm, d: j.jd };
}

export function isoFromParts(cal: Calendar, { y, m, d }: YMD): string {
  if (cal === 'gregorian') return isoOf(y, m, d);
  const g = toGregorian(y, m, d);
  return isoOf(g.gy, g.gm, g.gd);
}

/** Same day number n months later, clamped to the target month's length (31 Shahrivar + 1 month → 30 Mehr). */
export function addMonths(cal: Calendar, iso: string, n: number): string {
  const p = partsOf(cal, iso);
  const index = p.y * 12 + (p.m - 1) + n;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return isoFromParts(cal, { y, m, d: Math.min(p.d, monthLength(cal, y, m)) });
}

/** The same month and day in another year, clamped (30 Esfand of a leap year → 29 Esfand). */
export function withYear(cal: Calendar, iso: string, y: number): string {
  const p = partsOf(cal, iso);
  return isoFromParts(cal, { y, m: p.m, d: Math.min(p.d, monthLength(cal, y, p.m)) });
}

/** Weeks of seven columns; null pads the days before the 1st and after the last day. */
export function monthGrid(cal: Calendar, y: number, m: number): (DayCell | null)[][] {
  const first = isoFromParts(cal, { y, m, d: 1 });
  const lead = (weekdayOf(first) - weekStart(cal) + 7) % 7;
  const cells: (DayCell | null)[] = Array.from({ length: lead }, () => null);
  const n = monthLength(cal, y, m);
  for (let day = 1; day <= n; day++) {
    const iso = addDays(first, day - 1);
    const weekday = weekdayOf(iso);
    cells.push({ iso, day, weekday, weekend: isWeekend(weekday) });
  }
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
}

/** Where the focused day goes for a key, or null when the key is not a move. */
export function moveFor(key: string, opts: { cal: Calendar; rtl: boolean; shift?: boolean }, iso: string) {
  // In a right-to-left grid the next day sits to the left.
  const forward = opts.rtl ? -1 : 1;
  switch (key) {
    case 'ArrowRight':
      return addDays(iso, forward);
    case 'ArrowLeft':
      return addDays(iso, -forward);
    case 'ArrowDown':
      return addDays(iso, 7);
    case 'ArrowUp':
      return addDays(iso, -7);
    case 'PageDown':
      return addMonths(opts.cal, iso, opts.shift ? 12 : 1);
    case 'PageUp':
      return addMonths(opts.cal, iso, opts.shift ? -12 : -1);
    case 'Home':
      return addDays(iso, -((weekdayOf(iso) - weekStart(opts.cal) + 7) % 7));
    case 'End':
      return addDays(iso, 6 - ((weekdayOf(iso) - weekStart(opts.cal) + 7) % 7));
    default:
      return null;
  }
}

/** Where a day stands in the From–To range; an open end leaves only the given end marked. */
export function rangeRole(iso: string, from?: string, to?: string): 'start' | 'end' | 'inside' | null {
  if (iso === from) return 'start';
  if (iso === to) return 'end';
  if (from && to && from < iso && iso < to) return 'inside';
  return null;
}

/** Years offered in the year select: ten back from this year to next year, always including the shown one. */
export function yearChoices(shown: number, current: number): number[] {
  const lo = Math.min(shown, current - 10);
  const hi = Math.max(shown, current + 1);
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** The Tehran-local calendar day of an instant (the API's days are Tehran days). */
export function tehranDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran' }).format(at);
}
