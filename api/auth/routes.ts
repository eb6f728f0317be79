/**
 * `/api/auth`: login, logout, me, and a user's change of their own password. Mount with
 * `app.route('/api/auth', authRoutes(db, opts))`; zod-openapi routes, so they are in
 * /api/openapi.json. A failed login says the same thing, after the same scrypt work, whether the user
 * exists or not. The schemas here are the one description of these answers: the dashboard takes its
 * types from them (`z.infer`).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { audit } from '../audit/log.ts';
import type { Db } from '../db.ts';
import { ErrorSchema } from '../errors.ts';
import { errorResponses, json, newRouter } from '../routes/router.ts';
import { clientIp } from '../security/client.ts';
import { LoginRateLimiter } from '../security/rate-limit.ts';
import { type AuthEnv, type AuthOptions, csrfProtection, originDenied, requireAuth } from './middleware.ts';
import { burnPasswordCheck, verifyPassword } from './password.ts';
import { checkNewPassword } from './password-policy.ts';
import {
  clearSessionCookie,
  createSession,
  deleteSession,
  deleteSessionByHash,
  readSessionCookie,
  writeSessionCookie,
} from './session.ts';
import {
  findUserWithHash,
  MAX_PASSWORD_LENGTH,
  ROLES,
  recordLogin,
  setPassword,
  toAuthUser,
  UserError,
} from './users.ts';

export interface AuthRoutesOptions extends AuthOptions {
  /** One limiter per server; tests pass their own with a fake clock. */
  limiter?: LoginRateLimiter;
}

export const AuthUserSchema = z
  .object({
    username: z.string(),
    role: z.enum(ROLES),
    districts: z
      .array(z.number())
      .nullable()
      .openapi({ description: "An inspector's districts; null for roles that see the whole city" }),
  })
  .openapi('AuthUser');

export const SignedInSchema = z
  .object({
    user: AuthUserSchema,
    csrf_token: z
      .string()
      .openapi({ description: 'Send it as X-CSRF-Token on every state-changing request' }),
    must_change_password: z.boolean().openapi({
      description:
        'The password was chosen by an admin: until the user sets their own (POST /api/auth/password), every other route answers 403',
    }),
  })
  .openapi('SignedIn');
export type SignedIn = z.infer<typeof SignedInSchema>;

const LoginBody = z.object({
  username: z.string().min(1, 'username is required').max(64, 'username is too long'),
  password: z.string().min(1, 'password is required').max(MAX_PASSWORD_LENGTH, 'password is too long'),
});

export const PasswordChangeBody = z.object({
  current_password: z
    .string()
    .min(1, 'current_password is required')
    .max(MAX_PASSWORD_LENGTH, 'current_password is too long'),
  new_password: z
    .string()
    .min(1, 'new_password is required')
    .max(MAX_PASSWORD_LENGTH, 'new_password is too long')
    .openapi({
      description: 'At least 8 characters, not one of the most common passwords, not the username',
    }),
});
export type PasswordChange = z.infer<typeof PasswordChangeBody>;

const OkSchema = z.object({ ok: z.literal(true) });

const tooMany = {
  429: {
    content: { 'application/json': { schema: ErrorSchema } },
    description: 'Too many failed attempts; Retry-After says when to try again',
  },
};

const BAD_CREDENTIALS = 'Wrong username or password.';

type Ctx = Parameters<MiddlewareHandler<AuthEnv>>[0];

/** The API's 400 shape, naming the field. */
const badField = (c: Ctx, parameter: string, message: string) =>
  c.json({ error: { code: 'bad_parameter' as const, parameter, message: `${parameter}: ${message}` } }, 400);

