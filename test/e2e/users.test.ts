/**
 * The Users page in chromium, on the real server and the small demo city (issue 15): an admin adds an
 * inspector for district 7 with a one-time password; the inspector signs in with it in a second
 * browser context, must set their own password first, then sees only district 7; the admin disables
 * them and their open page drops to the sign-in page with "session ended". Screenshots go to
 * test-artifacts/. One server start for the file (harness.ts).
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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
if (missing) console.warn(`Skipping the Users page browser tests: ${missing}`);

describe.skipIf(missing)('users and access in chromium', () => {
  const tmp = tempDir('shafaf-e2e-users-');
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    const dbPath = join(tmp.path, 'demo.duckdb');
    const webRoot = join(tmp.path, 'dist');
    await generateDemo({ dbPath, size: 'small', seed: 1 });
    buildWeb(webRoot);
    server = await startServerProcess({ dbPath, webRoot });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    tmp.remove();
  });

  /** A fresh browser context (its own cookies), optionally signed in through the API. */
  async function context(as?: { username: string; password: string }): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    if (as) {
      const res = await ctx.request.post(`${server.url}/api/auth/login`, {
        data: as,
        headers: { origin: server.url },
      });
      expect(res.status(), `login as ${as.username}`).toBe(200);
    }
    return ctx;
  }

  /** Page errors and failed requests, except the 401s this test expects (listed by the caller). */
  function watch(page: Page, allowed401 = false): string[] {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => {
      if (r.status() >= 400 && !(allowed401 && r.status() === 401)) errors.push(`${r.status()} ${r.url()}`);
    });
    return errors;
  }

  test('add an inspector, who signs in, sets a password and sees only their district; disable them and their session ends', async () => {
    const shots = artifactsDir();
    const adminCtx = await context({ username: 'admin', password: 'admin-demo' });
    const admin = await adminCtx.newPage();
    const adminErrors = watch(admin);
    await admin.goto(`${server.url}/users`);
    await admin.getByTestId('view-users').waitFor({ timeout: 30_000 });
    await admin.getByTestId('table-users').waitFor();
    await admin.screenshot({ path: join(shots, 'users-fa.png'), fullPage: true });

    // Add an inspector for district 7 with a generated one-time password.
    await admin.getByTestId('add-username').fill('rezaei7');
    await admin.getByTestId('add-role').selectOption('inspector');
    await admin.getByTestId('add-districts').selectOption(['7']);
    await admin.getByTestId('add-submit').click();
    const otpBox = admin.getByTestId('one-time-password');
    await otpBox.waitFor({ timeout: 30_000 });
    const otp = ((await otpBox.textContent()) ?? '').trim();
    expect(otp).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const row = admin.locator('[data-testid="table-users"] tbody tr', { hasText: 'rezaei7' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('user-status-cell').textContent()).toBe('در انتظار تعیین گذرواژه');
    expect(await row.textContent()).toContain('منطقه ۷');
    await admin.screenshot({ path: join(shots, 'users-added-fa.png'), fullPage: true });

    // The inspector, in a second browser context: the sign-in form, then their own password first.
    const inspCtx = await context();
    const insp = await inspCtx.newPage();
    await insp.goto(`${server.url}/`);
    await insp.getByTestId('view-login').waitFor({ timeout: 30_000 });
    await insp.getByTestId('login-username').fill('rezaei7');
    await insp.getByTestId('login-password').fill(otp);
    await insp.getByTestId('login-submit').click();
    await insp.getByTestId('view-forced-password').waitFor({ timeout: 30_000 });
    await insp.getByTestId('password-current').fill(otp);
    await insp.getByTestId('password-new').fill('password1');
    await insp.getByTestId('password-repeat').fill('password1');
    await insp.getByTestId('password-submit').click();
    await expect.poll(() => insp.getByTestId('password-error').textContent()).toMatch(/رایج‌ترین گذرواژه‌هاست/);
    await insp.screenshot({ path: join(shots, 'users-forced-password-fa.png'), fullPage: true });
    await insp.getByTestId('password-new').fill('rezaei-own-pass-7');
    await insp.getByTestId('password-repeat').fill('rezaei-own-pass-7');
    await insp.getByTestId('password-submit').click();
    await insp.getByTestId('view-overview').waitFor({ timeout: 30_000 });
    const inspErrors = watch(insp, true);
    await insp.getByTestId('nav-offices').click();
    await insp.getByTestId('view-offices').waitFor({ timeout: 30_000 });
    await insp.waitForLoadState('networkidle');
    const options = await insp
      .getByTestId('filter-district')
      .locator('option')
      .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    expect(options).toEqual(['', '7']);
    expect(await insp.getByTestId('scope-note').textContent()).toContain('منطقه ۷');
    expect(await insp.getByTestId('nav-users').count()).toBe(0);
    expect(inspErrors).toEqual([]);

    // The admin sees the open session, then disables the inspector.
    await admin.getByTestId('manage-rezaei7').click();
    await admin.getByTestId('edit-user').waitFor();
    // Columns: username, role, districts, last sign-in, status, open sessions, manage.
    await admin.reload();
    await admin.getByTestId('edit-user').waitFor({ timeout: 30_000 });
    await expect.poll(() => row.locator('td').nth(5).textContent()).toBe('۱');
    expect(await row.getByTestId('user-status-cell').textContent()).toBe('فعال');
    await admin.getByTestId('edit-disable').click();
    await admin.getByTestId('edit-disable-confirm').click();
    await expect
      .poll(() => admin.getByTestId('edit-user').getByTestId('user-feedback').textContent())
      .toBe('کاربر rezaei7 غیرفعال شد و ۱ نشست او همین حالا پایان یافت.');
    await expect.poll(() => row.getByTestId('user-status-cell').textContent()).toBe('غیرفعال');
    await admin.screenshot({ path: join(shots, 'users-disabled-fa.png'), fullPage: true });

    // The inspector's next step finds the session ended: the sign-in page says so, and sign-in is refused.
    await insp.getByTestId('nav-districts').click();
    await insp.getByTestId('view-login').waitFor({ timeout: 30_000 });
    expect(await insp.getByTestId('login-error').textContent()).toBe(
      'نشست شما پایان یافته است؛ دوباره وارد شوید.',
    );
    await insp.getByTestId('login-username').fill('rezaei7');
    await insp.getByTestId('login-password').fill('rezaei-own-pass-7');
    await insp.getByTestId('login-submit').click();
    await expect
      .poll(() => insp.getByTestId('login-error').textContent())
      .toBe('نام کاربری یا گذرواژه درست نیست.');

    // Both steps are in the audit log under the admin's name.
    const auditRes = await adminCtx.request.get(`${server.url}/api/audit?page_size=50`);
    const audit = (await auditRes.json()) as {
      rows: { action: string; username: string; detail: unknown }[];
    };
    const mine = audit.rows.filter((r) => (r.detail as { user?: string } | null)?.user === 'rezaei7');
    expect(mine.map((r) => [r.action, r.username])).toEqual([
      ['user_disable', 'admin'],
      ['user_add', 'admin'],
    ]);
    expect(adminErrors).toEqual([]);
    await inspCtx.close();
    await adminCtx.close();
  });

  test('an admin changes their own password on the account page', async () => {
    const ctx = await context({ username: 'admin', password: 'admin-demo' });
    const page = await ctx.newPage();
    const errors = watch(page);
    await page.goto(`${server.url}/`);
    await page.getByTestId('user-name').click();
    await page.getByTestId('view-account').waitFor({ timeout: 30_000 });
    await page.getByTestId('password-current').fill('admin-demo');
    await page.getByTestId('password-new').fill('admin-new-pass-15');
    await page.getByTestId('password-repeat').fill('admin-new-pass-16');
    await page.getByTestId('password-submit').click();
    expect(await page.getByTestId('password-error').textContent()).toBe('دو بار گذرواژه تازه یکسان نیست.');
    await page.getByTestId('password-repeat').fill('admin-new-pass-15');
    await page.getByTestId('password-submit').click();
    await page.getByTestId('password-done').waitFor();
    await page.screenshot({ path: join(artifactsDir(), 'account-fa.png'), fullPage: true });
    expect(errors).toEqual([]);
    await ctx.close();
    const again = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin-new-pass-15' }),
    });
    expect(again.status).toBe(200);
  });
});
