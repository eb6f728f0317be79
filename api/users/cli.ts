/**
 * `npm run users -- add <username> --role <role> [--district N ...] [--password-stdin | --password <p>] --db <file>`
 * `npm run users -- remove <username> --db <file>`
 * `npm run users -- list --db <file>`
 *
 * Exit codes: 0 done, 1 refused (bad value, unknown or duplicate user, database problem, or the database
 * is held by a running server), 2 usage error. The server holds the database file open (DuckDB allows
 * one writing process): while it runs, manage users on the dashboard's Users page instead.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { audit } from '../audit/log.ts';
import { checkNewPassword } from '../auth/password-policy.ts';
import { addUser, listUsers, ROLES, removeUser, UserError } from '../auth/users.ts';
import { Db, openFailureKind } from '../db.ts';
import { CONSOLE_IO, type Io, runCommand, runIfMain, UsageError } from '../lib/cli.ts';

const USAGE = `Usage:
  npm run users -- add <username> --role <${ROLES.join('|')}> [--district N ...] [--password-stdin | --password <p>] --db <file.duckdb>
  npm run users -- remove <username> --db <file.duckdb>
  npm run users -- list --db <file.duckdb>

An inspector needs at least one --district; other roles take none. Without --password or
--password-stdin the password is read from standard input (one line); prefer that to --password,
which other users of the machine can see in the process list. A password needs at least 8
characters and must not be one of the most common ones (nor a demo password, on real data).
While the server runs it holds the database file: use the dashboard's Users page then.`;

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        role: { type: 'string' },
        district: { type: 'string', multiple: true },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function parseDistrict(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n))
    throw new UsageError(`--district ${raw} is not a whole number.`);
  return n;
}

async function openDb(path: string | undefined, mustExist: boolean): Promise<Db> {
  if (!path) throw new UsageError('--db <file.duckdb> is required.');
  if (mustExist && !existsSync(path)) throw new UserError(`Database file not found: ${path}`);
  try {
    return await Db.open(path);
  } catch (err) {
    if (openFailureKind(err) === 'locked')
      throw new UserError(
        `The database ${path} is in use by another process (the server?): stop it, or manage users on the dashboard's Users page (admins).`,
      );
    throw new UserError(`Cannot open ${path}: ${(err as Error).message}`);
  }
}

export async function main(argv: string[], out = console.log): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const [command, username, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra[0]}`);

  if (command === 'list') {
    if (username) throw new UsageError('list takes no username.');
    const db = await openDb(values.db, true);
    try {
      const users = await listUsers(db);
      if (users.length === 0)
        out('No users yet. Add one with: npm run users -- add <username> --role <role> --db <file>');
      for (const u of users) {
        const where = u.districts ? ` districts ${u.districts.join(',')}` : '';
        out(`${u.username}\t${u.role}${where}${u.disabled ? '\tdisabled' : ''}\tcreated ${u.created_at}`);
      }
    } finally {
      db.close();
    }
    return 0;
  }

  if (command === 'add') {
    if (!username) throw new UsageError('add needs a username.');
    if (!values.role) throw new UsageError(`add needs --role (${ROLES.join(', ')}).`);
    if (values.password !== undefined && values['password-stdin'])
      throw new UsageError('Give --password or --password-stdin, not both.');
    const districts = (values.district ?? []).map(parseDistrict);
    const password = values.password ?? (await readStdinLine());
    const db = await openDb(values.db, false);
    try {
      await checkNewPassword(db, username, password);
      const user = await addUser(db, { username, password, role: values.role, districts });
      await audit(db, {
        action: 'user_add',
        username: process.env.USER ?? null,
        detail: { user: user.username, role: user.role, districts: user.districts, via: 'cli' },
      });
      const where = user.districts ? ` for district(s) ${user.districts.join(', ')}` : '';
      out(`Added ${user.username} (${user.role})${where}.`);
    } finally {
      db.close();
    }
    return 0;
  }

  if (command === 'remove') {
    if (!username) throw new UsageError('remove needs a username.');
    const db = await openDb(values.db, true);
    try {
      if (!(await removeUser(db, username))) throw new UserError(`No user named ${username}.`);
      await audit(db, {
        action: 'user_remove',
        username: process.env.USER ?? null,
        detail: { user: username, via: 'cli' },
      });
      out(`Removed ${username} and ended their sessions.`);
    } finally {
      db.close();
    }
    return 0;
  }

  throw new UsageError(command ? `Unknown command: ${command}` : 'Give a command: add, remove or list.');
}

/** Runs one command and maps failures to the exit code: 1 refused, 2 usage. */
export function run(argv: string[], io: Io = CONSOLE_IO): Promise<number> {
  return runCommand((out) => main(argv, out), USAGE, UserError, io);
}

runIfMain(import.meta.url, run);
