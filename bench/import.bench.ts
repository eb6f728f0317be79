/**
 * Import throughput against DuckDB's own CSV reader (issue 10). Generates, once, a messy export of N cases
 * (default 10,000,000; `--cases N`) with offices, services and complaints into .tmp/bench-import/<N>: ISO and
 * Solar Hijri dates in several shapes and all three digit systems, Arabic ي/ك in names, ids in Persian digits,
 * status words in other cases, a quoted note column (commas, now and then a line break), and bad rows of every
 * contract-mode reject reason. Then, side by side in one run, each in its own process:
 *   - the import CLI (full validation, merge, facts) into a fresh database file;
 *   - DuckDB's bare `CREATE TABLE … AS SELECT * FROM read_csv(file, ignore_errors = true)` of the same four files
 *     (its own type sniffing; the malformed rows skipped, as it cannot read them otherwise).
 * Prints seconds, rows/s, the ratio, and each process's peak RSS (VmHWM, polled from /proc); then starts the
 * server (`api/serve.ts`) on the freshly imported database and times its first 200 from /api/health.
 * Asserts nothing.
 *   npm run bench:import [-- --cases 1000000] [--old <path to another checkout's api/import/cli.ts>]
 *
 * `--events N` (issue 11) measures an event log instead: N events (default cases N / 6) of cases loaded first,
 * in .tmp/bench-import/events-<N>: ISO minutes, Solar Hijri in Persian digits and ISO with milliseconds and an
 * offset (as XES writes), lifecycle and actor words, resource codes, and bad rows of every events reject reason.
 * The cases are imported once (timed apart); then the events file alone is imported onto them with the CLI, next
 * to DuckDB's bare read_csv of the same file, each in its own process.
 */
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gregorianToJalali } from '../api/lib/jalali.ts';
import { freePort } from '../test/free-port.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000000' },
    old: { type: 'string' },
    events: { type: 'string' },
  },
});
const N = Number(values.cases);
if (!Number.isInteger(N) || N < 1000) throw new Error('--cases must be a whole number ≥ 1000');
const CACHE = join(ROOT, '.tmp', 'bench-import', String(N));

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC = '٠١٢٣٤٥٦٧٨٩';
const digits = (s: string, set: string) => s.replace(/[0-9]/g, (d) => set[Number(d)]);
const pad = (x: number) => String(x).padStart(2, '0');

async function writeLines(path: string, header: string, n: number, line: (i: number) => string) {
  const tmp = `${path}.part`;
  const out = createWriteStream(tmp);
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
  renameSync(tmp, path);
}

const OFFICES = 120;
const SERVICES = 128;
const TEHRAN = 3.5 * 3_600_000;

