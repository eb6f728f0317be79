/**
 * Excel downloads (`?format=xlsx`, api/export/xlsx.ts) on a small fixture: the workbook read back with
 * exceljs holds exactly the JSON answer's rows (numbers as numbers, dates as Tehran-local dates with
 * their Solar Hijri text beside them), a right-to-left sheet, Persian headers and the filters in the
 * first rows; each download is in the audit log; an inspector's workbook says whose districts it covers.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../../api/db.ts';
import { type Body, closed, makeApp, open } from './fixture.ts';
import { type Session, signIn } from './session.ts';

let db: Db;
let app: Awaited<ReturnType<typeof makeApp>>['app'];
let session: Session;

// Two districts, two offices, a few cases in Mehr 1403 (Tehran has kept UTC+3:30 all year since 2022).
beforeAll(async () => {
  const made = await makeApp({
    asOf: '2024-10-30T12:00:00Z',
    offices: [
      { office_id: 'A', district: 3, name: 'دفتر الف' },
      { office_id: 'B', district: 5, name: 'دفتر ب' },
    ],
    services: [{ service_code: 'S1', sla_days: 10, category: 'building_permit' }],
    cases: [
      closed('c1', 'A', 'S1', '2024-10-01T06:30:00Z', 2.5),
      closed('c2', 'A', 'S1', '2024-10-02T06:30:00Z', 12),
      closed('c3', 'B', 'S1', '2024-10-03T06:30:00Z', 4),
      open('c4', 'B', 'S1', '2024-10-20T20:45:00Z'),
    ],
    complaints: [
      { complaint_id: 'k1', office_id: 'A', received_at: '2024-10-05T08:00:00Z', category: 'delay' },
    ],
  });
  db = made.db;
  app = made.app;
  session = made.session;
});

afterAll(() => db?.close());

async function workbook(res: Response): Promise<ExcelJS.Workbook> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  expect(res.headers.get('content-disposition')).toMatch(
    /^attachment; filename="shafaf-[a-z]+-\d{4}-\d{2}-\d{2}\.xlsx"$/,
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

/** Row r's cell values (exceljs rows are 1-based and their `values` start with an empty slot). */
const rowValues = (ws: ExcelJS.Worksheet, r: number) => (ws.getRow(r).values as unknown[]).slice(1);

/** The index of the header row: the first row after the blank line that ends the filter rows. */
function headerRow(ws: ExcelJS.Worksheet): number {
  for (let r = 1; r <= ws.rowCount; r++) if (rowValues(ws, r).length === 0) return r + 1;
  throw new Error('no blank row before the headers');
}

