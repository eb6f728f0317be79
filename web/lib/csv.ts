/**
 * CSV export: UTF-8 with a byte-order mark so Excel reads Persian, and spreadsheet formula
 * injection neutralised (OWASP: a text cell starting with = + - @ TAB or CR gets a leading ').
 * Numbers are written as numbers: they cannot carry a formula, and a z-score of -2.3 must stay numeric.
 */
export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
}

const BOM = '\uFEFF';
const DANGEROUS_START = /^[=+\-@\t\r]/;

export function csvCell(v: string | number | boolean | null | undefined): string {
  if (v == null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (DANGEROUS_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.value(row))).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/** A file name safe on every OS: shafaf-<what>-<yyyy-mm-dd>.csv */
export function csvFileName(what: string, today: Date): string {
  const slug = what.replace(/[^a-z0-9_-]+/gi, '-').replace(/^-+|-+$/g, '') || 'data';
  return `shafaf-${slug}-${today.toISOString().slice(0, 10)}.csv`;
}

/** Browser-only: hands the CSV to the user as a download. */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
