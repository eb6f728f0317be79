/**
 * Faults (issue 4, "Proof"): an import killed with SIGKILL leaves the previous data usable and the next import
 * succeeds; a missing or damaged database file stops the server at start-up with a clear message (exit 1, no
 * stack trace); an import through the CLI while the server holds the file is refused with a clear message.
 * All through the real entry points, as child processes.
 */
import { existsSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../api/db.ts';
import { freePort } from '../free-port.ts';
import {
  type Child,
  cleanup,
  copyDb,
  fingerprintFile,
  runTs,
  SMALL_EXPORT,
  STACK_LINE,
  seededDbFile,
  tempDir,
  writeExport,
} from './helpers.ts';

const CLI = 'api/import/cli.ts';
const SERVE = 'api/serve.ts';
const BIG_ROWS = 30_000;
const BIG = BIG_ROWS.toLocaleString('en-US');

let dir: string;
let seed: string;

beforeAll(async () => {
  dir = tempDir();
  seed = await seededDbFile(dir);
});
afterAll(cleanup);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `p`, or a failure naming what was awaited after a generous `ms` (for a process that might hang). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

function stdoutShows(c: Child, test: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (test.test(c.out())) resolve();
    };
    check();
    c.child.stdout?.on('data', check);
    c.exited.then(({ code, signal }) => {
      if (!test.test(c.out())) reject(new Error(`exited (${code ?? signal}) before ${what}:\n${c.err()}`));
    });
  });
}

/**
 * Resolves when `test` matches the child's stderr; rejects, saying what was awaited, if the child
 * exits first. No time window: the test's own timeout is the only limit.
 */
function stderrShows(c: Child, test: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!test.test(c.err())) return false;
      c.child.stderr?.off('data', check);
      resolve();
      return true;
    };
    if (check()) return;
    c.child.stderr?.on('data', check);
    c.exited.then(({ code, signal }) => {
      if (!test.test(c.err()))
        reject(new Error(`the import exited (${code ?? signal}) before ${what}:\n${c.err()}`));
    });
  });
}

