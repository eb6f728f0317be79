/**
 * `npm run serve -- --db <file.duckdb> [--port N] [--geo <file.geojson>|none] [--trust-proxy]`: the API
 * and the built dashboard (dist/) on one port, behind sign-in. `startServer` is also what `npm start`
 * (scripts/start.ts) calls. `--trust-proxy` reads the client address and https from X-Forwarded-*
 * headers; use it only behind a reverse proxy that sets them (otherwise they are spoofable).
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { defaultViewUrls } from '../web/queries/views.ts';
import { createApp } from './app.ts';
import { demoAccountsWithDemoPassword, isDemoDatabase } from './auth/demo-users.ts';
import type { AuthOptions } from './auth/middleware.ts';
import { purgeExpiredSessions } from './auth/session.ts';
import { DataCache } from './cache.ts';
import { Db, openFailureKind } from './db.ts';
import { removeStaleStaging } from './import/stale-staging.ts';
import type { MetaAnswer } from './metrics/meta.ts';
import { publicSnapshot } from './public/figures.ts';
import { currentPublication } from './public/publication.ts';
import { PublicRateLimiter } from './public/rate-limit.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_GEO = resolve(REPO_ROOT, '../shared/geo/tehran_22_districts.geojson');
export const DEFAULT_WEB_ROOT = resolve(REPO_ROOT, 'dist');

export interface ServerOptions {
  dbPath: string;
  port?: number;
  /** undefined: the default map if present; null: none. */
  geoPath?: string | null;
  /** undefined: dist/ in the repository; null: API only. */
  webRoot?: string | null;
  logRequests?: boolean;
  /** An already open database (the benchmark wraps it to time queries); dbPath is then only a label. */
  db?: Db;
  /** The data cache (the API benchmark passes its own, to clear it before timing the SQL). */
  cache?: DataCache;
  /** Compute the dashboard's default views in the background after start (default on). */
  warm?: boolean;
  /** Behind a reverse proxy: trust X-Forwarded-For/-Proto/-Host. */
  trustProxy?: boolean;
  /** Requests a minute per client address on the public endpoints (default 300). */
  publicPerMinute?: number;
  /** The address to listen on (default: every interface); `npm run report` listens on 127.0.0.1 only. */
  hostname?: string;
  /** An in-process session (AuthOptions.internal): only for `npm run report`, never from the command line. */
  internal?: AuthOptions['internal'];
  /**
   * DuckDB's memory_limit (default SERVER_MEMORY_LIMIT): the engine's own memory, which with its cached table
   * blocks is most of the server's.
   */
  memoryLimit?: string;
}

/**
 * The server's DuckDB memory_limit unless told otherwise (issue 10). Ten million cases (53.7M events) served with
 * 2GB peaked at 3.3 GiB of RSS; with 768MB the slowest endpoints (stages, office-time funnels) answer as fast as
 * with 1GB and the engine keeps about 0.2 GB fewer table blocks. An import through the dashboard runs under it
 * too (the CLI's imports take IMPORT_MEMORY).
 */
export const SERVER_MEMORY_LIMIT = '768MB';

/** A DuckDB memory size as the command line and SHAFAF_MEMORY_LIMIT take it: 512MB, 1.5GB, 2GiB. */
export function checkMemoryLimit(text: string, name: string): string {
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(text.trim()))
    throw new StartupError(`${name} must be a size such as 512MB, 1GB or 1.5GB, got '${text}'`);
  return text.trim();
}

export interface RunningServer {
  port: number;
  url: string;
  /** Settles when the default views are computed (at once with `warm: false`); never rejects. */
  warmed: Promise<void>;
  close(): Promise<void>;
}

export class StartupError extends Error {}

export function checkDbFile(dbPath: string): void {
  if (!existsSync(dbPath)) {
    throw new StartupError(
      `Database file not found: ${dbPath}\nCreate one with \`npm run demo -- --db ${dbPath}\` or \`npm run import -- <folder> --db ${dbPath}\`.`,
    );
  }
  try {
    if (!statSync(dbPath).isFile()) throw new StartupError(`Not a database file: ${dbPath}`);
    accessSync(dbPath, constants.R_OK | constants.W_OK);
  } catch (err) {
    if (err instanceof StartupError) throw err;
    throw new StartupError(`Cannot read and write the database file ${dbPath}: ${(err as Error).message}`);
  }
}

