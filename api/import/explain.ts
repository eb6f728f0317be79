/**
 * The reject report in the user's language (issue 13): each problem of a rejected row with the file's own column
 * headers (تاریخ پایان, not closed_at), the row's case number in its own field, a sentence in Persian and in
 * English that says what is wrong and what to do, and every instant involved as Tehran wall-clock time in the
 * Solar Hijri and Gregorian calendars next to ISO. Built from s_rejects (rules.ts and merge.ts fill its
 * record_id/col2/raw2/ms1/ms2) inside the load's transaction, so a dry run's report carries them too.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { gregorianToJalali, tehranFields } from '../lib/dates.ts';
import { toPersianDigits } from '../lib/digits.ts';
import { SERVICE_CATEGORIES } from '../lib/vocab.ts';
import { type Kind, RECORD_ID } from './contract.ts';
import { REASONS, type ReasonCode } from './reasons.ts';
import {
  type CatalogueReport,
  type FileReport,
  type Notice,
  REPORT_REJECTS,
  type RejectEntry,
  type RejectTime,
  reasonLabel,
  type Said,
} from './report.ts';

interface StoredReject {
  file_idx: number;
  line: number | null;
  column_name: string | null;
  raw_value: string | null;
  reason: string;
  detail: string | null;
  record_id: string | null;
  col2: string | null;
  raw2: string | null;
  ms1: number | null;
  ms2: number | null;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An instant as Tehran wall-clock: Gregorian and Solar Hijri, to the minute (seconds when there are any). */
export function tehranTime(ms: number): { iso: string; tehran: string; jalali: string } {
  const f = tehranFields(ms);
  const [jy, jm, jd] = gregorianToJalali(f.y, f.mo, f.d);
  const clock = `${pad(f.h)}:${pad(f.mi)}${f.s ? `:${pad(f.s)}` : ''}`;
  return {
    iso: new Date(ms).toISOString().replace('.000Z', 'Z'),
    tehran: `${pad(f.y, 4)}-${pad(f.mo)}-${pad(f.d)} ${clock}`,
    jalali: `${jy}/${pad(jm)}/${pad(jd)} ${clock}`,
  };
}

const faNum = (v: string | number) => toPersianDigits(String(v));
const qf = (s: string | null | undefined) => `«${s ?? ''}»`;
const qe = (s: string | null | undefined) => `“${s ?? ''}”`;

/** A time in a sentence: Solar Hijri in Persian; Solar Hijri with the Gregorian beside it in English. */
const timeFa = (t: RejectTime) => {
  const [d, clock] = t.jalali.split(' ');
  return faNum(`${d} ساعت ${clock}`);
};
const timeEn = (t: RejectTime) => `${t.jalali}, ${t.tehran} Tehran time`;

/** The column a stored reject names, as the file's header (a flat export's merge columns included). */
export function headerOf(headers: Record<string, string>, column: string | null): string | null {
  if (column === null) return null;
  const alias: Record<string, string[]> = {
    district_label: ['district'],
    office_id: ['office_id', 'office_name'],
    service_code: ['service_code', 'service_name'],
    office_name: ['office_name', 'office_id'],
    service_name: ['service_name', 'service_code'],
  };
  for (const c of alias[column] ?? [column]) if (headers[c]) return headers[c];
  return column;
}

