/**
 * `npm run bench:report [-- --db <full.duckdb>] [--iterations N] [--pdf]`: the monthly report and the
 * Excel downloads on the full demo city (copy /work/bench-data/full-main.duckdb, or one is generated).
 * In process, no sign-in (the access layer is not what is measured):
 * - GET /api/report for the default month: the first answer (facts already built), then recomputed with
 *   the data cache emptied before each request (p50), then from the cache (p50);
 * - ?format=xlsx against the same JSON answer from the cache, side by side in the same run (p50 each and
 *   the ratio): what the conversion and the audit write add per download;
 * - with --pdf, `npm run report`'s whole run (server start, chromium, page.pdf) on the same file.
 * Numbers are printed, never asserted.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createApp } from '../api/app.ts';
import { DataCache } from '../api/cache.ts';
import { Db } from '../api/db.ts';
import { writeReport } from '../api/report/cli.ts';
import { generateDemo } from '../data/demo/generate.ts';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const dbPath = arg('db', '/tmp/shafaf-bench/full.duckdb');
const iterations = Number(arg('iterations', '5'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f0 = (x: number) => x.toFixed(0);

async function main(): Promise<void> {
  if (!existsSync(dbPath)) {
    console.log(`Generating the full demo city into ${dbPath} (a few minutes)…`);
    await mkdir(dirname(dbPath), { recursive: true });
    await generateDemo({ dbPath, size: 'full', seed: 1 });
  }
  const db = await Db.open(dbPath);
  const cache = new DataCache(db);
  let t0 = performance.now();
  await cache.signature();
  console.log(`facts checked/built in ${f0(performance.now() - t0)} ms`);
  const app = createApp({ db, cache, auth: false, webRoot: null, geoPath: null, log: () => {} });
  const timed = async (url: string) => {
    const t = performance.now();
    const res = await app.request(url);
    const body = await res.arrayBuffer();
    if (res.status !== 200)
      throw new Error(`${url}: ${res.status} ${Buffer.from(body).toString().slice(0, 300)}`);
    return { ms: performance.now() - t, bytes: body.byteLength };
  };

  const first = await timed('/api/report');
  const recomputed: number[] = [];
  for (let i = 0; i < iterations; i++) {
    cache.clear();
    recomputed.push((await timed('/api/report')).ms);
  }
  const cached: number[] = [];
  for (let i = 0; i < iterations * 10; i++) cached.push((await timed('/api/report')).ms);
  console.log(
    `GET /api/report (default month): first ${f0(first.ms)} ms, recomputed p50 ${f0(median(recomputed))} ms, ` +
      `cached p50 ${median(cached).toFixed(2)} ms, ${(first.bytes / 1024).toFixed(0)} KB`,
  );

  console.log('format=xlsx against the same cached JSON answer (p50 of', iterations * 4, 'each, same run):');
  for (const url of [
    '/api/processing?by=district',
    '/api/outliers',
    '/api/offices',
    '/api/cases?page_size=500',
    '/api/trends?metric=complaints&by=district&calendar=jalali',
  ]) {
    await timed(url); // answer cached
    const json: number[] = [];
    const xlsx: number[] = [];
    let size = 0;
    for (let i = 0; i < iterations * 4; i++) {
      json.push((await timed(url)).ms);
      const x = await timed(`${url}${url.includes('?') ? '&' : '?'}format=xlsx`);
      xlsx.push(x.ms);
      size = x.bytes;
    }
    console.log(
      `  ${url.padEnd(58)} json ${median(json).toFixed(1).padStart(7)} ms   xlsx ${median(xlsx).toFixed(1).padStart(7)} ms` +
        `   ×${(median(xlsx) / median(json)).toFixed(0).padStart(4)}   ${(size / 1024).toFixed(0)} KB`,
    );
  }
  db.close();

  if (process.argv.includes('--pdf')) {
    t0 = performance.now();
    const out = join(tmpdir(), `shafaf-bench-report-${process.pid}.pdf`);
    const r = await writeReport({ dbPath, out, districts: null, lang: 'fa' }, () => {});
    console.log(
      `npm run report (whole run, full city): ${f0(performance.now() - t0)} ms, ${r.pages} pages → ${out}`,
    );
  }
}

await main();
