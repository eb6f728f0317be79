/**
 * `npm run bench:public [-- --db <file>] [--copy-from <full.duckdb>] [--duration 30] [--connections 200]
 *   [--per-client 20] [--no-warm] [--profile <dir>]`: the public scorecards' endpoints under anonymous load (autocannon), on the
 * full demo city. The real server runs as its own process; the database is published first with the real
 * CLI. Targets: p95 ≤ 50 ms warm with 0 errors at 200 concurrent clients. Numbers are printed, never asserted.
 *
 * The mix is what phones on the public page ask for: the district and service lists, an office list per
 * district, office, district and service pages (the "10 quickest offices in district N"), now and then a
 * name search and an open-data CSV; a third of the requests carry the ETag the client already holds
 * (If-None-Match → 304), as a browser's cache would, and nine in ten accept gzip, as every browser does
 * (the rest stand for scripts fetching the open data uncompressed).
 *
 * The per-address rate limit stays on at its default. The server runs with --trust-proxy, as it would
 * behind the municipality's reverse proxy, and every connection stands for a stream of visitors: each sends
 * its X-Forwarded-For address for `--per-client` requests, then the next visitor (a new address) takes
 * over. So no simulated visitor exceeds the limit, and the 429 count printed is real; a last phase sends
 * one address past the limit to show it is enforced. Use --copy-from to start from a fresh copy of a
 * database (the file given is never written).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Db } from '../api/db.ts';
import { run as publishCli } from '../api/public/cli.ts';
import { DEFAULT_PUBLIC_PER_MINUTE } from '../api/public/rate-limit.ts';
import { generateDemo } from '../data/demo/generate.ts';
import { freePort } from '../test/free-port.ts';
import { mulberry32 } from '../test/stats/rng.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const dbPath = resolve(arg('db', '/tmp/shafaf-bench/public.duckdb'));
const copyFrom = arg('copy-from', '');
const duration = Number(arg('duration', '30'));
const connections = Number(arg('connections', '200'));
const perClient = Number(arg('per-client', '20'));
const warm = !process.argv.includes('--no-warm');
/** --profile <dir>: the server writes a V8 CPU profile there when it stops. */
const profileDir = arg('profile', '');

// autocannon ships no types; this is the part of its API used here
interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
}
interface AutocannonResult {
  requests: { total: number };
  errors: number;
  timeouts: number;
  statusCodeStats?: Record<string, { count: number }>;
  duration: number;
}
interface Instance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (
  opts: {
    url: string;
    connections: number;
    duration: number;
    timeout: number;
    requests: {
      method: string;
      setupRequest: (r: AutocannonRequest, ctx: Record<string, unknown>) => AutocannonRequest;
    }[];
  },
  done: (err: Error | null, result: AutocannonResult) => void,
) => Instance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface Dims {
  offices: string[];
  districts: number[];
  services: string[];
  names: string[];
}

async function readDims(): Promise<Dims> {
  const db = await Db.open(dbPath);
  try {
    const offices = await db.all<{ o: string; n: string }>(
      'SELECT office_id AS o, name AS n FROM offices ORDER BY o',
    );
    const districts = await db.all<{ d: number }>(
      'SELECT DISTINCT district::INTEGER AS d FROM offices ORDER BY d',
    );
    const services = await db.all<{ s: string }>(
      'SELECT service_code AS s FROM cases GROUP BY ALL ORDER BY count(*) DESC, s LIMIT 12',
    );
    return {
      offices: offices.map((r) => r.o),
      districts: districts.map((r) => Number(r.d)),
      services: services.map((r) => r.s),
      names: offices.slice(0, 6).map((r) => r.n.split(' ').slice(-1)[0]),
    };
  } finally {
    db.close();
  }
}

/** Weighted public URLs, as the page asks for them (weights per URL). */
function mix(d: Dims): [string, number][] {
  const e = encodeURIComponent;
  const out: [string, number][] = [
    ['/api/public/districts?top=0', 40],
    ['/api/public/services', 30],
    ['/api/public/offices?top=3', 2],
    ['/api/public/offices?format=csv', 0.2],
    ['/api/public/districts?format=csv', 0.3],
    ['/api/public/services?format=csv', 0.5],
  ];
  for (const n of d.districts) {
    out.push([`/api/public/offices?district=${n}&top=3`, 2]);
    out.push([`/api/public/districts/${n}`, 2]);
  }
  for (const o of d.offices) out.push([`/api/public/offices/${e(o)}`, 1.5]);
  for (const [i, s] of d.services.entries()) {
    out.push([`/api/public/services/${e(s)}?limit=10`, 1]);
    for (const n of d.districts.slice(i % 4, (i % 4) + 6))
      out.push([`/api/public/services/${e(s)}?district=${n}&limit=10`, 0.5]);
    out.push([`/api/public/offices?service=${e(s)}&district=${d.districts[i % d.districts.length]}`, 0.5]);
  }
  for (const name of d.names) out.push([`/api/public/offices?q=${e(name)}&top=3`, 0.3]);
  return out;
}

