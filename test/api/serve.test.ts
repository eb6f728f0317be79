/**
 * The server process: API, built dashboard with SPA fallback, district map, and a clear error for a
 * missing database file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Db } from '../../api/db.ts';
import { type RunningServer, StartupError, startServer } from '../../api/serve.ts';

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shafaf-serve-'));
  const dbPath = join(dir, 'city.duckdb');
  const db = await Db.open(dbPath);
  await db.run("INSERT INTO offices VALUES ('A', 'Office A', 1, NULL, NULL)");
  db.close();
  const web = join(dir, 'dist');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>Shafaf</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'geo.json'), '{"type":"FeatureCollection","features":[]}');
  server = await startServer({ dbPath, port: 0, webRoot: web, geoPath: join(dir, 'geo.json'), warm: false });
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('serve', () => {
  test('API, static files, SPA fallback, district map, JSON 404 under /api', async () => {
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { counts: { offices: number } }).counts.offices).toBe(1);
    expect(await (await fetch(`${server.url}/assets/app.js`)).text()).toBe('console.log(1)');
    const spa = await fetch(`${server.url}/offices/A`);
    expect(spa.status).toBe(200);
    expect(await spa.text()).toContain('<title>Shafaf</title>');
    const geo = await fetch(`${server.url}/api/geo/districts`);
    expect(((await geo.json()) as { type: string }).type).toBe('FeatureCollection');
    const missing = await fetch(`${server.url}/api/nothing`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  test('a missing database file is a clear startup error', async () => {
    await expect(startServer({ dbPath: join(dir, 'nope.duckdb'), port: 0 })).rejects.toThrow(StartupError);
    await expect(startServer({ dbPath: join(dir, 'nope.duckdb'), port: 0 })).rejects.toThrow(/not found/);
  });
});
