/**
 * One demo user per role for the synthetic demo city. The passwords are public (README), so these
 * accounts belong in the demo database only, never in one loaded with real data: on such a database
 * the server warns at start (serve.ts) and the dashboard shows admins a banner while one of them
 * still has its demo password.
 */
import type { Db } from '../db.ts';
import { verifyPassword } from './password.ts';
import { addUser, findUser, type Role } from './users.ts';

export interface DemoUser {
  username: string;
  password: string;
  role: Role;
  districts?: number[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'commissioner', password: 'commissioner-demo', role: 'commissioner' },
  { username: 'manager', password: 'manager-demo', role: 'manager' },
  { username: 'inspector3', password: 'inspector-demo', role: 'inspector', districts: [3] },
  { username: 'admin', password: 'admin-demo', role: 'admin' },
];

/** Adds the demo users that are missing; existing users (and their passwords) are left alone. */
export async function ensureDemoUsers(db: Db): Promise<string[]> {
  const added: string[] = [];
  for (const u of DEMO_USERS) {
    if (await findUser(db, u.username)) continue;
    await addUser(db, u);
    added.push(u.username);
  }
  return added;
}

/**
 * Whether the database holds the demo city and nothing else. The demo generator writes the one
 * import-log row with mode 'demo' (data/demo/generate.ts; the importer writes 'contract' or 'flat'),
 * so that row is the marker: a database is the demo when it has it and no successful import of other
 * data. A demo database that real data was imported into is no longer the demo.
 */
export async function isDemoDatabase(db: Db): Promise<boolean> {
  const r = await db.one<{ demo: number; other: number }>(
    `SELECT count(*) FILTER (WHERE mode = 'demo')::INTEGER AS demo,
            count(*) FILTER (WHERE mode IS DISTINCT FROM 'demo' AND status = 'ok')::INTEGER AS other
     FROM import_log`,
  );
  return (r?.demo ?? 0) > 0 && (r?.other ?? 0) === 0;
}

/** Verified hashes, so that a listing does not pay for scrypt again while nothing has changed. */
const checked = new Map<string, boolean>();

/** The demo accounts that still sign in with their public password. */
export async function demoAccountsWithDemoPassword(db: Db): Promise<string[]> {
  const found: string[] = [];
  for (const u of DEMO_USERS) {
    const row = await db.one<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE username = $username',
      { username: u.username },
    );
    if (!row) continue;
    const key = `${u.password}\u0000${row.password_hash}`;
    let same = checked.get(key);
    if (same === undefined) {
      same = await verifyPassword(u.password, row.password_hash);
      if (checked.size > 1000) checked.clear();
      checked.set(key, same);
    }
    if (same) found.push(u.username);
  }
  return found.sort();
}