const RULE: Record<string, Said> = {
  district: {
    fa: 'شمارهٔ منطقه باید از ۱ تا ۲۲ باشد (مثلاً ۷، «منطقه ۷» یا District 7)',
    en: 'a district is a number from 1 to 22 (7, «منطقه ۷» or District 7)',
  },
  channel: {
    fa: 'نحوهٔ مراجعه باید حضوری (in_person) یا برخط (online) باشد، یا واژه‌اش در channel_values فایل نگاشت بیاید',
    en: 'the channel is in_person or online, or a word mapped in channel_values',
  },
  category: {
    fa: 'موضوع شکایت باید یکی از delay، bribe_request، misconduct، wrong_information، fee_overcharge یا other باشد، یا واژه‌اش در category_values فایل نگاشت بیاید',
    en: 'a complaint category is delay, bribe_request, misconduct, wrong_information, fee_overcharge or other, or a word mapped in category_values',
  },
  source: {
    fa: 'منبع شکایت باید ۱۳۷، ۱۸۸۸، office یا online باشد، یا واژه‌اش در source_values فایل نگاشت بیاید',
    en: 'a complaint source is 137, 1888, office or online, or a word mapped in source_values',
  },
  substantiated: { fa: 'باید «بله» یا «خیر» (true/false) باشد', en: 'it is yes or no (true/false)' },
  sla_days: {
    fa: 'مهلت قانونی باید تعداد روز، عددی صحیح، باشد',
    en: 'the statutory deadline is a whole number of days',
  },
  population: {
    fa: 'جمعیت باید عددی صحیح از ۱ تا ۱۰۰ میلیون باشد (جداکنندهٔ هزارگان «٬» یا «,» مجاز است)',
    en: 'a population is a whole number from 1 to 100 million (thousands separators allowed)',
  },
  area_km2: {
    fa: 'مساحت باید عددی بزرگ‌تر از صفر به کیلومتر مربع باشد (ممیز «.» یا «٫»)',
    en: 'an area is a number of square kilometres above 0 (a point or «٫» for decimals)',
  },
  population_year: {
    fa: 'سال باید میان ۱۹۰۰ و ۲۱۰۰ میلادی یا ۱۳۰۰ و ۱۴۷۹ خورشیدی باشد',
    en: 'a year is between 1900 and 2100, or 1300 and 1479 in the Solar Hijri calendar',
  },
  // issue 11: events and stages
  lifecycle: {
    fa: 'نوع رویداد باید start (آغاز مرحله) یا complete (پایان مرحله) باشد، یا واژه‌اش در lifecycle_values فایل نگاشت بیاید (ignore: نادیده گرفته شود)',
    en: 'a lifecycle is start or complete, or a word mapped in lifecycle_values (ignore: not loaded)',
  },
  actor: {
    fa: 'کارگزار مرحله باید office (دفتر)، municipality (شهرداری)، citizen (شهروند) یا other (دیگر) باشد، یا واژه‌اش در actor_values فایل نگاشت بیاید',
    en: 'an actor is office, municipality, citizen or other, or a word mapped in actor_values',
  },
};

function split(raw2: string | null): string[] {
  return (raw2 ?? '').split(' | ');
}

