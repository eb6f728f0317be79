/**
 * `/api/auth`: login, logout, me. Mount with `app.route('/api/auth', authRoutes(db, opts))`.
 * A failed login says the same thing, after the same scrypt work, whether the user exists or not.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { audit } from '../audit/log.ts';
import type { Db } from '../db.ts';
import { clientIp } from '../security/client.ts';
import { accessError } from '../security/errors.ts';
import { LoginRateLimiter } from '../security/rate-limit.ts';
import { type AuthEnv, type AuthOptions, csrfProtection, originDenied, requireAuth } from './middleware.ts';
import { burnPasswordCheck, verifyPassword } from './password.ts';
import {
  clearSessionCookie,
  createSession,
  deleteSession,
  deleteSessionByHash,
  readSessionCookie,
  writeSessionCookie,
} from './session.ts';
import { findUserWithHash, MAX_PASSWORD_LENGTH, toAuthUser } from './users.ts';

export interface AuthRoutesOptions extends AuthOptions {
  /** One limiter per server; tests pass their own with a fake clock. */
  limiter?: LoginRateLimiter;
}

const LoginBody = z.object({
  username: z.string().min(1, 'username is required').max(64, 'username is too long'),
  password: z.string().min(1, 'password is required').max(MAX_PASSWORD_LENGTH, 'password is too long'),
});

const BAD_CREDENTIALS = 'Wrong username or password.';

export function authRoutes(db: Db, opts: AuthRoutesOptions = {}) {
  const limiter = opts.limiter ?? new LoginRateLimiter({ now: opts.now });
  const clock = opts.now ?? Date.now;

  return new Hono<AuthEnv>()
    .post('/login', async (c) => {
      const denied = originDenied(c, opts);
      if (denied) return denied;
      const raw = await c.req.json().catch(() => undefined);
      const parsed = LoginBody.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const parameter = issue?.path.length ? String(issue.path[0]) : 'body';
        const message =
          raw === undefined
            ? 'The body must be JSON: {"username": "...", "password": "..."}.'
            : issue.message;
        return c.json({ error: { code: 'bad_parameter', parameter, message } }, 400);
      }
      const username = parsed.data.username.trim().toLowerCase();
      const ip = clientIp(c, opts);

      const retryAfter = limiter.attempt(username, ip);
      if (retryAfter !== null) {
        await audit(db, {
          action: 'login_failed',
          username: null,
          ip,
          detail: { attempted: username, reason: 'rate_limited' },
        });
        return accessError(
          c,
          'too_many_requests',
          `Too many failed sign-ins; try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
          { 'Retry-After': String(retryAfter) },
        );
      }

      const user = await findUserWithHash(db, username);
      const ok =
        user && !user.disabled
          ? await verifyPassword(parsed.data.password, user.password_hash)
          : await burnPasswordCheck(parsed.data.password);
      if (!ok || !user) {
        await audit(db, {
          action: 'login_failed',
          username: user ? user.username : null,
          ip,
          detail: user
            ? { reason: user.disabled ? 'disabled' : 'wrong_password' }
            : { attempted: username, reason: 'unknown_user' },
        });
        return accessError(c, 'unauthorized', BAD_CREDENTIALS);
      }
      limiter.succeeded(username, ip);

      // A fresh id on every sign-in (no session fixation); the browser's old session, if any, ends.
      const oldId = await readSessionCookie(c, db);
      if (oldId) await deleteSession(db, oldId);
      const session = await createSession(db, user.username, { ...opts, now: clock });
      await writeSessionCookie(c, db, session.id, opts);
      await audit(db, { action: 'login', username: user.username, ip });
      return c.json({ user: toAuthUser(user), csrf_token: session.csrfToken });
    })
    .post('/logout', requireAuth(db, opts), csrfProtection(opts), async (c) => {
      await deleteSessionByHash(db, c.get('session').idHash);
      clearSessionCookie(c, opts);
      await audit(db, { action: 'logout', username: c.get('user').username, ip: clientIp(c, opts) });
      return c.json({ ok: true });
    })
    .get('/me', requireAuth(db, opts), (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ user: c.get('user'), csrf_token: c.get('session').csrfToken });
    });
}
