/**
 * The open data as CSV: UTF-8 with a byte-order mark (so spreadsheet programs read the Persian names
 * right), CRLF line ends (RFC 4180), one row per group and service, plus an "all_services" row per group.
 * Suppressed figures are empty cells with their n beside them. Each row repeats the as-of time, window,
 * licence and the definitions' address, so a file that travels alone still says what it is.
 */
import type {
  PublicDistricts,
  PublicFigures,
  PublicOffices,
  PublicServiceRef,
  PublicServices,
} from './schemas.ts';

export const BOM = '\uFEFF';

type Cell = string | number | null | undefined;

/** A text cell that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection). */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: readonly string[], rows: Cell[][]): string {
  const lines = [columns.map(csvCell).join(',')];
  for (const r of rows) lines.push(r.map(csvCell).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

const SERVICE_COLUMNS = ['row', 'service_code', 'service_name', 'service_name_en', 'category', 'sla_days'];
const FIGURE_COLUMNS = [
  'n_cases',
  'median_days',
  'median_days_n',
  'on_time_share',
  'on_time_share_n',
  'complaints_per_1000',
  'complaints_per_1000_n',
];
const META_COLUMNS = ['window_from', 'window_to', 'as_of', 'published_at', 'licence', 'definitions_url'];

function serviceCells(s: PublicServiceRef | null): Cell[] {
  if (!s) return ['all_services', '', '', '', '', ''];
  return ['service', s.service_code, s.name, s.name_en, s.category, s.sla_days];
}

function figureCells(f: PublicFigures): Cell[] {
  return [
    f.n_cases,
    f.median_days.value,
    f.median_days.n,
    f.on_time_share.value,
    f.on_time_share.n,
    f.complaints_per_1000.value,
    f.complaints_per_1000.n,
  ];
}

type Head = Pick<PublicOffices, 'window' | 'as_of' | 'published_at' | 'licence' | 'definitions_url'>;

function metaCells(h: Head): Cell[] {
  return [h.window.from, h.window.to, h.as_of, h.published_at, h.licence, h.definitions_url];
}

export const OFFICES_CSV_COLUMNS = [
  'office_id',
  'office_name',
  'district',
  'district_name',
  'district_name_en',
  ...SERVICE_COLUMNS,
  ...FIGURE_COLUMNS,
  ...META_COLUMNS,
];

export function officesCsv(v: PublicOffices): string {
  const meta = metaCells(v);
  const rows: Cell[][] = [];
  for (const o of v.offices) {
    const lead = [o.office_id, o.name, o.district, o.district_name.fa, o.district_name.en];
    rows.push([...lead, ...serviceCells(null), ...figureCells(o.all_services), ...meta]);
    for (const s of o.services)
      rows.push([...lead, ...serviceCells(s.service), ...figureCells(s.figures), ...meta]);
  }
  return toCsv(OFFICES_CSV_COLUMNS, rows);
}

export const DISTRICTS_CSV_COLUMNS = [
  'district',
  'district_name',
  'district_name_en',
  'n_offices',
  ...SERVICE_COLUMNS,
  ...FIGURE_COLUMNS,
  ...META_COLUMNS,
];

export function districtsCsv(v: PublicDistricts): string {
  const meta = metaCells(v);
  const rows: Cell[][] = [];
  for (const d of v.districts) {
    const lead = [d.district, d.name.fa, d.name.en, d.n_offices];
    rows.push([...lead, ...serviceCells(null), ...figureCells(d.all_services), ...meta]);
    for (const s of d.services)
      rows.push([...lead, ...serviceCells(s.service), ...figureCells(s.figures), ...meta]);
  }
  return toCsv(DISTRICTS_CSV_COLUMNS, rows);
}

/** The city's figures: every service, then each service. */
export const SERVICES_CSV_COLUMNS = [...SERVICE_COLUMNS, 'n_offices', ...FIGURE_COLUMNS, ...META_COLUMNS];

export function servicesCsv(v: PublicServices): string {
  const meta = metaCells(v);
  const rows: Cell[][] = [[...serviceCells(null), null, ...figureCells(v.all_services), ...meta]];
  for (const s of v.services)
    rows.push([...serviceCells(s.service), s.n_offices, ...figureCells(s.city), ...meta]);
  return toCsv(SERVICES_CSV_COLUMNS, rows);
}
