// `npm run test:shared`: runs, in place, every test file that uses the third-party data in ../shared
// (those that import test/shared-data.ts). A fresh clone without ../shared skips them; CI runs them here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
if (!existsSync(join(root, '..', 'shared'))) {
  console.error(
    `No ../shared beside ${root}: nothing to run (the tests that need it skip themselves in npm test).`,
  );
  process.exit(1);
}
const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.test\.tsx?$/.test(e.name) && readFileSync(p, 'utf8').includes('shared-data.ts'))
      files.push(p);
  }
};
walk(join(root, 'test'));
const rel = files.map((f) => relative(root, f)).sort();
console.error(`Tests that use ../shared: ${rel.join(', ')}`);
const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...rel], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
