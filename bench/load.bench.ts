/**
 * `npm run bench:load [-- --db <full.duckdb>] [--duration 60] [--connections 50] [--no-warm]`: the server under
 * concurrent signed-in sessions (autocannon). The real server runs as its own process on the full demo city; each
 * of the 50 connections signs in once as its own session (50 sessions of one bench user) and then requests a
 * weighted random mix of dashboard calls (overview, processing by district/office/month, funnel, outliers,
 * offices, a scorecard, cases pages, some with district and service filters) for a fixed time. Prints requests/s,
 * latency p50/p95/p99, errors (non-2xx + socket errors/timeouts) and the server's RSS sampled every second.
 * Targets: zero errors at 50 clients, p99 under 1 s. Numbers are printed, never asserted.
 *
 * By default every URL of the mix is requested once before the timed run (what a day of use leaves in the
 * response cache); --no-warm measures from a cold cache (only the dashboard's default views precomputed).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addUser, removeUser } from '../api/auth/users.ts';
import { Db } from '../api/db.ts';
import { generateDemo } from '../data/demo/generate.ts';
import { freePort } from '../test/free-port.ts';
import { mulberry32 } from '../test/stats/rng.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH_USER = 'bench-load';
const BENCH_PASSWORD = 'bench-load-password';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const dbPath = arg('db', '/tmp/shafaf-bench/full.duckdb');
const duration = Number(arg('duration', '60'));
const connections = Number(arg('connections', '50'));
const warm = !process.argv.includes('--no-warm');

// autocannon ships no types; this is the part of its API used here
interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
}
interface Histogram {
  average: number;
  p50: number;
  p90: number;
  p97_5: number;
  p99: number;
  max: number;
}
interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats?: Record<string, { count: number }>;
  duration: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: {
    method: string;
    setupRequest: (r: AutocannonRequest, ctx: Record<string, unknown>) => AutocannonRequest;
  }[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface Dims {
  districts: number[];
  services: string[];
  offices: string[];
}

/** Adds the bench user (fresh: an old one and its sessions are removed) and reads filter values. */
async function prepareDb(): Promise<Dims> {
  const db = await Db.open(dbPath);
  try {
    await removeUser(db, BENCH_USER);
    await addUser(db, { username: BENCH_USER, password: BENCH_PASSWORD, role: 'commissioner' });
    const services = await db.all<{ s: string }>(
      'SELECT service_code AS s FROM cases GROUP BY ALL ORDER BY count(*) DESC, s LIMIT 4',
    );
    const offices = await db.all<{ o: string }>(
      'SELECT office_id AS o FROM offices ORDER BY office_id LIMIT 4 OFFSET 10',
    );
    return {
      districts: [2, 6, 12, 20],
      services: services.map((r) => r.s),
      offices: offices.map((r) => r.o),
    };
  } finally {
    db.close();
  }
}

/** Weighted dashboard calls: the overview and its drill-downs, as the pages request them. */
function mix(d: Dims): [string, number][] {
  const s = (i: number) => encodeURIComponent(d.services[i % d.services.length]);
  const out: [string, number][] = [
    ['/api/meta', 6],
    ['/api/outliers', 5],
    ['/api/processing?by=district', 5],
    ['/api/processing?by=office', 3],
    ['/api/processing?by=month', 3],
    ['/api/funnel?metric=slow_share&by=office', 3],
    ['/api/funnel?metric=complaints&by=office', 2],
    ['/api/offices', 3],
    ['/api/cases', 2],
    ['/api/cases?page=2', 1],
  ];
  for (const [i, dist] of d.districts.entries()) {
    out.push([`/api/processing?by=office&district=${dist}`, 2]);
    out.push([`/api/offices?district=${dist}`, 1]);
    out.push([`/api/processing?by=month&district=${dist}&service=${s(i)}`, 1]);
    out.push([`/api/cases?district=${dist}&service=${s(i)}&page=1`, 1]);
  }
  for (const [i, svc] of d.services.entries()) {
    out.push([`/api/processing?by=district&service=${encodeURIComponent(svc)}`, 1]);
    out.push([`/api/funnel?metric=slow_share&by=office&service=${encodeURIComponent(svc)}`, 1]);
    out.push([`/api/offices/${d.offices[i % d.offices.length]}`, 1]);
  }
  return out;
}

function startServer(port: number): { child: ChildProcess; log: () => string } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'api', 'serve.ts'), '--db', dbPath, '--port', String(port), '--quiet'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.on('data', (b) => {
    log += b;
  });
  child.stderr?.on('data', (b) => {
    log += b;
  });
  return { child, log: () => log };
}

async function waitFor(test: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function rssMiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function login(base: string): Promise<string | null> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: BENCH_USER, password: BENCH_PASSWORD }),
  });
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

