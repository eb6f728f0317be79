/**
 * `npm run report -- --month 1404/05 --db <file.duckdb> --out report.pdf [--scope city|7|3,5] [--lang fa|en] [--web <dist>]`
 *
 * Writes the dashboard's monthly report (web/views/Report.tsx) as an A4 PDF, the same pages the
 * browser prints: this process opens the database, serves the API and the built dashboard on
 * 127.0.0.1 on a free port with an in-process session (no password, nothing written to the users or
 * sessions tables: AuthOptions.internal), opens the Report page in the project's chromium and calls
 * page.pdf. The PDF is recorded in the audit log like any export.
 *
 * `--scope city` (default) is the whole city; `--scope 7` one district; `--scope 3,5` the report an
 * inspector of districts 3 and 5 sees. DuckDB lets one process open a file: while a server holds the
 * database this command refuses and says to print from the dashboard (or stop the server).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { audit } from '../audit/log.ts';
import { INTERNAL_HEADER } from '../auth/middleware.ts';
import type { AuthUser } from '../auth/users.ts';
import { Db, openFailureKind } from '../db.ts';
import { monthKey, parseMonth } from '../lib/months.ts';
import { buildWeb, webBuildStale } from '../lib/web-build.ts';
import { checkDbFile, StartupError, startServer } from '../serve.ts';
import { chromiumMissing, launchChromium } from './chromium.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export class ReportCliError extends Error {}

export interface ReportOptions {
  dbPath: string;
  out: string;
  /** 'YYYY-MM'; undefined: the last complete month */
  month?: string;
  /** null: the whole city */
  districts: number[] | null;
  lang: 'fa' | 'en';
  /** The built dashboard; undefined: dist/, built first when missing or stale. */
  webRoot?: string;
}

const USAGE =
  'npm run report -- --month 1404/05 --db <file.duckdb> --out report.pdf [--scope city|<district>|<d1>,<d2>…] [--lang fa|en] [--web <dist folder>]';

export function parseArgs(argv: string[]): ReportOptions {
  const o: Partial<ReportOptions> & { districts: number[] | null; lang: 'fa' | 'en' } = {
    districts: null,
    lang: 'fa',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ReportCliError(`${a} needs a value`);
      return v;
    };
    if (a === '--db') o.dbPath = resolve(value());
    else if (a === '--out') o.out = resolve(value());
    else if (a === '--month') {
      const raw = value();
      const m = parseMonth(raw);
      if (!m)
        throw new ReportCliError(`--month: "${raw}" is not a Solar Hijri month; use 1404/05 or 1404-05`);
      o.month = monthKey(m);
    } else if (a === '--scope') {
      const v = value().trim();
      if (v === 'city') o.districts = null;
      else {
        const ds = v.split(',').map((x) => x.trim());
        if (!ds.every((d) => /^\d{1,2}$/.test(d)))
          throw new ReportCliError(`--scope: "${v}" is neither "city" nor district numbers such as 7 or 3,5`);
        o.districts = [...new Set(ds.map(Number))].sort((x, y) => x - y);
      }
    } else if (a === '--lang') {
      const v = value();
      if (v !== 'fa' && v !== 'en') throw new ReportCliError('--lang must be fa or en');
      o.lang = v;
    } else if (a === '--web') o.webRoot = resolve(value());
    else if (a === '--help' || a === '-h') throw new ReportCliError(USAGE);
    else throw new ReportCliError(`Unknown argument: ${a}\n${USAGE}`);
  }
  if (!o.dbPath) throw new ReportCliError(`Missing --db <file.duckdb>\n${USAGE}`);
  if (!o.out) throw new ReportCliError(`Missing --out <file.pdf>\n${USAGE}`);
  return o as ReportOptions;
}

