/**
 * `npm start`: everything a first-time user needs. Builds the dashboard if it is missing or older than its
 * sources, creates the demo database if there is none, and serves both on port 8080 (PORT overrides).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWeb, webBuildStale } from '../api/lib/web-build.ts';
import { checkMemoryLimit, StartupError, startServer } from '../api/serve.ts';
import { generateDemo } from '../data/demo/generate.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dbPath = process.env.SHAFAF_DB ?? join(root, 'data', 'shafaf.duckdb');
const port = Number(process.env.PORT ?? 8080);
const demoSize = process.env.SHAFAF_DEMO_SIZE === 'full' ? 'full' : 'small';
let memoryLimit: string | undefined;
try {
  const m = process.env.SHAFAF_MEMORY_LIMIT;
  memoryLimit = m ? checkMemoryLimit(m, 'SHAFAF_MEMORY_LIMIT') : undefined;
} catch (err) {
  if (!(err instanceof StartupError)) throw err;
  console.error(err.message);
  process.exit(1);
}

if (webBuildStale(root)) {
  console.log('Building the dashboard (vite build)…');
  if (!buildWeb(root)) {
    console.error('The dashboard build failed; see the messages above.');
    process.exit(1);
  }
}

if (!existsSync(dbPath)) {
  console.log(`No database at ${dbPath}: generating the ${demoSize} demo city (seed 1)…`);
  const started = Date.now();
  let lastPct = -1;
  await generateDemo({
    dbPath,
    size: demoSize,
    seed: 1,
    onProgress: (done, total) => {
      const pct = Math.floor((100 * done) / Math.max(total, 1));
      if (pct >= lastPct + 10) {
        lastPct = pct;
        process.stderr.write(`  ${pct}%\n`);
      }
    },
  });
  console.log(`Demo city ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

await startServer({ dbPath, port, webRoot: join(root, 'dist'), memoryLimit });
