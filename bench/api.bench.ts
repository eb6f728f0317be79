/**
 * `npm run bench [-- --db <full.duckdb> | --size xl] [--iterations N] [--endpoints processing,outliers]
 *   [--sections fixed,random] [--combos N] [--seed N] [--compare <other.duckdb>]
 *   [--case-order on|off] [--compare-case-order on|off] [--memory-limit <DuckDB memory_limit, e.g. 2GB; default the server's, 768MB>]`:
 * API latency on the full demo city (generated once if missing; `--size xl`: the 10-million-case city).
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
 * shared machine they are noisy, so compare runs side by side: `--compare` serves a second database in
 * the same process with its fact tables as stored (built by another version of the code: a copy made
 * on main, say) and requests every combination from both in turn, then prints the ratios. RSS is then
 * the two servers together.
 *
 * `--case-order off` serves without the in-memory case order (api/metrics/case-order.ts), as before it
 * existed; `--compare-case-order` sets it for the `--compare` server (a copy of the same file, say, to
 * compare the two side by side). With it on (the default), it is loaded before the random section, as
 * a server does after start, and its load time and memory are printed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { addUser, removeUser } from '../api/auth/users.ts';
import { CASE_ORDER_MIN_ROWS, DataCache } from '../api/cache.ts';
import { Db } from '../api/db.ts';
import { jalaliMonthLength } from '../api/lib/jalali.ts';
import { builtSignature } from '../api/metrics/facts.ts';
import { SERVER_MEMORY_LIMIT, startServer } from '../api/serve.ts';
import { generateDemo } from '../data/demo/generate.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const sizeArg = arg('size', 'full');
if (sizeArg !== 'full' && sizeArg !== 'xl') throw new Error(`--size must be full or xl, got '${sizeArg}'`);
const size: 'full' | 'xl' = sizeArg;
const dbPath = arg('db', `/tmp/shafaf-bench/${size}.duckdb`);
const iterations = Number(arg('iterations', '5'));
const only = arg('endpoints', '')
  .split(',')
  .filter((s) => s);
const sections = arg('sections', 'fixed,random').split(',');
const combos = Number(arg('combos', '60'));
const seed = Number(arg('seed', '10'));
const compareWith = arg('compare', '');
const onOff = (name: string) => {
  const v = arg(name, 'on');
  if (v !== 'on' && v !== 'off') throw new Error(`--${name} must be on or off, got '${v}'`);
  return v === 'on';
};
const caseOrder = onOff('case-order');
const memoryLimit = arg('memory-limit', '');
const compareCaseOrder = onOff('compare-case-order');

const pctl = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const ms = (x: number) => `${x.toFixed(0)}`.padStart(6);

async function main(): Promise<void> {
  if (!existsSync(dbPath)) {
    console.log(`Generating the ${size} demo city into ${dbPath} (a few minutes)…`);
    await mkdir(dirname(dbPath), { recursive: true });
    await generateDemo({ dbPath, size, seed: 1 });
  }
  const main = await target(dbPath, false, caseOrder);
  const { db, cache, get } = main;
  const counts = (await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM cases'))?.n;
  const pick = await db.one<{ office_id: string; district: number }>(
    'SELECT office_id, district FROM offices ORDER BY office_id LIMIT 1 OFFSET 10',
  );
  const service = (await db.one<{ s: string }>(
    "SELECT service_code AS s FROM services WHERE category = 'building_permit' ORDER BY service_code LIMIT 1",
  ))!.s;
  const caseId = (await db.one<{ id: string }>(
    `SELECT case_id AS id FROM cases WHERE service_code = $s AND status = 'completed' ORDER BY case_id LIMIT 1`,
    { s: service },
  ))!.id;
  const events = (await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM events'))?.n;
  console.log(
    `cases: ${counts}; events: ${events}; filter set B: district=${pick!.district}&service=${service}`,
  );

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
    // Where the days go (issue 11): the Process view's requests, city-wide and for one service.
    '/api/stages',
    '/api/stages?by=district',
    `/api/stages?service=${service}`,
    `/api/stages?by=district&service=${service}`,
    '/api/stages/actors?by=district',
    `/api/stages/actors?by=office&office=${pick!.office_id}`,
    '/api/stages/variants',
    `/api/stages/variants?service=${service}`,
    '/api/stages/extra',
    `/api/stages/extra?service=${service}`,
    '/api/stages/map',
    `/api/stages/map?service=${service}`,
    `/api/cases/${caseId}`,
    '/api/funnel?metric=slow_share&by=office&time=office',
    '/api/outliers?time=office',
  ].filter((e) => only.length === 0 || only.some((o) => e.includes(o)));
  const filterB = `district=${pick!.district}&service=${encodeURIComponent(service)}`;

  let peakRss = process.memoryUsage().rss;
  // as a server does after start (the bench server does not warm the default views)
  peakRss = Math.max(peakRss, await loadCaseOrder(dbPath, cache));
  // sampled while requests run too (DuckDB works off the event loop), not only between them
  let peakDuring = 'the case order load';
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peakRss) {
      peakRss = rss;
      peakDuring = activity;
    }
  }, 50);
  sampler.unref();
  if (sections.includes('fixed')) {
    console.log(
      `\n${'endpoint'.padEnd(72)}  cold  p50sql p95sql  db50  db95 p50hit p95hit   (ms; ${iterations} warm runs)  RSS MiB`,
    );
    for (const e of endpoints) {
      for (const variant of ['default', 'B'] as const) {
        const path =
          variant === 'default'
            ? e
            : `${e}${e.includes('?') ? '&' : '?'}${e.includes('service=') ? `district=${pick!.district}` : filterB}`;
        activity = path;
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
          `${path.slice(0, 72).padEnd(72)} ${ms(cold.wall)} ${ms(pctl(sql, 0.5))} ${ms(pctl(sql, 0.95))} ${ms(pctl(dbt, 0.5))} ${ms(pctl(dbt, 0.95))} ${ms(pctl(hits, 0.5))} ${ms(pctl(hits, 0.95))}  ${(process.memoryUsage().rss / 2 ** 20).toFixed(0).padStart(21)}`,
        );
      }
    }
  }
  if (sections.includes('random')) {
    await cache.signature(); // the fact tables the filter space is read from
    const label = (path: string, order: boolean) => `${path}${order ? '' : ' (no case order)'}`;
    const targets = [{ label: label(dbPath, caseOrder), get, cache }];
    if (compareWith) {
      const other = await target(compareWith, true, compareCaseOrder);
      targets.push({
        label: `${label(compareWith, compareCaseOrder)} (fact tables as stored)`,
        get: other.get,
        cache: other.cache,
      });
      closers.push(other.close);
    }
    for (const t of targets.slice(1)) peakRss = Math.max(peakRss, await loadCaseOrder(t.label, t.cache));
    peakRss = Math.max(peakRss, await randomSection(db, targets, only));
  }
  console.log(
    `\nserver RSS now ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, peak ${(peakRss / 2 ** 20).toFixed(0)} MiB (sampled during ${peakDuring})`,
  );
  for (const close of closers) await close();
  await main.close();
}

const closers: (() => Promise<void>)[] = [];
/** The request running now, for where the RSS peaked. */
let activity = 'start';

