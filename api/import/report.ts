/**
 * What an import did, as data (the CLI prints it; the dashboard's upload returns it as JSON) and as text.
 */
import { gregorianToJalali, tehranFields } from '../lib/dates.ts';
import { REASONS, type ReasonCode } from './reasons.ts';

export interface RejectExample {
  line: number | null;
  column: string | null;
  value: string | null;
  detail: string | null;
}

export interface ReasonSummary {
  reason: ReasonCode;
  label_en: string;
  label_fa: string;
  count: number;
  examples: RejectExample[];
}

export interface FileReport {
  file: string;
  path: string;
  kind: string | null;
  format: string | null;
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Exact repeats of a row already counted (same id, same content): one row, not an error. */
  duplicates: number;
  /** Rows rejected (a row with several problems counts once; `reasons` counts problems). */
  rejected: number;
  unknown_columns: string[];
  reasons: ReasonSummary[];
  /** Status words with no mapping, with how often each occurs: fix the mapping in one go. */
  unmapped_statuses: { value: string; count: number }[];
  /** Events whose lifecycle the mapping's lifecycle_values marks "ignore" (e.g. XES schedule): counted, not loaded. */
  ignored: number;
  /** A workbook's sheet this entry is (null: a CSV or Parquet file). */
  sheet: string | null;
  /** CSV: the encoding it was read in, and why when it is not plain UTF-8. */
  encoding: string | null;
  encoding_note: Said | null;
  /** Contract column → the file's own header (or how the mapping builds it), for messages in the user's words. */
  headers: Record<string, string>;
}

/** One text in both languages. */
export interface Said {
  fa: string;
  en: string;
}

/** An instant a rejected row carries, as the file wrote it and as Tehran wall-clock in both calendars. */
export interface RejectTime {
  column: string;
  header: string | null;
  value: string | null;
  /** UTC, ISO 8601. */
  iso: string;
  /** Asia/Tehran wall-clock, `YYYY-MM-DD HH:mm`. */
  tehran: string;
  /** The same in the Solar Hijri calendar, `YYYY/MM/DD HH:mm` (Latin digits). */
  jalali: string;
}

/** One problem of a rejected row, in the user's words (`rejects` of the report; the rejects table holds all). */
export interface RejectEntry {
  file: string;
  line: number | null;
  /** The row's id (case number, complaint number, office id, …) and the header of its column. */
  record_id: string | null;
  record_header: string | null;
  /** The contract column, the file's header for it, and the cell as written. */
  column: string | null;
  header: string | null;
  value: string | null;
  reason: ReasonCode;
  label_fa: string;
  label_en: string;
  /** What is wrong and what to do, as sentences naming the file's headers. */
  fa: string;
  en: string;
  /** The importer's technical detail (English, contract column names), as stored in the rejects table. */
  detail: string | null;
  times: RejectTime[];
}

export interface Notice {
  code:
    | 'encoding'
    | 'sheet_skipped'
    | 'catalogue_new'
    | 'catalogue_matched'
    | 'operator_conflict'
    | 'rejects_truncated'
    | 'mapping_constant';
  file: string | null;
  fa: string;
  en: string;
}

/** Issue 13: what a flat export matched in the stored catalogue and what it adds ("check them"). */
export interface CatalogueReport {
  new_offices: { office_id: string; name: string; district: string; operator: string | null }[];
  new_services: { service_code: string; name: string; category: string | null }[];
  /** Categories this import uses that the catalogue does not have yet. */
  new_categories: string[];
  /** Matched by name (not by the export's own code). */
  matched_offices: {
    office_id: string;
    name: string;
    export_id: string | null;
    export_name: string | null;
  }[];
  matched_services: {
    service_code: string;
    name: string;
    export_code: string | null;
    export_name: string | null;
  }[];
  /** The export's category words read as the catalogue's categories («پروانه ساختمانی» → building_permit). */
  categories: { value: string; category: string }[];
  /** Stored offices whose operator the export set or changed. */
  operators_set: { office_id: string; name: string; operator: string; previous: string | null }[];
  /** Offices the export gives two operators: the stored operator is kept. */
  operator_conflicts: { office_id: string; values: string[] }[];
}

