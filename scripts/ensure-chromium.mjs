// pretest: the browser suite drives Debian's chromium (never a downloaded browser). Install it when missing
// (these machines run as root), or stop with the exact command to run.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (existsSync(CHROMIUM) || process.env.SHAFAF_SKIP_BROWSER === '1') process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(
    `Chromium is missing for the browser tests. Run:\n  sudo apt-get update && sudo apt-get install -y chromium\n`,
  );
  process.exit(1);
}
console.error('Installing Debian chromium for the browser tests (apt-get install -y chromium)…');
try {
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
    stdio: 'inherit',
  });
} catch {
  console.error('Could not install chromium. Run:\n  apt-get update && apt-get install -y chromium\n');
  process.exit(1);
}
