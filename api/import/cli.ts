/**
 * `npm run import -- <folder-or-files...> --db <file> [--as-of <time>] [--mapping <file.json>] [--dry-run] [--json]
 *  [--lang fa|en]`
 * Exit 0: imported (even with rejected rows); 1: the import failed (database unchanged); 2: bad usage.
 */
import { parseArgs } from 'node:util';
import { Db, openFailureKind } from '../db.ts';
import { parseTimestamp } from '../lib/dates.ts';
import {
  formatReport,
  type ImportProgress,
  importFiles,
  loadMapping,
  type Mapping,
  MappingError,
  openDryRunDb,
  UsageError,
} from './index.ts';
import { planFiles } from './plan.ts';

const USAGE = `usage: npm run import -- <folder-or-files...> --db <file.duckdb> [--as-of <time>] [--mapping <file.json>] [--dry-run] [--json] [--lang fa|en]

  <folder-or-files>  offices*, services*, cases*, complaints* (.csv, .parquet, .xlsx), a folder of them,
                     or one flat export (one row per case) described by a mapping file
  --db               the DuckDB file to load into (created if missing; untouched with --dry-run)
  --as-of            the dataset's as-of time (ISO or Solar Hijri); default: the latest timestamp in the data
  --mapping          JSON mapping of headers, status words, date order, city (see data/mappings/)
  --dry-run          validate and report; write nothing
  --json             print the report as JSON instead of text
  --lang             the text report's language; default: Persian when the export's headers are Persian`;

const IMPORT_MEMORY = '1GB';

function progressPrinter(): (p: ImportProgress) => void {
  let shown = false;
  return (p) => {
    // quick files stay quiet; a slow one reports until it is done
    if (!shown && (p.done || p.elapsed_ms < 1000)) return;
    shown = !p.done;
    const pct = p.fraction === null ? '' : ` ${(p.fraction * 100).toFixed(0)}%`;
    const line = `${p.file}: ${p.rows.toLocaleString('en-US')} rows${pct}, ${Math.round(p.rows_per_s).toLocaleString('en-US')} rows/s`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}\x1b[K${p.done ? '\n' : ''}` : `${line}\n`);
  };
}

/** DuckDB lets one process at a time open a file for writing: the usual holder is the running server. */
function openErrorMessage(dbPath: string, err: unknown): string {
  const detail = err instanceof Error ? err.message : String(err);
  switch (openFailureKind(err)) {
    case 'locked':
      return `${dbPath}: database is in use by another process (the server?) — stop it or upload through the dashboard. Nothing was imported.`;
    case 'damaged':
      return `${dbPath}: the file is damaged or is not a Shafaf database (${detail}). Nothing was imported; restore it from a backup or import into a new file.`;
    default:
      return `${dbPath}: cannot open the database (${detail}). Nothing was imported.`;
  }
}

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  function parse(a: string[]) {
    return parseArgs({
      args: a,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        'as-of': { type: 'string' },
        mapping: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        lang: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  }
  try {
    args = parse(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const dbPath = args.values.db;
  if (!dbPath || args.positionals.length === 0) {
    console.error(`${dbPath ? 'no files or folder given' : '--db is required'}\n\n${USAGE}`);
    return 2;
  }
  let mapping: Mapping | undefined;
  try {
    if (args.values.mapping) mapping = loadMapping(args.values.mapping);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const lang = args.values.lang;
  if (lang !== undefined && lang !== 'fa' && lang !== 'en') {
    console.error(`--lang: "${lang}" is not fa or en\n\n${USAGE}`);
    return 2;
  }
  const dryRun = args.values['dry-run'];
  let readsEvents = true;
  try {
    // before opening (and so creating) the database: a typo in a path must not leave an empty file behind
    const plan = planFiles(args.positionals, mapping ?? {});
    // a file of unknown kind may turn out to be events
    readsEvents = plan.some((p) => p.kind === 'events' || p.kind === null);
    const asOf = args.values['as-of'];
    if (
      asOf !== undefined &&
      !parseTimestamp(asOf, { order: mapping?.date_order, timeZone: mapping?.timezone }).ok
    ) {
      throw new UsageError(`--as-of: "${asOf}" is not a date in a recognised form`);
    }
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  let db: Db;
  try {
    // DuckDB spills to disk beyond this: the whole process stays under 2 GiB at any size
    db = dryRun
      ? await openDryRunDb(dbPath, { events: readsEvents })
      : await Db.open(dbPath, { memoryLimit: IMPORT_MEMORY });
  } catch (err) {
    console.error(openErrorMessage(dbPath, err));
    return 1;
  }
  try {
    const report = await importFiles(db, args.positionals, {
      asOf: args.values['as-of'],
      mapping,
      dryRun,
      source: 'cli',
      onProgress: progressPrinter(),
      onStep: (step, done, ms) => {
        if (step === 'facts') {
          process.stderr.write(
            done
              ? `facts for the dashboard built in ${(ms / 1000).toFixed(1)} s\n`
              : 'building facts for the dashboard…\n',
          );
        }
      },
    });
    console.log(args.values.json ? JSON.stringify(report, null, 2) : formatReport(report, lang));
    return report.status === 'ok' ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError || err instanceof MappingError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  } finally {
    db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