async function openDb(dbPath: string): Promise<Db> {
  try {
    checkDbFile(dbPath);
  } catch (err) {
    throw new ReportCliError((err as Error).message);
  }
  try {
    return await Db.open(dbPath);
  } catch (err) {
    if (openFailureKind(err) === 'locked')
      throw new ReportCliError(
        `The database ${dbPath} is in use by another process — a running Shafaf server or an import. ` +
          'DuckDB lets one process open a database file, so this command cannot read it now.\n' +
          'Print the report from the dashboard instead (Monthly report → Print / PDF, then "Save as PDF"), ' +
          'or stop the server and run this command again.',
      );
    throw new ReportCliError(`Cannot open the database ${dbPath}: ${(err as Error).message}`);
  }
}

/** Pages of a PDF written by chromium (Skia writes one `/Type /Page` object per page). */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length;
}

export async function writeReport(
  o: ReportOptions,
  log: (line: string) => void = console.error,
): Promise<{ pages: number; month: string }> {
  const missing = chromiumMissing();
  if (missing) throw new ReportCliError(missing);
  let webRoot = o.webRoot;
  if (!webRoot) {
    webRoot = join(ROOT, 'dist');
    if (webBuildStale(ROOT)) {
      log('Building the dashboard (vite build)…');
      if (!buildWeb(ROOT)) throw new ReportCliError('The dashboard build failed; see the messages above.');
    }
  } else if (!existsSync(join(webRoot, 'index.html')))
    throw new ReportCliError(`No built dashboard in ${webRoot} (index.html missing): run npm run build`);

  const db = await openDb(o.dbPath);
  // One district is that district's report as a commissioner sees it; several are an inspector's.
  const user: AuthUser =
    o.districts && o.districts.length > 1
      ? { username: 'report-cli', role: 'inspector', districts: o.districts }
      : { username: 'report-cli', role: 'commissioner', districts: null };
  const token = randomBytes(32).toString('base64url');
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      dbPath: o.dbPath,
      db,
      port: 0,
      hostname: '127.0.0.1',
      webRoot,
      geoPath: null,
      warm: false,
      logRequests: false,
      internal: { token, user },
    });
  } catch (err) {
    db.close();
    throw new ReportCliError(err instanceof StartupError ? err.message : String(err));
  }
  const base = `http://127.0.0.1:${server.port}`;
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      extraHTTPHeaders: { [INTERNAL_HEADER]: token },
      viewport: { width: 1280, height: 1600 },
    });
    const params = new URLSearchParams();
    if (o.month) params.set('month', o.month);
    if (o.districts?.length === 1) params.set('district', String(o.districts[0]));
    // Ask the API first, so a month it refuses is its own message here, not an error page in the PDF.
    const check = await context.request.get(`${base}/api/report?${params}`);
    if (check.status() !== 200) {
      const body = (await check.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new ReportCliError(body?.error?.message ?? `The report API answered ${check.status()}`);
    }
    const answer = (await check.json()) as { month: string };
    if (o.lang === 'en') params.set('lang', 'en');
    params.set('month', answer.month);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/report?${params}`);
    await page.locator('[data-testid="report-doc"][data-ready="true"]').waitFor({ timeout: 120_000 });
    if (errors.length) throw new ReportCliError(`The report page failed: ${errors.join('; ')}`);
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      tagged: true,
    });
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, pdf);
    const pages = pdfPageCount(pdf);
    await audit(db, {
      action: 'export',
      username: `report-cli (${userInfo().username})`,
      detail: {
        view: 'report-pdf',
        filters: {
          month: answer.month,
          scope: o.districts ? o.districts.join(',') : 'city',
          lang: o.lang,
        },
        rows: pages,
        format: 'pdf',
      },
    });
    log(
      `Wrote ${o.out}: the ${answer.month} report, ${pages} pages, ${(statSync(o.out).size / 1024).toFixed(0)} KB.`,
    );
    return { pages, month: answer.month };
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  try {
    await writeReport(parseArgs(process.argv.slice(2)));
  } catch (err) {
    console.error(err instanceof ReportCliError ? err.message : err);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
