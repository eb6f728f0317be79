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
  /** Last successful sign-in (ISO, UTC); null when never. */
  last_login_at: string | null;
  /** An admin chose the password: the user must set their own before doing anything else. */
  must_change_password: boolean;
}

export interface NewUser {
  username: string;
  password: string;
  role: string;
  districts?: number[];
  /** The password was chosen for the user (by an admin): they must replace it at first sign-in. */
  mustChangePassword?: boolean;
}

/** A change to a user's access; absent fields stay as they are. */
export interface UserChange {
  role?: string;
  /** An inspector's districts; when the role leaves inspector, the districts go with it. */
  districts?: number[];
  disabled?: boolean;
}

/**
 * Bad input for a user (name, role, districts, password), or a change the rules refuse: the message
 * is meant for a person; `parameter` names the field it is about, when there is one.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly parameter?: 'username' | 'role' | 'districts' | 'password' | 'disabled',
  ) {
    super(message);
  }
}

/** A change the access rules refuse (it would leave no enabled admin). */
export class RefusedChange extends UserError {}

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
      'username',
    );
  }
  return username;
}

export function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new UserError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`, 'password');
  if (password.length > MAX_PASSWORD_LENGTH)
    throw new UserError(`The password must have at most ${MAX_PASSWORD_LENGTH} characters.`, 'password');
  return password;
}

/** Inspector: one or more known districts; any other role: none. */
async function checkDistricts(db: Db, role: Role, districts: number[]): Promise<number[] | null> {
  if (role !== 'inspector') {
    if (districts.length > 0)
      throw new UserError(`A ${role} sees the whole city and takes no districts.`, 'districts');
    return null;
  }
  if (districts.length === 0) throw new UserError('An inspector needs at least one district.', 'districts');
  const bad = districts.find((d) => !Number.isInteger(d) || d < 1);
  if (bad !== undefined)
    throw new UserError(`District ${bad} is not valid: a district is a whole number from 1.`, 'districts');
  const known = await db.all<{ district: number }>('SELECT district FROM districts');
  // Before the first import the districts table is empty; then any positive number is accepted.
  if (known.length > 0) {
    const set = new Set(known.map((r) => r.district));
    const unknown = districts.filter((d) => !set.has(d));
    if (unknown.length > 0) throw new UserError(`Unknown district(s): ${unknown.join(', ')}.`, 'districts');
  }
  return [...new Set(districts)].sort((a, b) => a - b);
}

function checkRole(role: string): Role {
  if (!isRole(role))
    throw new UserError(`Role ${JSON.stringify(role)} is not one of ${ROLES.join(', ')}.`, 'role');
  return role;
}

/**
 * Changes to users run one at a time per database (in this process, which is the only one that
 * can write the file): the last-admin check and the change it guards cannot interleave with another.
 */
const queues = new WeakMap<Db, Promise<unknown>>();

export function serialised<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(db) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  queues.set(
    db,
    next.catch(() => {}),
  );
  return next;
}

type Conn = Parameters<Parameters<Db['transaction']>[0]>[0];

async function rowsOf<T>(c: Conn, sql: string, params: Record<string, string | number | boolean | null>) {
  return (await c.runAndReadAll(sql, params)).getRowObjectsJson() as T[];
}

/**
 * Refuses a change that would leave no enabled admin: `username` is about to stop being one (role
 * changed, disabled or removed) while it is an enabled admin and no other enabled admin exists.
 */
async function keepAnAdmin(c: Conn, username: string): Promise<void> {
  const [r] = await rowsOf<{ target: number; others: number }>(
    c,
    `SELECT count(*) FILTER (WHERE username = $username)::INTEGER AS target,
            count(*) FILTER (WHERE username <> $username)::INTEGER AS others
     FROM users WHERE role = 'admin' AND NOT disabled`,
    { username },
  );
  if (r.target > 0 && r.others === 0)
    throw new RefusedChange(
      `${username} is the last admin: add or enable another admin first, or nobody could manage users.`,
    );
}

export async function addUser(db: Db, input: NewUser): Promise<AuthUser> {
  const username = checkUsername(input.username);
  const role = checkRole(input.role);
  const districts = await checkDistricts(db, role, input.districts ?? []);
  const exists = () => new UserError(`User ${username} already exists.`, 'username');
  if (await findUser(db, username)) throw exists();
  const hash = await hashPassword(checkPassword(input.password));
  try {
    await db.run(
      `INSERT INTO users (username, password_hash, role, districts, created_at, disabled, must_change_password)
       VALUES ($username, $hash, $role, CAST($districts AS INTEGER[]), now(), false, $must)`,
      {
        username,
        hash,
        role,
        districts: districts ? JSON.stringify(districts) : null,
        must: Boolean(input.mustChangePassword),
      },
    );
  } catch (err) {
    // Another process added the same name between the check and the insert.
    if (/constraint/i.test(String(err))) throw exists();
    throw err;
  }
  return { username, role, districts };
}

/**
 * Removes the user and their sessions. Returns false when there was no such user; refuses to
 * remove the last enabled admin.
 */
export async function removeUser(db: Db, username: string): Promise<boolean> {
  return serialised(db, () =>
    db.transaction(async (c) => {
      const [r] = await rowsOf<{ n: number }>(
        c,
        'SELECT count(*)::INTEGER AS n FROM users WHERE username = $username',
        { username },
      );
      if ((r?.n ?? 0) === 0) return false;
      await keepAnAdmin(c, username);
      await c.run('DELETE FROM sessions WHERE username = $username', { username });
      await c.run('DELETE FROM users WHERE username = $username', { username });
      return true;
    }),
  );
}

/**
 * Changes role, districts or the disabled flag. Disabling ends the user's sessions in the same
 * transaction. Returns the user before and after; undefined when there is no such user.
 */
export async function updateUser(
  db: Db,
  username: string,
  change: UserChange,
): Promise<{ before: UserRecord; after: UserRecord } | undefined> {
  return serialised(db, async () => {
    const before = await findUser(db, username);
    if (!before) return undefined;
    const role = change.role === undefined ? before.role : checkRole(change.role);
    const districts = await checkDistricts(
      db,
      role,
      change.districts ?? (role === 'inspector' ? (before.districts ?? []) : []),
    );
    const disabled = change.disabled ?? before.disabled;
    await db.transaction(async (c) => {
      if ((role !== 'admin' || disabled) && before.role === 'admin' && !before.disabled)
        await keepAnAdmin(c, username);
      await c.run(
        `UPDATE users SET role = $role, districts = CAST($districts AS INTEGER[]), disabled = $disabled
         WHERE username = $username`,
        { username, role, districts: districts ? JSON.stringify(districts) : null, disabled },
      );
      if (disabled && !before.disabled)
        await c.run('DELETE FROM sessions WHERE username = $username', { username });
    });
    const after = await findUser(db, username);
    return after && { before, after };
  });
}

/**
 * Sets a new password (already checked by the caller against the password policy) and ends every
 * session of the user except `keepSession` (an id hash: the user's own, when they change it
 * themselves). `mustChange`: an admin chose it, so the user must replace it at next sign-in.
 * Returns false when there is no such user.
 */
export async function setPassword(
  db: Db,
  username: string,
  password: string,
  opts: { mustChange: boolean; keepSession?: string },
): Promise<boolean> {
  const hash = await hashPassword(checkPassword(password));
  return serialised(db, () =>
    db.transaction(async (c) => {
      const [r] = await rowsOf<{ n: number }>(
        c,
        'SELECT count(*)::INTEGER AS n FROM users WHERE username = $username',
        { username },
      );
      if ((r?.n ?? 0) === 0) return false;
      await c.run(
        'UPDATE users SET password_hash = $hash, must_change_password = $must WHERE username = $username',
        { username, hash, must: opts.mustChange },
      );
      await c.run('DELETE FROM sessions WHERE username = $username AND id_hash IS DISTINCT FROM $keep', {
        username,
        keep: opts.keepSession ?? null,
      });
      return true;
    }),
  );
}

/** Ends every session of the user at once. Returns how many were live (not expired). */
export async function endSessions(db: Db, username: string): Promise<number> {
  return db.transaction(async (c) => {
    const [r] = await rowsOf<{ n: number }>(
      c,
      'SELECT count(*)::INTEGER AS n FROM sessions WHERE username = $username AND expires_at > now()',
      { username },
    );
    await c.run('DELETE FROM sessions WHERE username = $username', { username });
    return r?.n ?? 0;
  });
}

/** Live (unexpired) sessions per user. */
export async function liveSessionCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db.all<{ username: string; n: number }>(
    `SELECT username, count(*)::INTEGER AS n FROM sessions WHERE expires_at > now() GROUP BY username`,
  );
  return new Map(rows.map((r) => [r.username, r.n]));
}

export async function recordLogin(db: Db, username: string): Promise<void> {
  await db.run('UPDATE users SET last_login_at = now() WHERE username = $username', { username });
}

const PUBLIC_COLUMNS = `username, role, districts, strftime(created_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS created_at, disabled,
  strftime(last_login_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS last_login_at, coalesce(must_change_password, false) AS must_change_password`;

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
    last_login_at: row.last_login_at ?? null,
    must_change_password: Boolean(row.must_change_password),
  };
}

export function toAuthUser(u: AuthUser): AuthUser {
  return { username: u.username, role: u.role, districts: u.districts };
}
