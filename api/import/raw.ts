/**
 * A file's cells as text in a TEMP table `raw_<n>`: `line` (where a person finds the row), `nf` (its number of
 * fields), `malformed`, and `c0…` one VARCHAR per header column. Nothing is typed here: a Jalali date must never
 * meet DuckDB's timestamp cast.
 *
 * - CSV: DuckDB's read_csv reads the values and counts the lines as it reads (the line breaks inside quoted
 *   values); csv-scan.ts's byte pass checks them, and the file (UTF-8, quotes). A file DuckDB would read
 *   differently from csv.ts (stray quotes, lone carriage returns, rows far wider than the header) is read by
 *   csv.ts instead and spilled to a plain CSV that DuckDB loads.
 * - Parquet: read_parquet, every column cast to text, line = row number + 1.
 * - Excel: exceljs streams each sheet (DuckDB has no xlsx reader here) into the same spill (`loadSheet`).
 * - A CSV that is not UTF-8 may be Excel's Windows-1256: encoding.ts decides, and a UTF-8 copy is read.
 */
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { CsvParser, csvBatches } from './csv.ts';
import { CsvScanError, scanCsv } from './csv-scan.ts';
import {
  type CsvEncoding,
  type Said,
  transcode1256,
  utf8DespiteSetting,
  windows1256Note,
} from './encoding.ts';
import { FileShapeError, openXlsx, type RowSource, sniffCsv } from './sources.ts';

export interface RawFile {
  format: 'csv' | 'parquet' | 'xlsx' | 'xes';
  header: string[];
  table: string;
  /** Data rows read (the header not counted). */
  rows: number;
  /** The table's column for a row's place in its file when it is not `line` (an XES part: the element's number). */
  pos?: string;
  /** CSV: the encoding it was read in, and what the report says about it (null: plain UTF-8, nothing to say). */
  encoding?: CsvEncoding;
  encodingNote?: Said | null;
}

export interface RawOptions {
  /** Rows so far, and the fraction of the file read (null: unknown). */
  onProgress?: (rows: number, fraction: number | null) => void;
  /** Scratch folder for spill files. */
  dir: string;
  /** The mapping's `encoding` for CSV files (default: UTF-8, Windows-1256 detected and said). */
  encoding?: CsvEncoding;
}

/** DuckDB reads a row's extra fields into this many columns; a wider row sends the file to csv.ts. */
const EXTRA = 8;
/** A NULL marker no export contains: empty fields then read as '' and only padding is NULL. */
const NO_NULL = '\u0001\u0002shafaf-no-null\u0003';

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

function malformedSql(width: number): string {
  return `nf <> ${width} AND NOT (nf > ${width} AND xblank)`;
}

export async function loadRaw(
  c: DuckDBConnection,
  idx: number,
  path: string,
  opts: RawOptions,
): Promise<RawFile> {
  const ext = path.toLowerCase().slice(path.lastIndexOf('.'));
  const table = `raw_${idx}`;
  if (ext === '.csv') return loadCsv(c, table, path, opts);
  if (ext === '.parquet') return loadParquet(c, table, path);
  const src = await openXlsx(path);
  return spill(c, table, src.header, src.rows, 'xlsx', opts);
}

/** One workbook sheet's rows (sources.ts `openWorkbook`) into the raw table `raw_<idx>`. */
export function loadSheet(
  c: DuckDBConnection,
  idx: number,
  src: RowSource,
  opts: RawOptions,
): Promise<RawFile> {
  return spill(c, `raw_${idx}`, src.header, src.rows, 'xlsx', opts);
}

