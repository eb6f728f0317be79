/**
 * The monthly report in chromium (issue 15), on the real server and the small demo city (seed 1): the
 * Report page in Persian and English with no console errors and vector charts; an Excel download from
 * the dashboard read back with exceljs; `npm run report` writing the PDF (page count, and the month,
 * scope and as-of date on its pages, read with pdfjs-dist) from a copy of the database, and refusing
 * while the server holds the file. One server start for the file (harness.ts).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Db } from '../../api/db.ts';
import { generateDemo } from '../../data/demo/generate.ts';
import {
  artifactsDir,
  buildWeb,
  chromiumMissing,
  launchChromium,
  ROOT,
  type RunningServer,
  startServerProcess,
  tempDir,
} from './harness.ts';

const missing = chromiumMissing();
if (missing) console.warn(`Skipping the monthly report browser tests: ${missing}`);

/** `npm run report` as a child process: its exit code and what it printed. */
function runReport(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'api', 'report', 'cli.ts'), ...args],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** Each page's text as pdfjs extracts it, with presentation forms folded back to letters (NFKC). */
async function pdfPages(path: string): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(readFileSync(path)) }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    // Persian comes one glyph an item, so items are joined as they are (the PDF carries the spaces)
    const text = content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join('');
    pages.push(text.normalize('NFKC').replace(/\s+/g, ' '));
  }
  return pages;
}

/** pdfjs returns Persian in visual order: a word's letters come out reversed. */
const visual = (word: string) => [...word].reverse().join('');

