/**
 * The byte pass that gives DuckDB's rows their line numbers (api/import/csv-scan.ts) against csv.ts's CsvParser,
 * the reader whose numbering the rejects have always used: on random CSV texts (quoted commas, quotes, line breaks
 * in values, CRLF, blank lines, a BOM) every record's start line is the same. Then whole imports through DuckDB
 * and through CsvParser (a stray quote sends a file there) load the same rows and reject the same lines.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CsvParser } from '../../api/import/csv.ts';
import { scanCsv } from '../../api/import/csv-scan.ts';
import { importFiles } from '../../api/import/index.ts';
import { loadRaw } from '../../api/import/raw.ts';
import { installDateSql } from '../../api/import/sql-dates.ts';
import { installTextSql } from '../../api/import/sql-text.ts';
import { cleanup, freshDb, OFFICES, SERVICES, tempDir, writeExport } from './helpers.ts';

afterEach(cleanup);

const field = fc.oneof(
  fc.constantFrom('', 'a', 'ب', '12', ' x ', 'N/A'),
  fc.string({ unit: fc.constantFrom('a', 'ی', ',', '"', '\n', '\r\n', ' ', '1'), maxLength: 8 }),
);
const quote = (v: string) => (/[",\r\n]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v);
const csvText = fc
  .tuple(
    fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 15 }),
    fc.array(fc.boolean(), { minLength: 15, maxLength: 15 }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
    fc.boolean(),
    // blank lines before the header, now and then
    fc.constantFrom(0, 0, 0, 0, 0, 1, 2),
  )
  .map(([rows, blanks, eol, bom, lastEol, lead]) => {
    let text = (bom ? '\uFEFF' : '') + eol.repeat(lead);
    rows.forEach((r, i) => {
      text += r.map(quote).join(',') + (i < rows.length - 1 || lastEol ? eol : '');
      if (blanks[i] && i < rows.length - 1) text += eol;
    });
    return text;
  });

function reference(text: string): number[] {
  const p = new CsvParser();
  return [...p.push(text.replace(/^\uFEFF/, '')), ...p.end()].map((r) => r.line);
}

function linesOf(breaks: [number, number][], records: number): number[] {
  const out: number[] = [];
  let b = 0;
  for (let k = 1; k <= records; k++) {
    while (b + 1 < breaks.length && breaks[b + 1][0] <= k) b++;
    out.push(breaks[b][1] + (k - breaks[b][0]));
  }
  return out;
}

describe('csv-scan', () => {
  it('numbers every record as CsvParser does', async () => {
    const dir = tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(csvText, async (text) => {
        const path = join(dir, `f${n++}.csv`);
        writeFileSync(path, text);
        const want = reference(text);
        const scan = await scanCsv(path);
        expect(scan.irregular).toBeNull();
        expect(scan.records).toBe(want.length);
        expect(linesOf(scan.breaks, scan.records)).toEqual(want);
      }),
      { seed: 20240913, numRuns: 300 },
    );
  });

  it('sends stray quotes and lone carriage returns to CsvParser, and names invalid UTF-8 and open quotes', async () => {
    const dir = tempDir();
    const at = (name: string, content: string | Buffer) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    };
    expect((await scanCsv(at('a.csv', 'a,b\n5" pipe,x\n'))).irregular).toMatch(
      /quote inside an unquoted field/,
    );
    expect((await scanCsv(at('b.csv', 'a,b\n"ab"cd,x\n'))).irregular).toMatch(/after a closing quote/);
    expect((await scanCsv(at('c.csv', 'a,b\n1\r2,x\n'))).irregular).toMatch(/carriage return/);
    await expect(scanCsv(at('d.csv', Buffer.from([0x61, 0x0a, 0xcf, 0xdd, 0x0a])))).rejects.toThrow(
      /invalid UTF-8.*line 2/,
    );
    await expect(scanCsv(at('e.csv', 'a,b\n1,"open\n2,3\n'))).rejects.toThrow(
      /starts on line 2 is never closed/,
    );
  });
});

describe('DuckDB and CsvParser read a file the same way', () => {
  it("DuckDB's rows get CsvParser's start lines (line breaks in values, blank lines between records)", async () => {
    const dir = tempDir();
    const db = await freshDb(dir);
    let duck = 0;
    let blank = 0;
    let lead = 0;
    try {
      await db.with(async (c) => {
        await installDateSql(c);
        await installTextSql(c);
        let n = 0;
        await fc.assert(
          fc.asyncProperty(csvText, async (text) => {
            const path = join(dir, `r${n}.csv`);
            writeFileSync(path, text);
            const want = reference(text).slice(1);
            // a text whose first record is blank has no header: the importer says so (not this test's subject)
            const raw = await loadRaw(c, n++, path, { dir }).catch((err: Error) => {
              if (/the file is empty/.test(err.message)) return null;
              throw err;
            });
            if (raw === null) return;
            const cols = await c.runAndReadAll(`SELECT column_name FROM (DESCRIBE ${raw.table})`);
            const byDuck = cols.getRows().some(([name]) => name === 'nl');
            const lines = await c.runAndReadAll(
              `SELECT line FROM ${raw.table} ORDER BY ${byDuck ? 'k' : 'line'}`,
            );
            expect(lines.getRows().map(([l]) => l)).toEqual(want);
            await c.run(`DROP TABLE ${raw.table}`);
            if (byDuck) {
              duck++;
              // a blank line between records: the values do not show it, the byte pass's breaks do
              if (/(\r?\n){2}/.test(text.replace(/"[^"]*"/g, '""'))) blank++;
              // the header below a blank line: the lines counted from the header's own
              if (/^\uFEFF?\r?\n/.test(text)) lead++;
            }
          }),
          { seed: 20261130, numRuns: 200 },
        );
      });
    } finally {
      db.close();
    }
    // most texts were read by DuckDB, and some of those had blank lines
    expect(duck).toBeGreaterThan(100);
    expect(blank).toBeGreaterThan(10);
    expect(lead).toBeGreaterThan(5);
  });

  it('same rows loaded and the same lines rejected, whichever reader reads the cases', async () => {
    const body = [
      'case_id,office_id,service_code,submitted_at,closed_at,status,note',
      'C1,O1,S1,2023-01-01 09:00,2023-01-02 09:00,completed,"two\nlines"',
      '',
      'C2,O1,S1,1401/13/01,,open,', // bad_date on line 5
      'C3,O2,S2,۱۴۰۱/۱۱/۱۵ ۰۸:۳۰,,open,"a, b"',
      'C4,O2,S2,2023-01-05,,open', // 6 fields: malformed on line 7
      'C5,O1,S1,2023-01-06,,open,,,', // trailing empty fields: fine
      'C6,O1,S9,2023-01-07,,open,x', // unknown_service on line 9
    ].join('\n');
    const results: unknown[] = [];
    // the second file has a stray quote in a note: CsvParser reads it
    for (const [name, extra] of [
      ['duck', ''],
      ['parser', '\nC7,O1,S1,2023-01-08,,open,5" pipe'],
    ]) {
      const root = tempDir();
      const db = await freshDb(root);
      const r = await importFiles(db, [
        writeExport(root, name, {
          'offices.csv': OFFICES,
          'services.csv': SERVICES,
          'cases.csv': body + extra,
        }),
      ]);
      expect(r.status, r.message ?? '').toBe('ok');
      results.push({
        rejects: await db.all(
          'SELECT line, reason, column_name, raw_value, detail FROM rejects ORDER BY line',
        ),
        cases: await db.all(
          "SELECT case_id, epoch(submitted_at)::BIGINT AS s, status FROM cases WHERE case_id <> 'C7' ORDER BY 1",
        ),
      });
      db.close();
    }
    expect(results[1]).toEqual(results[0]);
    expect((results[0] as { rejects: { line: number }[] }).rejects.map((x) => x.line)).toEqual([5, 7, 9]);
  });
});