function sentence(r: StoredReject, e: RejectEntry, headers: Record<string, string>, kind: Kind | null): Said {
  const H = e.header ?? e.column ?? '';
  const V = e.value;
  const [t1, t2] = e.times;
  const label = REASONS[r.reason as ReasonCode];
  switch (r.reason as ReasonCode) {
    case 'missing_required':
      if (r.detail?.includes('both empty')) {
        const [a, b] =
          r.column_name === 'office_id' ? ['office_id', 'office_name'] : ['service_code', 'service_name'];
        const ha = headers[a] ?? a;
        const hb = headers[b] ?? b;
        return {
          fa: `نه ${qf(ha)} پر است و نه ${qf(hb)}؛ دست‌کم یکی از آن دو لازم است.`,
          en: `Neither ${qe(ha)} nor ${qe(hb)} is filled in; at least one of them is required.`,
        };
      }
      return {
        fa: `${qf(H)} خالی است، ولی پر کردن آن لازم است.`,
        en: `${qe(H)} is empty, but it is required.`,
      };
    case 'bad_date':
      return {
        fa: `${qf(V)} در ستون ${qf(H)} تاریخ درستی نیست؛ نمونهٔ درست: ${faNum('1402/05/02 10:03')} یا 2023-07-24 10:03.`,
        en: `${qe(V)} in ${qe(H)} is not a valid date${r.detail ? ` (${r.detail})` : ''}; write e.g. 1402/05/02 10:03 or 2023-07-24 10:03.`,
      };
    case 'closed_before_submitted': {
      const h2 = headerOf(headers, r.col2) ?? '';
      if (t1 && t2) {
        return {
          fa: `${qf(H)} (${timeFa(t1)}) پیش از ${qf(h2)} (${timeFa(t2)}) است؛ پایان نمی‌تواند پیش از آغاز باشد.`,
          en: `${qe(H)} (${timeEn(t1)}) is before ${qe(h2)} (${timeEn(t2)}): it cannot end before it began.`,
        };
      }
      break;
    }
    case 'status_closed_mismatch': {
      const hs = headerOf(headers, r.col2) ?? 'status';
      if (V !== null && t1) {
        return {
          fa: `${qf(hs)} ${qf(r.raw2)} یعنی پرونده باز است، ولی ${qf(H)} پر است (${timeFa(t1)})؛ یا وضعیت را درست کنید یا تاریخ پایان را پاک کنید.`,
          en: `${qe(hs)} is ${qe(r.raw2)} (open), but ${qe(H)} is filled in (${timeEn(t1)}): correct the status or clear the end date.`,
        };
      }
      return {
        fa: `${qf(hs)} ${qf(r.raw2)} یعنی پرونده بسته شده، ولی ${qf(H)} خالی است؛ پرونده‌ای که بسته شده تاریخ پایان دارد.`,
        en: `${qe(hs)} is ${qe(r.raw2)} (closed), but ${qe(H)} is empty: a closed case has an end date.`,
      };
    }
    case 'unknown_status':
      return {
        fa: `وضعیت ${qf(V)} (ستون ${qf(H)}) در فایل نگاشت تعریف نشده است؛ آن را در status_values به یکی از open، completed، rejected یا withdrawn نگاشت کنید.`,
        en: `Status ${qe(V)} (${qe(H)}) is not mapped: add it to status_values in the mapping as open, completed, rejected or withdrawn.`,
      };
    case 'bad_value': {
      if (r.detail?.includes('characters long')) {
        const n = /is ([\d,]+) characters long; at most (\d+)/.exec(r.detail);
        return {
          fa: `مقدار ستون ${qf(H)} بیش از اندازه بلند است${n ? ` (${faNum(n[1].replace(/,/g, ''))} نویسه؛ بیشینه ${faNum(n[2])})` : ''}.`,
          en: `The value of ${qe(H)} is too long${n ? ` (${n[1]} characters; at most ${n[2]})` : ''}.`,
        };
      }
      const rule = RULE[e.column ?? ''];
      return {
        fa: `مقدار ${qf(V)} در ستون ${qf(H)} پذیرفته نیست${rule ? `: ${rule.fa}` : ''}.`,
        en: `${qe(V)} in ${qe(H)} is not accepted: ${rule?.en ?? r.detail ?? ''}.`,
      };
    }
    case 'unknown_office':
      return {
        fa: `دفتر ${qf(V)} (ستون ${qf(H)}) نه در این واردسازی هست و نه در پایگاه داده؛ نخست فایل دفاتر را وارد کنید.`,
        en: `Office ${qe(V)} (${qe(H)}) is neither in this import nor in the database: import the offices file first.`,
      };
    case 'unknown_service':
      return {
        fa: `خدمت ${qf(V)} (ستون ${qf(H)}) نه در این واردسازی هست و نه در پایگاه داده؛ نخست فایل خدمات را وارد کنید.`,
        en: `Service ${qe(V)} (${qe(H)}) is neither in this import nor in the database: import the services file first.`,
      };
    case 'unknown_case':
      if (kind === 'events') {
        return {
          fa: `پرونده ${qf(V)} (ستون ${qf(H)}) که این رویداد از آن است نه در این واردسازی هست و نه در پایگاه داده؛ پرونده‌هایش را نیز وارد کنید یا شمارهٔ پرونده را درست کنید.`,
          en: `Case ${qe(V)} (${qe(H)}) that this event belongs to is neither in this import nor in the database: import its cases too, or correct the case number.`,
        };
      }
      return {
        fa: `پرونده ${qf(V)} (ستون ${qf(H)}) که این شکایت به آن اشاره دارد نه در این واردسازی هست و نه در پایگاه داده.`,
        en: `Case ${qe(V)} (${qe(H)}) that this complaint refers to is neither in this import nor in the database.`,
      };
    case 'event_before_submitted': {
      const stage = /\(stage «(.*)»\) is before case/.exec(r.detail ?? '')?.[1] ?? '';
      if (t1 && t2) {
        return {
          fa: `رویداد ${qf(stage)} در ${qf(H)} (${timeFa(t1)}) پیش از ثبت پرونده (${timeFa(t2)}) است؛ هیچ مرحله‌ای پیش از ثبت پرونده نیست. زمان رویداد یا تاریخ ثبت پرونده را درست کنید.`,
          en: `Event ${qe(stage)} in ${qe(H)} (${timeEn(t1)}) is before the case was submitted (${timeEn(t2)}): no step comes before it. Correct the event's time or the case's submitted time.`,
        };
      }
      break;
    }
    case 'duplicate_conflict': {
      if (kind === 'events') {
        // the event's identity is case + stage + time + lifecycle; its content actor, resource and stage_name
        const m =
          /, (\w+)\) appears (\d+) times with different actor, resource or stage_name \((.*)\); none/.exec(
            r.detail ?? '',
          );
        const [lc, n, where] = m ? [m[1], m[2], m[3]] : ['', '?', ''];
        const at = t1 ? { fa: timeFa(t1), en: timeEn(t1) } : { fa: '', en: '' };
        return {
          fa: `رویداد ${qf(V)} (ستون ${qf(H)}) در ${at.fa}${lc ? ` (${lc})` : ''} ${faNum(n)} بار با کارگزار، مسئول یا نام مرحلهٔ متفاوت آمده است (${faNum(where)})؛ هیچ‌کدام وارد نشد. فقط نسخهٔ درست را نگه دارید.`,
          en: `Event ${qe(V)} (${qe(H)}) at ${at.en}${lc ? ` (${lc})` : ''} appears ${n} times with a different actor, resource or stage name (${where}); none was loaded. Keep only the right one.`,
        };
      }
      const [n, where] = split(r.raw2);
      return {
        fa: `${qf(H)} ${qf(V)} ${faNum(n)} بار با محتوای متفاوت آمده است (${faNum(where ?? '')})؛ هیچ‌کدام وارد نشد. فقط نسخهٔ درست را نگه دارید.`,
        en: `${qe(H)} ${qe(V)} appears ${n} times with different content (${where ?? ''}); none was loaded. Keep only the right one.`,
      };
    }
    case 'office_conflict': {
      const [office, rest] = split(r.raw2);
      if (r.col2 === 'stored') {
        return {
          fa: `دفتر ${qf(office)} در پایگاه داده در منطقهٔ ${faNum(rest ?? '')} ثبت است، ولی این ردیف منطقهٔ ${qf(V)} را می‌گوید (ستون ${qf(H)}).`,
          en: `Office ${qe(office)} is stored in district ${rest ?? ''}, but this row says ${qe(V)} (${qe(H)}).`,
        };
      }
      return {
        fa: `دفتر ${qf(office)} در این فایل با بیش از یک منطقه آمده است: ${rest ?? ''}؛ هیچ‌یک از ردیف‌هایش وارد نشد.`,
        en: `Office ${qe(office)} appears with more than one district in this file: ${rest ?? ''}; none of its rows was loaded.`,
      };
    }
    case 'service_conflict': {
      const parts = split(r.raw2);
      if (r.col2 === 'stored') {
        const [svc, cat, sla, rowCat, rowSla] = parts;
        return {
          fa: `خدمت ${qf(svc)} در پایگاه داده با دستهٔ ${qf(cat)} و مهلت ${faNum(sla ?? '-')} روز ثبت است، ولی این ردیف دستهٔ ${qf(rowCat)} و مهلت ${faNum(rowSla ?? '-')} را می‌گوید.`,
          en: `Service ${qe(svc)} is stored with category ${qe(cat)} and a deadline of ${sla} days, but this row says ${qe(rowCat)} and ${rowSla}.`,
        };
      }
      return {
        fa: `خدمت ${qf(parts[0])} در این فایل با دسته یا مهلت‌های متفاوت آمده است (${parts.slice(1).join(' | ')})؛ هیچ‌یک از ردیف‌هایش وارد نشد.`,
        en: `Service ${qe(parts[0])} appears with different categories or deadlines in this file (${parts.slice(1).join(' | ')}); none of its rows was loaded.`,
      };
    }
    case 'ambiguous_match': {
      const what = r.col2 === 'office' ? { fa: 'دفتر', en: 'offices' } : { fa: 'خدمت', en: 'services' };
      return {
        fa: `${qf(V)} (ستون ${qf(H)}) با چند ${what.fa} در فهرست موجود جور درمی‌آید (${r.raw2 ?? ''})؛ ستون کد را به خروجی بیفزایید تا روشن شود کدام است.`,
        en: `${qe(V)} (${qe(H)}) matches several ${what.en} in the catalogue (${r.raw2 ?? ''}): add the code column to the export so that it is clear which one.`,
      };
    }
    case 'malformed_row': {
      const m = /row has (\d+) fields; the header has (\d+)/.exec(r.detail ?? '');
      if (m) {
        return {
          fa: `این ردیف ${faNum(m[1])} ستون دارد ولی سطر عنوان ${faNum(m[2])} ستون؛ احتمالاً ویرگول یا گیومه‌ای جابه‌جا است.`,
          en: `This row has ${m[1]} fields but the header has ${m[2]}: probably a stray comma or quote.`,
        };
      }
      break;
    }
  }
  // a reason without its own sentence (another file kind's): its label and the detail
  const l = label ?? { fa: r.reason, en: r.reason };
  return {
    fa: `${l.fa}${r.detail ? `: ${r.detail}` : ''}${H ? ` (ستون ${qf(H)})` : ''}.`,
    en: `${l.en}${r.detail ? `: ${r.detail}` : ''}${H ? ` (${qe(H)})` : ''}.`,
  };
}

