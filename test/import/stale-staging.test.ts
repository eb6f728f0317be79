import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processAlive, removeStaleStaging, stagingOwner } from '../../api/import/stale-staging.ts';

describe('staging folders of killed imports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shafaf-stale-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the owner from the name the importer gives its folder', () => {
    expect(stagingOwner('shafaf-import-12345-aB3dE9')).toBe(12345);
    expect(stagingOwner('shafaf-import-aB3dE9')).toBeNull(); // before the pid was in the name
    expect(stagingOwner('shafaf-import-12345-aB3dE9.txt')).toBeNull();
    expect(stagingOwner('shafaf-upload-12345-aB3dE9')).toBeNull();
  });

  it('removes only the folders whose process is gone', async () => {
    // A process that has ended (its pid is free now) and one that is still running.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const deadPid = Number(gone.stdout);
    expect(processAlive(deadPid)).toBe(false);
    const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const names = {
        dead: `shafaf-import-${deadPid}-Abc123`,
        live: `shafaf-import-${live.pid}-Def456`,
        mine: `shafaf-import-${process.pid}-Ghi789`,
        legacy: 'shafaf-import-Jkl012',
        other: `something-else-${deadPid}-Mno345`,
      };
      for (const n of Object.values(names)) mkdirSync(join(dir, n, 'inner'), { recursive: true });
      const removed = removeStaleStaging(dir);
      expect(removed).toEqual([join(dir, names.dead)]);
      expect(existsSync(join(dir, names.dead))).toBe(false);
      for (const keep of [names.live, names.mine, names.legacy, names.other])
        expect(existsSync(join(dir, keep)), keep).toBe(true);
    } finally {
      live.kill('SIGKILL');
    }
  });
});