describe.skipIf(missing)('the monthly report in chromium and as a PDF', () => {
  const tmp = tempDir('shafaf-e2e-report-');
  const dbPath = join(tmp.path, 'demo.duckdb');
  const cliDb = join(tmp.path, 'cli.duckdb');
  const webRoot = join(tmp.path, 'dist');
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    await generateDemo({ dbPath, size: 'small', seed: 1 });
    // the CLI needs a file no server holds: a copy made before the server starts
    expect(existsSync(`${dbPath}.wal`)).toBe(false);
    copyFileSync(dbPath, cliDb);
    buildWeb(webRoot);
    server = await startServerProcess({ dbPath, webRoot });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    tmp.remove();
  });

  async function signedIn(): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport: { width: 1300, height: 1000 }, acceptDownloads: true });
    const res = await ctx.request.post(`${server.url}/api/auth/login`, {
      data: { username: 'commissioner', password: 'commissioner-demo' },
      headers: { origin: server.url },
    });
    expect(res.status()).toBe(200);
    return ctx;
  }

  function watch(page: Page): string[] {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
    return errors;
  }

  test('the Report page in Persian and English: summary, SVG charts, the month picker; no console errors', async () => {
    const ctx = await signedIn();
    const page = await ctx.newPage();
    const errors = watch(page);
    const shots = artifactsDir();
    await page.goto(`${server.url}/report`);
    const doc = page.locator('[data-testid="report-doc"][data-ready="true"]');
    await doc.waitFor({ timeout: 60_000 });
    // the default month is the last complete one: Shahrivar 1404 (the data ends 1404/06/31 23:59:59)
    expect(await page.getByTestId('report-title').textContent()).toBe('گزارش ماهانه — شهریور ۱۴۰۴');
    expect(await page.getByTestId('report-month').inputValue()).toBe('1404-06');
    expect(await page.getByTestId('report-scope-line').textContent()).toContain('گستره: کل شهر');
    expect(await page.getByTestId('report-scope-line').textContent()).toContain('داده‌ها تا ۱۴۰۴/۰۶/۳۱');
    const sentences = page.locator('[data-testid="report-summary"] li');
    expect(await sentences.count()).toBeGreaterThan(5);
    expect(await page.locator('[data-sentence="volume"]').textContent()).toMatch(
      /^در شهریور ۱۴۰۴، [۰-۹٬]+ پرونده/,
    );
    // charts are vectors
    expect(await page.locator('[data-testid="report-chart-districts"] svg').count()).toBe(1);
    expect(await page.locator('[data-testid="report-chart-trend"] svg').count()).toBe(1);
    expect(await page.locator('[data-testid="report-chart-trend"] canvas').count()).toBe(0);
    // the stage bottlenecks: one row per district with events, the sentence from the API's `top`
    const api = await (await ctx.request.get(`${server.url}/api/report?month=1404-06`)).json();
    expect(api.stages.bottlenecks.length).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="report-stages"] tbody tr').count()).toBe(
      api.stages.bottlenecks.length,
    );
    expect(await page.locator('[data-testid="report-stages"] tbody tr').first().textContent()).toContain(
      api.stages.bottlenecks[0].stage_name,
    );
    expect(await page.locator('[data-sentence="stages"]').textContent()).toContain(
      `«${api.stages.top.stage_name}»`,
    );
    await page.screenshot({ path: join(shots, 'report-fa.png'), fullPage: true });

    // another month from the picker, then English
    await page.getByTestId('report-month').selectOption('1404-05');
    await page.locator('[data-testid="report-doc"][data-month="1404-05"][data-ready="true"]').waitFor();
    expect(await page.getByTestId('report-title').textContent()).toBe('گزارش ماهانه — مرداد ۱۴۰۴');
    await page.goto(`${server.url}/report?month=1404-05&district=7&lang=en`);
    await page.locator('[data-testid="report-doc"][data-ready="true"]').waitFor();
    expect(await page.getByTestId('report-title').textContent()).toBe('Monthly report — Mordad 1404');
    expect(await page.getByTestId('report-scope-line').textContent()).toBe(
      'Scope: District 7 · Period: 2025-07-23 to 2025-08-22 · Data as of 2025-09-22',
    );
    expect(await page.locator('[data-sentence="volume"]').textContent()).toMatch(
      /^In Mordad 1404, [\d,]+ cases were submitted in District 7 \(Tir 1404: [\d,]+\)/,
    );
    await page.screenshot({ path: join(shots, 'report-en.png'), fullPage: true });
    expect(errors).toEqual([]);
    await ctx.close();
  }, 180_000);

  test('the Excel button beside a CSV button downloads the API rows as a right-to-left workbook', async () => {
    const ctx = await signedIn();
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${server.url}/outliers?channel=online`);
    await page.getByTestId('xlsx-outliers').waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('xlsx-outliers').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^shafaf-outliers-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await download.path());
    const json = await (await ctx.request.get(`${server.url}/api/outliers?channel=online`)).json();
    const ws = wb.worksheets[0];
    expect(ws.views[0]).toMatchObject({ rightToLeft: true });
    expect((ws.getRow(4).values as unknown[]).slice(1)).toEqual(['فیلتر: شیوه ثبت', 'online']);
    expect(ws.rowCount - 6).toBe(json.flags.length); // title, as-of, scope, one filter, blank, header
    expect(ws.getCell(7, 1).value).toBe(json.flags[0].office_id);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 180_000);

  test('npm run report writes the A4 PDF with the month, scope, as-of date and page number on its pages', async () => {
    const en = join(tmp.path, 'report-en.pdf');
    const r = await runReport([
      '--month',
      '1404/05',
      '--db',
      cliDb,
      '--out',
      en,
      '--web',
      webRoot,
      '--lang',
      'en',
    ]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/Wrote .*report-en\.pdf: the 1404-05 report, \d+ pages/);
    const pages = await pdfPages(en);
    // summary page + flags/districts + categories/complaints + trend/method: 3 to 8 pages for the small city
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.length).toBeLessThanOrEqual(8);
    expect(pages[0]).toContain('Monthly report — Mordad 1404');
    pages.forEach((text, i) => {
      expect(text).toContain('Monthly report, Mordad 1404 — Whole city');
      expect(text).toContain('Scope: Whole city · Period: 2025-07-23 to 2025-08-22 · Data as of 2025-09-22');
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
    });

    const fa = join(tmp.path, 'report-fa.pdf');
    const r2 = await runReport([
      '--month',
      '۱۴۰۴/۰۵',
      '--db',
      cliDb,
      '--out',
      fa,
      '--web',
      webRoot,
      '--scope',
      '7',
    ]);
    expect(r2.code, r2.out).toBe(0);
    const faPages = await pdfPages(fa);
    expect(faPages.length).toBeGreaterThanOrEqual(3);
    for (const text of faPages) {
      for (const word of ['مرداد', 'منطقه', 'گستره', 'صفحه']) expect(text).toContain(visual(word));
      expect(text).toContain('۱۴۰۴/۰۶/۳۱'); // the as-of date
      expect(text).toContain('۱۴۰۴/۰۵/۰۱'); // the month's first day
    }
    // both PDFs are in the audit log
    const db = await Db.open(cliDb);
    try {
      const rows = await db.all<{ detail: string }>(
        "SELECT detail FROM audit_log WHERE action = 'export' ORDER BY id",
      );
      expect(rows.map((x) => JSON.parse(x.detail))).toEqual([
        {
          view: 'report-pdf',
          filters: { month: '1404-05', scope: 'city', lang: 'en' },
          rows: pages.length,
          format: 'pdf',
        },
        {
          view: 'report-pdf',
          filters: { month: '1404-05', scope: '7', lang: 'fa' },
          rows: faPages.length,
          format: 'pdf',
        },
      ]);
    } finally {
      db.close();
    }
    // a month that is not one is refused before anything starts
    const bad = await runReport(['--db', cliDb, '--out', join(tmp.path, 'x.pdf'), '--month', '1404-13']);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/--month: "1404-13" is not a Solar Hijri month/);
  }, 300_000);

  test('npm run report refuses while the server holds the database, and says what to do', async () => {
    const r = await runReport([
      '--month',
      '1404/05',
      '--db',
      dbPath,
      '--out',
      join(tmp.path, 'no.pdf'),
      '--web',
      webRoot,
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/is in use by another process — a running Shafaf server or an import/);
    expect(r.out).toMatch(/Print the report from the dashboard instead/);
    expect(existsSync(join(tmp.path, 'no.pdf'))).toBe(false);
  }, 120_000);
});
