/**
 * `npm run publish -- on [--licence "<line>"] --db <file>`   publishes the public scorecards and open data
 * `npm run publish -- off --db <file>`                      withdraws them (every public URL is a 404)
 * `npm run publish -- status --db <file>`                   says which
 *
 * Exit codes: 0 done, 1 refused (no licence line, database missing or held by the server), 2 usage.
 * The server holds the database file while it runs (DuckDB: one writing process), so stop it first or use
 * the Data page. Every change is written to the audit log under the OS user's name.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Db, openFailureKind } from '../db.ts';
import { CONSOLE_IO, type Io, runCommand, runIfMain, UsageError } from '../lib/cli.ts';
import { currentPublication, type Publication, PublicationError, setPublication } from './publication.ts';

const USAGE = `Usage:
  npm run publish -- on [--licence "CC BY 4.0 …"] --db <file.duckdb>
  npm run publish -- off --db <file.duckdb>
  npm run publish -- status --db <file.duckdb>

"on" needs a licence line the first time (it is kept for later). Stop the server first: it holds the
database file. While it runs, an admin can do the same from the dashboard's Data page.`;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        licence: { type: 'string' },
        license: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function openDb(path: string | undefined): Promise<Db> {
  if (!path) throw new UsageError('--db <file.duckdb> is required.');
  if (!existsSync(path)) throw new PublicationError(`Database file not found: ${path}`);
  try {
    return await Db.open(path);
  } catch (err) {
    if (openFailureKind(err) === 'locked')
      throw new PublicationError(
        `The database ${path} is in use by another process (is the server running on it?). ` +
          'Stop the server first, or publish from the Data page while it runs.',
      );
    throw new PublicationError(`Cannot open ${path}: ${(err as Error).message}`);
  }
}

function describe(p: Publication): string {
  if (p.published) return `Published since ${p.published_at} under the licence: ${p.licence}`;
  return p.changed_at
    ? `Not published (turned off ${p.changed_at} by ${p.changed_by ?? 'unknown'}).`
    : 'Not published.';
}

export async function main(argv: string[], out = console.log): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra[0]}`);
  if (command !== 'on' && command !== 'off' && command !== 'status')
    throw new UsageError(command ? `Unknown command: ${command}` : 'Give a command: on, off or status.');
  const licence = values.licence ?? values.license;
  if (licence !== undefined && command !== 'on') throw new UsageError('--licence goes with "on" only.');
  const db = await openDb(values.db);
  try {
    if (command === 'status') {
      out(describe(await currentPublication(db)));
      return 0;
    }
    const { state, changed } = await setPublication(db, {
      published: command === 'on',
      licence,
      username: process.env.USER ?? null,
      via: 'cli',
    });
    out(changed ? describe(state) : `No change. ${describe(state)}`);
    if (state.published) out('The public page is /public on the server; the open data under /api/public/.');
    return 0;
  } finally {
    db.close();
  }
}

/** Runs one command and maps failures to the exit code: 1 refused, 2 usage. */
export function run(argv: string[], io: Io = CONSOLE_IO): Promise<number> {
  return runCommand((out) => main(argv, out), USAGE, PublicationError, io);
}

runIfMain(import.meta.url, run);