/** One timestamp (UTC ms) in one of the shapes exports use. */
function dateText(ms: number, shape: number, digitSet: number): string {
  const local = new Date(ms + TEHRAN); // close enough to Tehran wall-clock for a generator
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + 1;
  const d = local.getUTCDate();
  const hh = pad(local.getUTCHours());
  const mm = pad(local.getUTCMinutes());
  let s: string;
  switch (shape) {
    case 0:
      s = `${y}-${pad(m)}-${pad(d)} ${hh}:${mm}`;
      break;
    case 1:
      s = `${y}-${pad(m)}-${pad(d)}T${hh}:${mm}:00`;
      break;
    case 2: {
      const [jy, jm, jd] = gregorianToJalali(y, m, d);
      s = `${jy}/${pad(jm)}/${pad(jd)} ${hh}:${mm}`;
      break;
    }
    case 3: {
      const [jy, jm, jd] = gregorianToJalali(y, m, d);
      s = `${jy}-${pad(jm)}-${pad(jd)}`;
      break;
    }
    default:
      s = `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
  }
  return digitSet === 1 ? digits(s, PERSIAN) : digitSet === 2 ? digits(s, ARABIC) : s;
}

async function generate(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const r = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  await writeLines(join(dir, 'offices.csv'), 'office_id,name,district,opened_on', OFFICES + 2, (i) => {
    if (i === OFFICES) return `O${i},دفتر بد,23,`; // bad_value: no district 23
    if (i === OFFICES + 1) return `,دفتر بی‌شناسه,4,`; // missing_required
    const name = i % 3 === 0 ? `"دفتر خدمات الكترونيك ${i}, شعبه"` : `دفتر خدمات الکترونیک ${i}`;
    return `O${i},${name},${i % 3 === 1 ? `منطقه ${digits(String((i % 22) + 1), PERSIAN)}` : (i % 22) + 1},${1395 + (i % 8)}/0${1 + (i % 9)}/1${i % 9}`;
  });
  await writeLines(join(dir, 'services.csv'), 'service_code,name,category,sla_days', SERVICES + 1, (i) =>
    i === SERVICES
      ? `S${i},خدمت بد,fees,soon` // bad_value: sla_days
      : `S${i},خدمت ${i} ${i % 2 ? 'ي' : 'ی'},${pick(['building_permit', 'inquiry', 'fees', 'transport'])},${5 + (i % 20)}`,
  );
  const start = Date.UTC(2021, 0, 1);
  const span = 4.5 * 365 * 86_400_000;
  const statuses = [
    'completed',
    'completed',
    'Completed',
    'completed',
    'rejected',
    'withdrawn',
    'open',
    'OPEN',
  ];
  const channels = ['online', 'in_person', 'In Person', ''];
  // every contract-mode reject reason of cases, spread through the file
  const bad = (i: number, row: string[]): void => {
    switch (i % 13) {
      case 0:
        row[1] = ''; // missing_required office_id
        break;
      case 1:
        row[3] = '1403/13/40'; // bad_date
        break;
      case 2:
        row[3] = '2024-02-30 10:00'; // bad_date
        break;
      case 3:
        row[3] = '2024-03-10 10:00';
        row[4] = '2024-03-01 10:00';
        row[5] = 'completed'; // closed_before_submitted
        break;
      case 4:
        row[1] = 'O9999'; // unknown_office
        break;
      case 5:
        row[2] = 'S9999'; // unknown_service
        break;
      case 6:
        row[5] = 'Closed'; // unknown_status
        break;
      case 7:
        row[6] = 'fax'; // bad_value channel
        break;
      case 8:
        row[0] = 'C0'; // duplicate_conflict with case 0
        break;
      case 9:
        row[5] = 'open';
        row[4] = '2024-01-02'; // status_closed_mismatch
        break;
      case 10:
        row.length = 4; // malformed_row
        break;
      case 11:
        row[3] = 'yesterday'; // bad_date (format)
        break;
      default:
        row[4] = ''; // status_closed_mismatch: completed without closed_at
        row[5] = 'completed';
    }
  };
  await writeLines(
    join(dir, 'cases.csv'),
    'case_id,office_id,service_code,submitted_at,closed_at,status,channel,note',
    N,
    (i) => {
      const sub = start + Math.floor(r() * span);
      const st = pick(statuses);
      const closed =
        st.toLowerCase() === 'open' || st === 'withdrawn' ? null : sub + Math.floor(r() * 40 * 86_400_000);
      const shape = Math.floor(r() * 5);
      const digitSet = r() < 0.6 ? 0 : r() < 0.5 ? 1 : 2;
      const id = i % 10 === 3 ? `C${digits(String(i), PERSIAN)}` : `C${i}`;
      const office = Math.floor(r() * OFFICES);
      const row = [
        id,
        i % 7 === 0 ? `O${digits(String(office), ARABIC)}` : `O${office}`,
        `S${Math.floor(r() * SERVICES)}`,
        dateText(sub, shape, digitSet),
        closed === null ? '' : dateText(closed, shape, digitSet),
        st,
        pick(channels),
        r() < 0.01 ? (r() < 0.001 ? '"line one\nline two"' : '"a note, with a comma"') : '',
      ];
      if (i > 0 && i % 100_003 === 0) bad(i / 100_003, row);
      return row.join(',');
    },
  );
  const complaints = Math.max(10, Math.floor(N / 50));
  await writeLines(
    join(dir, 'complaints.csv'),
    'complaint_id,office_id,case_id,received_at,category,source,substantiated',
    complaints,
    (i) => {
      const c = Math.floor(r() * N);
      const at = start + Math.floor(r() * span);
      const caseId = i % 997 === 1 ? 'C-none' : `C${c}`; // unknown_case now and then
      return `K${i},O${Math.floor(r() * OFFICES)},${caseId},${dateText(at, 0, 0)},${pick(['delay', 'bribe_request', 'other', 'misconduct'])},${pick(['137', '1888', 'office', 'online'])},${pick(['true', 'false', 'بله', ''])}`;
    },
  );
}

interface Run {
  seconds: number;
  peakMiB: number;
  stdout: string;
}

/** Runs a child process, polling its VmHWM (peak resident memory) from /proc while it runs. */
function run(args: string[], showStderr: boolean): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let stdout = '';
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch {
        // exited
      }
    }, 50);
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      if (showStderr) process.stderr.write(`    ${String(d).trimEnd().replace(/\n/g, '\n    ')}\n`);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited with ${code}\n${stdout}`));
      else resolvePromise({ seconds, peakMiB: peak / 1024, stdout });
    });
  });
}

