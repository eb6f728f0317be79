/**
 * Users stored in the database (table `users`). An inspector is bound to at least one district; the
 * other roles see the whole city and carry no districts. Password hashes never leave this module
 * except through `findUserWithHash`, which only the login path uses.
 */
import type { Db } from '../db.ts';
import { hashPassword } from './password.ts';

export const ROLES = ['commissioner', 'manager', 'inspector', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface AuthUser {
  username: string;
  role: Role;
  /** The inspector's districts; null for roles that see the whole city. */
  districts: number[] | null;
}

export interface UserRecord extends AuthUser {
  created_at: string;
  disabled: boolean;
}

export interface NewUser {
  username: string;
  password: string;
  role: string;
  districts?: number[];
}

/** Bad input for a user (name, role, districts, password): the message is meant for a person. */
export class UserError extends Error {}

const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,31}$/;
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

export function checkUsername(username: string): string {
  if (!USERNAME_RE.test(username)) {
    throw new UserError(
      `Username ${JSON.stringify(username.slice(0, 40))} is not valid: use 2–32 lower-case latin letters, digits, ".", "_" or "-", starting with a letter or digit.`,
    );
  }
  return username;
}

export function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new UserError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (password.length > MAX_PASSWORD_LENGTH)
    throw new UserError(`The password must have at most ${MAX_PASSWORD_LENGTH} characters.`);
  return password;
}

/** Inspector: one or more known districts; any other role: none. */
async function checkDistricts(db: Db, role: Role, districts: number[]): Promise<number[] | null> {
  if (role !== 'inspector') {
    if (districts.length > 0) throw new UserError(`A ${role} sees the whole city and takes no --district.`);
    return null;
  }
  if (districts.length === 0) throw new UserError('An inspector needs at least one district (--district N).');
  const bad = districts.find((d) => !Number.isInteger(d) || d < 1);
  if (bad !== undefined)
    throw new UserError(`District ${bad} is not valid: a district is a whole number from 1.`);
  const known = await db.all<{ district: number }>('SELECT district FROM districts');
  // Before the first import the districts table is empty; then any positive number is accepted.
  if (known.length > 0) {
    const set = new Set(known.map((r) => r.district));
    const unknown = districts.filter((d) => !set.has(d));
    if (unknown.length > 0) throw new UserError(`Unknown district(s): ${unknown.join(', ')}.`);
  }
  return [...new Set(districts)].sort((a, b) => a - b);
}

export async function addUser(db: Db, input: NewUser): Promise<AuthUser> {
  const username = checkUsername(input.username);
  if (!isRole(input.role))
    throw new UserError(`Role ${JSON.stringify(input.role)} is not one of ${ROLES.join(', ')}.`);
  const role = input.role;
  const districts = await checkDistricts(db, role, input.districts ?? []);
  const exists = () => new UserError(`User ${username} already exists.`);
  if (await findUser(db, username)) throw exists();
  const hash = await hashPassword(checkPassword(input.password));
  try {
    await db.run(
      `INSERT INTO users (username, password_hash, role, districts, created_at, disabled)
       VALUES ($username, $hash, $role, CAST($districts AS INTEGER[]), now(), false)`,
      { username, hash, role, districts: districts ? JSON.stringify(districts) : null },
    );
  } catch (err) {
    // Another process added the same name between the check and the insert.
    if (/constraint/i.test(String(err))) throw exists();
    throw err;
  }
  return { username, role, districts };
}

/** Removes the user and their sessions. Returns false when there was no such user. */
export async function removeUser(db: Db, username: string): Promise<boolean> {
  return db.transaction(async (c) => {
    const r = await c.runAndReadAll('SELECT count(*)::INTEGER AS n FROM users WHERE username = $username', {
      username,
    });
    const n = (r.getRowObjectsJson()[0]?.n as number) ?? 0;
    if (n === 0) return false;
    await c.run('DELETE FROM sessions WHERE username = $username', { username });
    await c.run('DELETE FROM users WHERE username = $username', { username });
    return true;
  });
}

const PUBLIC_COLUMNS = `username, role, districts, strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS created_at, disabled`;

export async function listUsers(db: Db): Promise<UserRecord[]> {
  const rows = await db.all<UserRecord>(`SELECT ${PUBLIC_COLUMNS} FROM users ORDER BY username`);
  return rows.map(normalise);
}

export async function findUser(db: Db, username: string): Promise<UserRecord | undefined> {
  const row = await db.one<UserRecord>(`SELECT ${PUBLIC_COLUMNS} FROM users WHERE username = $username`, {
    username,
  });
  return row && normalise(row);
}

/** For the login check only. */
export async function findUserWithHash(
  db: Db,
  username: string,
): Promise<(UserRecord & { password_hash: string }) | undefined> {
  const row = await db.one<UserRecord & { password_hash: string }>(
    `SELECT ${PUBLIC_COLUMNS}, password_hash FROM users WHERE username = $username`,
    { username },
  );
  return row && { ...normalise(row), password_hash: row.password_hash };
}

function normalise(row: UserRecord): UserRecord {
  return {
    username: row.username,
    role: row.role,
    districts: row.role === 'inspector' ? (row.districts ?? []).map(Number) : null,
    created_at: row.created_at,
    disabled: Boolean(row.disabled),
  };
}

export function toAuthUser(u: AuthUser): AuthUser {
  return { username: u.username, role: u.role, districts: u.districts };
}