export function authRoutes(db: Db, opts: AuthRoutesOptions = {}) {
  const limiter = opts.limiter ?? new LoginRateLimiter({ now: opts.now, store: db });
  const clock = opts.now ?? Date.now;
  const sameOrigin: MiddlewareHandler<AuthEnv> = async (c, next) => originDenied(c, opts) ?? next();
  const rateLimited = (c: Ctx, retryAfter: number, what: string) =>
    c.json(
      {
        error: {
          code: 'too_many_requests' as const,
          message: `Too many failed ${what}; try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
        },
      },
      429,
      { 'Retry-After': String(retryAfter) },
    );

  return newRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/login',
        summary: 'Signs in: sets the session cookie and returns the user and the CSRF token',
        middleware: [sameOrigin] as const,
        request: { body: { content: { 'application/json': { schema: LoginBody } }, required: true } },
        responses: { ...json(SignedInSchema, 'Signed in'), ...errorResponses, ...tooMany },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const username = body.username.trim().toLowerCase();
        const ip = clientIp(c, opts);

        const retryAfter = await limiter.attempt(username, ip);
        if (retryAfter !== null) {
          await audit(db, {
            action: 'login_failed',
            username: null,
            ip,
            detail: { attempted: username, reason: 'rate_limited' },
          });
          return rateLimited(c, retryAfter, 'sign-ins');
        }

        const user = await findUserWithHash(db, username);
        const ok =
          user && !user.disabled
            ? await verifyPassword(body.password, user.password_hash)
            : await burnPasswordCheck(body.password);
        if (!ok || !user) {
          await audit(db, {
            action: 'login_failed',
            username: user ? user.username : null,
            ip,
            detail: user
              ? { reason: user.disabled ? 'disabled' : 'wrong_password' }
              : { attempted: username, reason: 'unknown_user' },
          });
          return c.json({ error: { code: 'unauthorized' as const, message: BAD_CREDENTIALS } }, 401);
        }
        await limiter.succeeded(username, ip);

        // A fresh id on every sign-in (no session fixation); the browser's old session, if any, ends.
        const oldId = await readSessionCookie(c, db);
        if (oldId) await deleteSession(db, oldId);
        const session = await createSession(db, user.username, { ...opts, now: clock });
        await writeSessionCookie(c, db, session.id, opts);
        await recordLogin(db, user.username);
        await audit(db, { action: 'login', username: user.username, ip });
        return c.json(
          {
            user: toAuthUser(user),
            csrf_token: session.csrfToken,
            must_change_password: user.must_change_password,
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/logout',
        summary: 'Signs out: ends this session (needs X-CSRF-Token)',
        middleware: [requireAuth(db, opts), csrfProtection(opts)] as const,
        responses: { ...json(OkSchema, 'Signed out'), ...errorResponses },
      }),
      async (c) => {
        await deleteSessionByHash(db, c.get('session').idHash);
        clearSessionCookie(c, opts);
        await audit(db, { action: 'logout', username: c.get('user').username, ip: clientIp(c, opts) });
        return c.json({ ok: true as const }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/me',
        summary: 'Who is signed in, with the CSRF token of the session',
        middleware: [requireAuth(db, opts)] as const,
        responses: { ...json(SignedInSchema, 'The signed-in user'), ...errorResponses },
      }),
      (c) => {
        c.header('Cache-Control', 'no-store');
        const s = c.get('session');
        return c.json(
          {
            user: c.get('user'),
            csrf_token: s.csrfToken,
            must_change_password: Boolean(s.mustChangePassword),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/password',
        summary:
          "Changes the signed-in user's own password (needs the current one and X-CSRF-Token); ends their other sessions",
        middleware: [requireAuth(db, opts), csrfProtection(opts)] as const,
        request: {
          body: { content: { 'application/json': { schema: PasswordChangeBody } }, required: true },
        },
        responses: { ...json(OkSchema, 'Changed'), ...errorResponses, ...tooMany },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const { username } = c.get('user');
        const ip = clientIp(c, opts);
        // Guessing the current password through a session left open counts like failed sign-ins.
        const retryAfter = await limiter.attempt(username, ip);
        if (retryAfter !== null) return rateLimited(c, retryAfter, 'password checks');
        const user = await findUserWithHash(db, username);
        if (!user || !(await verifyPassword(body.current_password, user.password_hash)))
          return badField(c, 'current_password', 'that is not your current password.');
        await limiter.succeeded(username, ip);
        if (body.new_password === body.current_password)
          return badField(c, 'new_password', 'choose a password different from the current one.');
        try {
          await checkNewPassword(db, username, body.new_password);
        } catch (err) {
          if (err instanceof UserError) return badField(c, 'new_password', err.message);
          throw err;
        }
        await setPassword(db, username, body.new_password, {
          mustChange: false,
          keepSession: c.get('session').idHash,
        });
        await audit(db, { action: 'password_change', username, ip });
        return c.json({ ok: true as const }, 200);
      },
    );
}