function entryOf(r: StoredReject, file: FileReport): RejectEntry {
  const headers = file.headers;
  const times: RejectTime[] = [];
  const add = (column: string | null, value: string | null, ms: number | null) => {
    if (ms === null || column === null) return;
    times.push({ column, header: headerOf(headers, column), value, ...tehranTime(Number(ms)) });
  };
  add(r.column_name, r.raw_value, r.ms1);
  add(r.col2, r.raw2, r.ms2);
  const recordColumn = RECORD_ID[file.kind as Kind] ?? null;
  const e: RejectEntry = {
    file: file.file,
    line: r.line,
    record_id: r.record_id,
    record_header: recordColumn ? headerOf(headers, recordColumn) : null,
    column: r.column_name,
    header: headerOf(headers, r.column_name),
    value: r.raw_value,
    reason: r.reason as ReasonCode,
    ...reasonLabel(r.reason),
    fa: '',
    en: '',
    detail: r.detail,
    times,
  };
  const s = sentence(r, e, headers, (file.kind as Kind | null) ?? null);
  e.fa = s.fa;
  e.en = s.en;
  return e;
}

/** The first REPORT_REJECTS problems, in file and line order, with the total. */
export async function readRejects(
  c: DuckDBConnection,
  files: FileReport[],
): Promise<{ rejects: RejectEntry[]; total: number }> {
  const [{ n }] = (
    await c.runAndReadAll('SELECT count(*)::INTEGER AS n FROM s_rejects')
  ).getRowObjectsJson() as { n: number }[];
  const list = (
    await c.runAndReadAll(
      `SELECT file_idx, line, column_name, raw_value, reason, detail, record_id, col2, raw2, ms1, ms2
       FROM s_rejects ORDER BY file_idx, line, seq LIMIT ${REPORT_REJECTS}`,
    )
  ).getRowObjectsJson() as unknown as StoredReject[];
  return { rejects: list.map((r) => entryOf(r, files[r.file_idx])), total: n };
}

