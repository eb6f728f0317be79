/**
 * Staging folders left behind by imports that were killed (SIGKILL, a crash, power loss): an import
 * stages its rows under `<tmpdir>/shafaf-import-<pid>-<random>` (index.ts, `stageFiles`) and removes
 * the folder when it ends, which a killed process never does. The server removes such folders when
 * it starts, but only those whose owning process is gone: an import running now (the CLI on another
 * database, or a second server) keeps its folder. Folders without a process id (made before it was
 * part of the name) are left alone, since nothing says whether their owner still runs.
 */
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STAGING = /^shafaf-import-(\d+)-[A-Za-z0-9]{6}$/;

/** Whether a process with this id exists (one of another user still counts as alive). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process id in a staging folder's name; null for any other name. */
export function stagingOwner(name: string): number | null {
  const m = STAGING.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * Removes the staging folders under `dir` whose owning process is gone; returns their paths. A folder
 * that cannot be removed is reported through `onError` and skipped: start-up goes on.
 */
export function removeStaleStaging(
  dir: string = tmpdir(),
  onError: (path: string, err: unknown) => void = () => {},
): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = stagingOwner(name);
    if (pid === null || pid === process.pid || processAlive(pid)) continue;
    const path = join(dir, name);
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch (err) {
      onError(path, err);
    }
  }
  return removed;
}