function bigCasesCsv(path: string): void {
  const lines = ['case_id,office_id,service_code,submitted_at,closed_at,status,channel'];
  for (let i = 0; i < BIG_ROWS; i++) {
    const day = new Date(Date.UTC(2022, 0, 1) + (i % 600) * 86_400_000).toISOString().slice(0, 10);
    lines.push(
      i % 3 === 0
        ? `B${i},O${1 + (i % 2)},S${1 + (i % 2)},${day} 09:30,,open,online`
        : `B${i},O${1 + (i % 2)},S${1 + (i % 2)},${day} 09:30,${day} 15:00,completed,in_person`,
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function casesCount(path: string): Promise<number> {
  const db = await Db.open(path);
  try {
    return (await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM cases'))?.n ?? -1;
  } finally {
    db.close();
  }
}

describe('an import killed with SIGKILL', () => {
  it('leaves the previous data intact and usable, and the next import succeeds', async () => {
    const db = copyDb(seed, join(dir, 'killed.duckdb'));
    const csv = join(dir, 'cases.csv');
    bigCasesCsv(csv);
    const before = await fingerprintFile(db);
    const seedCases = await casesCount(db);
    // the import's staging files go under TMPDIR: kept inside the test folder so a kill leaves nothing behind
    const tmp = tempDir('shafaf-proof-tmp-');

    // 1) while the file is being read, 2) with everything loaded and merged but not committed: the
    // importer pauses at that point (SHAFAF_TEST_PAUSE_AT, api/import/pause.ts) and is killed there
    const killPoints = ['reading', 'before-commit'] as const;
    for (const when of killPoints) {
      const c = runTs(CLI, [csv, '--db', db], { TMPDIR: tmp, SHAFAF_TEST_PAUSE_AT: when });
      await stderrShows(c, new RegExp(`import paused at ${when}`), `pausing at ${when}`);
      expect(c.child.exitCode, `${when}: the import finished before the kill`).toBeNull();
      c.child.kill('SIGKILL');
      expect(await c.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect(c.out(), when).not.toMatch(/Import finished/);
      expect(await fingerprintFile(db), when).toEqual(before);
      expect(await casesCount(db), when).toBe(seedCases);
    }
    // the staging folders of the killed runs are left behind (the process had no chance to clean up)
    const leftovers = readdirSync(tmp).filter((f) => f.startsWith('shafaf-import-'));
    expect(leftovers.length).toBeLessThanOrEqual(killPoints.length);

    const next = runTs(CLI, [csv, '--db', db], { TMPDIR: tmp });
    const done = await next.exited;
    expect(done.code, next.err()).toBe(0);
    expect(next.out()).toMatch(/Import finished/);
    expect(next.out()).toContain(`read ${BIG}  loaded ${BIG}`);
    expect(await casesCount(db)).toBe(seedCases + BIG_ROWS);
  }, 90_000);
});

describe('a missing or damaged database at start-up', () => {
  const cases: [string, (path: string) => void][] = [
    ['missing', () => {}],
    ['empty (0 bytes)', (p) => writeFileSync(p, '')],
    [
      'random bytes',
      (p) => writeFileSync(p, Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919 + 13) % 251))),
    ],
    [
      'cut to its first 4 KB',
      (p) => {
        copyDb(seed, p);
        truncateSync(p, 4096);
      },
    ],
    [
      'cut to a third',
      (p) => {
        copyDb(seed, p);
        truncateSync(p, Math.floor(statSync(p).size / 3));
      },
    ],
  ];

  it('exits with code 1 and a message naming the file and what to do, no stack trace', async () => {
    const runs = await Promise.all(
      cases.map(async ([name, make], i) => {
        const path = join(dir, `startup-${i}.duckdb`);
        make(path);
        const started = Date.now();
        const c = runTs(SERVE, ['--db', path, '--port', String(await freePort()), '--quiet']);
        const exit = await within(c.exited, 45_000, `${name}: the server to exit`).catch((err) => {
          c.child.kill('SIGKILL');
          throw err;
        });
        return { name, path, exit, c, seconds: (Date.now() - started) / 1000 };
      }),
    );
    for (const { name, path, exit, c } of runs) {
      expect(exit, `${name}\n${c.out()}${c.err()}`).toEqual({
        code: 1,
        signal: null,
      });
      const err = c.err();
      expect(err, name).toContain(path);
      expect(err, name).toMatch(/npm run (demo|import)/);
      expect(err, name).not.toMatch(STACK_LINE);
      expect(c.out(), name).not.toMatch(/serving on/);
    }
    // a missing file is not created by the failed start
    expect(existsSync(runs[0].path)).toBe(false);
  }, 60_000);
});

describe('the import CLI while the server holds the database', () => {
  it('is refused with a clear message, the server keeps answering, and the data stays as it was', async () => {
    const db = copyDb(seed, join(dir, 'served.duckdb'));
    const before = await fingerprintFile(db);
    const port = await freePort();
    const server = runTs(SERVE, ['--db', db, '--port', String(port), '--quiet']);
    const url = `http://127.0.0.1:${port}/api/health`;
    try {
      await stdoutShows(server, /serving on/, 'the server to say it is serving');
      expect((await fetch(url)).status, server.err()).toBeLessThan(500);

      const newer = writeExport(join(dir, 'newer'), {
        ...SMALL_EXPORT,
        'cases.csv': `${SMALL_EXPORT['cases.csv']}C9,O1,S1,2023-04-01,,open,online\n`,
      });
      const imp = runTs(CLI, [newer, '--db', db]);
      const { code } = await imp.exited;
      expect(code).toBe(1);
      expect(imp.err()).toContain(
        'database is in use by another process (the server?) — stop it or upload through the dashboard',
      );
      expect(imp.err()).toContain(db);
      expect(imp.err()).not.toMatch(STACK_LINE);
      expect(imp.out()).not.toMatch(/Import finished/);
      expect((await fetch(url)).status).toBeLessThan(500);
    } finally {
      server.child.kill('SIGTERM');
      await Promise.race([server.exited, sleep(5000).then(() => server.child.kill('SIGKILL'))]);
    }
    expect(await fingerprintFile(db)).toEqual(before);
  }, 60_000);
});
