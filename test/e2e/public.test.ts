/**
 * The public scorecards in Debian's chromium, with no session at all: the real server on the small demo
 * city, published with the real CLI. Every public page in Persian and English at 360 px: no console
 * errors or failed requests, no horizontal scroll, axe-core (WCAG 2.1 A/AA rules) clean, the as-of and
 * publication dates shown, and a print layout without the page's controls. Screenshots go to
 * test-artifacts/.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run as publish } from '../../api/public/cli.ts';
import { generateDemo } from '../../data/demo/generate.ts';
import {
  artifactsDir,
  buildWeb,
  chromiumMissing,
  launchChromium,
  type RunningServer,
  startServerProcess,
  tempDir,
} from './harness.ts';

const missing = chromiumMissing();
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const LICENCE = 'CC BY 4.0 — شهرداری تهران';

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}

describe.skipIf(missing)('public scorecards in chromium, signed out', () => {
  const tmp = tempDir('shafaf-e2e-public-');
  let server: RunningServer;
  let browser: Browser;
  let office: string;
  let service: string;
  let district: number;

  beforeAll(async () => {
    const dbPath = join(tmp.path, 'demo.duckdb');
    const webRoot = join(tmp.path, 'dist');
    await generateDemo({ dbPath, size: 'small', seed: 1 });
    const lines: string[] = [];
    const code = await publish(['on', '--licence', LICENCE, '--db', dbPath], {
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
    });
    expect(code, lines.join('\n')).toBe(0);
    buildWeb(webRoot);
    server = await startServerProcess({ dbPath, webRoot });
    browser = await launchChromium();
    const offices = (await (await fetch(`${server.url}/api/public/offices?top=1`)).json()) as {
      offices: { office_id: string; district: number; services: { service: { service_code: string } }[] }[];
    };
    const busiest = offices.offices[0];
    office = busiest.office_id;
    district = busiest.district;
    service = busiest.services[0].service.service_code;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    tmp.remove();
  });

  /** A phone-sized page with no cookies, recording console errors and failed requests. */
  async function phone(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
    return { page, errors };
  }

  async function settle(page: Page, testid: string) {
    await page.getByTestId(testid).waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0, null, {
      timeout: 30_000,
    });
  }

  /** axe-core evaluated in the page (page.evaluate is not subject to the page's CSP, a script tag would be). */
  async function axe(page: Page): Promise<AxeViolation[]> {
    await page.evaluate(AXE);
    return page.evaluate(async () => {
      const w = window as unknown as {
        axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> };
      };
      const r = await w.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => ({ target: n.target })),
      }));
    });
  }

  test('every public page in Persian and English: no errors, no horizontal scroll at 360 px, axe clean', async () => {
    const { page, errors } = await phone();
    const shots = artifactsDir();
    const pages = [
      { path: '/public', testid: 'public-home', name: 'home' },
      { path: `/public?district=${district}&service=${service}`, testid: 'office-results', name: 'search' },
      { path: `/public/office/${office}`, testid: 'office-services', name: 'office' },
      { path: `/public/district/${district}`, testid: 'district-offices', name: 'district' },
      { path: `/public/service/${service}?district=${district}`, testid: 'quickest-title', name: 'service' },
      { path: '/public/services', testid: 'public-services', name: 'services' },
      { path: '/public/method', testid: 'public-method', name: 'method' },
    ];
    for (const lang of ['fa', 'en'] as const) {
      for (const p of pages) {
        const sep = p.path.includes('?') ? '&' : '?';
        await page.goto(server.url + p.path + (lang === 'en' ? `${sep}lang=en` : ''));
        await settle(page, p.testid);
        const html = page.locator('html');
        expect(await html.getAttribute('lang'), p.name).toBe(lang);
        expect(await html.getAttribute('dir'), p.name).toBe(lang === 'fa' ? 'rtl' : 'ltr');
        // never the dashboard's sign-in form
        expect(await page.getByTestId('view-login').count(), p.name).toBe(0);
        const [scrollWidth, clientWidth] = await page.evaluate(() => [
          document.documentElement.scrollWidth,
          document.documentElement.clientWidth,
        ]);
        expect(scrollWidth, `${p.name} ${lang} scrolls sideways`).toBeLessThanOrEqual(clientWidth);
        expect(await axe(page), `${p.name} ${lang}`).toEqual([]);
        // the as-of date and the publication date, always
        expect(await page.getByTestId('as-of').textContent()).toMatch(
          lang === 'fa' ? /^داده‌ها تا ۱۴/ : /^Data as of 20/,
        );
        expect(await page.getByTestId('published-on').isVisible()).toBe(true);
        expect(await page.getByTestId('licence').textContent()).toContain(LICENCE);
        await page.screenshot({ path: join(shots, `public-${p.name}-${lang}.png`), fullPage: true });
      }
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('figures say what they rest on; the small demo has groups shown as "too few cases"; print hides the controls', async () => {
    const { page, errors } = await phone();
    await page.goto(`${server.url}/public/office/${office}`);
    await settle(page, 'office-services');
    expect(await page.getByText(/^بر پایه [۰-۹٬]+ پرونده$/).count()).toBeGreaterThan(0);
    await page.goto(`${server.url}/public/district/${district}?lang=en&all=1`);
    await settle(page, 'district-offices');
    const few = page.getByTestId('too-few');
    expect(await few.count()).toBeGreaterThan(0);
    expect(await few.first().textContent()).toBe('Too few cases');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.pub-nav').isVisible()).toBe(false);
    expect(await page.getByTestId('print').isVisible()).toBe(false);
    expect(await page.getByTestId('stamp').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('the open-data links download a CSV with a BOM, and no cookie was ever set', async () => {
    const { page } = await phone();
    await page.goto(`${server.url}/public`);
    await settle(page, 'open-data');
    const href = await page.getByTestId('open-data').locator('a[download]').first().getAttribute('href');
    expect(href).toBe('/api/public/offices?format=csv');
    const res = await page.request.get(server.url + href);
    expect(res.status()).toBe(200);
    expect([...(await res.body()).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(await page.context().cookies()).toEqual([]);
    await page.context().close();
  });

  test('an admin withdraws and republishes on the Data page: every public URL is a 404 at once, the audit log says so', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const login = await context.request.post(`${server.url}/api/auth/login`, {
      data: { username: 'admin', password: 'admin-demo' },
      headers: { origin: server.url },
    });
    expect(login.status()).toBe(200);
    const page = await context.newPage();
    await page.goto(`${server.url}/data?lang=en`);
    await page.getByTestId('publication-status').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('publication-status').textContent()).toMatch(/^Published since /);
    expect(await page.getByTestId('publication-licence').inputValue()).toBe(LICENCE);
    await page.getByTestId('publication-withdraw').click();
    await expect.poll(() => page.getByTestId('publication-status').textContent()).toMatch(/^Not published/);
    for (const url of [
      '/public',
      `/public/office/${office}`,
      '/api/public/offices',
      '/api/public/services?format=csv',
    ])
      expect((await fetch(server.url + url)).status, url).toBe(404);
    await expect
      .poll(() => page.getByTestId('audit-log').textContent())
      .toContain('Unpublished (public pages)');
    await page.getByTestId('publication-publish').click();
    await expect
      .poll(() => page.getByTestId('publication-status').textContent())
      .toMatch(/^Published since /);
    expect((await fetch(`${server.url}/api/public/offices`)).status).toBe(200);
    await context.close();
  });
});
