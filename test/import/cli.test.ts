/** The CLI's exit codes and output: 0 imported (even with rejects), 1 failed import, 2 bad usage. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, FIXTURES, MAPPINGS, REPO, tempDir, writeExport } from './helpers.ts';

afterEach(cleanup);

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'api', 'import', 'cli.ts'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('import CLI', () => {
  it('exit codes: 0 with rejected rows, 1 for a broken file, 2 for bad usage; dry-run creates nothing', () => {
    const root = tempDir();
    const db = join(root, 'x.duckdb');
    const ok = cli([
      join(FIXTURES, 'fa-flat'),
      '--db',
      db,
      '--mapping',
      join(MAPPINGS, 'fa-flat.json'),
      '--lang',
      'en',
    ]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('unmapped status words');
    expect(ok.out).toMatch(/read 7 +loaded 5/);

    const bad = writeExport(root, 'bad', { 'cases.csv': 'nothing,useful\n1,2\n' });
    const failed = cli([bad, '--db', db]);
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('IMPORT FAILED');

    expect(cli([join(root, 'nope'), '--db', db]).code).toBe(2);
    expect(cli([bad, '--db', db, '--lang', 'de']).code).toBe(2);
    const ghost = join(root, 'ghost.duckdb');
    expect(
      cli([
        join(FIXTURES, 'fa-flat'),
        '--db',
        ghost,
        '--mapping',
        join(MAPPINGS, 'fa-flat.json'),
        '--dry-run',
      ]).code,
    ).toBe(0);
    expect(existsSync(ghost)).toBe(false);
  });
});
