/**
 * One sentence per outlier flag, in Persian and English, that a commissioner can read aloud:
 * what is unusual, the group's number, its volume, the expected value and the 99.8% limit crossed.
 * Part of DESIGN 7 (outliers.ts).
 */
import type { Labels } from './labels.ts';

export const SIGNALS = ['slow', 'suspiciously_fast', 'complaints', 'bribe_reports'] as const;
export type Signal = (typeof SIGNALS)[number];

export interface ReasonInput {
  level: 'office' | 'district';
  key: string;
  district: number;
  signal: Signal;
  scope: string;
  value: number;
  target: number;
  n: number;
  lo998: number;
  hi998: number;
}

const en = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const fa = new Intl.NumberFormat('fa-IR', { maximumFractionDigits: 1 });
const enInt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const faInt = new Intl.NumberFormat('fa-IR', { maximumFractionDigits: 0 });

/** A percentage, with one decimal only when whole numbers would hide the gap to the limit. */
function pct(v: number, limit: number, fmt: Intl.NumberFormat, fmtInt: Intl.NumberFormat): [string, string] {
  const a = Math.round(v * 100);
  const b = Math.round(limit * 100);
  if (a !== b) return [fmtInt.format(a), fmtInt.format(Math.max(0, b))];
  return [fmt.format(v * 100), fmt.format(Math.max(0, limit * 100))];
}

export function reasons(r: ReasonInput, labels: Labels): { reason_fa: string; reason_en: string } {
  const subjEn = r.level === 'office' ? `Office ${r.key}` : labels.district(r.district).en;
  const subjFa = r.level === 'office' ? `دفتر ${r.key}` : labels.district(r.district).fa;
  const cat = r.scope === 'all' ? null : labels.category(r.scope);
  const nEn = enInt.format(r.n);
  const nFa = faInt.format(r.n);
  if (r.signal === 'slow' || r.signal === 'suspiciously_fast') {
    const fast = r.signal === 'suspiciously_fast';
    const [vEn, lEn] = pct(r.value, fast ? r.lo998 : r.hi998, en, enInt);
    const [vFa, lFa] = pct(r.value, fast ? r.lo998 : r.hi998, fa, faInt);
    const whatEn = cat ? cat.en.toLowerCase() : 'its cases';
    const casesEn = cat ? `${cat.en.toLowerCase()} cases` : 'closed cases';
    const whatFa = cat ? `پرونده‌های ${cat.fa}` : 'پرونده‌هایش';
    const tail = (limit: string) => `(expected 50%, 99.8% limit ${limit}%)`;
    const tailFa = (limit: string) => `(مقدار مورد انتظار ۵۰٪، حد ۹۹٫۸٪: ${limit}٪)`;
    if (fast) {
      return {
        reason_en: `${subjEn} clears ${whatEn} far faster than the city: only ${vEn}% of its ${nEn} ${casesEn} took longer than the city median for their service ${tail(lEn)}.`,
        reason_fa: `${subjFa} ${whatFa} را بسیار سریع‌تر از بقیه شهر انجام می‌دهد: فقط ${vFa}٪ از ${nFa} پرونده بسته‌شده آن بیش از میانه شهر برای همان خدمت طول کشیده است ${tailFa(lFa)}.`,
      };
    }
    return {
      reason_en: `${subjEn} is far slower than the city on ${whatEn}: ${vEn}% of its ${nEn} ${casesEn} took longer than the city median for their service ${tail(lEn)}.`,
      reason_fa: `${subjFa} در ${whatFa} بسیار کندتر از بقیه شهر است: ${vFa}٪ از ${nFa} پرونده بسته‌شده آن بیش از میانه شهر برای همان خدمت طول کشیده است ${tailFa(lFa)}.`,
    };
  }
  const per = (v: number, f: Intl.NumberFormat) => f.format(v * 1000);
  if (r.signal === 'complaints') {
    return {
      reason_en: `${subjEn} draws far more complaints than the city: ${per(r.value, en)} per 1,000 cases over ${nEn} cases (city ${per(r.target, en)}, 99.8% limit ${per(r.hi998, en)}).`,
      reason_fa: `${subjFa} بسیار بیشتر از بقیه شهر شکایت دریافت کرده است: ${per(r.value, fa)} شکایت به ازای هر هزار پرونده در ${nFa} پرونده (میانگین شهر ${per(r.target, fa)}، حد ۹۹٫۸٪: ${per(r.hi998, fa)}).`,
    };
  }
  return {
    reason_en: `${subjEn} has far more bribe-request complaints than the city: ${per(r.value, en)} per 1,000 cases over ${nEn} cases (city ${per(r.target, en)}, 99.8% limit ${per(r.hi998, en)}).`,
    reason_fa: `برای ${subjFa} بسیار بیشتر از بقیه شهر شکایت «درخواست رشوه» ثبت شده است: ${per(r.value, fa)} مورد به ازای هر هزار پرونده در ${nFa} پرونده (میانگین شهر ${per(r.target, fa)}، حد ۹۹٫۸٪: ${per(r.hi998, fa)}).`,
  };
}
