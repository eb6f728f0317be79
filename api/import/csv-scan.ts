/**
 * Line bookkeeping for CSV files that DuckDB reads: one pass over the bytes (never decoded to strings) that knows,
 * for every record, the physical line it starts on — the same numbering as csv.ts's CsvParser, which a person
 * finds in the file (header = 1, blank lines counted, a quoted value across lines counted as its lines). DuckDB
 * gives records in file order but no line numbers; these breakpoints (record number → start line, only where the
 * simple "one record per line" count goes off) turn its row numbers into lines.
 *
 * It also checks what DuckDB would read differently from CsvParser and then says so (`irregular`), so that the
 * file is read by CsvParser instead: a quote inside an unquoted field, text after a closing quote, a carriage
 * return that does not end a line. Strict UTF-8 is checked here too (DuckDB's own message is less helpful).
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { CsvParser } from './csv.ts';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;

export class CsvScanError extends Error {
  constructor(
    message: string,
    /** Set when the bytes are not UTF-8: the line of the first bad byte (encoding.ts decides what they are). */
    readonly utf8Line?: number,
  ) {
    super(message);
  }
}

export interface CsvScan {
  header: string[];
  /** Records including the header (DuckDB's row count when it reads the file with header = false). */
  records: number;
  /** [record number (header = 1), its start line]: the first record and every record where the count jumps. */
  breaks: [number, number][];
  /** Some record spans lines (DuckDB then has to read the file serially with null padding). */
  multiline: boolean;
  /** Why CsvParser must read this file instead of DuckDB, or null. */
  irregular: string | null;
}

/** Byte length of the longest prefix of `b` that ends on a UTF-8 character boundary. */
function completeUtf8(b: Buffer): number {
  const n = b.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const c = b[i];
    if ((c & 0xc0) === 0x80) continue; // continuation byte
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return n - i >= need ? n : i;
  }
  return n;
}

export async function scanCsv(
  path: string,
  onProgress?: (records: number, bytes: number) => void,
): Promise<CsvScan> {
  let records = 0;
  let line = 1; // line of the next byte to read
  let expected = 1; // start line of the next record if it follows the last one on the next line
  const breaks: [number, number][] = [];
  let multiline = false;
  let irregular: string | null = null;
  let headerText: Buffer | null = null;
  let carry: Buffer = Buffer.alloc(0);
  let bytes = 0;
  let first = true;

  const startRecord = (startLine: number, text: Buffer | null) => {
    records++;
    if (startLine !== expected || records === 1) breaks.push([records, startLine]);
    expected = startLine + 1;
    if (records === 1) headerText = text;
  };

  /** Walks one quoted record from `pos`; returns the position after it, or -1 if it needs more bytes. */
  const walkQuoted = (b: Buffer, pos: number, final: boolean): number => {
    const startLine = line;
    let lines = 0;
    let i = pos;
    let inQuotes = false;
    let fieldStart = true;
    let afterClose = false;
    const n = b.length;
    while (i < n) {
      const c = b[i];
      if (inQuotes) {
        if (c === QUOTE) {
          if (i + 1 >= n && !final) return -1;
          if (b[i + 1] === QUOTE) {
            i += 2;
            continue;
          }
          inQuotes = false;
          afterClose = true;
        } else if (c === LF) lines++;
        i++;
        continue;
      }
      if (c === QUOTE && fieldStart) {
        inQuotes = true;
        fieldStart = false;
      } else if (c === QUOTE) {
        // CsvParser keeps it as text; DuckDB may not
        irregular ??= `a quote inside an unquoted field on line ${startLine + lines}`;
      } else if (c === COMMA) {
        fieldStart = true;
        afterClose = false;
      } else if (c === LF) {
        break;
      } else if (c === CR && (i + 1 < n || final)) {
        if (b[i + 1] !== LF) irregular ??= `a carriage return inside line ${startLine + lines}`;
      } else if (c === CR) {
        return -1;
      } else {
        if (afterClose) irregular ??= `text after a closing quote on line ${startLine + lines}`;
        fieldStart = false;
      }
      i++;
    }
    if (inQuotes) {
      if (!final) return -1;
      throw new CsvScanError(`a quoted field that starts on line ${startLine} is never closed`);
    }
    if (i >= n && !final) return -1;
    startRecord(startLine, records === 0 ? b.subarray(pos, i) : null);
    if (lines > 0) multiline = true;
    line = startLine + lines + 1;
    return i + 1;
  };

  const process = (b: Buffer, final: boolean): number => {
    let pos = 0;
    let quote = b.indexOf(QUOTE);
    let cr = b.indexOf(CR);
    const n = b.length;
    while (pos < n) {
      const nl = b.indexOf(LF, pos);
      if (nl === -1 && !final) return pos;
      const end = nl === -1 ? n : nl;
      if (quote !== -1 && quote < pos) quote = b.indexOf(QUOTE, pos);
      if (quote === -1 || quote > end) {
        if (cr !== -1 && cr < pos) cr = b.indexOf(CR, pos);
        let contentEnd = end;
        if (cr !== -1 && cr < end) {
          if (cr === end - 1) contentEnd = end - 1;
          else irregular ??= `a carriage return inside line ${line}`;
        }
        // a blank line is skipped by both readers: the next record's line jumps
        if (contentEnd > pos) startRecord(line, records === 0 ? b.subarray(pos, contentEnd) : null);
        line++;
        pos = end + 1;
        continue;
      }
      const next = walkQuoted(b, pos, final);
      if (next === -1) return pos;
      pos = next;
    }
    return n;
  };

  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    let b = chunk as Buffer;
    if (first) {
      first = false;
      if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
    }
    const whole = carry.length > 0 ? Buffer.concat([carry, b]) : b;
    const cut = completeUtf8(whole);
    if (!isUtf8(whole.subarray(0, cut))) {
      // the longest valid prefix (validity only shrinks as the prefix grows): the bad byte's line
      let lo = 0;
      let hi = cut;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (isUtf8(whole.subarray(0, completeUtf8(whole.subarray(0, mid))))) lo = mid;
        else hi = mid;
      }
      let at = line;
      for (let i = whole.indexOf(LF); i !== -1 && i < lo; i = whole.indexOf(LF, i + 1)) at++;
      throw new CsvScanError(
        `invalid UTF-8 on line ${at} (perhaps Windows-1256); export it as UTF-8 CSV`,
        at,
      );
    }
    bytes += (chunk as Buffer).length;
    const used = process(whole.subarray(0, cut), false);
    carry = Buffer.from(whole.subarray(used));
    onProgress?.(records, bytes);
  }
  if (!isUtf8(carry)) {
    throw new CsvScanError(
      `invalid UTF-8 at the end of the file, near line ${line} (perhaps Windows-1256); export it as UTF-8 CSV`,
      line,
    );
  }
  process(carry, true);
  if (records === 0 || headerText === null) return { header: [], records: 0, breaks, multiline, irregular };
  const parser = new CsvParser();
  const [rec] = [...parser.push((headerText as Buffer).toString('utf8')), ...parser.end()];
  return { header: rec?.values ?? [], records, breaks, multiline, irregular };
}
