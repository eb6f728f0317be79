/**
 * Shared set-up for the proof tests: temp folders, a tiny valid export, table fingerprints, child
 * processes of the real CLIs, and an in-process app that signs in when the API requires it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../api/app.ts';
import { addUser } from '../../api/auth/users.ts';
import { Db } from '../../api/db.ts';
import { importFiles } from '../../api/import/index.ts';

// Tests only: scrypt at N=2^10 instead of 2^15 (honoured only under a test runner).
process.env.SHAFAF_SCRYPT_LOG_N = '10';

export const ROOT = join(import.meta.dirname, '..', '..');

const made: string[] = [];

export function tempDir(prefix = 'shafaf-proof-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function cleanup(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/**
 * A tiny valid export: two offices in districts 1 and 7, two services, closed, open and withdrawn
 * cases in Gregorian and Jalali dates, and two complaints.
 */
export const SMALL_EXPORT: Record<string, string> = {
  'offices.csv': 'office_id,name,district\nO1,دفتر یک,1\nO2,دفتر دو,7\n',
  'services.csv':
    'service_code,name,category,sla_days\nS1,صدور پروانه ساختمانی,building_permit,15\nS2,استعلام بانکی,inquiry,5\n',
  'cases.csv': [
    'case_id,office_id,service_code,submitted_at,closed_at,status,channel',
    'C1,O1,S1,2023-01-01 09:00,2023-01-05 10:00,completed,in_person',
    'C2,O1,S2,2023-01-02,2023-01-12,rejected,online',
    'C3,O2,S1,1401/11/15 08:30,,open,in_person',
    'C4,O2,S2,۱۴۰۱/۱۱/۲۰,,withdrawn,online',
    'C5,O2,S1,2023-02-01T10:00:00+03:30,2023-03-01T10:00:00+03:30,completed,online',
    '',
  ].join('\n'),
  'complaints.csv': [
    'complaint_id,office_id,case_id,received_at,category,source',
    'K1,O1,C1,2023-01-06,delay,137',
    'K2,O2,,2023-02-10,bribe_request,1888',
    '',
  ].join('\n'),
};

export function writeExport(dir: string, files: Record<string, string | Buffer>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** A closed database file holding SMALL_EXPORT; copy it for each run instead of importing again. */
export async function seededDbFile(dir: string): Promise<string> {
  const path = join(dir, 'seed.duckdb');
  const db = await Db.open(path);
  try {
    const r = await importFiles(db, [writeExport(join(dir, 'seed-export'), SMALL_EXPORT)]);
    if (r.status !== 'ok' || r.totals.rejected !== 0) throw new Error(`seed import failed: ${r.message}`);
  } finally {
    db.close();
  }
  return path;
}

export function copyDb(seed: string, to: string): string {
  copyFileSync(seed, to);
  return to;
}

export const DATA_TABLES = [
  'dataset',
  'districts',
  'offices',
  'services',
  'cases',
  'complaints',
  'rejects',
  'events',
  'stages',
];

/** Row count and a hash of every row (sorted) per data table: equal fingerprints = identical contents. */
export async function fingerprint(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of DATA_TABLES) {
    const r = await db.one<{ n: number; h: string }>(
      `SELECT count(*)::INTEGER AS n, md5(coalesce(string_agg(x::VARCHAR, '|' ORDER BY x::VARCHAR), '')) AS h FROM ${t} x`,
    );
    out[t] = `${r?.n}:${r?.h}`;
  }
  return out;
}

export async function fingerprintFile(path: string): Promise<Record<string, string>> {
  const db = await Db.open(path);
  try {
    return await fingerprint(db);
  } finally {
    db.close();
  }
}

export interface Child {
  child: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a repository TypeScript entry point the way `npm run` does (node + tsx), without a shell. */
export function runTs(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, out: () => out, err: () => err, exited };
}

/** A stack trace line ("    at fn (file:line:col)"): must never reach a user. */
export const STACK_LINE = /^\s+at .+[:(]/m;

export interface TestClient {
  get(path: string): Promise<Response>;
  /** Whether the app asked for a sign-in (and so the client signed in). */
  signedIn: boolean;
  routes: { method: string; path: string }[];
}

const ORIGIN = 'http://shafaf.test';

/**
 * The real app in process on `db`. If the API answers 401, a user of `role` is added and signed in
 * through POST /api/auth/login, and every later request carries the session cookie. The default,
 * admin, may call every GET route in the route policy.
 */
export async function clientFor(db: Db, role = 'admin'): Promise<TestClient> {
  const app = createApp({ db, geoPath: null, webRoot: null });
  let cookie = '';
  const get = (path: string) =>
    Promise.resolve(app.request(`${ORIGIN}${path}`, { headers: cookie ? { cookie } : {} }));
  let signedIn = false;
  if ((await get('/api/meta')).status === 401) {
    const username = `proof-${role}`;
    const password = `${username}-password`;
    await addUser(db, { username, password, role });
    const res = await app.request(`${ORIGIN}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    signedIn = true;
    const check = await get('/api/meta');
    if (check.status !== 200) throw new Error(`signed in but /api/meta answers ${check.status}`);
  }
  return { get, signedIn, routes: app.routes.map((r) => ({ method: r.method, path: r.path })) };
}
