/**
 * The server process: API, built dashboard with SPA fallback, district map, and a clear error for a
 * missing database file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addUser } from '../../api/auth/users.ts';
import { Db } from '../../api/db.ts';
import { checkMemoryLimit, type RunningServer, StartupError, startServer } from '../../api/serve.ts';
import './session.ts';

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shafaf-serve-'));
  const dbPath = join(dir, 'city.duckdb');
  const db = await Db.open(dbPath);
  await db.run("INSERT INTO offices (office_id, name, district) VALUES ('A', 'Office A', 1)");
  await addUser(db, { username: 'viewer', password: 'viewer-password', role: 'commissioner' });
  db.close();
  const web = join(dir, 'dist');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Shafaf</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'geo.json'), '{"type":"FeatureCollection","features":[]}');
  server = await startServer({
    dbPath,
    port: 0,
    webRoot: web,
    geoPath: join(dir, 'geo.json'),
    warm: false,
    memoryLimit: '300MB', // DuckDB takes the size as written
  });
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('serve', () => {
  test('API behind sign-in, static files, SPA fallback, district map, JSON errors under /api', async () => {
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { counts: { offices: number } }).counts.offices).toBe(1);
    const asset = await fetch(`${server.url}/assets/app.js`);
    expect(await asset.text()).toBe('console.log(1)');
    // hashed build assets may be kept by the browser; the page itself must not be
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const spa = await fetch(`${server.url}/offices/A`);
    expect(spa.status).toBe(200);
    expect(spa.headers.get('cache-control') ?? '').not.toContain('immutable');
    expect(await spa.text()).toContain('<title>Shafaf</title>');
    expect((await fetch(`${server.url}/api/geo/districts`)).status).toBe(401);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'viewer', password: 'viewer-password' }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const geo = await fetch(`${server.url}/api/geo/districts`, { headers: { cookie } });
    expect(((await geo.json()) as { type: string }).type).toBe('FeatureCollection');
    expect(geo.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const missing = await fetch(`${server.url}/api/nothing`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  test('--memory-limit and SHAFAF_MEMORY_LIMIT take a size, and name the setting when it is not one', () => {
    for (const ok of ['512MB', '1GB', '1.5GB', '2GiB', ' 300 MB '])
      expect(checkMemoryLimit(ok, '--memory-limit')).toBe(ok.trim());
    for (const bad of ['lots', '1G', '', '-1GB', '1,5GB'])
      expect(() => checkMemoryLimit(bad, 'SHAFAF_MEMORY_LIMIT')).toThrow(
        /^SHAFAF_MEMORY_LIMIT must be a size/,
      );
  });

  test('a missing database file is a clear startup error', async () => {
    await expect(startServer({ dbPath: join(dir, 'nope.duckdb'), port: 0 })).rejects.toThrow(StartupError);
    await expect(startServer({ dbPath: join(dir, 'nope.duckdb'), port: 0 })).rejects.toThrow(/not found/);
  });
});