export interface ImportReport {
  import_id: number | null;
  status: 'ok' | 'failed';
  dry_run: boolean;
  mode: 'contract' | 'flat';
  /** The language of the export's headers ('fa' when any is in Persian script): the CLI's text report default. */
  lang: 'fa' | 'en';
  city: string;
  as_of: string | null;
  /** The dataset's as-of time before this import (null: none yet), and whether this import moved it. */
  as_of_previous: string | null;
  as_of_changed: boolean;
  message: string | null;
  /** `message` in Persian (null when there is no message). */
  message_fa: string | null;
  files: FileReport[];
  totals: {
    rows_read: number;
    inserted: number;
    updated: number;
    unchanged: number;
    duplicates: number;
    rejected: number;
  };
  /** Offices and services created from a flat export's columns. */
  derived: { offices: number; services: number };
  /** Issue 11: cases whose event list this import set, and their stored events the export no longer has (removed). */
  events: { cases: number; removed: number };
  /** Flat exports: the catalogue matched and what is new (empty lists otherwise). */
  catalogue: CatalogueReport;
  /** The first REPORT_REJECTS problems of rejected rows, in file and line order, also in a dry run. */
  rejects: RejectEntry[];
  /** All problems (the `reasons` counts summed); more than `rejects.length` when the list was cut. */
  rejects_total: number;
  /** Workbook sheets that were not imported, named, with why. */
  sheets_skipped: { file: string; sheet: string; fa: string; en: string }[];
  /** Everything else the user should read: encodings assumed, new catalogue entries, skipped sheets, … */
  notices: Notice[];
  elapsed_ms: number;
}

/** How many rejected-row problems the report lists (the rejects table and the Data page hold all). */
export const REPORT_REJECTS = 1000;

export function emptyFileReport(path: string, file: string): FileReport {
  return {
    file,
    path,
    kind: null,
    format: null,
    rows_read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    rejected: 0,
    unknown_columns: [],
    reasons: [],
    unmapped_statuses: [],
    ignored: 0,
    sheet: null,
    encoding: null,
    encoding_note: null,
    headers: {},
  };
}

export function reasonLabel(code: string): { label_en: string; label_fa: string } {
  const r = REASONS[code as ReasonCode];
  return { label_en: r?.en ?? code, label_fa: r?.fa ?? code };
}

const n = (x: number) => x.toLocaleString('en-US');
const nf = (x: number) => x.toLocaleString('fa-IR');
const fd = (s: string | number) => String(s).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]);

/** How many rejected rows the text report lists (the JSON carries up to REPORT_REJECTS, the table all). */
const TEXT_REJECTS = 20;

/** The report as text: in the export's language by default (`r.lang`), or as asked (`--lang fa|en`). */
export function formatReport(r: ImportReport, lang: 'fa' | 'en' = r.lang): string {
  return lang === 'fa' ? formatFa(r) : formatEn(r);
}