const BARE = `
const { DuckDBInstance } = await import('@duckdb/node-api');
const [dir, db] = process.argv.slice(1);
const i = await DuckDBInstance.create(db, { threads: '2' });
const c = await i.connect();
for (const f of ['offices', 'services', 'cases', 'complaints'])
  await c.run('CREATE TABLE ' + f + ' AS SELECT * FROM read_csv($p, ignore_errors = true)', { p: dir + '/' + f + '.csv' });
c.closeSync(); i.closeSync();`;

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

const STAGES = [
  'file_open',
  'doc_check',
  'site_visit',
  'plan_instruction',
  'fee_payment',
  'review',
  'permit_issue',
];
const ACTOR_WORDS = ['office', 'municipality', 'Citizen', '', 'other'];

/** A case export of `cases` clean cases, and an events file of `n` events of them with every events reject reason. */
async function generateEvents(dir: string, n: number, cases: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const r = rng(11);
  await writeLines(
    join(dir, 'offices.csv'),
    'office_id,name,district',
    OFFICES,
    (i) => `O${i},دفتر ${i},${(i % 22) + 1}`,
  );
  await writeLines(join(dir, 'services.csv'), 'service_code,name', SERVICES, (i) => `S${i},خدمت ${i}`);
  const start = Date.UTC(2023, 0, 1);
  const span = 365 * 86_400_000;
  const subs = new Float64Array(cases);
  await writeLines(
    join(dir, 'cases.csv'),
    'case_id,office_id,service_code,submitted_at,status',
    cases,
    (i) => {
      subs[i] = start + Math.floor(r() * span);
      return `C${i},O${i % OFFICES},S${i % SERVICES},${new Date(subs[i]).toISOString()},open`;
    },
  );
  const perCase = n / cases;
  let caseNo = 0;
  let t = subs[0];
  let k = 0;
  await writeLines(
    join(dir, 'events.csv'),
    'case_id,stage,at,lifecycle,actor,resource,stage_name',
    n,
    (i) => {
      // move to the next case after about perCase events
      if (i >= (caseNo + 1) * perCase && caseNo < cases - 1) {
        caseNo++;
        t = subs[caseNo];
        k = 0;
      }
      t += 60_000 + Math.floor(r() * 3 * 86_400_000);
      const isStart = r() < 0.3;
      const shape = i % 3;
      const at =
        shape === 0
          ? dateText(t, 0, 0)
          : shape === 1
            ? dateText(t, 2, 1)
            : `${new Date(t + 3.5 * 3_600_000).toISOString().slice(0, 23)}+03:30`;
      const row = [
        `C${caseNo}`,
        STAGES[k++ % STAGES.length],
        at,
        isStart ? 'start' : r() < 0.5 ? 'complete' : '',
        ACTOR_WORDS[i % ACTOR_WORDS.length],
        `D${Math.floor(r() * 400)}`,
        '',
      ];
      if (i > 0 && i % 100_003 === 0) {
        switch ((i / 100_003) % 6) {
          case 0:
            row[0] = 'C-none'; // unknown_case
            break;
          case 1:
            row[2] = '1390-01-01 10:00'; // event_before_submitted
            break;
          case 2:
            row[3] = 'halfway'; // bad_value lifecycle
            break;
          case 3:
            row[4] = 'mayor'; // bad_value actor
            break;
          case 4:
            row[2] = '1402/13/40'; // bad_date
            break;
          default:
            row[1] = ''; // missing_required stage
        }
      }
      return row.join(',');
    },
  );
}