async function loadCsv(c: DuckDBConnection, table: string, file: string, opts: RawOptions): Promise<RawFile> {
  sniffCsv(file);
  let path = file;
  let encoding: CsvEncoding = 'utf-8';
  let encodingNote: Said | null = null;
  const size = statSync(path).size;
  const scanned = async () => {
    try {
      return await scanCsv(path, (records, bytes) =>
        opts.onProgress?.(Math.max(0, records - 1), bytes / size),
      );
    } catch (err) {
      if (
        err instanceof CsvScanError &&
        err.utf8Line !== undefined &&
        opts.encoding !== 'utf-8' &&
        path === file
      ) {
        return err;
      }
      if (err instanceof CsvScanError) throw new FileShapeError(file, `not readable as CSV: ${err.message}`);
      throw err;
    }
  };
  // DuckDB reads the file (one thread: the rows keep file order) while the byte pass walks it here, on the other core;
  // its width comes from the header as the first megabyte shows it, and is checked against the byte pass's below
  const guess = opts.encoding === 'windows-1256' ? null : headerWidth(file);
  const early = guess === null ? Promise.resolve(false) : duckRead(c, table, path, guess);
  const [scanned1, read1] = await Promise.allSettled([scanned(), early]);
  let read = read1.status === 'fulfilled' && read1.value;
  const dropRead = async () => {
    if (read) await c.run(`DROP TABLE IF EXISTS ${table}`);
    read = false;
  };
  if (scanned1.status === 'rejected') {
    await dropRead();
    throw scanned1.reason;
  }
  let scan = scanned1.value;
  if (scan instanceof CsvScanError) {
    await dropRead();
    encodingNote = await windows1256Note(file, scan.utf8Line ?? 1, opts.encoding);
    path = join(opts.dir, `${table}.utf8.csv`);
    await transcode1256(file, path);
    encoding = 'windows-1256';
    scan = await scanned();
    if (scan instanceof CsvScanError) throw new FileShapeError(file, `not readable as CSV: ${scan.message}`);
  } else if (opts.encoding === 'windows-1256') {
    encodingNote = utf8DespiteSetting(file);
  }
  if (scan.records === 0 || scan.header.every((h) => h.trim() === '')) {
    await dropRead();
    throw new FileShapeError(file, 'the file is empty (no header row)');
  }
  const width = scan.header.length;
  if (scan.irregular === null) {
    if (!read || width !== guess) {
      await dropRead();
      read = await duckRead(c, table, path, width);
    }
    if (read && (await duckChecked(c, table, width, scan))) {
      return { format: 'csv', header: scan.header, table, rows: scan.records - 1, encoding, encodingNote };
    }
  } else {
    await dropRead();
  }
  // csv.ts reads it: the same values and lines as before this reader existed
  const { batches } = csvBatches(path);
  async function* rows() {
    let first = true;
    for await (const batch of batches) {
      if (first) {
        first = false;
        yield batch.slice(1);
      } else yield batch;
    }
  }
  try {
    return { ...(await spill(c, table, scan.header, rows(), 'csv', opts)), encoding, encodingNote };
  } catch (err) {
    if (err instanceof FileShapeError) throw err;
    throw new FileShapeError(file, `not readable as CSV: ${(err as Error).message}`);
  }
}

