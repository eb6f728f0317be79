/**
 * npm run demo -- --size small|full|xl [--seed N] [--db data/shafaf.duckdb] [--force]
 *
 * Builds the synthetic Tehran database and its ground truth. Progress goes to stderr, the summary
 * to stdout. Exit codes: 0 done, 1 refused or failed, 2 bad flags.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type DemoSize, generateDemo, groundTruthPath, TARGET_CASES } from './generate.ts';

const USAGE = `usage: npm run demo -- --size small|full|xl [--seed N] [--db data/shafaf.duckdb] [--force]

  --size   small (about 70,000 cases, seconds), full (over 5 million cases, a few minutes) or xl (10 million
           cases, for benchmarks at a city's full history); default small
  --seed   non-negative integer; the same seed gives the same data; default 1
  --db     database file to write; default data/shafaf.duckdb
  --force  replace an existing database file`;

interface CliOptions {
  size: DemoSize;
  seed: number;
  db: string;
  force: boolean;
}

class UsageError extends Error {}

function parse(argv: string[]): CliOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        size: { type: 'string' },
        seed: { type: 'string' },
        db: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const size = (values.size as string | undefined) ?? 'small';
  if (!Object.hasOwn(TARGET_CASES, size))
    throw new UsageError(`--size must be small, full or xl, got '${size}'`);
  const seedText = (values.seed as string | undefined) ?? '1';
  if (!/^\d+$/.test(seedText) || Number(seedText) > 0xffffffff) {
    throw new UsageError(`--seed must be an integer from 0 to 4294967295, got '${seedText}'`);
  }
  const db = (values.db as string | undefined) ?? 'data/shafaf.duckdb';
  if (db.trim() === '' || db === ':memory:') throw new UsageError('--db must name a file');
  return { size: size as DemoSize, seed: Number(seedText), db, force: Boolean(values.force) };
}

function formatRate(rowsPerSec: number): string {
  return `${Math.round(rowsPerSec).toLocaleString('en-US')} rows/s`;
}

async function main(argv: string[]): Promise<number> {
  let opts: CliOptions | 'help';
  try {
    opts = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`demo: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (opts === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (existsSync(opts.db) && !opts.force) {
    process.stderr.write(
      `demo: ${opts.db} already exists; not overwriting it. Pass --force to replace it, or --db to write elsewhere.\n`,
    );
    return 1;
  }

  const started = performance.now();
  let lastPrint = 0;
  let lastPercent = -1;
  const truth = await generateDemo({
    dbPath: opts.db,
    size: opts.size,
    seed: opts.seed,
    onProgress: (done, total) => {
      const now = performance.now();
      const percent = Math.floor((done / total) * 100);
      if (percent === lastPercent || (now - lastPrint < 1000 && done < total)) return;
      lastPercent = percent;
      lastPrint = now;
      const rate = done / Math.max(0.001, (now - started) / 1000);
      process.stderr.write(
        `demo: generating ${percent}% (${done.toLocaleString('en-US')} cases, ${formatRate(rate)})\n`,
      );
    },
    onPhase: (phase) => process.stderr.write(`demo: ${phase}…\n`),
  });
  const seconds = (performance.now() - started) / 1000;
  const c = truth.counts;
  const lines = [
    `demo city written: ${opts.db} (size ${truth.size}, seed ${truth.seed}, as of ${truth.as_of})`,
    `  ${c.cases.toLocaleString('en-US')} cases, ${c.complaints.toLocaleString('en-US')} complaints, ${c.events.toLocaleString('en-US')} events, ${c.offices} offices, ${c.services} services`,
    `  ${seconds.toFixed(1)} s, ${formatRate((c.cases + c.complaints) / seconds)} overall`,
    `  ground truth: ${groundTruthPath(opts.db)}`,
    '  planted anomalies:',
    ...truth.anomalies.map((a) => `    ${a.id.padEnd(4)} ${a.kind.padEnd(14)} ${a.description_en}`),
    '  planted in the stages:',
    ...truth.stage_truth.map((a) => `    ${a.id.padEnd(4)} ${a.kind.padEnd(18)} ${a.description_en}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`demo: failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