/** Loads the case order (unless the cache has it off), printing the time and memory; returns the RSS after. */
async function loadCaseOrder(label: string, cache: DataCache): Promise<number> {
  const rss0 = process.memoryUsage().rss;
  if (cache.caseOrderMinRows === Number.POSITIVE_INFINITY) return rss0;
  const t0 = performance.now();
  const order = await cache.caseOrder();
  const rss1 = process.memoryUsage().rss;
  console.log(
    `${label}: case order of ${order?.size ?? 0} cases loaded in ${(performance.now() - t0).toFixed(0)} ms, RSS ${(rss0 / 2 ** 20).toFixed(0)} → ${(rss1 / 2 ** 20).toFixed(0)} MiB`,
  );
  return rss1;
}

/**
 * A server on `path` in this process, signed in as a throwaway admin, with its DuckDB time counted.
 * `asStored`: serve the fact tables the file holds (as the code that built them laid them out)
 * instead of rebuilding them for this code's definition: the side-by-side comparison of `--compare`.
 */
async function target(path: string, asStored: boolean, withCaseOrder: boolean) {
  const db = await Db.open(path, { memoryLimit: memoryLimit || SERVER_MEMORY_LIMIT });
  // Inside a request: dbMs sums every query's time (concurrent queries each count), busyMs is the
  // time at least one query was running (the request's DuckDB time on the wall clock).
  let dbMs = 0;
  let busyMs = 0;
  let inFlight = 0;
  let busySince = 0;
  // `one` goes through `all`, so patching `all` and `run` counts every statement once
  for (const method of ['all', 'run'] as const) {
    const original = db[method].bind(db) as (...a: unknown[]) => Promise<unknown>;
    (db as unknown as Record<string, unknown>)[method] = async (...a: unknown[]) => {
      const site = bySite ? callSite() : '';
      const t0 = performance.now();
      if (inFlight++ === 0) busySince = t0;
      try {
        return await original(...a);
      } finally {
        const t1 = performance.now();
        dbMs += t1 - t0;
        if (--inFlight === 0) busyMs += t1 - busySince;
        if (bySite) {
          const s = bySite.get(site) ?? { n: 0, ms: 0, max: 0 };
          s.n++;
          s.ms += t1 - t0;
          s.max = Math.max(s.max, t1 - t0);
          bySite.set(site, s);
        }
      }
    };
  }
  const cache = new DataCache(db, undefined, withCaseOrder ? CASE_ORDER_MIN_ROWS : Number.POSITIVE_INFINITY);
  if (asStored) {
    const sig = await builtSignature(db);
    if (!sig) throw new Error(`${path}: no fact tables to compare with (start a server on it once)`);
    // bench only: the cache's check would rebuild tables of another format; take them as they are
    (cache as unknown as { check: () => Promise<string> }).check = async () => sig;
  }
  const t0 = performance.now();
  const server = await startServer({
    dbPath: path,
    db,
    cache,
    port: 0,
    webRoot: null,
    geoPath: null,
    warm: false,
  });
  console.log(
    `${path}: server ready in ${(performance.now() - t0).toFixed(0)} ms (pre-computed facts checked/built)`,
  );
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
  const get: Get = async (p, recompute) => {
    if (recompute) cache.clear();
    dbMs = 0;
    busyMs = 0;
    const t = performance.now();
    // a request that never answers stops the run with what is pending, instead of waiting forever
    const res = await fetch(`${server.url}${p}`, {
      headers: { cookie },
      signal: AbortSignal.timeout(120_000),
    }).catch((err: Error) => {
      throw new Error(`${p}: ${err.message}; pending: ${process.getActiveResourcesInfo().join(', ')}`);
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${p} → ${res.status}`);
    return { wall: performance.now() - t, db: dbMs, busy: busyMs };
  };
  const close = async () => {
    await removeUser(db, 'bench-admin');
    await server.close();
  };
  return { db, cache, get, close };
}

/** Where the random section's statements come from (the metric and line that ran them), while it runs. */
let bySite: Map<string, { n: number; ms: number; max: number }> | null = null;

/** The first api/ frame below the Db wrapper: `metrics/processing.ts:231 computeGroupStats`. */
function callSite(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  for (const f of frames) {
    const m = /at (?:async )?(\S+)? ?\(?.*\/api\/((?!db\.ts)[\w/.-]+\.ts):(\d+)/.exec(f);
    if (m) return `${m[2]}:${m[3]} ${m[1] ?? ''}`;
  }
  return '(outside api/)';
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
async function randomSection(
  db: Db,
  targets: { label: string; get: Get }[],
  only: string[],
): Promise<number> {
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
  const T = targets.length;
  if (T > 1)
    console.log(
      `side by side, each combination on every database in turn (order alternating): ${targets.map((t, i) => `[${i + 1}] ${t.label}`).join('; ')}`,
    );
  console.log(
    `${'request'.padEnd(100)} ${targets.map((_, i) => `${T > 1 ? `[${i + 1}]` : ''}wall   busy  dbsum`).join('   ')}`,
  );
  type Result = { name: string; group: string; wall: number; db: number; busy: number };
  const results: Result[][] = targets.map(() => []);
  let peakRss = process.memoryUsage().rss;
  const sites = new Map<string, { n: number; ms: number; max: number }>();
  for (const [i, { e, path }] of drawn.entries()) {
    const order = targets.map((_, j) => j);
    if (i % 2 === 1) order.reverse();
    for (const j of order) {
      bySite = j === 0 ? sites : null; // where the time goes: the first database's answers
      activity = path;
      const r = await targets[j].get(path, true);
      bySite = null;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      results[j].push({ name: e.name, group: e.name.split(' ')[0], ...r });
    }
    console.log(
      `${path.slice(0, 100).padEnd(100)} ${results
        .map((rs) => {
          const r = rs[rs.length - 1];
          return `${ms(r.wall)} ${ms(r.busy)} ${ms(r.db)}`;
        })
        .join('      ')}`,
    );
  }
  const stats = (xs: number[]) => `${ms(pctl(xs, 0.5))} ${ms(pctl(xs, 0.95))} ${ms(Math.max(...xs))}`;
  const row = (label: string, rs: Result[]) =>
    console.log(
      `${label.padEnd(26)} ${String(rs.length).padStart(3)}  ${stats(rs.map((r) => r.wall))}  ${stats(rs.map((r) => r.busy))}  ${stats(rs.map((r) => r.db))}`,
    );
  const names = [...new Set(results[0].map((r) => r.name))].sort();
  const groups = [...new Set(results[0].map((r) => r.group))].sort();
  for (const [j, rs] of results.entries()) {
    if (T > 1) console.log(`\n[${j + 1}] ${targets[j].label}`);
    console.log(
      `\n${''.padEnd(26)}      ${'request (wall)'.padEnd(20)}  ${'DuckDB busy'.padEnd(20)}  DuckDB sum of queries`,
    );
    console.log(`${'endpoint'.padEnd(26)}   n  ${'   p50    p95    max  '.repeat(3)}`);
    for (const n of names)
      row(
        n,
        rs.filter((r) => r.name === n),
      );
    console.log('');
    for (const g of groups)
      row(
        `${g} (all)`,
        rs.filter((r) => r.group === g),
      );
    row('overall', rs);
    const over = rs.filter((r) => r.wall > 300).length;
    console.log(`${over} of ${rs.length} over the issue's 300 ms target`);
  }
  if (T > 1) {
    console.log(`\nratios [1] / [2] of the request's wall time (below 1: [1] is faster)`);
    console.log(`${'endpoint'.padEnd(26)}   p50    p95    max  sum`);
    const ratio = (label: string, keep: (r: Result) => boolean) => {
      const a = results[0].filter(keep).map((r) => r.wall);
      const b = results[1].filter(keep).map((r) => r.wall);
      const sum = (xs: number[]) => xs.reduce((t, x) => t + x, 0);
      const f = (x: number) => x.toFixed(2).padStart(5);
      console.log(
        `${label.padEnd(26)} ${f(pctl(a, 0.5) / pctl(b, 0.5))}  ${f(pctl(a, 0.95) / pctl(b, 0.95))}  ${f(Math.max(...a) / Math.max(...b))}  ${f(sum(a) / sum(b))}`,
      );
    };
    for (const g of groups) ratio(g, (r) => r.group === g);
    ratio('overall', () => true);
  }
  const ranked = [...sites.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = ranked.reduce((t, [, s]) => t + s.ms, 0);
  console.log(
    `\nwhere the DuckDB time went${T > 1 ? ' on [1]' : ''} (statements by the code that ran them; summed over the run):`,
  );
  for (const [site, s] of ranked.slice(0, 15))
    console.log(
      `${site.slice(0, 60).padEnd(60)} ${String(s.n).padStart(4)}× ${ms(s.ms)} ms total (${((100 * s.ms) / total).toFixed(0).padStart(2)}%), max ${ms(s.max)}`,
    );
  return peakRss;
}

void main();
