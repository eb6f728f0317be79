/**
 * What the JavaScript side still reads: the sniff that tells a CSV export from binary junk, and Excel sheets streamed
 * as (line, string cells) (DuckDB has no xlsx reader here), so that any size fits in memory and
 * every reject can name the line a person would find in the file. Anything that is not a readable table at all is
 * a FileShapeError, which fails the whole import.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import ExcelJS from 'exceljs';

export class FileShapeError extends Error {
  /** The same in Persian, when there is one (the report's `message_fa`). */
  readonly fa: string | null;
  constructor(
    readonly file: string,
    why: string,
    whyFa?: string,
  ) {
    super(`${basename(file)}: ${why}`);
    this.fa = whyFa ? `${basename(file)}: ${whyFa}` : null;
  }
}

export interface SourceRow {
  /** CSV: physical line where the row starts (header = 1). Excel: sheet row. Parquet: row number + 1. */
  line: number;
  values: (string | null)[];
}

export interface RowSource {
  format: 'csv' | 'parquet' | 'xlsx';
  header: string[];
  /** Rows in batches (one per read chunk): cheaper than a promise per row. */
  rows: AsyncIterable<SourceRow[]>;
  /** Fraction done (0..1) if known. */
  fraction(): number | null;
}

function sniffBinary(path: string): string | null {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n);
    if (head.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
      return 'is a ZIP/Excel file, not CSV text (save it as .xlsx or export CSV)';
    }
    if (head.subarray(0, 4).toString('latin1') === 'PAR1')
      return 'is a Parquet file, not CSV text (name it .parquet)';
    let control = 0;
    for (const b of head) {
      if (b === 0) return 'is not UTF-8 text (binary content or UTF-16); export it as UTF-8 CSV';
      if (b < 9 || (b > 13 && b < 32)) control++;
    }
    if (control > n / 100 + 2) return 'is not CSV text (binary content)';
    // text that is not UTF-8 (Windows-1256?) is for encoding.ts to judge, over the whole file
    return null;
  } finally {
    closeSync(fd);
  }
}

/** An empty or binary file (ZIP, Parquet, UTF-16) is not a CSV export. */
export function sniffCsv(path: string): void {
  if (statSync(path).size === 0) throw new FileShapeError(path, 'the file is empty (no header row)');
  const binary = sniffBinary(path);
  if (binary) throw new FileShapeError(path, binary);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Excel stores wall-clock times; ExcelJS hands them over as if they were UTC. Keep them naive. */
function excelDate(d: Date): string {
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const h = d.getUTCHours();
  const m = d.getUTCMinutes();
  const s = d.getUTCSeconds();
  return h || m || s ? `${date} ${pad(h)}:${pad(m)}:${pad(s)}` : date;
}

function cellText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return excelDate(v);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if ('result' in o) return cellText(o.result);
    if ('text' in o) return cellText(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
}

/** One sheet of a workbook: its name, and its rows (null: no header row) to read before the next sheet. */
export interface Sheet {
  name: string;
  /** 0-based position in the workbook. */
  index: number;
  source: RowSource | null;
}

export interface Workbook {
  /** Every sheet's name in workbook order, once the workbook part has been read (null before, or if absent). */
  names(): string[] | null;
  /** The sheets in order. A sheet whose rows are not read is skipped when the next one is asked for. */
  sheets: AsyncIterable<Sheet>;
}

const toValues = (row: ExcelJS.Row, width: number): (string | null)[] => {
  const vals = row.values as unknown[];
  const out: (string | null)[] = [];
  for (let i = 1; i <= Math.max(width, vals.length - 1); i++) out.push(cellText(vals[i]));
  return out;
};

/** Every sheet of an .xlsx, streamed (issue 13: a workbook's second sheet is not dropped without a word). */
export function openWorkbook(path: string): Workbook {
  if (statSync(path).size === 0) throw new FileShapeError(path, 'the file is empty');
  const wrap = (err: unknown) =>
    err instanceof FileShapeError
      ? err
      : new FileShapeError(path, `not readable as .xlsx: ${(err as Error).message}`);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
  });
  const model = () => (reader as unknown as { model?: { sheets?: { name: string }[] } }).model;
  async function* sheets(): AsyncGenerator<Sheet> {
    const it = reader[Symbol.asyncIterator]();
    let index = 0;
    while (true) {
      let sheet: IteratorResult<ExcelJS.stream.xlsx.WorksheetReader>;
      let rowIter: AsyncIterator<ExcelJS.Row>;
      let first: IteratorResult<ExcelJS.Row>;
      try {
        sheet = await it.next();
        if (sheet.done) {
          if (index === 0) throw new FileShapeError(path, 'the workbook has no sheets');
          return;
        }
        rowIter = sheet.value[Symbol.asyncIterator]();
        first = await rowIter.next();
      } catch (err) {
        throw wrap(err);
      }
      const name = (sheet.value as unknown as { name?: string }).name ?? `Sheet${index + 1}`;
      yield {
        name,
        index,
        source: first.done ? null : sheetSource(first.value, rowIter, wrap),
      };
      index++;
    }
  }
  return {
    names: () => model()?.sheets?.map((s) => s.name) ?? null,
    sheets: sheets(),
  };
}

/** The first sheet only (what the importer read before workbooks were read sheet by sheet). */
export async function openXlsx(path: string): Promise<RowSource> {
  // next(), not for-await: leaving a for-await loop would close the workbook under the sheet's rows
  const first = await openWorkbook(path).sheets[Symbol.asyncIterator]().next();
  if (first.done) throw new FileShapeError(path, 'the workbook has no sheets');
  if (!first.value.source) throw new FileShapeError(path, 'the first sheet is empty (no header row)');
  return first.value.source;
}

function sheetSource(
  firstRow: ExcelJS.Row,
  rowIter: AsyncIterator<ExcelJS.Row>,
  wrap: (err: unknown) => FileShapeError,
): RowSource {
  const header = toValues(firstRow, 0).map((h) => h ?? '');
  async function* rows(): AsyncGenerator<SourceRow[]> {
    let batch: SourceRow[] = [];
    while (true) {
      let next: IteratorResult<ExcelJS.Row>;
      try {
        next = await rowIter.next();
      } catch (err) {
        throw wrap(err);
      }
      if (next.done) break;
      const values = toValues(next.value, header.length);
      // trailing empty cells beyond the header are formatting, not data
      while (values.length > header.length && values[values.length - 1] === null) values.pop();
      batch.push({ line: next.value.number, values });
      if (batch.length >= 2048) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
  return { format: 'xlsx', header, rows: rows(), fraction: () => null };
}
