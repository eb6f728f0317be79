/** Display formatting: Persian digits and separators, Solar Hijri dates, Tehran-local days. */
import { toPersianDigits } from '../../api/lib/digits.ts';
import { JALALI_MONTHS_EN, JALALI_MONTHS_FA } from '../../api/lib/jalali.ts';
import type { Calendar } from '../../api/params.ts';

export type { Calendar };
export const LANGS = ['fa', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const DASH = '—';
const TEHRAN = 'Asia/Tehran';

export const calendarOf = (lang: Lang): Calendar => (lang === 'fa' ? 'jalali' : 'gregorian');
const locale = (lang: Lang) => (lang === 'fa' ? 'fa-IR' : 'en-US');

export function localDigits(s: string | number, lang: Lang): string {
  return lang === 'fa' ? toPersianDigits(s) : String(s);
}

export function formatNumber(x: number | null | undefined, lang: Lang, fractionDigits = 0): string {
  if (x == null || !Number.isFinite(x)) return DASH;
  return new Intl.NumberFormat(locale(lang), {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(x);
}

/** Days to one decimal: the API's durations are fractional days. */
export const formatDays = (x: number | null | undefined, lang: Lang) => formatNumber(x, lang, 1);

/** A proportion (0–1) as a percentage. */
export function formatPercent(p: number | null | undefined, lang: Lang, fractionDigits = 1): string {
  if (p == null || !Number.isFinite(p)) return DASH;
  return new Intl.NumberFormat(locale(lang), {
    style: 'percent',
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(p);
}

/** A per-case rate shown per 1,000 cases. */
export const formatPer1000 = (perCase: number | null | undefined, lang: Lang) =>
  formatNumber(perCase == null ? null : perCase * 1000, lang, 1);

/** p- and q-values: three significant places, and a floor so 1e-12 does not read as zero. */
export function formatP(p: number | null | undefined, lang: Lang): string {
  if (p == null || !Number.isFinite(p)) return DASH;
  if (p < 0.001) return `< ${formatNumber(0.001, lang, 3)}`;
  return formatNumber(p, lang, 3);
}

/** 'p = 0.031' or 'p < 0.001': the relation belongs with the number. */
export function formatPClause(name: string, p: number | null | undefined, lang: Lang): string {
  const s = formatP(p, lang);
  return s.startsWith('<') ? `${name} ${s}` : `${name} = ${s}`;
}

/** A signed z-score with one decimal. */
export const formatZ = (z: number | null | undefined, lang: Lang) => formatNumber(z, lang, 1);

/** Timestamp (ISO, UTC) → its Tehran-local calendar day, Solar Hijri in Persian. */
export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const fmt =
    lang === 'fa'
      ? new Intl.DateTimeFormat('fa-IR-u-ca-persian', {
          timeZone: TEHRAN,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
        })
      : new Intl.DateTimeFormat('en-CA', {
          timeZone: TEHRAN,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
        });
  return fmt.format(d);
}

/** Timestamp → Tehran-local date and time. */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const opts: Intl.DateTimeFormatOptions = {
    timeZone: TEHRAN,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  return new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR-u-ca-persian' : 'en-CA', opts).format(d);
}

export { JALALI_MONTHS_EN, JALALI_MONTHS_FA };

const GREGORIAN_MONTHS_EN = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];
const GREGORIAN_MONTHS_FA = [
  'ژانویه',
  'فوریه',
  'مارس',
  'آوریل',
  'مه',
  'ژوئن',
  'ژوئیه',
  'اوت',
  'سپتامبر',
  'اکتبر',
  'نوامبر',
  'دسامبر',
];

/** The API's month key ('1402-07' Jalali or '2023-10' Gregorian) → 'مهر ۱۴۰۲' / 'Oct 2023'. */
export function formatMonth(key: string, calendar: Calendar, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  if (!m) return key;
  const month = Number(m[2]) - 1;
  const names =
    calendar === 'jalali'
      ? lang === 'fa'
        ? JALALI_MONTHS_FA
        : JALALI_MONTHS_EN
      : lang === 'fa'
        ? GREGORIAN_MONTHS_FA
        : GREGORIAN_MONTHS_EN;
  return `${names[month] ?? m[2]} ${localDigits(m[1], lang)}`;
}
