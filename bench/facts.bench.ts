/**
 * `npm run bench:facts -- --db <copy of a full demo city>`: how long the fact tables take to build, as
 * after an import. Prints the whole build (case facts and step facts, as `buildFacts` runs it, wall
 * and this process's CPU, which includes DuckDB's threads), then each step-facts statement on its
 * own, then a rebuild after only the as-of time moved (the step tables are kept). Writes the fact
 * tables of the file it is given: pass a copy. Numbers are printed, never asserted.
 */
import { Db } from '../api/db.ts';
import { buildFacts, readSignature } from '../api/metrics/facts.ts';
import { stageBuildSql } from '../api/metrics/stage-facts.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const dbPath = arg('db');
if (!dbPath) {
  console.error('usage: npm run bench:facts -- --db <copy of a demo city .duckdb>');
  process.exit(2);
}

async function timed(label: string, fn: () => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  console.log(
    `${label.padEnd(60)} wall ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s   CPU ${((c.user + c.system) / 1e6).toFixed(1).padStart(6)} s`,
  );
}

const db = await Db.open(dbPath);
const counts = await db.one<{ cases: number; events: number }>(
  'SELECT (SELECT count(*) FROM cases)::INTEGER AS cases, (SELECT count(*) FROM events)::INTEGER AS events',
);
console.log(
  `${counts?.cases.toLocaleString('en-US')} cases, ${counts?.events.toLocaleString('en-US')} events`,
);
await db.run('DROP TABLE IF EXISTS stage_facts_meta');
await timed('buildFacts (case, complaint and step facts)', async () =>
  buildFacts(db, await readSignature(db)),
);
await db.with(async (c) => {
  for (const sql of stageBuildSql(counts?.cases ?? 0, counts?.events ?? 0)) {
    const label = sql.replace(/\s+/g, ' ').trim().slice(0, 56);
    await timed(`  ${label}`, () => c.run(sql));
  }
});
await db.run("UPDATE dataset SET as_of = as_of + INTERVAL '1 second' WHERE id = 1");
await timed('buildFacts after an as-of change (step tables kept)', async () =>
  buildFacts(db, await readSignature(db)),
);
const size = await db.all<{ t: string; rows: number }>(
  `SELECT table_name AS t, estimated_size::BIGINT::INTEGER AS rows FROM duckdb_tables()
   WHERE table_name IN ('step_facts', 'case_step_facts', 'stage_variants', 'stage_cube', 'case_facts') ORDER BY t`,
);
for (const s of size) console.log(`  ${s.t}: ${s.rows.toLocaleString('en-US')} rows`);
db.close();
