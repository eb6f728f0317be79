/**
 * `/api/users`: user management for admins (the route policy lets no other role in). List, add (with
 * a one-time password generated and returned once, or one the admin typed), change role and
 * districts, disable or enable, reset the password, end all sessions, remove. Every change is in the
 * audit log under the admin's name. The rules: no change may leave no enabled admin, and an admin
 * may not take away their own admin role, disable or remove themselves, or reset their own password
 * here (their own change asks for the current one: POST /api/auth/password). A password the admin
 * chose must be replaced by the user at their next sign-in.
 *
 * The zod schemas below are the one description of this API: the dashboard takes its types from
 * them (`z.infer`), and /api/openapi.json is generated from them.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type AuditEntry, audit } from '../audit/log.ts';
import { demoAccountsWithDemoPassword, isDemoDatabase } from '../auth/demo-users.ts';
import type { AuthEnv } from '../auth/middleware.ts';
import { checkNewPassword, generatePassword } from '../auth/password-policy.ts';
import {
  addUser,
  endSessions,
  findUser,
  listUsers,
  liveSessionCounts,
  MAX_PASSWORD_LENGTH,
  RefusedChange,
  ROLES,
  removeUser,
  setPassword,
  UserError,
  type UserRecord,
  updateUser,
} from '../auth/users.ts';
import { FormatParam, query } from '../params.ts';
import { type ClientOptions, clientIp } from '../security/client.ts';
import { type Deps, errorResponses, json, newRouter } from './router.ts';

export const UserRowSchema = z
  .object({
    username: z.string(),
    role: z.enum(ROLES),
    districts: z
      .array(z.number())
      .nullable()
      .openapi({ description: "An inspector's districts; null for roles that see the whole city" }),
    created_at: z.string(),
    last_login_at: z.string().nullable().openapi({ description: 'Last successful sign-in; null: never' }),
    disabled: z.boolean(),
    must_change_password: z
      .boolean()
      .openapi({ description: 'Signed in with a password an admin chose: must set their own first' }),
    sessions: z.number().openapi({ description: 'Sessions open now (signed in, not expired)' }),
  })
  .openapi('User');
export type UserRow = z.infer<typeof UserRowSchema>;

export const UserListSchema = z.object({
  users: z.array(UserRowSchema),
  demo_database: z.boolean().openapi({ description: 'The database holds the demo city and nothing else' }),
  demo_passwords_on_real_data: z.array(z.string()).openapi({
    description:
      'On a database that is not the demo: the demo accounts that still sign in with their public password (change or remove them)',
  }),
});
export type UserList = z.infer<typeof UserListSchema>;

const Username = z.string().min(1, 'username is required').max(64, 'username is too long');
const Districts = z
  .array(z.number().int('a district is a whole number').min(1, 'a district is a whole number from 1'))
  .max(100, 'at most 100 districts')
  .openapi({ description: "An inspector's districts (at least one); none for the other roles" });
const Password = z
  .string()
  .max(MAX_PASSWORD_LENGTH, 'password is too long')
  .openapi({ description: 'At least 8 characters, not one of the most common passwords' });

export const NewUserBody = z.object({
  username: Username.openapi({
    description: '2–32 lower-case latin letters, digits, ".", "_" or "-"',
  }),
  role: z.enum(ROLES),
  districts: Districts.optional(),
  password: Password.optional().openapi({
    description: 'Omit to have a one-time password generated (returned once, in this answer)',
  }),
});
export type NewUserInput = z.infer<typeof NewUserBody>;

export const UserChangeBody = z.object({
  role: z.enum(ROLES).optional(),
  districts: Districts.optional(),
  disabled: z.boolean().optional().openapi({ description: 'true ends all of the user’s sessions at once' }),
  password: Password.optional().openapi({ description: 'A new password the admin typed' }),
  generate_password: z
    .literal(true)
    .optional()
    .openapi({ description: 'Generate a one-time password (returned once, in this answer)' }),
  end_sessions: z.literal(true).optional().openapi({ description: 'Sign the user out everywhere now' }),
});
export type UserChangeInput = z.infer<typeof UserChangeBody>;

export const UserChangedSchema = z.object({
  user: UserRowSchema,
  one_time_password: z
    .string()
    .nullable()
    .openapi({ description: 'The generated password, shown this once; null when none was generated' }),
  sessions_ended: z.number(),
});
export type UserChanged = z.infer<typeof UserChangedSchema>;

const NameParam = z.object({
  username: Username.openapi({ param: { name: 'username', in: 'path' } }),
});

type Ctx = Context<AuthEnv>;

function badField(c: Ctx, parameter: string, message: string) {
  return c.json({ error: { code: 'bad_parameter' as const, parameter, message } }, 400);
}

function forbidden(c: Ctx, message: string) {
  return c.json({ error: { code: 'forbidden' as const, message } }, 403);
}

function noSuchUser(c: Ctx, username: string) {
  return c.json(
    { error: { code: 'not_found' as const, message: `No user named ${JSON.stringify(username)}.` } },
    404,
  );
}

/** A UserError as an answer: a refused change is 403, bad input a 400 naming the field. */
function userErrorResponse(c: Ctx, err: UserError) {
  if (err instanceof RefusedChange) return forbidden(c, err.message);
  return badField(c, err.parameter ?? 'body', `${err.parameter ?? 'body'}: ${err.message}`);
}