const listFa = (xs: string[]) => xs.join('، ');

/** The flat export's catalogue in words: what is new ("check them") and what was matched by name. */
export function catalogueNotices(cat: CatalogueReport): Notice[] {
  const out: Notice[] = [];
  const offices = cat.new_offices.map((o) => ({
    fa: `${qf(o.name)} (کد ${faNum(o.office_id)}، منطقه ${faNum(o.district)})`,
    en: `${qe(o.name)} (${o.office_id}, district ${o.district})`,
  }));
  const catFa = (c: string) => SERVICE_CATEGORIES[c]?.fa ?? c;
  const services = cat.new_services.map((s) => ({
    fa: `${qf(s.name)}${s.category ? ` (${catFa(s.category)})` : ''}`,
    en: `${qe(s.name)}${s.category ? ` (${s.category})` : ''}`,
  }));
  const nCat = cat.new_categories.length;
  const head = {
    fa: `${faNum(cat.new_offices.length)} دفتر تازه، ${faNum(cat.new_services.length)} خدمت تازه${nCat ? `، ${faNum(nCat)} دستهٔ تازه` : ''}`,
    en: `${cat.new_offices.length} new offices, ${cat.new_services.length} new services${nCat ? `, ${nCat} new categories` : ''}`,
  };
  const nothing = offices.length + services.length + nCat === 0;
  out.push({
    code: 'catalogue_new',
    file: null,
    fa: nothing
      ? `${head.fa}: همهٔ دفترها و خدمت‌های این خروجی در فهرست موجود پیدا شد.`
      : `${head.fa}: بررسی کنید که تکراری نباشند.${offices.length ? ` دفترها: ${listFa(offices.map((x) => x.fa))}.` : ''}${services.length ? ` خدمت‌ها: ${listFa(services.map((x) => x.fa))}.` : ''}${nCat ? ` دسته‌ها: ${listFa(cat.new_categories.map((c) => qf(catFa(c))))}.` : ''}`,
    en: nothing
      ? `${head.en}: every office and service of this export was found in the catalogue.`
      : `${head.en}: check them.${offices.length ? ` Offices: ${offices.map((x) => x.en).join(', ')}.` : ''}${services.length ? ` Services: ${services.map((x) => x.en).join(', ')}.` : ''}${nCat ? ` Categories: ${cat.new_categories.map(qe).join(', ')}.` : ''}`,
  });
  const byName = [
    ...cat.matched_offices.map((m) => ({
      fa: `${qf(m.export_name)} ← دفتر ${faNum(m.office_id)}${m.export_id ? ` (کد خروجی ${faNum(m.export_id)} در فهرست نیست)` : ''}`,
      en: `${qe(m.export_name)} → office ${m.office_id}${m.export_id ? ` (the export's code ${m.export_id} is not in the catalogue)` : ''}`,
    })),
    ...cat.matched_services.map((m) => ({
      fa: `${qf(m.export_name)} ← خدمت ${m.service_code}`,
      en: `${qe(m.export_name)} → service ${m.service_code}`,
    })),
  ];
  if (byName.length > 0) {
    out.push({
      code: 'catalogue_matched',
      file: null,
      fa: `با نام در فهرست موجود پیدا شد: ${listFa(byName.map((x) => x.fa))}.`,
      en: `Matched to the catalogue by name: ${byName.map((x) => x.en).join('; ')}.`,
    });
  }
  for (const oc of cat.operator_conflicts) {
    out.push({
      code: 'operator_conflict',
      file: null,
      fa: `دفتر ${faNum(oc.office_id)} در این خروجی با چند صاحب امتیاز آمده است (${listFa(oc.values.map(qf))})؛ صاحب امتیاز ثبت‌شده تغییر نکرد.`,
      en: `Office ${oc.office_id} has more than one operator in this export (${oc.values.map(qe).join(', ')}); its stored operator was kept.`,
    });
  }
  return out;
}