function formatEn(r: ImportReport): string {
  const out: string[] = [];
  const head = r.dry_run
    ? 'DRY RUN — nothing was written'
    : r.status === 'ok'
      ? 'Import finished'
      : 'IMPORT FAILED';
  out.push(`${head}${r.import_id !== null && !r.dry_run ? ` (import #${r.import_id})` : ''}`);
  if (r.message) out.push(`  ${r.message}`);
  if (r.status === 'failed') {
    out.push('  The database was left as it was.');
    out.push(`Time: ${(r.elapsed_ms / 1000).toFixed(1)} s`);
    return out.join('\n');
  }
  for (const f of r.files) {
    out.push('');
    out.push(
      `${f.file} [${f.kind ?? '?'}${f.format ? `, ${f.format}` : ''}${f.encoding && f.encoding !== 'utf-8' ? `, ${f.encoding}` : ''}]`,
    );
    out.push(
      `  read ${n(f.rows_read)}  loaded ${n(f.inserted)}  updated ${n(f.updated)}  unchanged ${n(f.unchanged)}` +
        `  duplicates ${n(f.duplicates)}  rejected ${n(f.rejected)}`,
    );
    if (f.unknown_columns.length > 0) {
      const shown = f.unknown_columns.slice(0, 15).join(', ');
      const what =
        f.format === 'xes'
          ? 'ignored attributes (no column takes them)'
          : 'ignored columns (not in the contract)';
      out.push(`  ${what}: ${shown}${f.unknown_columns.length > 15 ? ', …' : ''}`);
    }
    for (const reason of f.reasons.slice(0, 8)) {
      out.push(`  ${n(reason.count)} × ${reason.reason}: ${reason.label_en}`);
      for (const e of reason.examples) {
        out.push(`      line ${e.line ?? '?'}${e.column ? ` [${e.column}]` : ''}: ${e.detail ?? ''}`);
      }
    }
    if (f.ignored > 0) {
      out.push(
        `  ignored ${n(f.ignored)} events whose lifecycle the mapping marks "ignore" (lifecycle_values)`,
      );
    }
    if (f.unmapped_statuses.length > 0) {
      const list = f.unmapped_statuses.map((s) => `"${s.value}" (${n(s.count)})`).join(', ');
      out.push(`  unmapped status words — add them to status_values in the mapping: ${list}`);
    }
  }
  if (r.rejects.length > 0) {
    out.push('');
    out.push(`Rejected rows (${n(r.totals.rejected)}):`);
    for (const e of r.rejects.slice(0, TEXT_REJECTS)) {
      const id = e.record_id ? ` · ${e.record_header ?? 'id'} ${e.record_id}` : '';
      out.push(`  ${e.file} line ${e.line ?? '?'}${id}${e.header ? ` · “${e.header}”` : ''}: ${e.en}`);
      for (const t of e.times) {
        out.push(`      ${t.header ?? t.column}: ${t.jalali} (${t.tehran} Tehran, ${t.iso})`);
      }
    }
    if (r.rejects_total > TEXT_REJECTS) {
      out.push(
        `  … ${n(r.rejects_total - Math.min(TEXT_REJECTS, r.rejects.length))} more (--json lists ${n(r.rejects.length)}; the rejects table all)`,
      );
    }
  }
  if (r.notices.length > 0) {
    out.push('');
    for (const x of r.notices) out.push(`Note${x.file ? ` (${x.file})` : ''}: ${x.en}`);
  }
  const t = r.totals;
  out.push('');
  out.push(
    `Total: read ${n(t.rows_read)}, loaded ${n(t.inserted)}, updated ${n(t.updated)}, unchanged ${n(t.unchanged)}, ` +
      `duplicates ${n(t.duplicates)}, rejected ${n(t.rejected)}` +
      (r.mode === 'flat'
        ? `; derived ${n(r.derived.offices)} new offices, ${n(r.derived.services)} new services`
        : ''),
  );
  if (r.events.cases > 0) {
    out.push(
      `Events: the event lists of ${n(r.events.cases)} cases set from this export` +
        (r.events.removed > 0 ? `; ${n(r.events.removed)} stored events no longer in it removed` : ''),
    );
  }
  if (r.status === 'ok') out.push(`Dataset: ${r.city}, as of ${r.as_of ?? '(no timestamps)'}`);
  if (r.status === 'ok' && r.as_of_changed && r.as_of_previous !== null) {
    out.push(`As-of time changed: ${r.as_of_previous} → ${r.as_of ?? '(none)'}`);
  }
  out.push(`Time: ${(r.elapsed_ms / 1000).toFixed(1)} s`);
  return out.join('\n');
}

/** An as-of instant in the Persian report: Solar Hijri Tehran time, ISO beside it. */
function asOfFa(iso: string | null): string {
  if (iso === null) return '(بی‌زمان)';
  const f = tehranFields(Date.parse(iso));
  const [jy, jm, jd] = gregorianToJalali(f.y, f.mo, f.d);
  const p = (x: number) => String(x).padStart(2, '0');
  return `${fd(`${jy}/${p(jm)}/${p(jd)}`)} ساعت ${fd(`${p(f.h)}:${p(f.mi)}`)} (${iso})`;
}

const KIND_FA: Record<string, string> = {
  offices: 'دفاتر',
  services: 'خدمات',
  cases: 'پرونده‌ها',
  complaints: 'شکایات',
  flat: 'خروجی یک‌برگه‌ای',
  districts: 'مناطق',
  events: 'رویدادها',
  stages: 'مراحل',
};

function formatFa(r: ImportReport): string {
  const out: string[] = [];
  const head = r.dry_run
    ? 'فقط بررسی شد — چیزی در پایگاه داده نوشته نشد'
    : r.status === 'ok'
      ? `واردسازی انجام شد${r.import_id !== null ? ` (واردسازی شمارهٔ ${nf(r.import_id)})` : ''}`
      : 'واردسازی انجام نشد';
  out.push(head);
  if (r.message_fa ?? r.message) out.push(`  ${r.message_fa ?? r.message}`);
  if (r.status === 'failed') {
    out.push('  پایگاه داده همان‌طور که بود ماند.');
    out.push(`زمان: ${fd((r.elapsed_ms / 1000).toFixed(1))} ثانیه`);
    return out.join('\n');
  }
  for (const f of r.files) {
    out.push('');
    const enc = f.encoding && f.encoding !== 'utf-8' ? `، ${f.encoding}` : '';
    out.push(
      `${f.file} [${f.kind ? (KIND_FA[f.kind] ?? f.kind) : '?'}${f.format ? `، ${f.format}` : ''}${enc}]`,
    );
    out.push(
      `  خوانده ${nf(f.rows_read)}  افزوده ${nf(f.inserted)}  به‌روز ${nf(f.updated)}  بی‌تغییر ${nf(f.unchanged)}` +
        `  تکراری ${nf(f.duplicates)}  ردشده ${nf(f.rejected)}`,
    );
    if (f.unknown_columns.length > 0) {
      const shown = f.unknown_columns.slice(0, 15).join('، ');
      const what =
        f.format === 'xes'
          ? 'ویژگی‌های نادیده (هیچ ستونی آن‌ها را نمی‌گیرد)'
          : 'ستون‌های نادیده (در قرارداد نیستند)';
      out.push(`  ${what}: ${shown}${f.unknown_columns.length > 15 ? '، …' : ''}`);
    }
    for (const reason of f.reasons.slice(0, 8)) {
      out.push(`  ${nf(reason.count)} × ${reason.label_fa}`);
    }
    if (f.ignored > 0) {
      out.push(
        `  ${nf(f.ignored)} رویداد نادیده گرفته شد: نوع آن‌ها در lifecycle_values فایل نگاشت «ignore» است`,
      );
    }
    if (f.unmapped_statuses.length > 0) {
      const list = f.unmapped_statuses.map((s) => `«${s.value}» (${nf(s.count)})`).join('، ');
      out.push(`  واژه‌های وضعیت بی‌نگاشت — آن‌ها را به status_values فایل نگاشت بیفزایید: ${list}`);
    }
  }
  if (r.rejects.length > 0) {
    out.push('');
    out.push(`ردیف‌های ردشده (${nf(r.totals.rejected)}):`);
    for (const e of r.rejects.slice(0, TEXT_REJECTS)) {
      const id = e.record_id ? ` · ${e.record_header ?? 'شناسه'} ${fd(e.record_id)}` : '';
      out.push(
        `  ${e.file} سطر ${e.line === null ? '?' : nf(e.line)}${id}${e.header ? ` · «${e.header}»` : ''}: ${e.fa}`,
      );
      for (const t of e.times) {
        out.push(`      ${t.header ?? t.column}: ${fd(t.jalali)} (تهران ${t.tehran}، ${t.iso})`);
      }
    }
    if (r.rejects_total > TEXT_REJECTS) {
      out.push(
        `  … و ${nf(r.rejects_total - Math.min(TEXT_REJECTS, r.rejects.length))} مورد دیگر (همه در خروجی --json و جدول ردیف‌های ردشده)`,
      );
    }
  }
  if (r.notices.length > 0) {
    out.push('');
    for (const x of r.notices) out.push(`توجه${x.file ? ` (${x.file})` : ''}: ${x.fa}`);
  }
  const t = r.totals;
  out.push('');
  out.push(
    `جمع: خوانده ${nf(t.rows_read)}، افزوده ${nf(t.inserted)}، به‌روز ${nf(t.updated)}، بی‌تغییر ${nf(t.unchanged)}، ` +
      `تکراری ${nf(t.duplicates)}، ردشده ${nf(t.rejected)}` +
      (r.mode === 'flat' ? `؛ دفتر تازه ${nf(r.derived.offices)}، خدمت تازه ${nf(r.derived.services)}` : ''),
  );
  if (r.events.cases > 0) {
    out.push(
      `رویدادها: فهرست رویدادهای ${nf(r.events.cases)} پرونده از این خروجی گذاشته شد` +
        (r.events.removed > 0 ? `؛ ${nf(r.events.removed)} رویداد ثبت‌شده که دیگر در آن نیست حذف شد` : ''),
    );
  }
  if (r.status === 'ok') out.push(`داده: ${r.city === 'tehran' ? 'تهران' : r.city}، تا ${asOfFa(r.as_of)}`);
  if (r.status === 'ok' && r.as_of_changed && r.as_of_previous !== null) {
    out.push(`زمان داده تغییر کرد: ${asOfFa(r.as_of_previous)} ← ${asOfFa(r.as_of)}`);
  }
  out.push(`زمان: ${fd((r.elapsed_ms / 1000).toFixed(1))} ثانیه`);
  return out.join('\n');
}
