/**
 * Import throughput: generates a contract export (default 1,000,000 cases; `--rows N`), imports it into a fresh
 * file database, re-imports it (all unchanged), and times DuckDB's own read_csv of the same cases file as the
 * yardstick. Prints numbers; asserts nothing.   npm run bench:import [-- --rows 5000000]
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Db } from '../api/db.ts';
import { importFiles } from '../api/import/index.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } });
const N = Number(values.rows);
const dir = mkdtempSync(join(tmpdir(), 'shafaf-bench-'));

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function writeLines(path: string, header: string, n: number, line: (i: number) => string) {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += `${line(i)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((r) => out.end(r));
}

const pad = (x: number) => String(x).padStart(2, '0');

async function generate() {
  const r = rng(42);
  await writeLines(
    join(dir, 'offices.csv'),
    'office_id,name,district',
    120,
    (i) => `O${i},دفتر ${i},${(i % 22) + 1}`,
  );
  await writeLines(
    join(dir, 'services.csv'),
    'service_code,name,category,sla_days',
    128,
    (i) => `S${i},خدمت ${i},inquiry,${5 + (i % 20)}`,
  );
  const start = Date.UTC(2021, 0, 1);
  const statuses = ['completed', 'completed', 'completed', 'rejected', 'withdrawn', 'open'];
  await writeLines(
    join(dir, 'cases.csv'),
    'case_id,office_id,service_code,submitted_at,closed_at,status,channel',
    N,
    (i) => {
      const sub = new Date(start + Math.floor(r() * 3 * 365 * 86_400_000));
      const st = statuses[Math.floor(r() * statuses.length)];
      const fmt = (d: Date) =>
        `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
      const closed =
        st === 'open' || st === 'withdrawn' ? '' : fmt(new Date(sub.getTime() + r() * 40 * 86_400_000));
      return `C${i},O${Math.floor(r() * 120)},S${Math.floor(r() * 128)},${fmt(sub)},${closed},${st},${r() < 0.5 ? 'online' : 'in_person'}`;
    },
  );
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  const s = (performance.now() - t0) / 1000;
  console.log(`${label}: ${s.toFixed(2)} s`);
  return [out, s];
}

try {
  console.log(`generating ${N.toLocaleString('en-US')} cases in ${dir} …`);
  await generate();
  const mb = statSync(join(dir, 'cases.csv')).size / 2 ** 20;
  console.log(`cases.csv: ${mb.toFixed(0)} MiB`);

  const db = await Db.open(join(dir, 'bench.duckdb'));
  const [first, s1] = await timed('import (fresh database)', () => importFiles(db, [dir], { source: 'cli' }));
  console.log(
    `  ${first.totals.inserted.toLocaleString('en-US')} rows loaded, ${first.totals.rejected} rejected → ` +
      `${Math.round(first.totals.rows_read / s1).toLocaleString('en-US')} rows/s`,
  );
  const [again, s2] = await timed('re-import (all unchanged)', () =>
    importFiles(db, [dir], { source: 'cli' }),
  );
  console.log(
    `  ${again.totals.unchanged.toLocaleString('en-US')} unchanged → ${Math.round(again.totals.rows_read / s2).toLocaleString('en-US')} rows/s`,
  );
  const csv = join(dir, 'cases.csv');
  const [, s3] = await timed('DuckDB read_csv of cases.csv into a table', () =>
    db.run('CREATE TABLE plain AS SELECT * FROM read_csv($csv)', { csv }),
  );
  db.close();
  console.log(`ratio import / read_csv: ${(s1 / s3).toFixed(1)}×`);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
