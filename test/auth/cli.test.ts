import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoUsers } from '../../api/auth/demo-users.ts';
import { verifyPassword } from '../../api/auth/password.ts';
import { findUserWithHash, listUsers } from '../../api/auth/users.ts';
import { Db } from '../../api/db.ts';
import { run } from '../../api/users/cli.ts';
import './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'shafaf-users-'));
const dbPath = join(dir, 'users.duckdb');

async function runIn(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function users(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'api/users/cli.ts', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, SHAFAF_SCRYPT_LOG_N: '10' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('users CLI', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds, lists and removes users, with clear refusals and exit codes', { timeout: 60_000 }, async () => {
    const added = users(
      [
        'add',
        'rezaei',
        '--role',
        'inspector',
        '--district',
        '3',
        '--district',
        '5',
        '--password-stdin',
        '--db',
        dbPath,
      ],
      'insp-secret-1\n',
    );
    expect(added.err).toBe('');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/Added rezaei \(inspector\) for district\(s\) 3, 5/);

    expect(
      users(['add', 'boss', '--role', 'manager', '--password', 'manager-secret', '--db', dbPath]).code,
    ).toBe(0);

    // Refusals run in-process (same code path as the entry point, without paying for a process each).
    const noDistrict = await runIn([
      'add',
      'x1',
      '--role',
      'inspector',
      '--password',
      'long-enough',
      '--db',
      dbPath,
    ]);
    expect(noDistrict.code).toBe(1);
    expect(noDistrict.err).toMatch(/inspector needs at least one district/);
    const badRole = await runIn(['add', 'x2', '--role', 'king', '--password', 'long-enough', '--db', dbPath]);
    expect(badRole.code).toBe(1);
    expect(badRole.err).toMatch(/not one of commissioner, manager, inspector, admin/);
    const managerWithDistrict = await runIn([
      'add',
      'x4',
      '--role',
      'manager',
      '--district',
      '3',
      '--password',
      'long-enough',
      '--db',
      dbPath,
    ]);
    expect(managerWithDistrict.err).toMatch(/whole city and takes no districts/);
    const dup = await runIn([
      'add',
      'boss',
      '--role',
      'manager',
      '--password',
      'manager-secret',
      '--db',
      dbPath,
    ]);
    expect(dup.code).toBe(1);
    expect(dup.err).toMatch(/already exists/);
    expect(
      (await runIn(['add', 'x3', '--role', 'manager', '--password', 'short', '--db', dbPath])).err,
    ).toMatch(/at least 8/);
    expect(
      (
        await runIn([
          'add',
          'x5',
          '--role',
          'admin',
          '--password',
          'long-enough',
          '--password-stdin',
          '--db',
          dbPath,
        ])
      ).code,
    ).toBe(2);
    expect((await runIn(['list'])).code).toBe(2);
    expect((await runIn(['list', '--db', join(dir, 'missing.duckdb')])).err).toMatch(/not found/);
    const unknown = users(['frobnicate', '--db', dbPath]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown command: frobnicate[\s\S]*Usage:/);

    const list = users(['list', '--db', dbPath]);
    expect(list.code).toBe(0);
    expect(
      list.out
        .trim()
        .split('\n')
        .map((l) => l.split('\t').slice(0, 2)),
    ).toEqual([
      ['boss', 'manager'],
      ['rezaei', 'inspector districts 3,5'],
    ]);
    expect(list.out + added.out).not.toMatch(/scrypt|secret/);

    const db = await Db.open(dbPath, { threads: 1 });
    try {
      const u = await findUserWithHash(db, 'rezaei');
      expect(u?.districts).toEqual([3, 5]);
      expect(await verifyPassword('insp-secret-1', u!.password_hash)).toBe(true);
    } finally {
      db.close();
    }

    expect(users(['remove', 'rezaei', '--db', dbPath]).out).toMatch(/Removed rezaei/);
    const gone = await runIn(['remove', 'rezaei', '--db', dbPath]);
    expect(gone.code).toBe(1);
    expect(gone.err).toMatch(/No user named rezaei/);
    expect((await runIn(['list', '--db', dbPath])).out).not.toMatch(/rezaei/);
  });

  it('ensureDemoUsers creates one user per role with the documented passwords, once', async () => {
    const db = await Db.open(':memory:', { threads: 1 });
    try {
      expect(await ensureDemoUsers(db)).toEqual(['commissioner', 'manager', 'inspector3', 'admin']);
      expect(await ensureDemoUsers(db)).toEqual([]);
      const all = await listUsers(db);
      expect(all.map((u) => [u.username, u.role, u.districts])).toEqual([
        ['admin', 'admin', null],
        ['commissioner', 'commissioner', null],
        ['inspector3', 'inspector', [3]],
        ['manager', 'manager', null],
      ]);
      const insp = await findUserWithHash(db, 'inspector3');
      expect(await verifyPassword('inspector-demo', insp!.password_hash)).toBe(true);
    } finally {
      db.close();
    }
  });
});
