/**
 * Excel downloads (issue 15): `?format=xlsx` on the table endpoints listed in sheets.ts. One
 * middleware, not a second handler per route: the request goes through the route as it is (its strict
 * query schema validates `format` with everything else, its answer comes from the data cache), and a
 * 200 JSON answer is turned into a workbook on the way out. So the xlsx holds exactly the rows the
 * JSON answer holds, under the same access rules, and every download is recorded in the audit log
 * like the dashboard's CSV exports (action `export`, with the view, the filters, the row count and
 * `format: 'xlsx'`).
 *
 * The workbook: one right-to-left sheet per table, the title, the data's as-of time, the scope (an
 * inspector's districts) and the filters in the first rows, then Persian headers and the rows. Numbers
 * are numbers (formatted, never rounded), timestamps are Excel dates in Tehran local time with their
 * Solar Hijri text in the next column, yes/no are booleans. Text cells that start like a formula are
 * written as plain strings (exceljs never evaluates them).
 */
import ExcelJS from 'exceljs';
import type { Context, Next } from 'hono';
import { audit } from '../audit/log.ts';
import { type AuthEnv, districtScope } from '../auth/middleware.ts';
import type { DataCache } from '../cache.ts';
import { tehranFields, tehranOffsetMs } from '../lib/dates.ts';
import { toPersianDigits } from '../lib/digits.ts';
import { gregorianToJalali } from '../lib/jalali.ts';
import { loadAsOf } from '../metrics/facts.ts';
import { loadLabels } from '../metrics/labels.ts';
import { type ClientOptions, clientIp } from '../security/client.ts';
import { type Column, type Sheet, XLSX_SPECS, type XlsxSpec } from './sheets.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Persian names of the query parameters shown in the filter rows. */
const PARAM_NAMES: Record<string, string> = {
  from: 'از تاریخ',
  to: 'تا تاریخ',
  district: 'منطقه',
  service: 'خدمت',
  category: 'گروه خدمت',
  office: 'دفتر',
  channel: 'شیوه ثبت',
  by: 'گروه‌بندی',
  metric: 'شاخص',
  calendar: 'تقویم',
  scope: 'دامنه',
  level: 'سطح',
  min_n: 'کمینه حجم',
  page: 'صفحه',
  page_size: 'ردیف در صفحه',
  status: 'وضعیت',
  breached: 'گذشته از مهلت',
  sort: 'مرتب‌سازی',
  order: 'ترتیب',
  import_id: 'شماره بارگذاری',
  action: 'رویداد',
  basis: 'مبنا',
  slower: 'فقط کندتر از میانه شهر',
  time: 'زمان سنجیده',
};

const SEGMENTS = Object.keys(XLSX_SPECS).map((p) => ({ path: p, parts: p.split('/').filter(Boolean) }));

/** The spec of a request path, and the path parameters it matched (an office's id). */
export function specFor(path: string): { spec: XlsxSpec<never>; params: Record<string, string> } | null {
  const parts = path.replace(/\/+$/, '').split('/').filter(Boolean);
  for (const s of SEGMENTS) {
    if (s.parts.length !== parts.length) continue;
    const params: Record<string, string> = {};
    if (
      s.parts.every((seg, i) => {
        if (seg.startsWith(':')) {
          params[seg.slice(1)] = decodeURIComponent(parts[i]);
          return true;
        }
        return seg === parts[i];
      })
    )
      return { spec: XLSX_SPECS[s.path], params };
  }
  return null;
}

/** A timestamp's Tehran-local wall clock as a Date whose UTC fields hold it (how Excel stores a date). */
function excelDate(ms: number): Date {
  return new Date(ms + tehranOffsetMs(ms));
}

/** '۱۴۰۳/۰۵/۰۲ ۱۰:۰۳': the Solar Hijri text of a timestamp in Tehran local time. */
export function jalaliText(ms: number): string {
  const f = tehranFields(ms);
  const [y, m, d] = gregorianToJalali(f.y, f.mo, f.d);
  const two = (n: number) => String(n).padStart(2, '0');
  return toPersianDigits(`${y}/${two(m)}/${two(d)} ${two(f.h)}:${two(f.mi)}`);
}

const NUM_FORMATS: Partial<Record<Column<unknown>['kind'], string>> = {
  int: '#,##0',
  num: '0.000',
  days: '0.0',
  share: '0.0%',
  rate: '0.00000',
};

export interface WorkbookContext {
  title: string;
  asOfMs: number | null;
  scope: string;
  /** [Persian name, value] of each parameter of the request (format left out). */
  filters: [string, string][];
}