function openError(dbPath: string, err: unknown): StartupError {
  const detail = err instanceof Error ? err.message : String(err);
  const kind = openFailureKind(err);
  if (kind === 'locked') {
    return new StartupError(
      `The database ${dbPath} is in use by another process (an import, or another server): stop it, then start again.\n(${detail})`,
    );
  }
  if (kind === 'damaged') {
    return new StartupError(
      `The database file ${dbPath} is damaged or is not a Shafaf database.\n` +
        `Restore it from a backup, or move it aside and create a new one with \`npm run demo -- --db ${dbPath}\` ` +
        `or \`npm run import -- <folder> --db ${dbPath}\`.\n(${detail})`,
    );
  }
  return new StartupError(`Cannot open the database ${dbPath}: ${detail}`);
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  let db: Db;
  if (opts.db) db = opts.db;
  else {
    checkDbFile(opts.dbPath);
    try {
      db = await Db.open(opts.dbPath, { memoryLimit: opts.memoryLimit ?? SERVER_MEMORY_LIMIT });
    } catch (err) {
      throw openError(opts.dbPath, err);
    }
  }
  // Build the pre-computed facts before listening, so the first request does not pay for them.
  // A file cut short can open and fail only here, when its data pages are read.
  const cache = opts.cache ?? new DataCache(db);
  try {
    await cache.signature();
  } catch (err) {
    if (!opts.db) db.close();
    throw openError(opts.dbPath, err);
  }
  await purgeExpiredSessions(db);
  const users = await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM users');
  if (!users?.n) {
    console.error(
      `No users in ${opts.dbPath}: nobody can sign in. Add one (with the server stopped):\n` +
        `  npm run users -- add <name> --role admin --db ${opts.dbPath}`,
    );
  } else await warnAboutDemoAccounts(db, opts.dbPath);
  const stale = removeStaleStaging(undefined, (path, err) =>
    console.error(`Cannot remove the staging folder of a killed import, ${path}: ${err}`),
  );
  if (stale.length > 0)
    console.error(`Removed ${stale.length} staging folder(s) left by killed imports: ${stale.join(', ')}`);
  const geoPath = opts.geoPath === undefined ? (existsSync(DEFAULT_GEO) ? DEFAULT_GEO : null) : opts.geoPath;
  const webRoot = opts.webRoot === undefined ? DEFAULT_WEB_ROOT : opts.webRoot;
  if (webRoot && !existsSync(resolve(webRoot, 'index.html'))) {
    console.error(
      `Dashboard not built (${webRoot}/index.html missing): run \`npm run build\`. Serving the API only.`,
    );
  }
  const app = createApp({
    db,
    cache,
    geoPath,
    webRoot,
    auth: { trustProxy: opts.trustProxy, internal: opts.internal },
    publicLimiter: new PublicRateLimiter({ perMinute: opts.publicPerMinute }),
  });
  const port = opts.port ?? 8080;
  const server = await new Promise<Server>((resolveServer, reject) => {
    const s = serve(
      {
        fetch: async (req: Request) => {
          const t0 = performance.now();
          const res = await app.fetch(req);
          if (opts.logRequests) {
            const u = new URL(req.url);
            console.log(
              `${req.method} ${u.pathname}${u.search} ${res.status} ${(performance.now() - t0).toFixed(1)}ms`,
            );
          }
          return res;
        },
        port,
        hostname: opts.hostname,
      },
      () => resolveServer(s as Server),
    ) as Server;
    s.once('error', reject);
  }).catch((err: NodeJS.ErrnoException) => {
    db.close();
    throw new StartupError(
      err.code === 'EADDRINUSE' ? `Port ${port} is already in use (try --port or PORT=...)` : err.message,
    );
  });
  let warmed = Promise.resolve();
  if (opts.warm !== false) {
    const t0 = performance.now();
    // the cases in memory first (metrics/case-order.ts): the default views' medians then need no
    // sort of the whole city; until it is ready, requests are answered from SQL
    warmed = cache
      .caseOrder()
      .then((order) => {
        if (order)
          console.error(
            `Case order ready: ${order.size.toLocaleString('en')} cases (${((performance.now() - t0) / 1000).toFixed(1)} s).`,
          );
      })
      // a server closed meanwhile, say: the SQL answers everything without it
      .catch((err) => console.error(`Loading the case order failed: ${err}`))
      .then(() => warmDefaultViews(db, cache))
      .then(() => console.error(`Default views ready (${((performance.now() - t0) / 1000).toFixed(1)} s).`))
      .catch((err) => console.error(`Warming the default views failed: ${err}`));
  }
  // Published scorecards: their figures are computed now rather than for the first citizen.
  if ((await currentPublication(db)).published)
    publicSnapshot(cache).catch((err) => console.error(`Computing the public figures failed: ${err}`));
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    port: actualPort,
    url: `http://localhost:${actualPort}`,
    warmed,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => {
          db.close();
          done();
        });
      }),
  };
}

