/**
 * Browser-test harness: the real server (spawned as a child process on a free port, on a real DuckDB file) and
 * Debian's chromium driven by playwright-core. Never downloads a browser.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, chromiumMissing, launchChromium } from '../../api/report/chromium.ts';
import { freePort } from '../free-port.ts';

export { CHROMIUM, chromiumMissing, launchChromium };

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts');

/** Builds the dashboard into a temp folder (so the suite never depends on a stale dist/). */
export function buildWeb(outDir: string): void {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', outDir, '--emptyOutDir'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The real server as a child process. `geo`: a boundary file, or 'none' for the tile map (the default:
 * the suite's pass or fail never depends on whether ../shared holds the boundaries).
 * Resolves once the server prints its "serving on" line (it has bound the port by then).
 */
export async function startServerProcess(opts: {
  dbPath: string;
  webRoot: string;
  geo?: string | 'none';
}): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'api', 'serve.ts'),
      '--db',
      opts.dbPath,
      '--port',
      String(port),
      '--web',
      opts.webRoot,
      '--geo',
      opts.geo ?? 'none',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: String(port) } },
  );
  let log = '';
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      log += d;
      if (log.includes('serving on')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before "serving on":\n${log}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function artifactsDir(): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return ARTIFACTS;
}
