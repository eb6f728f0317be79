/**
 * Issue 13: every sheet of a workbook is recognised by its name like a file (or through the mapping), and a sheet
 * that is not imported is named in the report. The workbooks are written here with ExcelJS.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../api/import/index.ts';
import { cleanup, freshDb, OFFICES, SERVICES, tempDir, writeExport } from './helpers.ts';

afterEach(cleanup);

async function workbook(path: string, sheets: [string, unknown[][]][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of sheets) {
    const ws = wb.addWorksheet(name);
    for (const row of rows) ws.addRow(row);
  }
  await wb.xlsx.writeFile(path);
}

const CASES: unknown[][] = [
  ['case_id', 'office_id', 'service_code', 'submitted_at', 'closed_at', 'status'],
  ['W1', 'O1', 'S1', '1402/01/15 09:30', '1402/01/28 14:00', 'completed'],
  ['W2', 'O2', 'S2', '1402/02/01', null, 'open'],
];
const COMPLAINTS: unknown[][] = [
  ['complaint_id', 'office_id', 'case_id', 'received_at', 'category'],
  ['K1', 'O1', 'W1', '1402/02/01', 'delay'],
  ['K2', 'O2', 'W2', '1402/02/05', 'rudeness'],
];

describe('a workbook of several sheets', () => {
  it('imports «پرونده‌ها» and «شکایات», and names the sheet it did not import', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const dir = writeExport(root, 'x', { 'offices.csv': OFFICES, 'services.csv': SERVICES });
    await workbook(join(dir, 'خروجی ماهانه.xlsx'), [
      ['پرونده‌ها', CASES],
      ['شکایات', COMPLAINTS],
      ['یادداشت', [['این برگه فقط توضیح است']]],
    ]);
    const r = await importFiles(db, [dir]);
    expect(r.status).toBe('ok');
    const book = r.files.filter((f) => f.format === 'xlsx');
    expect(book.map((f) => [f.file, f.sheet, f.kind, f.inserted, f.rejected])).toEqual([
      ['خروجی ماهانه.xlsx › پرونده‌ها', 'پرونده‌ها', 'cases', 2, 0],
      ['خروجی ماهانه.xlsx › شکایات', 'شکایات', 'complaints', 1, 1],
    ]);
    expect(await db.all('SELECT complaint_id, case_id FROM complaints')).toEqual([
      { complaint_id: 'K1', case_id: 'W1' },
    ]);
    // the bad complaint is found by its sheet and its row in that sheet
    expect(r.rejects.map((e) => [e.file, e.line, e.record_id, e.reason])).toEqual([
      ['خروجی ماهانه.xlsx › شکایات', 3, 'K2', 'bad_value'],
    ]);
    expect(r.sheets_skipped.map((s) => [s.file, s.sheet])).toEqual([['خروجی ماهانه.xlsx', 'یادداشت']]);
    expect(r.sheets_skipped[0].fa).toContain('برگهٔ «یادداشت» از خروجی ماهانه.xlsx وارد نشد');
    expect(r.notices.filter((n) => n.code === 'sheet_skipped')).toHaveLength(1);
    db.close();
  });

  it('a sheet the mapping names is imported; unnamed sheets: the first as before, the rest named; none: a failure', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const dir = writeExport(root, 'x', { 'offices.csv': OFFICES, 'services.csv': SERVICES });
    await workbook(join(dir, 'export.xlsx'), [
      ['cases', CASES],
      ['Sheet2', COMPLAINTS.slice(0, 2)],
    ]);
    const r = await importFiles(db, [dir], { mapping: { files: { complaints: { names: ['sheet2'] } } } });
    expect(r.files.filter((f) => f.format === 'xlsx').map((f) => [f.sheet, f.kind])).toEqual([
      ['cases', 'cases'],
      ['Sheet2', 'complaints'],
    ]);
    expect(r.sheets_skipped).toEqual([]);

    const bad = writeExport(root, 'y', {});
    await workbook(join(bad, 'export.xlsx'), [
      ['Sheet1', CASES],
      ['Sheet2', COMPLAINTS],
    ]);
    // an export named like no kind, its first sheet of cases: read as before (by its header), the second named
    const r2 = await importFiles(db, [bad]);
    expect(r2.files.map((f) => [f.sheet, f.kind, f.unchanged])).toEqual([['Sheet1', 'cases', 2]]);
    expect(r2.sheets_skipped.map((s) => s.sheet)).toEqual(['Sheet2']);

    const none = writeExport(root, 'z', {});
    await workbook(join(none, 'export.xlsx'), [
      ['Sheet1', []],
      ['Sheet2', COMPLAINTS],
    ]);
    const r3 = await importFiles(db, [none]);
    expect(r3.status).toBe('failed');
    expect(r3.message).toBe(
      'export.xlsx: no sheet of this workbook was imported (Sheet1 (empty), Sheet2): name each sheet like a file (offices, services, cases, complaints, districts, events, stages, or their Persian names) or declare it in the mapping',
    );
    expect(r3.message_fa).toContain('هیچ برگه‌ای از این کارپوشه وارد نشد');
    db.close();
  });
});