/** The workbook for one answer; also returns how many data rows it holds. */
export async function buildWorkbook(
  sheets: { sheet: Sheet; rows: object[] }[],
  ctx: WorkbookContext,
): Promise<{ buffer: Buffer; rows: number }> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Shafaf';
  wb.title = ctx.title;
  let total = 0;
  const used = new Set<string>();
  for (const { sheet, rows } of sheets) {
    let name = sheet.name.slice(0, 31);
    for (let i = 2; used.has(name); i++) name = `${sheet.name.slice(0, 28)} ${i}`;
    used.add(name);
    const ws = wb.addWorksheet(name);
    const head: (string | number)[][] = [
      [ctx.title],
      ['داده‌ها تا', ctx.asOfMs === null ? '—' : jalaliText(ctx.asOfMs)],
      ['گستره', ctx.scope],
      ...(ctx.filters.length ? ctx.filters.map(([k, v]) => [`فیلتر: ${k}`, v]) : [['فیلترها', 'بدون فیلتر']]),
      [],
    ];
    for (const r of head) ws.addRow(r);
    ws.getRow(1).font = { bold: true, size: 13 };
    const headerRow = head.length + 1;
    const headers: string[] = [];
    for (const c of sheet.columns) {
      headers.push(c.header);
      if (c.kind === 'date') headers.push(`${c.header} (شمسی)`);
    }
    ws.addRow(headers);
    ws.getRow(headerRow).font = { bold: true };
    for (const row of rows as Record<string, unknown>[]) {
      const cells: unknown[] = [];
      for (const c of sheet.columns) {
        const v = row[c.key];
        if (c.kind === 'date') {
          const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
          if (Number.isNaN(ms)) cells.push(v ?? null, null);
          else cells.push(excelDate(ms), jalaliText(ms));
        } else if (c.kind === 'list') cells.push(Array.isArray(v) ? v.join('، ') : (v ?? null));
        else if (c.kind === 'json') cells.push(v === null || v === undefined ? null : JSON.stringify(v));
        else if (typeof v === 'number' && !Number.isFinite(v)) cells.push(null);
        else cells.push(v ?? null);
      }
      ws.addRow(cells);
    }
    total += rows.length;
    // formats and widths, column by column (a date takes two columns)
    let col = 1;
    for (const c of sheet.columns) {
      const numFmt = c.kind === 'date' ? 'yyyy-mm-dd hh:mm' : NUM_FORMATS[c.kind];
      const column = ws.getColumn(col);
      column.width = Math.min(40, Math.max(12, c.header.length + 4));
      if (numFmt)
        for (let r = headerRow + 1; r <= headerRow + rows.length; r++) ws.getCell(r, col).numFmt = numFmt;
      col += c.kind === 'date' ? 2 : 1;
    }
    ws.views = [{ rightToLeft: true, state: 'frozen', ySplit: headerRow, xSplit: 0 }];
  }
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return { buffer, rows: total };
}

const asciiName = (view: string) => view.replace(/[^a-z0-9_-]+/gi, '-');

/**
 * The middleware, mounted on /api/* after the access layer and before the answer cache: for a GET of
 * an endpoint in XLSX_SPECS with `format=xlsx`, the route answers as usual, then a 200 JSON answer is
 * converted and the download recorded. Anything else (another endpoint, an error answer) passes
 * through unchanged — an endpoint that does not declare `format` refuses it with its own 400.
 */
export function xlsxDownloads(cache: DataCache, opts: ClientOptions = {}) {
  return async (c: Context<AuthEnv>, next: Next) => {
    if (c.req.method !== 'GET' || c.req.query('format') !== 'xlsx') return next();
    const match = specFor(c.req.path);
    if (!match) return next();
    await next();
    if (c.res.status !== 200 || !c.res.headers.get('content-type')?.includes('application/json')) return;
    const answer = (await c.res.json()) as never;
    const { spec } = match;
    const params = [...new URL(c.req.url).searchParams.entries()].filter(([k]) => k !== 'format');
    const user = c.get('user');
    const scope = user ? districtScope(user) : null;
    const db = cache.db;
    const [labels, asOfS] = await Promise.all([cache.get('labels', () => loadLabels(db)), loadAsOf(db)]);
    const filters: [string, string][] = [
      ...Object.entries(match.params).map(([k, v]): [string, string] => [k === 'id' ? 'دفتر' : k, v]),
      ...params.map(([k, v]): [string, string] => [PARAM_NAMES[k] ?? k, v]),
    ];
    const { buffer, rows } = await buildWorkbook(spec.sheets(answer), {
      title: `شفاف — ${spec.title}`,
      asOfMs: asOfS === null ? null : asOfS * 1000,
      scope: scope ? scope.map((d) => labels.district(d).fa).join('، ') : 'کل شهر',
      filters,
    });
    await audit(db, {
      action: 'export',
      username: user?.username ?? null,
      ip: clientIp(c, opts),
      detail: {
        view: spec.view,
        filters: Object.fromEntries([...Object.entries(match.params), ...params]),
        rows,
        format: 'xlsx',
      },
    });
    const day = new Date().toISOString().slice(0, 10);
    c.res = new Response(new Uint8Array(buffer), {
      status: 200,
      headers: {
        'content-type': XLSX_TYPE,
        'content-disposition': `attachment; filename="shafaf-${asciiName(spec.view)}-${day}.xlsx"`,
        'cache-control': 'no-store',
      },
    });
  };
}
