/**
 * Access middleware: who is asking (`requireAuth`), may they (`requireRole`, `authorize` with the
 * route policy), did the request come from our own pages (`csrfProtection`), and what part of the
 * city may they see (`districtScope`).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Db } from '../db.ts';
import { requestOrigin } from '../security/client.ts';
import { accessError } from '../security/errors.ts';
import { policyFor } from './policy.ts';
import { findSession, readSessionCookie, type SessionOptions } from './session.ts';
import type { AuthUser, Role } from './users.ts';

export type { AuthUser, Role } from './users.ts';

export interface AuthOptions extends SessionOptions {
  /** Origins allowed besides the request's own (e.g. the Vite dev server). */
  allowedOrigins?: string[];
  /**
   * A session that lives only in this process, for `npm run report` (api/report/cli.ts), which serves
   * the dashboard on 127.0.0.1 to its own chromium: a request carrying `token` in the INTERNAL_HEADER is
   * `user`. Never set by `npm run serve` or `npm start`; the token is random per run and never stored.
   */
  internal?: { token: string; user: AuthUser };
}

/** The header of the in-process session (AuthOptions.internal). */
export const INTERNAL_HEADER = 'X-Shafaf-Internal';

export interface AuthVariables {
  user: AuthUser;
  session: { idHash: string; csrfToken: string; mustChangePassword?: boolean };
}
export type AuthEnv = { Variables: AuthVariables };

export const CSRF_HEADER = 'X-CSRF-Token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** null = the whole city; an inspector gets their districts, and only those. */
export function districtScope(user: AuthUser): number[] | null {
  if (user.role !== 'inspector') return null;
  // An inspector without districts sees nothing rather than everything.
  return user.districts ?? [];
}

/** Looks up the session once per request; later calls reuse what the first one found. */
async function authenticate(c: Context<AuthEnv>, db: Db, opts: AuthOptions): Promise<boolean> {
  if (c.get('user')) return true;
  if (opts.internal) {
    const sent = c.req.header(INTERNAL_HEADER);
    if (sent && sameToken(sent, opts.internal.token)) {
      c.set('user', opts.internal.user);
      c.set('session', { idHash: 'internal', csrfToken: opts.internal.token });
      return true;
    }
  }
  const id = await readSessionCookie(c, db);
  if (!id) return false;
  const s = await findSession(db, id, opts);
  if (!s) return false;
  c.set('user', s.user);
  c.set('session', { idHash: s.idHash, csrfToken: s.csrfToken, mustChangePassword: s.mustChangePassword });
  return true;
}

const unauthorized = (c: Context) =>
  accessError(c, 'unauthorized', 'Sign in first: there is no valid session (it may have expired).');

export function requireAuth(db: Db, opts: AuthOptions = {}): MiddlewareHandler<AuthEnv> {
  return async (c, next) => ((await authenticate(c, db, opts)) ? next() : unauthorized(c));
}

function roleDenied(c: Context<AuthEnv>, roles: readonly Role[]): Response | null {
  const user = c.get('user');
  if (user && roles.includes(user.role)) return null;
  return accessError(
    c,
    'forbidden',
    `This needs the role ${roles.join(' or ')}; you are ${user?.role ?? 'nobody'}.`,
  );
}

/** Run after requireAuth. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AuthEnv> {
  return async (c, next) => roleDenied(c, roles) ?? next();
}

/**
 * An Origin header, when the browser sends one, must be our own. Browsers send it on every
 * cross-site POST, so this alone stops cross-site form posts; the token below covers the rest.
 */
export function originDenied(c: Context, opts: AuthOptions = {}): Response | null {
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    if (origin === requestOrigin(c, opts) || opts.allowedOrigins?.includes(origin)) return null;
    return accessError(c, 'forbidden', 'Requests from another origin are not accepted.');
  }
  const site = c.req.header('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site')
    return accessError(c, 'forbidden', 'Cross-site requests are not accepted.');
  return null;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function csrfDenied(c: Context<AuthEnv>, opts: AuthOptions): Response | null {
  if (SAFE_METHODS.has(c.req.method)) return null;
  const denied = originDenied(c, opts);
  if (denied) return denied;
  const expected = c.get('session')?.csrfToken;
  const sent = c.req.header(CSRF_HEADER);
  if (!expected || !sent || !sameToken(sent, expected)) {
    return accessError(
      c,
      'forbidden',
      `Missing or wrong ${CSRF_HEADER} header: send the csrf_token from /api/auth/login or /api/auth/me.`,
    );
  }
  return null;
}

/** Run after requireAuth: POST/PUT/PATCH/DELETE need the session's CSRF token and our own origin. */
export function csrfProtection(opts: AuthOptions = {}): MiddlewareHandler<AuthEnv> {
  return async (c, next) => csrfDenied(c, opts) ?? next();
}

/** What a session whose password an admin chose may still do: see who it is, sign out, set its own. */
const BEFORE_OWN_PASSWORD = new Set(['/api/auth/me', '/api/auth/logout', '/api/auth/password']);

function passwordChangeDenied(c: Context<AuthEnv>): Response | null {
  if (!c.get('session')?.mustChangePassword) return null;
  if (BEFORE_OWN_PASSWORD.has(c.req.path.replace(/\/+$/, ''))) return null;
  return accessError(
    c,
    'forbidden',
    'Set your own password first (POST /api/auth/password): the one you signed in with was chosen by an admin.',
  );
}

/**
 * The one gate for the whole API, driven by `policyFor`: public routes pass; everything else needs
 * a session (401), a route policy that names the user's role (403; a route with no policy is
 * refused, so a forgotten route fails closed), for state changes the CSRF checks (403), and a user
 * signed in with a password an admin chose may only set their own (403).
 */
export function authorize(db: Db, opts: AuthOptions = {}): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const policy = policyFor(c.req.method, c.req.path);
    if (policy === 'public') return next();
    if (!(await authenticate(c, db, opts))) return unauthorized(c);
    if (!policy) return accessError(c, 'forbidden', `No access policy covers ${c.req.method} ${c.req.path}.`);
    return roleDenied(c, policy) ?? csrfDenied(c, opts) ?? passwordChangeDenied(c) ?? next();
  };
}