async function enabledAdmins(deps: Deps): Promise<number> {
  const r = await deps.db.one<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM users WHERE role = 'admin' AND NOT disabled`,
  );
  return r?.n ?? 0;
}

/**
 * What an admin may not do to themselves. The last-admin rule is named first when it applies
 * (a sole admin demoting themselves would also leave nobody to manage users).
 */
async function selfRefusal(deps: Deps, what: 'demote' | 'disable' | 'remove'): Promise<string> {
  if ((await enabledAdmins(deps)) <= 1)
    return 'You are the last admin: add or enable another admin first, or nobody could manage users.';
  if (what === 'demote') return 'You cannot take away your own admin role: another admin must do it.';
  if (what === 'disable') return 'You cannot disable yourself: another admin must do it.';
  return 'You cannot remove yourself: another admin must do it.';
}

function row(u: UserRecord, sessions: Map<string, number>): UserRow {
  return {
    username: u.username,
    role: u.role,
    districts: u.districts,
    created_at: u.created_at,
    last_login_at: u.last_login_at,
    disabled: u.disabled,
    must_change_password: u.must_change_password,
    sessions: sessions.get(u.username) ?? 0,
  };
}

async function rowOf(deps: Deps, username: string): Promise<UserRow | undefined> {
  const u = await findUser(deps.db, username);
  return u && row(u, await liveSessionCounts(deps.db));
}

export const usersRoutes = (deps: Deps, opts: ClientOptions = {}) => {
  const record = (c: Ctx, entry: Omit<AuditEntry, 'username' | 'ip'>) =>
    audit(deps.db, { ...entry, username: c.get('user')?.username ?? null, ip: clientIp(c, opts) });

  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Every user with role, districts, last sign-in, sessions and status (admins only)',
        request: { query: query({ format: FormatParam }) },
        responses: { ...json(UserListSchema, 'The users, by name'), ...errorResponses },
      }),
      async (c) => {
        c.header('Cache-Control', 'no-store');
        const [users, sessions, demo] = await Promise.all([
          listUsers(deps.db),
          liveSessionCounts(deps.db),
          isDemoDatabase(deps.db),
        ]);
        return c.json(
          {
            users: users.map((u) => row(u, sessions)),
            demo_database: demo,
            demo_passwords_on_real_data: demo ? [] : await demoAccountsWithDemoPassword(deps.db),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        summary: 'Adds a user; without a password one is generated and returned once (needs X-CSRF-Token)',
        request: { body: { content: { 'application/json': { schema: NewUserBody } }, required: true } },
        responses: {
          201: {
            content: { 'application/json': { schema: UserChangedSchema } },
            description: 'Added; they must set their own password at first sign-in',
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const username = body.username.trim().toLowerCase();
        const generated = body.password === undefined ? generatePassword() : null;
        const password = body.password ?? generated!;
        try {
          if (body.password !== undefined) await checkNewPassword(deps.db, username, body.password);
          await addUser(deps.db, {
            username,
            role: body.role,
            districts: body.districts ?? [],
            password,
            mustChangePassword: true,
          });
        } catch (err) {
          if (err instanceof UserError) return userErrorResponse(c, err);
          throw err;
        }
        const user = (await rowOf(deps, username))!;
        await record(c, {
          action: 'user_add',
          detail: {
            user: username,
            role: user.role,
            districts: user.districts,
            password: generated ? 'generated' : 'typed',
            via: 'web',
          },
        });
        return c.json({ user, one_time_password: generated, sessions_ended: 0 }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/{username}',
        summary:
          'Changes role or districts, disables or enables, resets the password, or ends all sessions (needs X-CSRF-Token)',
        request: {
          params: NameParam,
          body: { content: { 'application/json': { schema: UserChangeBody } }, required: true },
        },
        responses: { ...json(UserChangedSchema, 'Changed'), ...errorResponses },
      }),
      async (c) => {
        const { username } = c.req.valid('param');
        const body = c.req.valid('json');
        const self = c.get('user')?.username === username;
        if (
          body.role === undefined &&
          body.districts === undefined &&
          body.disabled === undefined &&
          body.password === undefined &&
          !body.generate_password &&
          !body.end_sessions
        )
          return badField(
            c,
            'body',
            'body: nothing to change: give role, districts, disabled, password, generate_password or end_sessions.',
          );
        if (body.password !== undefined && body.generate_password)
          return badField(c, 'password', 'password: give a password or generate_password, not both.');
        const before = await findUser(deps.db, username);
        if (!before) return noSuchUser(c, username);
        if (self && body.role !== undefined && body.role !== 'admin')
          return forbidden(c, await selfRefusal(deps, 'demote'));
        if (self && body.disabled === true) return forbidden(c, await selfRefusal(deps, 'disable'));
        if (self && (body.password !== undefined || body.generate_password))
          return forbidden(
            c,
            'Change your own password on your account page (POST /api/auth/password): it asks for the current one.',
          );

        const sessionsBefore = (await liveSessionCounts(deps.db)).get(username) ?? 0;
        const generated = body.generate_password ? generatePassword() : null;
        const entries: Omit<AuditEntry, 'username' | 'ip'>[] = [];
        try {
          if (body.password !== undefined) await checkNewPassword(deps.db, username, body.password);
          if (body.role !== undefined || body.districts !== undefined || body.disabled !== undefined) {
            const changed = await updateUser(deps.db, username, {
              role: body.role,
              districts: body.districts,
              disabled: body.disabled,
            });
            if (!changed) return noSuchUser(c, username);
            const { after } = changed;
            const access: Record<string, unknown> = {};
            if (after.role !== before.role) access.role = { from: before.role, to: after.role };
            if (JSON.stringify(after.districts) !== JSON.stringify(before.districts))
              access.districts = { from: before.districts, to: after.districts };
            if (Object.keys(access).length > 0)
              entries.push({ action: 'user_update', detail: { user: username, ...access } });
            if (after.disabled !== before.disabled)
              entries.push({
                action: after.disabled ? 'user_disable' : 'user_enable',
                detail: { user: username },
              });
          }
          const newPassword = body.password ?? generated;
          if (newPassword !== null) {
            if (!(await setPassword(deps.db, username, newPassword, { mustChange: true })))
              return noSuchUser(c, username);
            entries.push({
              action: 'user_password_reset',
              detail: { user: username, password: generated ? 'generated' : 'typed' },
            });
          }
          if (body.end_sessions) {
            await endSessions(deps.db, username);
            entries.push({ action: 'user_sessions_end', detail: { user: username } });
          }
        } catch (err) {
          if (err instanceof UserError) return userErrorResponse(c, err);
          throw err;
        } finally {
          // What was done is on the record even if a later step failed.
          for (const e of entries) await record(c, e);
        }
        const user = (await rowOf(deps, username))!;
        return c.json(
          {
            user,
            one_time_password: generated,
            sessions_ended: Math.max(0, sessionsBefore - user.sessions),
          },
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/{username}',
        summary: 'Removes a user and ends their sessions (needs X-CSRF-Token)',
        request: { params: NameParam },
        responses: {
          ...json(z.object({ ok: z.literal(true), sessions_ended: z.number() }), 'Removed'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const { username } = c.req.valid('param');
        if (c.get('user')?.username === username) return forbidden(c, await selfRefusal(deps, 'remove'));
        const sessions = (await liveSessionCounts(deps.db)).get(username) ?? 0;
        try {
          if (!(await removeUser(deps.db, username))) return noSuchUser(c, username);
        } catch (err) {
          if (err instanceof UserError) return userErrorResponse(c, err);
          throw err;
        }
        await record(c, {
          action: 'user_remove',
          detail: { user: username, sessions_ended: sessions, via: 'web' },
        });
        return c.json({ ok: true as const, sessions_ended: sessions }, 200);
      },
    );
};
