/**
 * The key that signs session cookies: SHAFAF_SECRET when set (several servers, or a key kept out of
 * the database file), else a random key generated once and kept in the database (table `secrets`),
 * so sessions survive restarts without any setup.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db.ts';

const MIN_SECRET_LENGTH = 32;
const cache = new WeakMap<Db, Promise<string>>();

export function cookieSecret(db: Db): Promise<string> {
  let p = cache.get(db);
  if (!p) {
    p = loadSecret(db);
    cache.set(db, p);
    p.catch(() => cache.delete(db));
  }
  return p;
}

async function loadSecret(db: Db): Promise<string> {
  const env = process.env.SHAFAF_SECRET;
  if (env !== undefined && env !== '') {
    if (env.length < MIN_SECRET_LENGTH)
      throw new Error(`SHAFAF_SECRET must have at least ${MIN_SECRET_LENGTH} characters (a random string).`);
    return env;
  }
  // Insert-if-absent then read back: two processes starting at once end up with the same key.
  await db.run(
    `INSERT INTO secrets (name, value, created_at) VALUES ('cookie', $value, now()) ON CONFLICT (name) DO NOTHING`,
    { value: randomBytes(32).toString('base64url') },
  );
  const row = await db.one<{ value: string }>(`SELECT value FROM secrets WHERE name = 'cookie'`);
  if (!row) throw new Error('Cannot store the cookie secret in the database.');
  return row.value;
}
