/**
 * `npm run bench:web`: time from navigation to the overview's charts drawn, in Debian's chromium, against the
 * real server on the full demo city. Prints cold (first load after the server starts) and warm (reloads) times.
 * Usage: npm run bench:web -- [--db /tmp/shafaf-bench/full.duckdb] [--runs 5]
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { ensureDemoUsers } from '../api/auth/demo-users.ts';
import { Db } from '../api/db.ts';
import { generateDemo } from '../data/demo/generate.ts';
import {
  buildWeb,
  chromiumMissing,
  launchChromium,
  startServerProcess,
  tempDir,
} from '../test/e2e/harness.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const dbPath = arg('--db', '/tmp/shafaf-bench/full.duckdb');
const runs = Number(arg('--runs', '5'));

const missing = chromiumMissing();
if (missing) {
  console.error(missing);
  process.exit(1);
}
if (!existsSync(dbPath)) {
  mkdirSync(dirname(dbPath), { recursive: true });
  console.error(`Generating the full demo city into ${dbPath}…`);
  await generateDemo({ dbPath, size: 'full', seed: 1 });
}
const db = await Db.open(dbPath);
await ensureDemoUsers(db);
const cases = await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM cases');
db.close();

const tmp = tempDir('shafaf-webbench-');
const webRoot = join(tmp.path, 'dist');
buildWeb(webRoot);
const server = await startServerProcess({ dbPath, webRoot });
const browser = await launchChromium();

async function login(page: Page) {
  const res = await page.request.post(`${server.url}/api/auth/login`, {
    data: { username: 'commissioner', password: 'commissioner-demo' },
  });
  if (res.status() === 404) return; // a build without sign-in
  if (!res.ok()) throw new Error(`login failed: ${res.status()}`);
}

/** Navigation start to: no skeletons left and the map and both trend charts painted on canvas. */
async function timeOverview(page: Page): Promise<number> {
  const t0 = Date.now();
  await page.goto(`${server.url}/`);
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-testid="skeleton"]').length === 0 &&
      document.querySelectorAll('[data-testid="view-overview"] canvas').length >= 3,
    null,
    { timeout: 120_000, polling: 'raf' },
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  return Date.now() - t0;
}

try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await login(page);
  const cold = await timeOverview(page);
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push(await timeOverview(page));
  warm.sort((a, b) => a - b);
  console.log(`overview on ${cases?.n.toLocaleString('en')} cases, chromium headless, 1400×1000`);
  console.log(`  cold (first load after server start): ${cold} ms`);
  console.log(
    `  warm (${runs} reloads): median ${warm[Math.floor(runs / 2)]} ms, min ${warm[0]} ms, max ${warm[runs - 1]} ms`,
  );
} finally {
  await browser.close();
  await server.stop();
  tmp.remove();
}
