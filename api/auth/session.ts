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
}

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');
const nowS = (opts: SessionOptions) => (opts.now ?? Date.now)() / 1000;

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
  const row = await db.one<{
    id_hash: string;
    csrf_token: string;
    expires_s: number;
    username: string;
    role: string;
    districts: number[] | null;
  }>(
    `SELECT s.id_hash, s.csrf_token, epoch(s.expires_at) AS expires_s, u.username, u.role, u.districts
     FROM sessions s JOIN users u USING (username)
     WHERE s.id_hash = $id_hash AND s.expires_at > to_timestamp($now) AND NOT u.disabled`,
    { id_hash: hashId(id), now: nowS(opts) },
  );
  if (!row || !isRole(row.role)) return null;
  return {
    idHash: row.id_hash,
    csrfToken: row.csrf_token,
    expiresAtMs: row.expires_s * 1000,
    user: {
      username: row.username,
      role: row.role,
      districts: row.role === 'inspector' ? (row.districts ?? []).map(Number) : null,
    },
  };
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await deleteSessionByHash(db, hashId(id));
}

export async function deleteSessionByHash(db: Db, idHash: string): Promise<void> {
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
