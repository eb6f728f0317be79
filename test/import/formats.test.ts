/** Excel and Parquet exports, written in the test (ExcelJS; DuckDB COPY TO), go through the same rules as CSV. */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { Db } from '../../api/db.ts';
import { importFiles } from '../../api/import/index.ts';
import { cleanup, freshDb, OFFICES, SERVICES, tempDir, utc, writeExport } from './helpers.ts';

afterEach(cleanup);

describe('xlsx', () => {
  it('reads the first sheet: header row, date cells as Tehran wall-clock, text dates, bad rows by sheet row', async () => {
    const root = tempDir();
    const dir = writeExport(root, 'x', { 'offices.csv': OFFICES, 'services.csv': SERVICES });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('پرونده‌ها');
    ws.addRow(['case_id', 'office_id', 'service_code', 'submitted_at', 'closed_at', 'status']);
    // Excel keeps wall-clock times; ExcelJS writes a Date's UTC fields as that wall clock
    ws.addRow(['X1', 'O1', 'S1', new Date(Date.UTC(2022, 6, 24, 10, 3)), null, 'open']);
    ws.addRow(['X2', 'O2', 'S2', '۱۴۰۱/۰۵/۰۲ ۱۰:۰۳', '1401/05/03 10:03', 'completed']);
    ws.addRow(['X3', 'O1', 'S1', '1403/07/32', null, 'open']);
    ws.addRow([12345, 'O1', 'S1', '2023-01-01', null, 'open']);
    await wb.xlsx.writeFile(join(dir, 'cases.xlsx'));

    const db = await freshDb(root);
    const r = await importFiles(db, [dir]);
    expect(r.files.find((f) => f.file === 'cases.xlsx')).toMatchObject({
      format: 'xlsx',
      rows_read: 4,
      inserted: 3,
      rejected: 1,
    });
    expect(await db.all('SELECT line, reason FROM rejects')).toEqual([{ line: 4, reason: 'bad_date' }]);
    // 1401/05/02 = 2022-07-24; 10:03 at +04:30 = 05:33Z (both rows)
    expect(await db.all(`SELECT case_id, ${utc('submitted_at')} AS s FROM cases ORDER BY 1`)).toEqual([
      { case_id: '12345', s: '2022-12-31T20:30:00Z' },
      { case_id: 'X1', s: '2022-07-24T05:33:00Z' },
      { case_id: 'X2', s: '2022-07-24T05:33:00Z' },
    ]);
    db.close();
  });
});

describe('parquet', () => {
  it('reads any column types as text, with the row number as line', async () => {
    const root = tempDir();
    const dir = writeExport(root, 'p', { 'offices.csv': OFFICES, 'services.csv': SERVICES });
    const mem = await Db.open(':memory:');
    const out = join(dir, 'cases.parquet');
    await mem.run(
      `COPY (SELECT * FROM (VALUES
         ('P1', 'O1', 'S1', TIMESTAMP '2022-07-24 10:03:00', NULL::TIMESTAMP, 'open', 'online'),
         ('P2', 'O2', 'S1', TIMESTAMP '2023-03-01 08:00:00', TIMESTAMP '2023-03-02 08:00:00', 'completed', NULL),
         ('P3', 'O2', 'S1', TIMESTAMP '2023-03-01 08:00:00', NULL, 'completed', NULL))
         AS t(case_id, office_id, service_code, submitted_at, closed_at, status, channel))
       TO $out (FORMAT parquet)`,
      { out },
    );
    mem.close();
    const db = await freshDb(root);
    const r = await importFiles(db, [dir]);
    expect(r.files.find((f) => f.file === 'cases.parquet')).toMatchObject({
      format: 'parquet',
      rows_read: 3,
      inserted: 2,
    });
    expect(await db.all('SELECT line, reason FROM rejects')).toEqual([
      { line: 4, reason: 'status_closed_mismatch' },
    ]);
    // a naive parquet TIMESTAMP is Tehran wall-clock: 2023-03-01 08:00 at +03:30 = 04:30Z
    expect(await db.all(`SELECT case_id, ${utc('submitted_at')} AS s FROM cases ORDER BY 1`)).toEqual([
      { case_id: 'P1', s: '2022-07-24T05:33:00Z' },
      { case_id: 'P2', s: '2023-03-01T04:30:00Z' },
    ]);
    db.close();
  });

  it('reads a file whose path holds a quote: the path is a bound parameter, never spliced into SQL', async () => {
    const root = tempDir();
    const dir = writeExport(root, "o'brien; --", { 'offices.csv': OFFICES, 'services.csv': SERVICES });
    const out = join(dir, 'cases.parquet');
    const mem = await Db.open(':memory:');
    await mem.run(
      `COPY (SELECT 'Q1' AS case_id, 'O1' AS office_id, 'S1' AS service_code,
         TIMESTAMP '2022-07-24 10:03:00' AS submitted_at, 'open' AS status) TO $out (FORMAT parquet)`,
      { out },
    );
    mem.close();
    const db = await freshDb(root);
    const r = await importFiles(db, [dir]);
    expect(r.status).toBe('ok');
    expect(r.files.find((f) => f.file === 'cases.parquet')).toMatchObject({ rows_read: 1, inserted: 1 });
    db.close();
  });
});
