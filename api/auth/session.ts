/**
 * Server-side sessions (table `sessions`). The browser holds a random 32-byte id in a signed,
 * HttpOnly, SameSite=Strict cookie; the table holds only its SHA-256, so a leaked database file
 * gives no usable session. Each session carries its own CSRF token, returned by login and /me and
 * required in `X-CSRF-Token` on every state-changing request.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { Db } from '../db.ts';
import { type ClientOptions, isHttps } from '../security/client.ts';
import { cookieSecret } from './secret.ts';
import { type AuthUser, isRole } from './users.ts';

export const SESSION_COOKIE = 'shafaf_session';
export const SESSION_TTL_S = 8 * 60 * 60;

export interface SessionOptions extends ClientOptions {
  /** Milliseconds since the epoch; tests pass a fake clock to expire sessions. */
  now?: () => number;
  ttlSeconds?: number;
}

export interface Session {
  idHash: string;
  user: AuthUser;
  csrfToken: string;
  expiresAtMs: number;
  /** The user signed in with a password an admin chose: they must set their own first. */
  mustChangePassword: boolean;
}

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');
const nowS = (opts: SessionOptions) => (opts.now ?? Date.now)() / 1000;

/**
 * Recently found sessions by id hash, each with the Db write generation it was read at. Any write
 * through the handle (logout, a new login, a user disabled or removed, in the CLI code or a test)
 * moves the generation and so drops every entry at once; the short lifetime bounds how long a write
 * this process cannot see could go unnoticed. Saves a query on every request of a busy dashboard.
 * Lifetimes are spread (jitter) so that sessions signed in together do not all expire at once and
 * queue their queries behind each other.
 */
const SESSION_CACHE_MS = 10_000;
const SESSION_CACHE_MAX = 10_000;
const sessionCache = new WeakMap<Db, Map<string, { s: Session; generation: number; until: number }>>();

function cachedSession(db: Db, idHash: string, opts: SessionOptions): Session | null {
  const e = sessionCache.get(db)?.get(idHash);
  if (!e) return null;
  const now = nowS(opts) * 1000;
  if (e.generation !== db.generation || now >= e.until || now >= e.s.expiresAtMs) {
    sessionCache.get(db)?.delete(idHash);
    return null;
  }
  return e.s;
}

function rememberSession(db: Db, s: Session, generation: number, opts: SessionOptions): void {
  let m = sessionCache.get(db);
  if (!m) {
    m = new Map();
    sessionCache.set(db, m);
  }
  if (m.size >= SESSION_CACHE_MAX) m.clear();
  const ttl = SESSION_CACHE_MS * (0.5 + Math.random() / 2);
  m.set(s.idHash, { s, generation, until: nowS(opts) * 1000 + ttl });
}

export async function createSession(
  db: Db,
  username: string,
  opts: SessionOptions = {},
): Promise<{ id: string; csrfToken: string; expiresAtMs: number }> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const now = nowS(opts);
  const expires = now + (opts.ttlSeconds ?? SESSION_TTL_S);
  await db.run(
    `INSERT INTO sessions (id_hash, username, created_at, expires_at, csrf_token)
     VALUES ($id_hash, $username, to_timestamp($now), to_timestamp($expires), $csrf)`,
    { id_hash: hashId(id), username, now, expires, csrf: csrfToken },
  );
  return { id, csrfToken, expiresAtMs: expires * 1000 };
}

/** The live session for an id: not expired, and its user still exists and is not disabled. */
export async function findSession(db: Db, id: string, opts: SessionOptions = {}): Promise<Session | null> {
  const idHash = hashId(id);
  const hit = cachedSession(db, idHash, opts);
  if (hit) return hit;
  const generation = db.generation;
  const row = await db.one<{
    id_hash: string;
    csrf_token: string;
    expires_s: number;
    username: string;
    role: string;
    districts: number[] | null;
    must_change_password: boolean | null;
  }>(
    `SELECT s.id_hash, s.csrf_token, epoch(s.expires_at) AS expires_s, u.username, u.role, u.districts,
            u.must_change_password
     FROM sessions s JOIN users u USING (username)
     WHERE s.id_hash = $id_hash AND s.expires_at > to_timestamp($now) AND NOT u.disabled`,
    { id_hash: idHash, now: nowS(opts) },
  );
  if (!row || !isRole(row.role)) return null;
  const s: Session = {
    idHash: row.id_hash,
    csrfToken: row.csrf_token,
    expiresAtMs: row.expires_s * 1000,
    mustChangePassword: Boolean(row.must_change_password),
    user: {
      username: row.username,
      role: row.role,
      districts: row.role === 'inspector' ? (row.districts ?? []).map(Number) : null,
    },
  };
  rememberSession(db, s, generation, opts);
  return s;
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await deleteSessionByHash(db, hashId(id));
}

export async function deleteSessionByHash(db: Db, idHash: string): Promise<void> {
  sessionCache.get(db)?.delete(idHash);
  await db.run('DELETE FROM sessions WHERE id_hash = $id_hash', { id_hash: idHash });
}

/** Housekeeping: expired rows are never honoured, this only keeps the table small. */
export async function purgeExpiredSessions(db: Db, opts: SessionOptions = {}): Promise<void> {
  await db.run('DELETE FROM sessions WHERE expires_at <= to_timestamp($now)', { now: nowS(opts) });
}

/** The session id from the request's cookie; null when absent or when its signature does not verify. */
export async function readSessionCookie(c: Context, db: Db): Promise<string | null> {
  const value = await getSignedCookie(c, await cookieSecret(db), SESSION_COOKIE);
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export async function writeSessionCookie(c: Context, db: Db, id: string, opts: SessionOptions = {}) {
  await setSignedCookie(c, SESSION_COOKIE, id, await cookieSecret(db), {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: isHttps(c, opts),
    maxAge: opts.ttlSeconds ?? SESSION_TTL_S,
  });
}

export function clearSessionCookie(c: Context, opts: SessionOptions = {}): void {
  deleteCookie(c, SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: isHttps(c, opts),
  });
}