async function main(): Promise<void> {
  if (!existsSync(dbPath)) {
    console.log(`Generating the full demo city into ${dbPath} (several minutes)…`);
    await mkdir(dirname(dbPath), { recursive: true });
    await generateDemo({ dbPath, size: 'full', seed: 1 });
  }
  // only one process may hold the file: the user is written before the server opens it
  const dims = await prepareDb();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startServer(port);
  const pid = server.child.pid ?? 0;
  const stop = () => {
    if (server.child.exitCode === null) server.child.kill('SIGTERM');
  };
  process.once('SIGINT', () => {
    stop();
    process.exit(130);
  });
  try {
    const t0 = performance.now();
    await waitFor(
      async () => {
        if (server.child.exitCode !== null) throw new Error(`server exited:\n${server.log()}`);
        return fetch(`${base}/api/health`).then(
          (r) => r.status < 500,
          () => false,
        );
      },
      300_000,
      'the server',
    );
    await waitFor(
      () => /Default views ready|Warming the default views failed/.test(server.log()),
      600_000,
      'warm-up',
    );
    console.log(`server up and default views ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // one session per connection: 50 sign-ins (scrypt each), like 50 people with the dashboard open
    const cookies: string[] = [];
    const tl = performance.now();
    for (let i = 0; i < connections; i++) {
      const c = await login(base);
      if (c === null) break;
      cookies.push(c);
    }
    const auth =
      cookies.length > 0
        ? `${cookies.length} sessions (one per connection), login ${((performance.now() - tl) / cookies.length).toFixed(0)} ms each`
        : 'NO sign-in (the server has no /api/auth/login): requests are anonymous';
    console.log(`auth: ${auth}`);

    const weighted = mix(dims);
    const total = weighted.reduce((s, [, w]) => s + w, 0);
    if (warm) {
      const tw = performance.now();
      for (const [path] of weighted) {
        const res = await fetch(`${base}${path}`, { headers: cookies[0] ? { cookie: cookies[0] } : {} });
        await res.arrayBuffer();
        if (res.status !== 200) console.log(`  warm-up ${path}: ${res.status}`);
      }
      console.log(
        `warm-up: ${weighted.length} distinct URLs once each in ${((performance.now() - tw) / 1000).toFixed(1)} s`,
      );
    }

    const rand = mulberry32(42);
    const pick = () => {
      let x = rand() * total;
      for (const [path, w] of weighted) {
        x -= w;
        if (x < 0) return path;
      }
      return weighted[0][0];
    };
    let nextCookie = 0;
    const rss: number[] = [];
    const sampler = setInterval(() => {
      const r = rssMiB(pid);
      if (r !== null) rss.push(r);
    }, 1000);
    console.log(
      `running: ${connections} connections, ${duration} s, ${weighted.length} distinct URLs (${warm ? 'warm' : 'cold'} cache)…`,
    );
    const result = await autocannon({
      url: base,
      connections,
      duration,
      timeout: 10,
      requests: [
        {
          method: 'GET',
          setupRequest: (req, ctx) => {
            // ctx is per connection: each keeps its own session cookie
            if (ctx.cookie === undefined) ctx.cookie = cookies[nextCookie++ % Math.max(1, cookies.length)];
            const headers: Record<string, string> = { ...(req.headers ?? {}) };
            if (ctx.cookie) headers.cookie = ctx.cookie as string;
            return { ...req, path: pick(), headers };
          },
        },
      ],
    });
    clearInterval(sampler);

    const l = result.latency;
    const codes = Object.entries(result.statusCodeStats ?? {})
      .map(([code, s]) => `${code}: ${s.count}`)
      .join(', ');
    console.log('');
    console.log(
      `requests:   ${result.requests.total} in ${result.duration.toFixed(1)} s = ${(result.requests.total / result.duration).toFixed(1)} req/s`,
    );
    console.log(
      `latency:    p50 ${l.p50} ms  p90 ${l.p90} ms  p97.5 ${l.p97_5} ms  p99 ${l.p99} ms  max ${l.max} ms  mean ${l.average.toFixed(1)} ms`,
    );
    console.log(
      `errors:     ${result.non2xx + result.errors} (non-2xx ${result.non2xx}, socket errors ${result.errors}, of which timeouts ${result.timeouts})`,
    );
    console.log(`status:     ${codes}`);
    console.log(
      `server RSS: min ${Math.min(...rss).toFixed(0)} MiB, max ${Math.max(...rss).toFixed(0)} MiB (${rss.length} samples, 1/s)`,
    );
    const ok = result.non2xx + result.errors === 0 && l.p99 < 1000;
    console.log(`targets (0 errors at ${connections} clients, p99 < 1000 ms): ${ok ? 'met' : 'NOT met'}`);
  } finally {
    stop();
    await new Promise((r) => {
      if (server.child.exitCode !== null) return r(null);
      server.child.once('exit', r);
      setTimeout(() => server.child.kill('SIGKILL'), 10_000).unref();
    });
    // the bench user and its sessions do not stay in the demo database
    const db = await Db.open(dbPath).catch(() => null);
    if (db) {
      await removeUser(db, BENCH_USER).catch(() => false);
      db.close();
    }
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
