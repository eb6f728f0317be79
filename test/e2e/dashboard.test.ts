/**
 * The one browser suite: the real server on a real DuckDB file holding the small demo city, the built
 * dashboard, and Debian's chromium. Screenshots of every view in both languages go to test-artifacts/.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateDemo } from '../../data/demo/generate.ts';
import type { Meta } from '../../web/api/types.ts';
import { defaultViewUrls } from '../../web/queries/views.ts';
import { FIXTURES, MAPPINGS } from '../import/helpers.ts';
import { sharedPath } from '../shared-data.ts';
import {
  artifactsDir,
  buildWeb,
  chromiumMissing,
  launchChromium,
  type RunningServer,
  startServerProcess,
  tempDir,
} from './harness.ts';
import { countDistrictFa, pdfPageTexts } from './pdf.ts';

const missing = chromiumMissing();
if (missing) console.warn(`Skipping the browser suite: ${missing}`);

/** Third-party boundaries (OpenStreetMap, ODbL) live beside the repository, never in it. */
const GEO = sharedPath('geo/tehran_22_districts.geojson', 'the boundary map test');

const VIEWS = [
  { path: '/', testid: 'view-overview', name: 'overview' },
  { path: '/districts', testid: 'view-districts', name: 'districts' },
  { path: '/offices', testid: 'view-offices', name: 'offices' },
  { path: '/outliers', testid: 'view-outliers', name: 'outliers' },
  { path: '/process', testid: 'view-process', name: 'process' },
  { path: '/access', testid: 'view-access', name: 'access' },
  { path: '/data', testid: 'view-data', name: 'data' },
  { path: '/method', testid: 'view-method', name: 'method' },
];

