/**
 * `npm run bench [-- --db <full.duckdb>] [--iterations N] [--endpoints processing,outliers]`:
 * API latency on the full demo city (generated once if missing). For every endpoint, with the
 * dashboard's default filters and with a district + service filter: the first answer (cold), p50/p95
 * over repeated requests recomputed from SQL (the data cache emptied before each), the DuckDB time inside
 * those requests (sum of query times, same numbers), p50/p95 served from the cache, and server RSS.
 * Numbers are printed, never asserted.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { addUser, removeUser } from '../api/auth/users.ts';
import { DataCache } from '../api/cache.ts';
import { Db } from '../api/db.ts';
import { startServer } from '../api/serve.ts';
import { generateDemo } from '../data/demo/generate.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const dbPath = arg('db', '/tmp/shafaf-bench/full.duckdb');
const iterations = Number(arg('iterations', '5'));
const only = arg('endpoints', '')
  .split(',')
  .filter((s) => s);

const pctl = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const ms = (x: number) => `${x.toFixed(0)}`.padStart(6);

async function main(): Promise<void> {
  if (!existsSync(dbPath)) {
    console.log(`Generating the full demo city into ${dbPath} (a few minutes)…`);
    await mkdir(dirname(dbPath), { recursive: true });
    await generateDemo({ dbPath, size: 'full', seed: 1 });
  }
  const db = await Db.open(dbPath);
  let dbMs = 0;
  for (const method of ['all', 'one', 'run'] as const) {
    const original = db[method].bind(db) as (...a: unknown[]) => Promise<unknown>;
    (db as unknown as Record<string, unknown>)[method] = async (...a: unknown[]) => {
      const t0 = performance.now();
      try {
        return await original(...a);
      } finally {
        dbMs += performance.now() - t0;
      }
    };
  }
  const cache = new DataCache(db);
  const t0 = performance.now();
  const server = await startServer({ dbPath, db, cache, port: 0, webRoot: null, geoPath: null, warm: false });
  console.log(`server ready in ${(performance.now() - t0).toFixed(0)} ms (pre-computed facts checked/built)`);
  // The API is behind sign-in: a throwaway admin (sees the whole city and the import log) for this run.
  const benchPassword = randomBytes(18).toString('base64url');
  await removeUser(db, 'bench-admin');
  await addUser(db, { username: 'bench-admin', password: benchPassword, role: 'admin' });
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-admin', password: benchPassword }),
  });
  if (login.status !== 200) throw new Error(`bench sign-in failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const counts = (await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM cases'))?.n;
  const pick = await db.one<{ office_id: string; district: number }>(
    'SELECT office_id, district FROM offices ORDER BY office_id LIMIT 1 OFFSET 10',
  );
  const service = (await db.one<{ s: string }>(
    "SELECT service_code AS s FROM services WHERE category = 'building_permit' ORDER BY service_code LIMIT 1",
  ))!.s;
  console.log(`cases: ${counts}; filter set B: district=${pick!.district}&service=${service}`);

  const endpoints = [
    '/api/health',
    '/api/meta',
    '/api/processing?by=district',
    '/api/processing?by=office',
    '/api/processing?by=service',
    '/api/processing?by=month&calendar=jalali',
    `/api/variance?service=${service}`,
    '/api/funnel?metric=slow_share&by=office',
    '/api/funnel?metric=complaints&by=office',
    '/api/outliers',
    '/api/offices',
    `/api/offices/${pick!.office_id}`,
    '/api/trends?metric=complaints&by=city',
    '/api/trends?metric=processing&by=district',
    '/api/cases?page=1&page_size=50',
    // the cases behind an office's flags (issue 13): sorted over all of them in the API
    `/api/cases?office=${pick!.office_id}&basis=slow_share&sort=duration_days&page_size=50`,
    `/api/cases?office=${pick!.office_id}&basis=complaints&sort=complaints&page_size=50`,
    '/api/access',
    '/api/access?from=1403/01/01&to=1403/12/30',
    '/api/imports',
  ].filter((e) => only.length === 0 || only.some((o) => e.includes(o)));
  const filterB = `district=${pick!.district}&service=${encodeURIComponent(service)}`;

  const get = async (path: string, recompute: boolean) => {
    if (recompute) cache.clear();
    dbMs = 0;
    const t = performance.now();
    const res = await fetch(`${server.url}${path}`, { headers: { cookie } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
    return { wall: performance.now() - t, db: dbMs };
  };

  console.log(
    `\n${'endpoint'.padEnd(72)}  cold  p50sql p95sql  db50  db95 p50hit p95hit   (ms; ${iterations} warm runs)`,
  );
  let peakRss = process.memoryUsage().rss;
  for (const e of endpoints) {
    for (const variant of ['default', 'B'] as const) {
      const path =
        variant === 'default'
          ? e
          : `${e}${e.includes('?') ? '&' : '?'}${e.includes('service=') ? `district=${pick!.district}` : filterB}`;
      const cold = await get(path, true);
      const sql: number[] = [];
      const dbt: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const r = await get(path, true);
        sql.push(r.wall);
        dbt.push(r.db);
      }
      const hits: number[] = [];
      await get(path, false);
      for (let i = 0; i < Math.max(iterations, 20); i++) hits.push((await get(path, false)).wall);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      console.log(
        `${path.slice(0, 72).padEnd(72)} ${ms(cold.wall)} ${ms(pctl(sql, 0.5))} ${ms(pctl(sql, 0.95))} ${ms(pctl(dbt, 0.5))} ${ms(pctl(dbt, 0.95))} ${ms(pctl(hits, 0.5))} ${ms(pctl(hits, 0.95))}`,
      );
    }
  }
  console.log(
    `\nserver RSS now ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, peak ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
  await removeUser(db, 'bench-admin');
  await server.close();
}

void main();