describe('?format=xlsx', () => {
  test("processing: the sheet's rows are the JSON rows and the total, numbers as numbers", async () => {
    const path = '/api/processing?by=district&from=1403/07/01&to=1403/07/30';
    const json = (await (await session.request(path)).json()) as Body;
    const wb = await workbook(await session.request(`${path}&format=xlsx`));
    expect(wb.worksheets).toHaveLength(1);
    const ws = wb.worksheets[0];
    expect(ws.views[0]).toMatchObject({ rightToLeft: true, state: 'frozen' });
    // title, as of (2024-10-30 15:30 Tehran = 1403/08/09), scope, the filters, a blank row
    expect(rowValues(ws, 1)).toEqual(['شفاف — زمان رسیدگی و نرخ تأخیر']);
    expect(rowValues(ws, 2)).toEqual(['داده‌ها تا', '۱۴۰۳/۰۸/۰۹ ۱۵:۳۰']);
    expect(rowValues(ws, 3)).toEqual(['گستره', 'کل شهر']);
    expect(rowValues(ws, 4)).toEqual(['فیلتر: گروه‌بندی', 'district']);
    expect(rowValues(ws, 5)).toEqual(['فیلتر: از تاریخ', '1403/07/01']);
    expect(rowValues(ws, 6)).toEqual(['فیلتر: تا تاریخ', '1403/07/30']);
    const h = headerRow(ws);
    expect(h).toBe(8);
    expect(ws.views[0]).toMatchObject({ ySplit: h });
    const headers = rowValues(ws, h);
    expect(headers.slice(0, 4)).toEqual(['کد', 'نام', 'نام (انگلیسی)', 'تعداد پرونده']);
    expect(headers).toContain('میانه زمان رسیدگی (روز)');
    const fields = [
      'key',
      'label',
      'label_en',
      'n_cases',
      'n_closed',
      'n_open',
      'median_days',
      'p90_days',
      'mean_days',
      'km_median_days',
      'breach_rate',
      'n_breached',
      'n_deadline_decided',
    ];
    const expected = [...json.rows, json.total];
    expect(ws.rowCount).toBe(h + expected.length);
    expected.forEach((row: Body, i: number) => {
      const cells = fields.map((_, j) => ws.getCell(h + 1 + i, j + 1).value);
      expect(cells).toEqual(fields.map((f) => row[f]));
    });
    // district 3: c1 (2.5 days) and c2 (12 days) → median 7.25, a number with a one-decimal format
    const d3 = ws.getCell(h + 1, fields.indexOf('median_days') + 1);
    expect(d3.value).toBe(7.25);
    expect(d3.numFmt).toBe('0.0');
    expect(ws.getCell(h + 1, fields.indexOf('breach_rate') + 1).numFmt).toBe('0.0%');
  });

  test('cases: a timestamp is an Excel date in Tehran local time, its Solar Hijri text beside it', async () => {
    const path = '/api/cases?sort=submitted_at&order=asc';
    const json = (await (await session.request(path)).json()) as Body;
    const ws = (await workbook(await session.request(`${path}&format=xlsx`))).worksheets[0];
    const h = headerRow(ws);
    const headers = rowValues(ws, h) as string[];
    const at = headers.indexOf('زمان ثبت') + 1;
    expect(headers[at]).toBe('زمان ثبت (شمسی)');
    expect(ws.rowCount - h).toBe(json.rows.length);
    // c1 was submitted 2024-10-01 06:30 UTC = 10:00 Tehran on 1403/07/10 (1403/07/01 is 2024-09-22)
    expect(ws.getCell(h + 1, 1).value).toBe('c1');
    expect((ws.getCell(h + 1, at).value as Date).toISOString()).toBe('2024-10-01T10:00:00.000Z');
    expect(ws.getCell(h + 1, at + 1).value).toBe('۱۴۰۳/۰۷/۱۰ ۱۰:۰۰');
    // the open case: closed_at empty in both columns, age a number, breached empty
    const last = h + json.rows.length;
    const closedAt = headers.indexOf('زمان بسته شدن') + 1;
    expect(ws.getCell(last, closedAt).value).toBeNull();
    expect(ws.getCell(last, closedAt + 1).value).toBeNull();
    expect(typeof ws.getCell(last, headers.indexOf('عمر پرونده باز (روز)') + 1).value).toBe('number');
    expect(ws.getCell(h + 2, headers.indexOf('گذشته از مهلت') + 1).value).toBe(true);
  });

  test("funnel: each row says whose time the speed signal measured (the answer's time)", async () => {
    for (const time of ['total', 'office']) {
      const path = `/api/funnel?metric=slow_share&by=office&min_n=0&time=${time}`;
      const json = (await (await session.request(path)).json()) as Body;
      expect(json.time).toBe(time);
      const ws = (await workbook(await session.request(`${path}&format=xlsx`))).worksheets[0];
      const h = headerRow(ws);
      const headers = rowValues(ws, h) as string[];
      const col = headers.indexOf('زمان سنجیده (total کل پرونده، office فقط در دست دفتر)') + 1;
      expect(col).toBeGreaterThan(0);
      expect(ws.rowCount - h).toBe(json.rows.length);
      for (let i = 0; i < json.rows.length; i++) expect(ws.getCell(h + 1 + i, col).value).toBe(time);
    }
  });

  test('every download is in the audit log with its view, filters, rows and format', async () => {
    await session.request('/api/outliers?district=3&format=xlsx');
    const admin = await signIn(app, db, 'admin', { username: 'xlsx-admin' });
    const log = (await (await admin.request('/api/audit?action=export')).json()) as Body;
    const entry = log.rows.find((r: Body) => r.detail?.view === 'outliers');
    expect(entry?.username).toBe('test-commissioner');
    expect(entry?.detail).toEqual({ view: 'outliers', filters: { district: '3' }, rows: 0, format: 'xlsx' });
    // the audit log itself downloads as a workbook: the entry's detail as JSON text, its time a date
    const ws = (await workbook(await admin.request('/api/audit?action=export&format=xlsx'))).worksheets[0];
    const h = headerRow(ws);
    const headers = rowValues(ws, h) as string[];
    const row = log.rows.findIndex((r: Body) => r.id === entry.id);
    expect(ws.getCell(h + 1 + row, 1).value).toBe(entry.id);
    expect(JSON.parse(String(ws.getCell(h + 1 + row, headers.indexOf('توضیح') + 1).value))).toEqual(
      entry.detail,
    );
    expect(ws.getCell(h + 1 + row, headers.indexOf('زمان') + 1).value).toBeInstanceOf(Date);
  });

  test("an inspector's workbook covers their districts and says so", async () => {
    const inspector = await signIn(app, db, 'inspector', { username: 'xlsx-inspector', districts: [5] });
    const ws = (await workbook(await inspector.request('/api/processing?by=district&format=xlsx')))
      .worksheets[0];
    expect(rowValues(ws, 3)).toEqual(['گستره', 'منطقه ۵']);
    const h = headerRow(ws);
    expect(ws.getCell(h + 1, 1).value).toBe('5');
    expect(ws.rowCount).toBe(h + 2); // district 5 and the total of the inspector's districts
    expect(ws.getCell(h + 2, 4).value).toBe(2);
  });

  test('format is a declared parameter: refused where not declared or not a format; errors stay JSON', async () => {
    const meta = await session.request('/api/meta?format=xlsx');
    expect(meta.status).toBe(400);
    expect((await meta.json()).error.parameter).toBe('format');
    const csv = await session.request('/api/processing?format=csv');
    expect(csv.status).toBe(400);
    expect((await csv.json()).error.parameter).toBe('format');
    const noService = await session.request('/api/variance?format=xlsx');
    expect(noService.status).toBe(400);
    expect(noService.headers.get('content-type')).toMatch(/json/);
    expect((await noService.json()).error.parameter).toBe('service');
    // the JSON answer is the same with or without format=json
    const a = await (await session.request('/api/funnel?metric=complaints&format=json')).json();
    const b = await (await session.request('/api/funnel?metric=complaints')).json();
    expect(a).toEqual(b);
  });
});
