/**
 * Who decides: off by default (every public URL a 404, the page too); an admin publishes with a licence
 * line from the Data page's API or the CLI, each change in the audit log; switching off is a 404 on the
 * very next request, stored answers and If-None-Match included. Also: no cookie in or out, the cache
 * headers, and the per-address limit (429 with Retry-After; X-Forwarded-For only with --trust-proxy).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../api/app.ts';
import { listAudit } from '../../api/audit/log.ts';
import { Db } from '../../api/db.ts';
import { currentPublication } from '../../api/public/publication.ts';
import { PublicRateLimiter } from '../../api/public/rate-limit.ts';
import { signIn } from '../api/session.ts';
import { FIXTURE, LICENCE, publicApp } from './fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'shafaf-public-'));
const webRoot = join(dir, 'dist');

beforeAll(() => {
  mkdirSync(webRoot);
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>dashboard</title>');
  writeFileSync(join(webRoot, 'public.html'), '<!doctype html><title>public page</title>');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PUBLIC_URLS = [
  '/api/public/offices',
  '/api/public/offices?format=csv',
  '/api/public/offices/P30',
  '/api/public/districts',
  '/api/public/districts/3',
  '/api/public/services',
  '/api/public/services/S1?district=3',
  '/public',
  '/public/office/P30?lang=en',
  '/public.html',
];

describe('publishing', () => {
  test('off by default, on and off by an admin (audited), 404 at once when off', async () => {
    const { db, app, get } = await publicApp(FIXTURE, { published: false, webRoot });
    try {
      for (const url of PUBLIC_URLS) expect((await get(url)).status, url).toBe(404);
      expect((await get('/public')).headers.get('cache-control')).toBe('no-store');

      const admin = await signIn(app, db, 'admin');
      const commissioner = await signIn(app, db, 'commissioner');
      const post = (s: typeof admin, body: unknown) =>
        s.request('/api/publication', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      // only admins; a licence line is required the first time
      expect((await post(commissioner, { published: true, licence: 'x' })).status).toBe(403);
      const noLicence = await post(admin, { published: true });
      expect(noLicence.status).toBe(400);
      expect((await noLicence.json()).error.parameter).toBe('licence');
      expect((await currentPublication(db)).published).toBe(false);

      const on = await post(admin, { published: true, licence: `  ${LICENCE} ` });
      expect(on.status).toBe(200);
      const state = await on.json();
      expect(state).toMatchObject({ published: true, licence: LICENCE, changed_by: 'test-admin' });
      expect(state.published_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

      for (const url of PUBLIC_URLS) expect((await get(url)).status, url).toBe(200);
      const page = await get('/public/district/3');
      expect(await page.text()).toContain('public page');
      const answer = await get('/api/public/offices');
      const etag = answer.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(answer.headers.get('cache-control')).toBe('public, max-age=60');
      const body = await answer.json();
      expect(body.licence).toBe(LICENCE);
      expect(body.published_at).toBe(state.published_at);
      expect((await get('/api/public/offices', { 'if-none-match': etag })).status).toBe(304);
      expect((await get('/api/public/offices', { 'if-none-match': `W/${etag}, "other"` })).status).toBe(304);

      const off = await post(admin, { published: false });
      expect(off.status).toBe(200);
      expect((await off.json()).published).toBe(false);
      for (const url of PUBLIC_URLS) expect((await get(url)).status, url).toBe(404);
      // the stored answer is not served either, conditional or not
      const conditional = await get('/api/public/offices', { 'if-none-match': etag });
      expect(conditional.status).toBe(404);
      expect(conditional.headers.get('cache-control')).toBe('no-store');

      const log = await listAudit(db);
      const changes = log.rows.filter((r) => r.action === 'publish' || r.action === 'unpublish');
      expect(changes.map((r) => [r.action, r.username, r.detail?.licence, r.detail?.via])).toEqual([
        ['unpublish', 'test-admin', LICENCE, 'web'],
        ['publish', 'test-admin', LICENCE, 'web'],
      ]);
      // asking for what already holds changes nothing and logs nothing
      expect((await post(admin, { published: false })).status).toBe(200);
      expect((await listAudit(db, { action: 'unpublish' })).total).toBe(1);
    } finally {
      db.close();
    }
  });

  test('public answers need no cookie and set none; a session cookie changes nothing', async () => {
    const { db, app, get } = await publicApp();
    try {
      const admin = await signIn(app, db, 'admin');
      const anonymous = await get('/api/public/districts/3');
      const signedIn = await admin.request('/api/public/districts/3');
      expect(anonymous.status).toBe(200);
      expect(anonymous.headers.get('set-cookie')).toBeNull();
      expect(signedIn.headers.get('set-cookie')).toBeNull();
      expect(await signedIn.text()).toBe(await anonymous.text());
      expect(anonymous.headers.get('access-control-allow-origin')).toBe('*');
      // gzip for the clients that accept it: the same bytes once unzipped, its own ETag, either one revalidates
      const zipped = await get('/api/public/districts/3', { 'accept-encoding': 'br;q=1, gzip;q=0.8' });
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      expect(zipped.headers.get('vary')).toBe('Accept-Encoding');
      const plain = await get('/api/public/districts/3', { 'accept-encoding': 'gzip;q=0, identity' });
      expect(plain.headers.get('content-encoding')).toBeNull();
      const plainText = await plain.text();
      expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString('utf8')).toBe(plainText);
      const [zTag, pTag] = [zipped.headers.get('etag')!, plain.headers.get('etag')!];
      expect(zTag).not.toBe(pTag);
      for (const tag of [zTag, pTag])
        expect((await get('/api/public/districts/3', { 'if-none-match': tag })).status).toBe(304);
    } finally {
      db.close();
    }
  });
});

describe('public rate limit', () => {
  test('a 429 with Retry-After once an address has used its minute; another address is not affected', async () => {
    let clock = Date.UTC(2024, 0, 1);
    const limiter = new PublicRateLimiter({ perMinute: 3, now: () => clock });
    const { db } = await publicApp(FIXTURE, { limiter });
    // behind a proxy: X-Forwarded-For names the client
    const app = createApp({
      db,
      geoPath: null,
      webRoot: null,
      auth: { trustProxy: true },
      publicLimiter: limiter,
    });
    const from = (ip: string) =>
      app.request('http://shafaf.test/api/public/services', { headers: { 'x-forwarded-for': ip } });
    try {
      for (let i = 0; i < 3; i++) expect((await from('198.51.100.7')).status).toBe(200);
      const refused = await from('198.51.100.7');
      expect(refused.status).toBe(429);
      // 3 a minute: one request back every 20 s
      expect(refused.headers.get('retry-after')).toBe('20');
      expect((await refused.json()).error).toEqual({
        code: 'too_many_requests',
        message: 'Too many requests from your address (more than 3 a minute): try again in 20 s.',
      });
      expect((await from('203.0.113.9')).status).toBe(200);
      clock += 20_000;
      expect((await from('198.51.100.7')).status).toBe(200);
      expect((await from('198.51.100.7')).status).toBe(429);
    } finally {
      db.close();
    }
  });

  test('without --trust-proxy a forged X-Forwarded-For does not buy a fresh allowance', async () => {
    const limiter = new PublicRateLimiter({ perMinute: 2, now: () => 0 });
    const { db, get } = await publicApp(FIXTURE, { limiter });
    try {
      expect((await get('/api/public/services', { 'x-forwarded-for': '1.1.1.1' })).status).toBe(200);
      expect((await get('/api/public/services', { 'x-forwarded-for': '2.2.2.2' })).status).toBe(200);
      expect((await get('/api/public/services', { 'x-forwarded-for': '3.3.3.3' })).status).toBe(429);
    } finally {
      db.close();
    }
  });
});

function publishCli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'api/public/cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, USER: 'cli-admin' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run publish', () => {
  test('on (licence needed), status, off; audited under the OS user; refused while the file is held', async () => {
    const dbPath = join(dir, 'cli.duckdb');
    (await Db.open(dbPath)).close();
    const first = publishCli(['on', '--db', dbPath]);
    expect(first.code).toBe(1);
    expect(first.err).toMatch(/A licence line is needed to publish/);
    const on = publishCli(['on', '--licence', LICENCE, '--db', dbPath]);
    expect(on.err).toBe('');
    expect(on.code).toBe(0);
    expect(on.out).toContain(`under the licence: ${LICENCE}`);
    expect(publishCli(['status', '--db', dbPath]).out).toMatch(/^Published since \d{4}-/);
    expect(publishCli(['sideways', '--db', dbPath]).code).toBe(2);

    // the server holds the file: the CLI must refuse, not wait or corrupt
    const held = await Db.open(dbPath);
    try {
      const refused = publishCli(['off', '--db', dbPath]);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/in use by another process \(is the server running on it\?\)/);
      expect(refused.err).toMatch(/Data page/);
    } finally {
      held.close();
    }
    const off = publishCli(['off', '--db', dbPath]);
    expect(off.code).toBe(0);
    expect(off.out).toMatch(/^Not published \(turned off .* by cli-admin\)/);

    const db = await Db.open(dbPath);
    try {
      const log = await listAudit(db);
      expect(log.rows.map((r) => [r.action, r.username, r.detail?.via])).toEqual([
        ['unpublish', 'cli-admin', 'cli'],
        ['publish', 'cli-admin', 'cli'],
      ]);
    } finally {
      db.close();
    }
  });
});