function startServer(port: number): { child: ChildProcess; log: () => string } {
  const child = spawn(
    process.execPath,
    [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`] : []),
      '--import',
      'tsx',
      join(ROOT, 'api', 'serve.ts'),
      '--db',
      dbPath,
      '--port',
      String(port),
      '--quiet',
      '--trust-proxy',
      '--geo',
      'none',
    ],
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
    await new Promise((r) => setTimeout(r, 250));
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

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const quantile = (sorted: number[], p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

/** Visitor addresses 10.x.y.z from a counter: a new one whenever a connection's visitor has made its requests. */
const addressOf = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** The load of the timed run, as one autocannon run; every response's latency is recorded. */
function load(
  url: string,
  setup: (req: AutocannonRequest, ctx: Record<string, unknown>) => AutocannonRequest,
  seconds: number,
): Promise<{ result: AutocannonResult; latencies: number[] }> {
  const latencies: number[] = [];
  return new Promise((done, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 10,
        requests: [{ method: 'GET', setupRequest: setup }],
      },
      (err, result) => (err ? reject(err) : done({ result, latencies })),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

/**
 * The floor on this machine, measured in the same run: a bare node:http process answering every request
 * with the same 6 KB of bytes (about a gzipped public answer), under the same connections. The machine
 * is shared, so the public p95 is best read beside this one.
 */
async function floor(seconds: number): Promise<number> {
  const port = await freePort();
  const code = `const b = Buffer.alloc(6000, 97); require('node:http').createServer((q, r) => { r.writeHead(200, { 'content-type': 'application/json', 'content-length': b.length }); r.end(b); }).listen(${port}, '127.0.0.1', () => console.log('up'));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((done) => child.stdout?.once('data', () => done()));
    const { latencies } = await load(`http://127.0.0.1:${port}`, (r) => r, seconds);
    latencies.sort((a, b) => a - b);
    return quantile(latencies, 0.95);
  } finally {
    child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  if (copyFrom) {
    await mkdir(dirname(dbPath), { recursive: true });
    rmSync(`${dbPath}.wal`, { force: true });
    copyFileSync(copyFrom, dbPath);
    console.log(`copied ${copyFrom} → ${dbPath}`);
  }
  if (!existsSync(dbPath)) {
    console.log(`Generating the full demo city into ${dbPath} (several minutes)…`);
    await mkdir(dirname(dbPath), { recursive: true });
    await generateDemo({ dbPath, size: 'full', seed: 1 });
  }
  const lines: string[] = [];
  const code = await publishCli(['on', '--licence', 'CC BY 4.0 (benchmark)', '--db', dbPath], {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
  });
  if (code !== 0) throw new Error(`publishing failed:\n${lines.join('\n')}`);
  const dims = await readDims();
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
  let nextAddress = 1;
  try {
    const t0 = performance.now();
    // the public figures are computed in the background at start: ready when a public answer comes back
    await waitFor(
      async () => {
        if (server.child.exitCode !== null) throw new Error(`server exited:\n${server.log()}`);
        return fetch(`${base}/api/public/services`, { headers: { 'x-forwarded-for': addressOf(0) } }).then(
          (r) => r.status === 200,
          () => false,
        );
      },
      900_000,
      'the server and the public figures',
    );
    console.log(`server up, public figures ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // the dashboard's default views are computed in the background after start (minutes on the full city):
    // a warm server is one that has finished them
    await waitFor(
      () => /Default views ready|Warming the default views failed/.test(server.log()),
      900_000,
      "the dashboard's default views",
    );
    console.log(`default views ready after ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const weighted = mix(dims);
    const etags = new Map<string, string>();
    if (warm) {
      const tw = performance.now();
      for (const [path] of weighted) {
        const res = await fetch(`${base}${path}`, {
          headers: { 'x-forwarded-for': addressOf(nextAddress++) },
        });
        await res.arrayBuffer();
        if (res.status !== 200) console.log(`  warm-up ${path}: ${res.status}`);
        const tag = res.headers.get('etag');
        if (tag) etags.set(path, tag);
      }
      console.log(
        `warm-up: ${weighted.length} distinct URLs once each in ${((performance.now() - tw) / 1000).toFixed(1)} s`,
      );
    }
    const total = weighted.reduce((s, [, w]) => s + w, 0);
    const rand = mulberry32(16);
    const pick = () => {
      let x = rand() * total;
      for (const [path, w] of weighted) {
        x -= w;
        if (x < 0) return path;
      }
      return weighted[0][0];
    };

    const rss: number[] = [];
    const sampler = setInterval(() => {
      const r = rssMiB(pid);
      if (r !== null) rss.push(r);
    }, 1000);
    const firstAddress = nextAddress;
    const serverCpu0 = cpuSeconds(pid);
    const benchCpu0 = process.cpuUsage();
    console.log(
      `running: ${connections} connections, ${duration} s, ${weighted.length} distinct URLs, ${perClient} requests per visitor address (${warm ? 'warm' : 'cold'})…`,
    );
    const { result, latencies } = await load(
      base,
      (req, ctx) => {
        // ctx is per connection: one visitor address for perClient requests, then the next visitor
        const sent = (ctx.sent as number | undefined) ?? 0;
        if (sent % perClient === 0) ctx.ip = addressOf(nextAddress++);
        ctx.sent = sent + 1;
        const path = pick();
        const headers: Record<string, string> = { 'x-forwarded-for': ctx.ip as string };
        // browsers always accept gzip; some open-data scripts (curl without --compressed) do not
        if (rand() < 0.9) headers['accept-encoding'] = 'gzip, deflate, br';
        const tag = etags.get(path);
        if (tag && rand() < 1 / 3) headers['if-none-match'] = tag;
        return { ...req, path, headers };
      },
      duration,
    );
    clearInterval(sampler);
    const serverCpu = (cpuSeconds(pid) ?? Number.NaN) - (serverCpu0 ?? Number.NaN);
    const benchCpu = process.cpuUsage(benchCpu0);

    latencies.sort((a, b) => a - b);
    const stats = result.statusCodeStats ?? {};
    const count = (code: string) => stats[code]?.count ?? 0;
    const bad = Object.entries(stats)
      .filter(([code]) => code !== '200' && code !== '304')
      .reduce((s, [, v]) => s + v.count, 0);
    const errors = bad + result.errors;
    const p95 = quantile(latencies, 0.95);
    console.log('');
    console.log(
      `requests:   ${result.requests.total} in ${result.duration.toFixed(1)} s = ${(result.requests.total / result.duration).toFixed(0)} req/s`,
    );
    console.log(
      `latency:    p50 ${quantile(latencies, 0.5).toFixed(1)} ms  p90 ${quantile(latencies, 0.9).toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  p99 ${quantile(latencies, 0.99).toFixed(1)} ms  max ${latencies[latencies.length - 1]?.toFixed(1)} ms  (all ${latencies.length} responses, 304s included)`,
    );
    console.log(
      `status:     ${Object.entries(stats)
        .map(([c, v]) => `${c}: ${v.count}`)
        .join(', ')}`,
    );
    console.log(
      `errors:     ${errors} (not 200/304: ${bad}, of which 429: ${count('429')}; socket errors ${result.errors}, of which timeouts ${result.timeouts})`,
    );
    console.log(
      `visitors:   ${nextAddress - firstAddress} addresses, at most ${perClient} requests each; rate limit ${DEFAULT_PUBLIC_PER_MINUTE} a minute per address (default, on)`,
    );
    console.log(
      `server RSS: min ${Math.min(...rss).toFixed(0)} MiB, max ${Math.max(...rss).toFixed(0)} MiB (${rss.length} samples, 1/s)`,
    );
    console.log(
      `CPU:        server ${serverCpu.toFixed(1)} s = ${((serverCpu * 1000) / result.requests.total).toFixed(3)} ms a request (${((100 * serverCpu) / result.duration).toFixed(0)}% of one core); load generator ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)} s`,
    );
    console.log(
      `machine:    load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')} on ${cpus().length} cores (shared)`,
    );
    const floorP95 = await floor(10);
    console.log(
      `floor:      a bare node:http server with a fixed 6 KB answer, same ${connections} connections, same machine, now: p95 ${floorP95.toFixed(1)} ms → public p95 is ${(p95 / floorP95).toFixed(2)}× the floor`,
    );
    const ok = errors === 0 && p95 <= 50;
    console.log(`targets (0 errors, p95 ≤ 50 ms at ${connections} clients): ${ok ? 'met' : 'NOT met'}`);

    // the limit is real: one address asking past its minute is refused
    let refusedAt = 0;
    for (let i = 1; i <= DEFAULT_PUBLIC_PER_MINUTE + 20 && !refusedAt; i++) {
      const res = await fetch(`${base}/api/public/services`, { headers: { 'x-forwarded-for': '192.0.2.1' } });
      await res.arrayBuffer();
      if (res.status === 429) refusedAt = i;
    }
    console.log(
      `rate limit: one address ${refusedAt ? `refused (429) at request ${refusedAt}` : 'was NEVER refused'} (limit ${DEFAULT_PUBLIC_PER_MINUTE} a minute)`,
    );
  } finally {
    stop();
    await new Promise((r) => {
      if (server.child.exitCode !== null) return r(null);
      server.child.once('exit', r);
      setTimeout(() => server.child.kill('SIGKILL'), 10_000).unref();
    });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