/**
 * Computes the dashboard's default views (what its pages request with no filters, as the dashboard's
 * own query factories list them: web/queries/views.ts) for the current data into the server's cache:
 * through an in-process app without the access layer (never served; its answers are the whole
 * city's, what commissioners and managers see) that also keeps them in the database, so after a
 * restart they are read back instead of recomputed. Then one office's scorecard, in memory only,
 * fills the city-wide sub-results every scorecard shares (a stored answer skips them).
 */
async function warmDefaultViews(db: Db, cache: DataCache): Promise<void> {
  const app = (storeAnswers: boolean) =>
    createApp({ db, cache, geoPath: null, webRoot: null, auth: false, storeAnswers });
  const stored = app(true);
  const meta = (await (await stored.request('/api/meta')).json()) as MetaAnswer;
  for (const url of defaultViewUrls(meta)) {
    const res = await stored.request(url);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  }
  const office = await db.one<{ id: string }>(
    'SELECT office_id AS id FROM offices ORDER BY office_id LIMIT 1',
  );
  if (office) await (await app(false).request(`/api/offices/${encodeURIComponent(office.id)}`)).arrayBuffer();
}

/** The demo accounts' passwords are public: on real data, say so loudly while one still works. */
async function warnAboutDemoAccounts(db: Db, dbPath: string): Promise<void> {
  if (await isDemoDatabase(db)) return;
  const open = await demoAccountsWithDemoPassword(db);
  if (open.length === 0) return;
  console.error(
    `WARNING: ${dbPath} holds real data, but the demo account(s) ${open.join(', ')} still sign in with the ` +
      `public demo password from the README. Remove them or change their passwords on the dashboard's ` +
      `Users page (or: npm run users -- remove <name> --db ${dbPath}, with the server stopped).`,
  );
}

function parseArgs(argv: string[]): ServerOptions {
  const opts: ServerOptions = { dbPath: '', logRequests: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new StartupError(`${a} needs a value`);
      return v;
    };
    if (a === '--db') opts.dbPath = value();
    else if (a === '--port') {
      const p = Number(value());
      if (!Number.isInteger(p) || p < 0 || p > 65535) throw new StartupError(`--port must be a port number`);
      opts.port = p;
    } else if (a === '--geo') {
      const g = value();
      opts.geoPath = g === 'none' ? null : resolve(g);
      if (opts.geoPath && !existsSync(opts.geoPath)) throw new StartupError(`GeoJSON file not found: ${g}`);
    } else if (a === '--web') {
      opts.webRoot = resolve(value());
      if (!existsSync(opts.webRoot)) throw new StartupError(`Dashboard folder not found: ${opts.webRoot}`);
    } else if (a === '--quiet') opts.logRequests = false;
    else if (a === '--trust-proxy') opts.trustProxy = true;
    else if (a === '--public-rate-limit') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1)
        throw new StartupError('--public-rate-limit must be a whole number of requests a minute, at least 1');
      opts.publicPerMinute = n;
    } else if (a === '--memory-limit') opts.memoryLimit = checkMemoryLimit(value(), '--memory-limit');
    else if (a === '--help' || a === '-h') {
      console.log(
        'npm run serve -- --db <file.duckdb> [--port N] [--geo <file.geojson>|none] [--web <dist folder>] [--quiet] [--trust-proxy] [--public-rate-limit <requests a minute per address>] [--memory-limit <DuckDB memory, e.g. 1GB>]',
      );
      process.exit(0);
    } else throw new StartupError(`Unknown argument: ${a}`);
  }
  if (!opts.dbPath) throw new StartupError('Missing --db <file.duckdb>');
  if (opts.port === undefined && process.env.PORT) {
    const p = Number(process.env.PORT);
    if (!Number.isInteger(p) || p < 0 || p > 65535) throw new StartupError(`PORT must be a port number`);
    opts.port = p;
  }
  return opts;
}

async function main(): Promise<void> {
  try {
    const s = await startServer(parseArgs(process.argv.slice(2)));
    console.log(`Shafaf serving on ${s.url} (API at ${s.url}/api, description at ${s.url}/api/openapi.json)`);
    const stop = () => void s.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (err) {
    console.error(err instanceof StartupError ? err.message : err);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