/** The number of fields of the file's first record, from its first megabyte (null: no whole record there). */
function headerWidth(path: string): number | null {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  let n: number;
  try {
    n = readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  let b = buf.subarray(0, n);
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  const [first] = new CsvParser().push(b.toString('utf8'));
  return first ? first.values.length : null;
}

/** read_csv into the raw table, `width` columns wide; false when DuckDB cannot read it so. */
async function duckRead(c: DuckDBConnection, table: string, path: string, width: number): Promise<boolean> {
  const cols = [
    ...Array.from({ length: width }, (_, i) => `'c${i}': 'VARCHAR'`),
    ...Array.from({ length: EXTRA }, (_, i) => `'x${i}': 'VARCHAR'`),
  ].join(', ');
  const nonNull = (names: string[]) => names.map((n) => `(${n} IS NOT NULL)::INTEGER`).join(' + ');
  const cs = Array.from({ length: width }, (_, i) => `c${i}`);
  const xs = Array.from({ length: EXTRA }, (_, i) => `x${i}`);
  const nf = `CASE WHEN c${width - 1} IS NULL THEN ${nonNull(cs)} ELSE ${width} + ${nonNull(xs)} END`;
  const xblank = xs.map((x) => `coalesce(sh_js_trim(${x}) = '', true)`).join(' AND ');
  const source = `read_csv($path, header = false, auto_detect = false, delim = ',', quote = '"',
    escape = '"', columns = {${cols}}, null_padding = true, nullstr = $nullstr,
    allow_quoted_nulls = false, strict_mode = false, parallel = false)`;
  // a record's start line: the header's (line 1), plus one a record, plus the line breaks inside the records before
  // it (quoted fields; a lone CR never gets here). A running sum in read order: no second pass, no join. Checked
  // against the byte pass's breaks (duckChecked: a blank line between records, say, is one the values do not show).
  const nl = [...cs, ...xs]
    .map(
      (x) =>
        `CASE WHEN contains(${x}, chr(10)) THEN length(${x}) - length(replace(${x}, chr(10), '')) ELSE 0 END`,
    )
    .join(' + ');
  try {
    await c.run(
      `CREATE OR REPLACE TEMP TABLE ${table} AS
       SELECT (k + nl_run - nl)::INTEGER AS line, nf, ${malformedSql(width)} AS malformed,
         ${cs.join(', ')}, k, nl, wide
       FROM (SELECT *, sum(nl::DOUBLE) OVER (ROWS UNBOUNDED PRECEDING) AS nl_run
         FROM (SELECT row_number() OVER () AS k, ${cs.join(', ')}, ${nf} AS nf, ${xblank} AS xblank,
             x${EXTRA - 1} IS NOT NULL AS wide, ${nl} AS nl
           FROM ${source}))
       WHERE k > 1`,
      { path, nullstr: NO_NULL },
    );
  } catch {
    await c.run(`DROP TABLE IF EXISTS ${table}`);
    return false;
  }
  return true;
}

/**
 * Whether DuckDB's reading lines up with the byte pass (its row count, no row wider than it reads); its lines are
 * mended from the byte pass's breaks where they differ. False (the table dropped) when it does not line up.
 */
async function duckChecked(
  c: DuckDBConnection,
  table: string,
  width: number,
  scan: Awaited<ReturnType<typeof scanCsv>>,
): Promise<boolean> {
  const breaks = scan.breaks;
  const cs = Array.from({ length: width }, (_, i) => `c${i}`);
  const [check] = (
    await c.runAndReadAll(
      `SELECT count(*)::DOUBLE + 1 AS n, count(*) FILTER (WHERE wide)::DOUBLE AS wide FROM ${table}`,
    )
  ).getRowObjectsJson() as { n: number; wide: number }[];
  if (check.n !== scan.records || check.wide > 0) {
    await c.run(`DROP TABLE ${table}`);
    return false;
  }
  if (!(await linesAgree(c, table, breaks))) {
    await c.run(
      `CREATE OR REPLACE TEMP TABLE ${table}_lines AS
       SELECT (bp.line + (r.k - bp.k))::INTEGER AS line, nf, malformed, ${cs.join(', ')}, r.k, nl, wide
       FROM ${table} r ASOF JOIN (SELECT unnest($bk::BIGINT[]) AS k, unnest($bl::INTEGER[]) AS line) bp ON r.k >= bp.k`,
      { bk: JSON.stringify(breaks.map((b) => b[0])), bl: JSON.stringify(breaks.map((b) => b[1])) },
    );
    await c.run(`DROP TABLE ${table}`);
    await c.run(`ALTER TABLE ${table}_lines RENAME TO ${table}`);
  }
  return true;
}

/**
 * Whether the raw table's lines are the byte pass's: equal on every record where either side's line jumps by
 * more than one (then, between two such records, both count one line a record, and they agree everywhere).
 */
async function linesAgree(c: DuckDBConnection, table: string, breaks: [number, number][]): Promise<boolean> {
  const got = (
    await c.runAndReadAll(
      `SELECT k::DOUBLE AS k, line FROM ${table}
       WHERE k = 2 OR k IN (SELECT k + 1 FROM ${table} WHERE nl > 0) OR k IN (SELECT unnest($bk::BIGINT[]))`,
      { bk: JSON.stringify(breaks.map((b) => b[0])) },
    )
  ).getRowObjectsJson() as { k: number; line: number }[];
  // the byte pass's line of record k: from the last break at or before it
  const lineOf = (k: number) => {
    let lo = 0;
    let hi = breaks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (breaks[mid][0] <= k) lo = mid;
      else hi = mid - 1;
    }
    return breaks[lo][1] + (k - breaks[lo][0]);
  };
  return got.every((r) => r.line === lineOf(r.k));
}

