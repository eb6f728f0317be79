/**
 * The built dashboard (dist/): `npm start` and `npm run report` build it when it is missing or older
 * than its sources (web/), with the project's own vite.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** True when `outDir` holds no build, or one older than the newest file under web/. */
export function webBuildStale(root: string, outDir = join(root, 'dist')): boolean {
  const index = join(outDir, 'index.html');
  return !existsSync(index) || newestMtime(join(root, 'web')) > statSync(index).mtimeMs;
}

/** Builds the dashboard into dist/ with its output shown; false when the build failed. */
export function buildWeb(root: string): boolean {
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  return r.status === 0;
}