describe.skipIf(missing)('dashboard in chromium', () => {
  const tmp = tempDir('shafaf-e2e-');
  let server: RunningServer;
  let browser: Browser;
  let flaggedOffice: string;
  /** The commissioner's session cookie, for the API calls the tests compare the screen with. */
  let apiCookie: string;

  beforeAll(async () => {
    const dbPath = join(tmp.path, 'demo.duckdb');
    const webRoot = join(tmp.path, 'dist');
    await generateDemo({ dbPath, size: 'small', seed: 1 });
    buildWeb(webRoot);
    server = await startServerProcess({ dbPath, webRoot });
    browser = await launchChromium();
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'commissioner', password: 'commissioner-demo' }),
    });
    expect(login.status).toBe(200);
    apiCookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const outliers = await api<{ flags: { office_id: string }[] }>('/api/outliers');
    flaggedOffice = outliers.flags[0].office_id;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    tmp.remove();
  });

  async function api<T>(path: string): Promise<T> {
    const res = await fetch(server.url + path, { headers: { cookie: apiCookie } });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  }

  /** Signs the browser context in through the API (the first test signs in through the form). */
  async function signIn(context: BrowserContext, username: string, password: string, base = server.url) {
    const res = await context.request.post(`${base}/api/auth/login`, {
      data: { username, password },
      headers: { origin: base },
    });
    expect(res.status(), `login as ${username}`).toBe(200);
  }

  /**
   * A page that records console errors and failed requests, with chart animation off for screenshots.
   * Signed in as `as` (default the commissioner) unless `as` is null. The one expected 401 is the
   * dashboard asking /api/auth/me whether anyone is signed in before the sign-in form.
   */
  async function openPage(
    as: { username: string; password: string } | null = {
      username: 'commissioner',
      password: 'commissioner-demo',
    },
    base = server.url,
  ): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
      acceptDownloads: true,
    });
    if (as) await signIn(context, as.username, as.password, base);
    const page = await context.newPage();
    const errors: string[] = [];
    const probe = (url: string | undefined) => url?.endsWith('/api/auth/me') ?? false;
    page.on('console', (m) => {
      if (m.type() === 'error' && !(probe(m.location().url) && m.text().includes('401')))
        errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => {
      if (r.status() >= 400 && !(r.status() === 401 && probe(r.url())))
        errors.push(`${r.status()} ${r.url()}`);
    });
    await page.addInitScript(() => {
      (window as unknown as { __ECHARTS_ANIMATION__: boolean }).__ECHARTS_ANIMATION__ = false;
    });
    return { page, errors };
  }

  async function settle(page: Page) {
    await page.waitForLoadState('networkidle');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="skeleton"]').length === 0,
      null,
      {
        timeout: 30_000,
      },
    );
  }

  test('the sign-in form, then every view in Persian and English with no console errors', async () => {
    const { page, errors } = await openPage(null);
    const shots = artifactsDir();
    await page.goto(`${server.url}/`);
    await page.getByTestId('view-login').waitFor({ timeout: 30_000 });
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.screenshot({ path: join(shots, 'login-fa.png'), fullPage: true });
    await page.getByTestId('login-username').fill('commissioner');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect
      .poll(() => page.getByTestId('login-error').textContent())
      .toBe('نام کاربری یا گذرواژه درست نیست.');
    errors.length = 0; // the 401 of the wrong password was the point
    await page.getByTestId('login-password').fill('commissioner-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('view-overview').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('user-name').textContent()).toBe('commissioner');
    expect(await page.getByTestId('scope-note').count()).toBe(0);
    // the data requests of the views the server precomputes, as the browser sends them with no filters
    let recording = false;
    const requested = new Set<string>();
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (recording && /^\/api\/(?!auth\/|geo)/.test(u.pathname)) requested.add(u.pathname + u.search);
    });
    for (const lang of ['fa', 'en'] as const) {
      for (const v of [
        ...VIEWS,
        { path: `/offices/${flaggedOffice}`, testid: 'view-office', name: 'office' },
      ]) {
        recording = ['overview', 'districts', 'offices', 'outliers', 'process'].includes(v.name);
        const sep = v.path.includes('?') ? '&' : '?';
        await page.goto(server.url + v.path + (lang === 'en' ? `${sep}lang=en` : ''));
        await page.getByTestId(v.testid).waitFor({ timeout: 30_000 });
        await settle(page);
        const html = page.locator('html');
        await expect.poll(() => html.getAttribute('dir')).toBe(lang === 'fa' ? 'rtl' : 'ltr');
        expect(await html.getAttribute('lang')).toBe(lang);
        expect(await page.getByTestId('error-state').count(), `${v.name} ${lang} shows an error`).toBe(0);
        await page.screenshot({ path: join(shots, `${v.name}-${lang}.png`), fullPage: true });
      }
    }
    expect(errors).toEqual([]);
    // every one of them is among the default views the server computes at start-up
    const defaults = defaultViewUrls(await api<Meta>('/api/meta'));
    expect(requested.size).toBeGreaterThan(8);
    expect([...requested].filter((u) => !defaults.includes(u))).toEqual([]);
    await page.context().close();
  });

  test("issue 12 on screen: the selection's own complaint rate beside the city's, totals labelled, partial months marked", async () => {
    const { page } = await openPage();
    await page.goto(`${server.url}/?district=1`);
    await settle(page);
    const f = await api<{ target: number; selection: { value: number; label: string } }>(
      '/api/funnel?metric=complaints&by=district&district=1',
    );
    const shown = Number(await page.getByTestId('headline-complaints_per_1000').getAttribute('data-value'));
    expect(shown).toBeCloseTo(f.selection.value * 1000, 9);
    expect(shown).not.toBeCloseTo(f.target * 1000, 3); // district 1's rate, not the city's
    const note = await page.getByTestId('headline-complaints_per_1000').textContent();
    expect(note).toContain('کل شهر');
    expect(note).toContain(f.selection.label);
    expect(await page.getByTestId('headline-covers').textContent()).toContain('منطقه ۱');
    // the demo data ends part-way through its last month: that month is marked partial and never flagged
    const trend = await api<{
      series: { points: { month: string; partial: boolean; flag: string | null }[] }[];
    }>('/api/trends?metric=complaints&by=city&calendar=jalali&district=1');
    const pts = trend.series[0].points;
    expect(pts[pts.length - 1].partial).toBe(true);
    expect(pts.filter((p) => p.partial).every((p) => p.flag === null)).toBe(true);
    await page.getByTestId('toggle-table-trend-complaints').click();
    const marked = page.getByTestId('card-trend-complaints').getByTestId('month-partial');
    expect(await marked.count()).toBe(pts.filter((p) => p.partial).length);
    await page.context().close();

    // an inspector's totals say they cover district 3, not the whole city
    const insp = await openPage({ username: 'inspector3', password: 'inspector-demo' });
    await insp.page.goto(`${server.url}/`);
    await settle(insp.page);
    const covers = await insp.page.getByTestId('headline-covers').textContent();
    expect(covers).toContain('منطقه ۳');
    expect(covers).not.toContain('کل شهر');
    await insp.page.context().close();
  });

  test('a number on screen equals the API number for the same filter', async () => {
    const { page } = await openPage();
    await page.goto(`${server.url}/?district=7`);
    await settle(page);
    const apiTotal = (
      await api<{ total: { n_cases: number; median_days: number } }>('/api/processing?by=district&district=7')
    ).total;
    const shownCases = Number(await page.getByTestId('headline-n_cases').getAttribute('data-value'));
    const shownMedian = Number(await page.getByTestId('headline-median_days').getAttribute('data-value'));
    expect(shownCases).toBe(apiTotal.n_cases);
    expect(shownMedian).toBeCloseTo(apiTotal.median_days, 9);
    // and the visible text is that number in Persian digits
    const text = await page.getByTestId('headline-n_cases').textContent();
    const digits = (text ?? '')
      .replace(/[^۰-۹]/g, '')
      .replace(/[۰-۹]/g, (c) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(c)));
    expect(Number(digits)).toBe(apiTotal.n_cases);
    await page.context().close();
  });

  test('a filter change updates the URL and the data; back and forward work', async () => {
    const { page } = await openPage();
    await page.goto(`${server.url}/`);
    await settle(page);
    const cityCases = Number(await page.getByTestId('headline-n_cases').getAttribute('data-value'));
    await page.getByTestId('filter-district').selectOption('5');
    await expect.poll(() => new URL(page.url()).searchParams.get('district')).toBe('5');
    const d5 = (await api<{ total: { n_cases: number } }>('/api/processing?by=district&district=5')).total
      .n_cases;
    expect(d5).toBeLessThan(cityCases);
    await expect
      .poll(async () => Number(await page.getByTestId('headline-n_cases').getAttribute('data-value')), {
        timeout: 30_000,
      })
      .toBe(d5);
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('district')).toBeNull();
    await expect
      .poll(async () => Number(await page.getByTestId('headline-n_cases').getAttribute('data-value')), {
        timeout: 30_000,
      })
      .toBe(cityCases);
    await page.goForward();
    await expect.poll(async () => page.getByTestId('filter-district').inputValue()).toBe('5');
    await page.context().close();
  });

  test('reloading a shared URL restores the view', async () => {
    const { page } = await openPage();
    const shared = `${server.url}/offices?district=3&channel=online&lang=en`;
    await page.goto(shared);
    await settle(page);
    for (const attempt of ['first', 'reload']) {
      if (attempt === 'reload') {
        await page.reload();
        await settle(page);
      }
      expect(await page.getByTestId('filter-district').inputValue()).toBe('3');
      expect(await page.getByTestId('filter-channel').inputValue()).toBe('online');
      expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
      await page.getByTestId('view-offices').waitFor();
    }
    await page.context().close();
  });

  test('clicking a flagged office opens its scorecard', async () => {
    const { page } = await openPage();
    await page.goto(`${server.url}/outliers`);
    await settle(page);
    const link = page.getByTestId('flagged-office-link').first();
    const id = await link.getAttribute('data-office');
    expect(id).toBeTruthy();
    await link.click();
    await page.getByTestId('view-office').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe(`/offices/${encodeURIComponent(id!)}`);
    await settle(page);
    expect(await page.getByTestId('view-office').textContent()).toContain(id!);
    // its monthly trend is in Solar Hijri months in Persian (issue 12 item 7)
    await page.getByTestId('toggle-table-office-trend').click();
    const firstMonth = await page
      .getByTestId('card-office-trend')
      .locator('tbody tr td')
      .first()
      .textContent();
    expect(firstMonth).toMatch(
      /(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) ۱۴[۰-۹][۰-۹]/,
    );
    await page.context().close();
  });

  test('CSV export downloads the rows shown, with a BOM', async () => {
    const { page } = await openPage();
    await page.goto(`${server.url}/outliers`);
    await settle(page);
    const shownRows = await page.locator('[data-testid="table-outliers"] tbody tr').count();
    expect(shownRows).toBeGreaterThan(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('csv-outliers').click(),
    ]);
    const file = await download.path();
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
    expect(lines.length - 1).toBe(shownRows);
    await page.context().close();
  });

  test('an inspector sees only their district in the filter, with the scope note', async () => {
    const { page, errors } = await openPage({ username: 'inspector3', password: 'inspector-demo' });
    await page.goto(`${server.url}/offices`);
    await page.getByTestId('view-offices').waitFor({ timeout: 30_000 });
    await settle(page);
    const options = await page
      .getByTestId('filter-district')
      .locator('option')
      .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    expect(options).toEqual(['', '3']);
    expect(await page.getByTestId('scope-note').textContent()).toBe(
      'نمایش محدود به منطقه ۳؛ میانگین‌های شهر برای مقایسه کل شهر است',
    );
    const districts = await page
      .locator('[data-testid="table-offices"] tbody tr')
      .evaluateAll((rows) => rows.length);
    expect(districts).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
  test('the Process view shows the API numbers in Persian and English; a case opens its timeline', async () => {
    const { page, errors } = await openPage();
    const extra = await api<{ flags: { service_code: string; district: number; share: number }[] }>(
      '/api/stages/extra',
    );
    expect(extra.flags.length).toBeGreaterThan(0);
    const flag = extra.flags[0];
    const service = flag.service_code;
    const stages = await api<{ bottlenecks: { stage: string }[] }>(`/api/stages?service=${service}`);
    const variants = await api<{ variants: { count: number }[] }>(`/api/stages/variants?service=${service}`);
    const fa = new Intl.NumberFormat('fa-IR');
    for (const lang of ['fa', 'en'] as const) {
      await page.goto(`${server.url}/process?service=${service}${lang === 'en' ? '&lang=en' : ''}`);
      await page.getByTestId('view-process').waitFor({ timeout: 30_000 });
      await settle(page);
      const sentence = page.getByTestId('bottleneck-sentence');
      expect(await sentence.getAttribute('data-stage')).toBe(stages.bottlenecks[0].stage);
      await page.getByTestId('chart-process-map').waitFor();
      const firstRoute = page.locator('[data-testid="table-process-variants"] tbody tr').first();
      const count = variants.variants[0].count;
      expect(await firstRoute.textContent()).toContain(
        lang === 'fa' ? fa.format(count) : count.toLocaleString('en-US'),
      );
      const item = page.locator(`[data-testid="extra-flags"] li[data-district="${flag.district}"]`).first();
      const pct = Math.round(flag.share * 100);
      expect(await item.textContent()).toContain(lang === 'fa' ? `${fa.format(pct)}٪` : `${pct}%`);
      await page.screenshot({ path: join(artifactsDir(), `process-${lang}.png`), fullPage: true });
    }
    // The office's case list opens a case's timeline with the API's steps.
    await page.goto(`${server.url}/offices/${flaggedOffice}`);
    await settle(page);
    const opener = page.getByTestId('case-open').first();
    const caseId = (await opener.textContent()) ?? '';
    await opener.click();
    await page.getByTestId('case-timeline').waitFor({ timeout: 30_000 });
    await settle(page);
    const timeline = await api<{ steps: unknown[] }>(`/api/cases/${caseId}`);
    expect(new URL(page.url()).searchParams.get('case')).toBe(caseId);
    if (timeline.steps.length > 0)
      expect(await page.locator('[data-testid="table-timeline"] tbody tr').count()).toBe(
        timeline.steps.length,
      );
    expect(await page.getByTestId('office-hands-sentence').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('the Access view: numbers equal the API, the what-if panel, fa and en, no console errors', async () => {
    interface AccessBody {
      window: { days: number };
      total: { cases_per_office_day: number };
      districts: {
        district: number;
        population: number;
        n_cases: number;
        active_offices: number;
        residents_per_office: number;
        hhi_operators: number;
      }[];
    }
    const body = await api<AccessBody>('/api/access?from=1402/01/01&to=1402/12/29');
    const d2 = body.districts.find((d) => d.district === 2)!;
    const { page, errors } = await openPage();
    await page.goto(`${server.url}/access?from=1402/01/01&to=1402/12/29&map=hhi_operators`);
    await page.getByTestId('view-access').waitFor({ timeout: 30_000 });
    await settle(page);
    const shownLoad = Number(
      await page.getByTestId('headline-access-cases_per_office_day').getAttribute('data-value'),
    );
    expect(shownLoad).toBeCloseTo(body.total.cases_per_office_day, 9);
    const cell = page.getByTestId('cell-residents_per_office-2');
    expect(Number(await cell.getAttribute('data-value'))).toBeCloseTo(d2.residents_per_office, 6);
    // The cell shows that number rounded, in Persian digits.
    const digits = ((await cell.textContent()) ?? '')
      .replace(/[^۰-۹]/g, '')
      .replace(/[۰-۹]/g, (c) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(c)));
    expect(Number(digits)).toBe(Math.round(d2.residents_per_office));
    // The map is coloured by the operators' HHI, as the URL asks.
    expect(Number(await page.getByTestId('tile-2').getAttribute('data-value'))).toBeCloseTo(
      d2.hhi_operators,
      6,
    );
    // What if district 2 had three more offices: population / (active + 3), cases / (active + 3) / days.
    await page.getByTestId('whatif-district').selectOption('2');
    await page.getByTestId('whatif-add').fill('3');
    await expect
      .poll(async () => Number(await page.getByTestId('whatif-offices-after').getAttribute('data-value')))
      .toBe(d2.active_offices + 3);
    expect(Number(await page.getByTestId('whatif-residents-after').getAttribute('data-value'))).toBeCloseTo(
      d2.population / (d2.active_offices + 3),
      6,
    );
    expect(Number(await page.getByTestId('whatif-load-after').getAttribute('data-value'))).toBeCloseTo(
      d2.n_cases / (d2.active_offices + 3) / body.window.days,
      9,
    );
    expect(new URL(page.url()).searchParams.get('add')).toBe('3');
    expect(await page.getByTestId('whatif-model').textContent()).toContain('مدل ساده');
    await page.goto(`${server.url}/access?from=1402/01/01&to=1402/12/29&whatif=2&add=3&lang=en`);
    await settle(page);
    expect(await page.getByTestId('whatif-model').textContent()).toContain('simple model');
    expect(await page.getByTestId('access-population-source').textContent()).toContain('synthetic');
    // The overview's access headline is the API's largest residents per office.
    await page.goto(`${server.url}/?from=1402/01/01&to=1402/12/29`);
    await settle(page);
    const most = Math.max(...body.districts.map((d) => d.residents_per_office));
    expect(
      Number(await page.getByTestId('headline-most_residents_per_office').getAttribute('data-value')),
    ).toBeCloseTo(most, 6);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("the commissioner's print: the Districts view for building permits on A4, all 22 districts, no blank page", async () => {
    const meta = await api<Meta>('/api/meta');
    // what the view should open on: the building-permit service with the most cases
    const busiest = meta.services
      .filter((s) => s.category === 'building_permit')
      .sort((a, b) => b.n_cases - a.n_cases)[0];
    const { page, errors } = await openPage();
    await page.goto(`${server.url}/districts`);
    await page.getByTestId('view-districts').waitFor({ timeout: 30_000 });
    await settle(page);
    expect(await page.getByTestId('districts-service').inputValue()).toBe(busiest.service_code);
    // one service picker: the filter bar does not offer a second one here, and the filter line names it
    expect(await page.getByTestId('filter-service').count()).toBe(0);
    expect(await page.getByTestId('filter-summary').textContent()).toContain(busiest.name);
    expect(await page.getByTestId('service-note').textContent()).toContain(busiest.name);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pages = await pdfPageTexts(new Uint8Array(pdf));
    expect(pages.length).toBeGreaterThan(1);
    // no blank page: every page carries text (a header line alone is ~60 characters)
    for (const [i, text] of pages.entries())
      expect(text.length, `page ${i + 1} of ${pages.length}`).toBeGreaterThan(200);
    // every district, whole: as a label of the redrawn (vector) box plot, a row of its table and a
    // row of the funnel's table — three times each at least
    const all = pages.join('|');
    const counts = Array.from({ length: 22 }, (_, i) => countDistrictFa(all, i + 1));
    expect(
      counts.filter((c) => c < 3),
      `counts per district ${counts.join(',')}`,
    ).toEqual([]);
    // the printed copies are gone again after printing
    expect(await page.getByTestId('print-chart').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("the inspector's flag leads to its cases: count = the flag's n, slowest first of all", async () => {
    const { page, errors } = await openPage({ username: 'inspector3', password: 'inspector-demo' });
    await page.goto(`${server.url}/outliers`);
    await page.getByTestId('view-outliers').waitFor({ timeout: 30_000 });
    await settle(page);
    // an inspector's page says what the figures cover
    expect(await page.getByTestId('filter-summary').textContent()).toContain('منطقه ۳');
    expect(await page.getByTestId('filter-summary').textContent()).not.toContain('کل شهر');
    const link = page.locator('[data-testid="flag-cases-link"][data-flag^="slow:"]').first();
    const n = Number(await link.getAttribute('data-n'));
    const office = (await link.getAttribute('data-office')) ?? '';
    const scope = ((await link.getAttribute('data-flag')) ?? '').split(':')[1];
    expect(n).toBeGreaterThan(0);
    await link.click();
    await page.getByTestId('view-office').waitFor({ timeout: 30_000 });
    await settle(page);
    const total = page.getByTestId('cases-total');
    await expect.poll(async () => Number(await total.getAttribute('data-value'))).toBe(n);
    // the slowest of all the flag's cases, from every page of them as the API lists them by date
    const q = `office=${office}&basis=slow_share&page_size=500${scope === 'all' ? '' : `&category=${scope}`}`;
    const listed: { duration_days: number }[] = [];
    for (let p = 1; listed.length < n; p++)
      listed.push(...(await api<{ rows: { duration_days: number }[] }>(`/api/cases?${q}&page=${p}`)).rows);
    expect(listed.length).toBe(n);
    const slowest = Math.max(...listed.map((r) => r.duration_days));
    const firstDuration = await page
      .locator('[data-testid="table-cases"] tbody tr')
      .first()
      .locator('td')
      .nth(6)
      .textContent();
    const shown = Number(
      (firstDuration ?? '').replace(/[۰-۹]/g, (c) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(c))).replace('٫', '.'),
    );
    expect(shown).toBeCloseTo(slowest, 1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('a 390 px phone: the overview has no horizontal scroll, every tab in reach, filters folded', async () => {
    const { page, errors } = await openPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/`);
    await page.getByTestId('view-overview').waitFor({ timeout: 30_000 });
    await settle(page);
    const size = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(size[0]).toBeLessThanOrEqual(size[1]);
    for (const tab of await page.locator('nav.tabs a').all()) {
      const box = await tab.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390, (await tab.textContent()) ?? '').toBe(true);
    }
    const signOut = await page.getByTestId('sign-out').boundingBox();
    expect(signOut && signOut.x >= 0 && signOut.x + signOut.width <= 390).toBe(true);
    expect(await page.getByTestId('filters').isVisible()).toBe(false);
    await page.getByTestId('filters-toggle').click();
    expect(await page.getByTestId('filter-district').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('a failed request reads as an error in Persian, never as good news; a 4xx offers no retry', async () => {
    const { page } = await openPage();
    await page.route('**/api/outliers*', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: 'Unexpected server error' } }),
      }),
    );
    await page.goto(`${server.url}/`);
    await page.getByTestId('view-overview').waitFor({ timeout: 30_000 });
    await settle(page);
    const card = page.getByTestId('card-flagged-offices');
    await card.getByTestId('error-state').waitFor();
    expect(await card.getByTestId('flagged-none').count()).toBe(0);
    expect(await card.textContent()).toContain('خطایی در سرور رخ داد');
    expect(await card.getByTestId('error-retry').count()).toBe(1);
    await page.unroute('**/api/outliers*');
    await page.route('**/api/outliers*', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'bad_parameter',
            parameter: 'district',
            message: 'district: "x" is not a district number',
          },
        }),
      }),
    );
    await page.goto(`${server.url}/outliers?district=7`);
    await page.getByTestId('view-outliers').getByTestId('error-state').waitFor({ timeout: 30_000 });
    const state = page.getByTestId('view-outliers').getByTestId('error-state');
    expect(await state.locator('.state-message').textContent()).toBe(
      'مقدار «منطقه» پذیرفته نیست؛ آن را اصلاح کنید.',
    );
    expect(await state.getByTestId('error-retry').count()).toBe(0);
    await page.context().close();
  });

  test("the manager's check-only upload of the Persian flat export: its rejected rows in the file's words, what is new", async () => {
    const { page, errors } = await openPage({ username: 'manager', password: 'manager-demo' });
    const storedRejects = async () =>
      ((await (await page.context().request.get(`${server.url}/api/rejects`)).json()) as { total: number })
        .total;
    const before = await storedRejects();
    await page.goto(`${server.url}/data`);
    await page
      .getByTestId('upload-files')
      .setInputFiles(join(FIXTURES, 'fa-flat', 'گزارش پرونده‌ها ۱۴۰۲.csv'));
    await page.locator('input[name="mapping"]').setInputFiles(join(MAPPINGS, 'fa-flat.json'));
    await page.locator('input[name="dry_run"]').check();
    await page.getByTestId('upload-submit').click();
    const panel = page.getByTestId('check-rejects');
    await panel.waitFor();
    // as many rows listed as the summary counts rejected, and nothing stored by the check
    expect(await panel.getAttribute('data-total')).toBe('2');
    const rows = panel.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const first = (await rows.first().textContent()) ?? '';
    expect(first).toContain('تاریخ پایان');
    expect(first).toContain('۱۴۰۲۰۰۶');
    expect(first).toContain('«تاریخ پایان» (۱۴۰۲/۰۵/۰۲ ساعت ۰۹:۰۰) پیش از «تاریخ ثبت»');
    expect(first).not.toContain('closed_at');
    // the demo catalogue has the export's services: only its three offices are new
    const notes = (await page.getByTestId('upload-notices').textContent()) ?? '';
    expect(notes).toContain('۳ دفتر تازه، ۰ خدمت تازه');
    expect(await storedRejects()).toBe(before);
    await page.getByTestId('view-data').screenshot({ path: join(artifactsDir(), 'upload-check-fa.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('without boundaries the overview draws the tile map and requests no boundary file', async () => {
    const { page, errors } = await openPage();
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/geo')) asked.push(new URL(r.url()).pathname);
    });
    await page.goto(`${server.url}/`);
    await settle(page);
    await page.getByTestId('tile-map').waitFor();
    expect(asked).toContain('/api/geo');
    expect(asked).not.toContain('/api/geo/districts');
    expect(await page.getByTestId('map-attribution').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test.skipIf(GEO === null)(
    'with the OSM boundaries the map is drawn from them, with the attribution',
    async () => {
      const dbCopy = join(tmp.path, 'geo.duckdb');
      copyFileSync(join(tmp.path, 'demo.duckdb'), dbCopy);
      const geoServer = await startServerProcess({
        dbPath: dbCopy,
        webRoot: join(tmp.path, 'dist'),
        geo: GEO ?? 'none',
      });
      try {
        const { page, errors } = await openPage(undefined, geoServer.url);
        await page.goto(`${geoServer.url}/`);
        await settle(page);
        expect(await page.getByTestId('map-attribution').textContent()).toContain('OpenStreetMap');
        expect(await page.getByTestId('tile-map').count()).toBe(0);
        expect(errors).toEqual([]);
        await page.context().close();
      } finally {
        await geoServer.stop();
      }
    },
  );
});
