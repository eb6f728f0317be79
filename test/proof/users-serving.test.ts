/**
 * Issue 15 through the real entry points, as child processes: a server started on real data that still
 * has a demo account with its public password says so; it removes the staging folder that a SIGKILLed
 * import left behind (and no other); and while it holds the database the users CLI refuses clearly,
 * naming the Users page, and the server keeps answering.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addUser } from '../../api/auth/users.ts';
import { Db } from '../../api/db.ts';
import { freePort } from '../free-port.ts';
import {
  type Child,
  cleanup,
  copyDb,
  fingerprintFile,
  runTs,
  STACK_LINE,
  seededDbFile,
  tempDir,
} from './helpers.ts';

afterAll(cleanup);

/** Resolves when `test` matches the child's output; rejects if it exits first (no time window). */
function shows(c: Child, test: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (test.test(c.out() + c.err())) resolve();
    };
    check();
    c.child.stdout?.on('data', check);
    c.child.stderr?.on('data', check);
    c.exited.then(({ code, signal }) => {
      if (!test.test(c.out() + c.err()))
        reject(new Error(`exited (${code ?? signal}) before ${what}:\n${c.out()}${c.err()}`));
    });
  });
}

describe('a server on real data', () => {
  it('warns about demo passwords, removes a killed import’s staging folder, and makes the users CLI refuse clearly', async () => {
    const dir = tempDir();
    const db = copyDb(await seededDbFile(dir), join(dir, 'real.duckdb'));
    // Real data (an ordinary import) with the demo admin still on its README password.
    const seeded = await Db.open(db);
    try {
      await addUser(seeded, { username: 'admin', password: 'admin-demo', role: 'admin' });
      await addUser(seeded, { username: 'manager', password: 'changed-since-the-demo', role: 'manager' });
    } finally {
      seeded.close();
    }

    // An import killed while reading leaves its staging folder (named with its pid) under TMPDIR.
    const tmp = tempDir('shafaf-users-tmp-');
    const export_ = join(dir, 'seed-export');
    const killed = runTs('api/import/cli.ts', [export_, '--db', db], {
      TMPDIR: tmp,
      SHAFAF_TEST_PAUSE_AT: 'reading',
    });
    await shows(killed, /import paused at reading/, 'the import to pause');
    killed.child.kill('SIGKILL');
    await killed.exited;
    const left = readdirSync(tmp).filter((f) => f.startsWith('shafaf-import-'));
    expect(left).toEqual([expect.stringMatching(new RegExp(`^shafaf-import-${killed.child.pid}-`))]);
    // A folder of a process that still runs (this one) must survive the clean-up.
    const running = `shafaf-import-${process.pid}-Keep01`;
    mkdirSync(join(tmp, running));

    const before = await fingerprintFile(db);
    const port = await freePort();
    const server = runTs('api/serve.ts', ['--db', db, '--port', String(port), '--quiet', '--geo', 'none'], {
      TMPDIR: tmp,
    });
    try {
      await shows(server, /serving on/, 'the server to say it is serving');
      const err = server.err();
      expect(err).toMatch(
        /WARNING: .*real\.duckdb holds real data, but the demo account\(s\) admin still sign in/,
      );
      expect(err).not.toMatch(/account\(s\) admin, manager/);
      expect(err).toMatch(/Removed 1 staging folder\(s\) left by killed imports/);
      expect(existsSync(join(tmp, left[0]))).toBe(false);
      expect(existsSync(join(tmp, running))).toBe(true);

      for (const args of [
        ['list', '--db', db],
        ['add', 'rezaei', '--role', 'manager', '--password', 'a-good-passphrase', '--db', db],
        ['remove', 'manager', '--db', db],
      ]) {
        const cli = runTs('api/users/cli.ts', args);
        const { code } = await cli.exited;
        expect(code, args[0]).toBe(1);
        expect(cli.err(), args[0]).toContain(`The database ${db} is in use by another process (the server?)`);
        expect(cli.err(), args[0]).toMatch(/Users page/);
        expect(cli.err(), args[0]).not.toMatch(STACK_LINE);
      }
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    expect(await fingerprintFile(db)).toEqual(before);

    // With the server stopped the CLI works again on the same file.
    const list = runTs('api/users/cli.ts', ['list', '--db', db]);
    expect((await list.exited).code).toBe(0);
    expect(list.out()).toMatch(/^admin\tadmin/m);
  }, 90_000);
});