async function eventsBench(n: number): Promise<void> {
  if (!Number.isInteger(n) || n < 1000) throw new Error('--events must be a whole number ≥ 1000');
  const cases = Math.max(100, Math.floor(n / 6));
  const cache = join(ROOT, '.tmp', 'bench-import', `events-${n}`);
  const dir = join(cache, 'export');
  if (!existsSync(join(dir, 'events.csv'))) {
    console.log(`generating ${fmt(cases)} cases and ${fmt(n)} events in ${dir} (once) …`);
    const t0 = performance.now();
    await generateEvents(dir, n, cases);
    console.log(`  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const mib = statSync(join(dir, 'events.csv')).size / 2 ** 20;
  console.log(`events.csv: ${fmt(n)} events of ${fmt(cases)} cases, ${mib.toFixed(0)} MiB`);
  const work = join(cache, 'work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const db = join(work, 'events.duckdb');
  const base = ['offices', 'services', 'cases'].map((f) => join(dir, `${f}.csv`));
  console.log('the cases first (not part of the comparison) …');
  const pre = await run(['--import', 'tsx', 'api/import/cli.ts', ...base, '--db', db, '--json'], false);
  console.log(`  ${pre.seconds.toFixed(1)} s`);

  console.log('DuckDB bare read_csv of events.csv into a fresh database …');
  const bareEv = await run(
    [
      '--input-type=module',
      '-e',
      `const { DuckDBInstance } = await import('@duckdb/node-api');
       const i = await DuckDBInstance.create(process.argv[2], { threads: '2' }); const c = await i.connect();
       await c.run('CREATE TABLE events AS SELECT * FROM read_csv($p, ignore_errors = true)', { p: process.argv[1] });
       c.closeSync(); i.closeSync();`,
      join(dir, 'events.csv'),
      join(work, 'bare.duckdb'),
    ],
    true,
  );
  console.log(`  ${bareEv.seconds.toFixed(1)} s, peak RSS ${fmt(bareEv.peakMiB)} MiB`);

  console.log('this importer: events.csv with full validation and the merge onto the cases …');
  const r = await run(
    ['--import', 'tsx', 'api/import/cli.ts', join(dir, 'events.csv'), '--db', db, '--json'],
    true,
  );
  const report = JSON.parse(r.stdout) as {
    elapsed_ms: number;
    files: {
      rows_read: number;
      inserted: number;
      rejected: number;
      reasons: { reason: string; count: number }[];
    }[];
  };
  const f = report.files[0];
  console.log(
    `  ${r.seconds.toFixed(1)} s for ${fmt(f.rows_read)} events (${fmt(f.inserted)} loaded, ${fmt(f.rejected)} rejected: ` +
      `${f.reasons.map((x) => `${x.reason} ${x.count}`).join(', ')}) → ${fmt(f.rows_read / r.seconds)} rows/s, ` +
      `peak RSS ${fmt(r.peakMiB)} MiB`,
  );
  console.log('');
  console.log(`events import / bare read_csv: ${(r.seconds / bareEv.seconds).toFixed(2)}×`);
  rmSync(work, { recursive: true, force: true });
}

if (values.events !== undefined) {
  await eventsBench(Number(values.events));
  process.exit(0);
}

const dir = join(CACHE, 'export');
if (!existsSync(join(dir, 'complaints.csv'))) {
  console.log(`generating a messy export of ${fmt(N)} cases in ${dir} (once) …`);
  const t0 = performance.now();
  await generate(dir);
  console.log(`  ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
const mib = ['offices', 'services', 'cases', 'complaints']
  .map((f) => statSync(join(dir, `${f}.csv`)).size)
  .reduce((a, b) => a + b, 0);
console.log(`export: ${fmt(N)} cases, ${(mib / 2 ** 20).toFixed(0)} MiB of CSV`);

const work = join(CACHE, 'work');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

console.log('DuckDB bare read_csv of the four files into a fresh database …');
const bare = await run(['--input-type=module', '-e', BARE, dir, join(work, 'bare.duckdb')], true);
console.log(`  ${bare.seconds.toFixed(1)} s, peak RSS ${fmt(bare.peakMiB)} MiB`);

const cliRuns: [string, string][] = [['this importer', 'api/import/cli.ts']];
if (values.old) cliRuns.push(['other importer (--old)', resolve(values.old)]);
const results: { label: string; r: Run; rows: number }[] = [];
for (const [label, cli] of cliRuns) {
  console.log(`${label}: import with full validation into a fresh database …`);
  const r = await run(
    ['--import', 'tsx', cli, dir, '--db', join(work, `${results.length}.duckdb`), '--json'],
    true,
  );
  const report = JSON.parse(r.stdout) as {
    totals: { rows_read: number; inserted: number; rejected: number };
  };
  const t = report.totals;
  console.log(
    `  ${r.seconds.toFixed(1)} s for ${fmt(t.rows_read)} rows (${fmt(t.inserted)} loaded, ${fmt(t.rejected)} rejected) → ` +
      `${fmt(t.rows_read / r.seconds)} rows/s, peak RSS ${fmt(r.peakMiB)} MiB`,
  );
  results.push({ label, r, rows: t.rows_read });
}
/** Seconds from spawning the server on `db` to its first 200 from /api/health. */
async function firstHealth(db: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'api/serve.ts', '--db', db, '--port', String(port), '--quiet'],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
  try {
    while (true) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return (performance.now() - t0) / 1000;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

// the same rows stored and rejected by both importers, to the byte
const SAME = `
const { DuckDBInstance, quotedString } = await import('@duckdb/node-api');
const i = await DuckDBInstance.create(':memory:');
const c = await i.connect();
await c.run('ATTACH ' + quotedString(process.argv[1]) + ' AS a (READ_ONLY)');
await c.run('ATTACH ' + quotedString(process.argv[2]) + ' AS b (READ_ONLY)');
const q = {
  cases: 'SELECT * FROM %.cases', complaints: 'SELECT * FROM %.complaints',
  offices: 'SELECT office_id, name, district, opened_on, status FROM %.offices', services: 'SELECT * FROM %.services',
  rejects: 'SELECT file, line, column_name, raw_value, reason, detail FROM %.rejects', dataset: 'SELECT as_of FROM %.dataset' };
const out = [];
for (const [t, sql] of Object.entries(q)) {
  const r = await c.runAndReadAll('SELECT (SELECT count(*) FROM (' + sql.replace('%', 'a') + ' EXCEPT ALL ' + sql.replace('%', 'b') +
    '))::INTEGER + (SELECT count(*) FROM (' + sql.replace('%', 'b') + ' EXCEPT ALL ' + sql.replace('%', 'a') + '))::INTEGER AS d');
  out.push(t + ' ' + (r.getRowObjectsJson()[0].d === 0 ? 'identical' : r.getRowObjectsJson()[0].d + ' rows differ'));
}
console.log(out.join(', '));`;
if (results.length > 1) {
  const same = await run(
    ['--input-type=module', '-e', SAME, join(work, '0.duckdb'), join(work, '1.duckdb')],
    true,
  );
  console.log(`stored data, this importer vs the other: ${same.stdout.trim()}`);
}

console.log('server start on the freshly imported database → first 200 from /api/health …');
console.log(`  ${(await firstHealth(join(work, '0.duckdb'))).toFixed(1)} s (goal ≤ 10 s)`);

console.log('');
for (const { label, r } of results) {
  console.log(
    `${label} / bare read_csv: ${(r.seconds / bare.seconds).toFixed(2)}× (goal ≤ 2×), peak RSS ${fmt(r.peakMiB)} MiB (goal < 2,048)`,
  );
}
rmSync(work, { recursive: true, force: true });
