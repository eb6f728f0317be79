/**
 * `npm run bench [-- --db <full.duckdb>] [--iterations N] [--endpoints processing,outliers]
 *   [--sections fixed,random] [--combos N] [--seed N]`:
 * API latency on the full demo city (generated once if missing).
 *
 * `fixed`: for every endpoint, with the dashboard's default filters and with a district + service
 * filter: the first answer (cold), p50/p95 over repeated requests recomputed from SQL (the data cache
 * emptied before each), the DuckDB time inside those requests (sum of query times, same numbers),
 * p50/p95 served from the cache, and server RSS.
 *
 * `random` (issue 10, "any filter, fast"): `--combos` (default 60) requests drawn with a fixed seed from
 * the dashboard's filter space (a date window or none, a district, a service or a category, a channel,
 * an office where a view sends one) over processing (every `by`), variance, the funnels, outliers and
 * trends, each answered with the data cache emptied; per endpoint and overall p50/p95/max of the
 * request and of the DuckDB time inside it, and server RSS. Numbers are printed, never asserted; on a
 * shared machine they are noisy, so compare runs side by side.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { addUser, removeUser } from '../api/auth/users.ts';
import { DataCache } from '../api/cache.ts';
import { Db } from '../api/db.ts';
import { jalaliMonthLength } from '../api/lib/jalali.ts';
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
const sections = arg('sections', 'fixed,random').split(',');
const combos = Number(arg('combos', '60'));
const seed = Number(arg('seed', '10'));

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
  // Inside a request: dbMs sums every query's time (concurrent queries each count), busyMs is the
  // time at least one query was running (the request's DuckDB time on the wall clock).
  let dbMs = 0;
  let busyMs = 0;
  let inFlight = 0;
  let busySince = 0;
  for (const method of ['all', 'one', 'run'] as const) {
    const original = db[method].bind(db) as (...a: unknown[]) => Promise<unknown>;
    (db as unknown as Record<string, unknown>)[method] = async (...a: unknown[]) => {
      const t0 = performance.now();
      if (inFlight++ === 0) busySince = t0;
      try {
        return await original(...a);
      } finally {
        const t1 = performance.now();
        dbMs += t1 - t0;
        if (--inFlight === 0) busyMs += t1 - busySince;
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
    busyMs = 0;
    const t = performance.now();
    const res = await fetch(`${server.url}${path}`, { headers: { cookie } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
    return { wall: performance.now() - t, db: dbMs, busy: busyMs };
  };

  let peakRss = process.memoryUsage().rss;
  if (sections.includes('fixed')) {
    console.log(
      `\n${'endpoint'.padEnd(72)}  cold  p50sql p95sql  db50  db95 p50hit p95hit   (ms; ${iterations} warm runs)`,
    );
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
  }
  if (sections.includes('random')) {
    await cache.signature(); // the fact tables the filter space is read from
    peakRss = Math.max(peakRss, await randomSection(db, get, only));
  }
  console.log(
    `\nserver RSS now ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, peak ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
  await removeUser(db, 'bench-admin');
  await server.close();
}

/** mulberry32: a small seeded generator, so every run draws the same combinations. */
function seeded(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Get = (path: string, recompute: boolean) => Promise<{ wall: number; db: number; busy: number }>;

/** The dashboard's filter space, read from the data: Jalali months with cases, districts, services, offices. */
async function filterSpace(db: Db) {
  const months = await db.all<{ y: number; m: number }>(
    `SELECT DISTINCT left(mk_jalali, 4)::INTEGER AS y, right(mk_jalali, 2)::INTEGER AS m FROM case_facts
     WHERE mk_jalali IS NOT NULL ORDER BY y, m`,
  );
  const districts = (
    await db.all<{ d: number }>('SELECT DISTINCT district::INTEGER AS d FROM offices ORDER BY d')
  ).map((r) => r.d);
  const services = await db.all<{ code: string; category: string }>(
    'SELECT service_code AS code, category FROM services ORDER BY service_code',
  );
  const categories = [...new Set(services.map((s) => s.category).filter((c) => c))].sort();
  const offices = await db.all<{ id: string; district: number }>(
    'SELECT office_id AS id, district::INTEGER AS district FROM offices ORDER BY office_id',
  );
  return { months, districts, services, categories, offices };
}

/**
 * Issue 10's "a filter nobody asked before": `combos` requests drawn with a fixed seed, each answered
 * with the data cache emptied. Returns the peak RSS seen.
 */
async function randomSection(db: Db, get: Get, only: string[]): Promise<number> {
  const space = await filterSpace(db);
  const rnd = seeded(seed);
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const jdate = (i: number, end: boolean) => {
    const { y, m } = space.months[i];
    const d = end ? jalaliMonthLength(y, m) : 1;
    return `${y}/${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}`;
  };
  /** A date window as the dashboard sends it: none, a month, a quarter, a year, or any span of months. */
  const window = (): string[] => {
    const n = space.months.length;
    const kind = pickOf(['none', 'month', 'quarter', 'year', 'span'] as const);
    if (kind === 'none') return [];
    const len =
      kind === 'month' ? 1 : kind === 'quarter' ? 3 : kind === 'year' ? 12 : 1 + Math.floor(rnd() * n);
    const start = Math.floor(rnd() * Math.max(1, n - len + 1));
    const end = Math.min(n - 1, start + len - 1);
    // an open-ended window sometimes: only a start, or only an end
    const shape = rnd();
    if (shape < 0.15) return [`from=${jdate(start, false)}`];
    if (shape < 0.25) return [`to=${jdate(end, true)}`];
    return [`from=${jdate(start, false)}`, `to=${jdate(end, true)}`];
  };
  type Endpoint = { name: string; path: () => string; office: boolean; service: 'any' | 'required' };
  const endpoints: Endpoint[] = [
    ...(['district', 'office', 'service', 'category', 'month'] as const).map((by) => ({
      name: `processing by=${by}`,
      path: () =>
        `/api/processing?by=${by}${by === 'month' ? `&calendar=${pickOf(['jalali', 'gregorian'])}` : ''}`,
      office: by !== 'office' && by !== 'district',
      service: 'any' as const,
    })),
    // the districts view: one service across districts, no place filter
    { name: 'variance', path: () => '/api/variance', office: false, service: 'required' as const },
    ...(['slow_share', 'complaints', 'bribe_reports'] as const).map((metric) => ({
      name: `funnel ${metric}`,
      path: () => `/api/funnel?metric=${metric}&by=${pickOf(['office', 'district'])}`,
      office: false,
      service: 'any' as const,
    })),
    { name: 'outliers', path: () => '/api/outliers', office: false, service: 'any' as const },
    ...(['processing', 'complaints'] as const).map((metric) => ({
      name: `trends ${metric}`,
      path: () => `/api/trends?metric=${metric}&by=${pickOf(['city', 'district', 'office'])}`,
      office: true,
      service: 'any' as const,
    })),
  ].filter((e) => only.length === 0 || only.some((o) => e.name.includes(o)));
  if (endpoints.length === 0) return 0;

  const draw = (e: Endpoint): string => {
    const params = window();
    if (e.name !== 'variance') {
      const place = rnd();
      if (e.office && place < 0.2) {
        const o = pickOf(space.offices);
        params.push(`office=${encodeURIComponent(o.id)}`);
      } else if (place < 0.55) params.push(`district=${pickOf(space.districts)}`);
    }
    const what = rnd();
    if (e.service === 'required' || (e.service === 'any' && what < 0.35))
      params.push(`service=${encodeURIComponent(pickOf(space.services).code)}`);
    else if (what < 0.6) params.push(`category=${encodeURIComponent(pickOf(space.categories))}`);
    if (rnd() < 0.3) params.push(`channel=${pickOf(['in_person', 'online'])}`);
    const base = e.path();
    return params.length ? `${base}${base.includes('?') ? '&' : '?'}${params.join('&')}` : base;
  };

  const drawn = Array.from({ length: combos }, () => {
    const e = pickOf(endpoints);
    return { e, path: draw(e) };
  });
  console.log(
    `\n${combos} uncached filter combinations (seed ${seed}; data cache emptied before each; ms; shared machine: noisy)`,
  );
  console.log(
    'busy: time at least one DuckDB query of the request was running (the bare DuckDB time); dbsum: the queries summed (concurrent ones each count)',
  );
  console.log(`${'request'.padEnd(100)}   wall   busy  dbsum`);
  const results: { name: string; group: string; wall: number; db: number; busy: number }[] = [];
  let peakRss = process.memoryUsage().rss;
  for (const { e, path } of drawn) {
    const r = await get(path, true);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    results.push({ name: e.name, group: e.name.split(' ')[0], ...r });
    console.log(`${path.slice(0, 100).padEnd(100)} ${ms(r.wall)} ${ms(r.busy)} ${ms(r.db)}`);
  }
  const stats = (xs: number[]) => `${ms(pctl(xs, 0.5))} ${ms(pctl(xs, 0.95))} ${ms(Math.max(...xs))}`;
  const row = (label: string, rs: typeof results) =>
    console.log(
      `${label.padEnd(26)} ${String(rs.length).padStart(3)}  ${stats(rs.map((r) => r.wall))}  ${stats(rs.map((r) => r.busy))}  ${stats(rs.map((r) => r.db))}`,
    );
  console.log(
    `\n${''.padEnd(26)}      ${'request (wall)'.padEnd(20)}  ${'DuckDB busy'.padEnd(20)}  DuckDB sum of queries`,
  );
  console.log(`${'endpoint'.padEnd(26)}   n  ${'   p50    p95    max  '.repeat(3)}`);
  for (const n of [...new Set(results.map((r) => r.name))].sort())
    row(
      n,
      results.filter((r) => r.name === n),
    );
  console.log('');
  for (const g of [...new Set(results.map((r) => r.group))].sort())
    row(
      `${g} (all)`,
      results.filter((r) => r.group === g),
    );
  row('overall', results);
  const over = results.filter((r) => r.wall > 300).length;
  console.log(`${over} of ${results.length} over the issue's 300 ms target`);
  return peakRss;
}

void main();