async function loadParquet(c: DuckDBConnection, table: string, path: string): Promise<RawFile> {
  if (statSync(path).size === 0) throw new FileShapeError(path, 'the file is empty');
  const src = 'read_parquet($path)';
  let header: string[];
  try {
    header = (await c.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`, { path }))
      .getRowObjectsJson()
      .map((r) => String(r.column_name));
    const cs = header.map((h, i) => `CAST(${ident(h)} AS VARCHAR) AS c${i}`).join(', ');
    await c.run(
      `CREATE OR REPLACE TEMP TABLE ${table} AS
       SELECT (row_number() OVER () + 1)::INTEGER AS line, ${header.length} AS nf, false AS malformed, ${cs} FROM ${src}`,
      { path },
    );
  } catch (err) {
    throw new FileShapeError(path, `not readable as Parquet: ${(err as Error).message.split('\n')[0]}`);
  }
  const [{ n }] = (
    await c.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${table}`)
  ).getRowObjectsJson() as {
    n: number;
  }[];
  return { format: 'parquet', header, table, rows: n };
}

const NEEDS_QUOTES = /[",\n\r]/;
const field = (v: string | null | undefined) =>
  v === null || v === undefined ? '' : v === '' || NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;

/**
 * Rows read in JavaScript (csv.ts, exceljs) written to a plain CSV spill file and loaded with one read_csv: NULL as
 * an empty field, '' as "". Rows are streamed: memory holds one batch at a time.
 */
async function spill(
  c: DuckDBConnection,
  table: string,
  header: string[],
  rows: AsyncIterable<{ line: number; values: (string | null)[] }[]>,
  format: RawFile['format'],
  opts: RawOptions,
): Promise<RawFile> {
  const width = header.length;
  const file = join(opts.dir, `${table}.csv`);
  const fd = openSync(file, 'w');
  let n = 0;
  try {
    let parts: string[] = [];
    let size = 0;
    for await (const batch of rows) {
      for (const row of batch) {
        const v = row.values;
        const blank = v.length <= width || v.slice(width).every((x) => x === null || x.trim() === '');
        let out = `${row.line},${v.length},${blank}`;
        for (let i = 0; i < width; i++) out += `,${field(v[i])}`;
        parts.push(out);
        size += out.length;
        if (size > 1 << 20) {
          writeSync(fd, `${parts.join('\n')}\n`);
          parts = [];
          size = 0;
        }
      }
      n += batch.length;
      opts.onProgress?.(n, null);
    }
    if (parts.length > 0) writeSync(fd, `${parts.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  const cols = [
    "'line': 'INTEGER'",
    "'nf': 'INTEGER'",
    "'xblank': 'BOOLEAN'",
    ...Array.from({ length: width }, (_, i) => `'c${i}': 'VARCHAR'`),
  ].join(', ');
  const cs = Array.from({ length: width }, (_, i) => `c${i}`).join(', ');
  await c.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     SELECT line, nf, ${malformedSql(width)} AS malformed, ${cs}
     FROM read_csv($file, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"',
       columns = {${cols}}, allow_quoted_nulls = false, parallel = false, max_line_size = 16777216, buffer_size = 33554432)`,
    { file },
  );
  return { format, header, table, rows: n };
}
