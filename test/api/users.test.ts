/**
 * The users API in process, on the real app: who may call it, the CSRF check, the last-admin and
 * own-role rules, one-time passwords that must be replaced, sessions that end at once when a user is
 * disabled, reset or removed, every change in the audit log, and the routes in /api/openapi.json.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createApp } from '../../api/app.ts';
import { listAudit } from '../../api/audit/log.ts';
import { addUser, RefusedChange, removeUser, updateUser } from '../../api/auth/users.ts';
import type { Db } from '../../api/db.ts';
import { type Body, closed, makeDb } from './fixture.ts';
import { type Session, signIn, TEST_ORIGIN } from './session.ts';

type App = ReturnType<typeof createApp>;

let db: Db;
let app: App;
let admin: Session;

beforeEach(async () => {
  db = await makeDb({
    asOf: '2024-03-01T00:00:00Z',
    offices: [
      { office_id: 'D3-A', district: 3 },
      { office_id: 'D7-A', district: 7 },
    ],
    services: [{ service_code: 'S1', category: 'inquiry', sla_days: 5 }],
    cases: [
      closed('C1', 'D3-A', 'S1', '2024-01-10T06:00:00Z', 2),
      closed('C2', 'D7-A', 'S1', '2024-01-11T06:00:00Z', 4),
    ],
  });
  app = createApp({ db, geoPath: null, webRoot: null, log: () => {} });
  admin = await signIn(app, db, 'admin', { username: 'root' });
});
afterEach(() => db.close());

const json = (body: unknown) => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const post = (s: Session, path: string, body: unknown) => s.request(path, { method: 'POST', ...json(body) });
const patch = (s: Session, name: string, body: unknown) =>
  s.request(`/api/users/${name}`, { method: 'PATCH', ...json(body) });
const del = (s: Session, name: string) => s.request(`/api/users/${name}`, { method: 'DELETE' });

/** Signs in with a password through the real login route; the session as a requester. */
async function login(username: string, password: string): Promise<{ res: Response; s: Session | null }> {
  const res = await app.request(`${TEST_ORIGIN}/api/auth/login`, {
    method: 'POST',
    ...json({ username, password }),
  });
  if (res.status !== 200) return { res, s: null };
  const { csrf_token } = (await res.clone().json()) as { csrf_token: string };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const s: Session = {
    cookie,
    csrf: csrf_token,
    request(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      if ((init.method ?? 'GET') !== 'GET') headers.set('x-csrf-token', csrf_token);
      return Promise.resolve(app.request(`${TEST_ORIGIN}${path}`, { ...init, headers }));
    },
  };
  return { res, s };
}

async function usersList(): Promise<Body> {
  const res = await admin.request('/api/users');
  expect(res.status).toBe(200);
  return res.json();
}

async function auditRows(action?: string): Promise<Body[]> {
  const page = await listAudit(db, { page_size: 500 });
  return page.rows.filter((r) => action === undefined || r.action === action);
}

// 4 groups of 4 from the 31 letters and digits that are not easily confused (no 0, o, 1, l, i).
const ONE_TIME = /^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/;

describe('adding a user', () => {
  test('without a password: a one-time password, returned once, that must be replaced at first sign-in', async () => {
    const res = await post(admin, '/api/users', { username: 'Rezaei', role: 'inspector', districts: [7] });
    expect(res.status).toBe(201);
    const added = (await res.json()) as Body;
    expect(added.one_time_password).toMatch(ONE_TIME);
    expect(added.user).toMatchObject({
      username: 'rezaei',
      role: 'inspector',
      districts: [7],
      disabled: false,
      last_login_at: null,
      must_change_password: true,
      sessions: 0,
    });
    const otp = added.one_time_password as string;
    // Listed, but never with the password again.
    const list = await usersList();
    expect(list.users.map((u: Body) => u.username)).toEqual(['rezaei', 'root']);
    expect(JSON.stringify(list)).not.toContain(otp);

    const first = await login('rezaei', otp);
    expect(first.res.status).toBe(200);
    expect(((await first.res.json()) as Body).must_change_password).toBe(true);
    const s = first.s!;
    // Until they set their own password, nothing but me, logout and the password change.
    const meta = await s.request('/api/meta');
    expect(meta.status).toBe(403);
    expect(((await meta.json()) as Body).error.message).toMatch(/Set your own password first/);
    expect(((await (await s.request('/api/auth/me')).json()) as Body).must_change_password).toBe(true);

    const change = (current: string, next: string) =>
      post(s, '/api/auth/password', { current_password: current, new_password: next });
    const wrong = await change('not-the-one', 'a-fine-new-passphrase');
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as Body).error.parameter).toBe('current_password');
    for (const [weak, why] of [
      ['short', /at least 8/],
      ['password1', /most common/],
      ['Qwertyuiop', /most common/],
      ['rezaei-demo', /Demo passwords/],
      ['rezaei', /at least 8|username/],
      [otp, /different from the current/],
    ] as const) {
      const r = await change(otp, weak);
      expect(r.status, weak).toBe(400);
      const e = ((await r.json()) as Body).error;
      expect(e.parameter, weak).toBe('new_password');
      expect(e.message, weak).toMatch(why);
    }
    expect((await change(otp, 'a-fine-new-passphrase')).status).toBe(200);
    expect(((await (await s.request('/api/auth/me')).json()) as Body).must_change_password).toBe(false);
    // Now the data, and only district 7's.
    const scoped = (await (await s.request('/api/meta')).json()) as Body;
    expect(scoped.districts.map((d: Body) => d.district)).toEqual([7]);
    expect((await login('rezaei', otp)).res.status).toBe(401);
    expect((await login('rezaei', 'a-fine-new-passphrase')).res.status).toBe(200);

    const row = (await usersList()).users.find((u: Body) => u.username === 'rezaei');
    expect(row.must_change_password).toBe(false);
    expect(row.last_login_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(row.sessions).toBe(2);

    const adds = await auditRows('user_add');
    expect(adds).toHaveLength(1);
    expect(adds[0]).toMatchObject({
      username: 'root',
      detail: { user: 'rezaei', role: 'inspector', districts: [7], password: 'generated', via: 'web' },
    });
    expect(await auditRows('password_change')).toMatchObject([{ username: 'rezaei' }]);
    expect(JSON.stringify(await auditRows())).not.toMatch(new RegExp(`${otp}|a-fine-new-passphrase`));
  });

  test('with a typed password, checked like any new password', async () => {
    const common = await post(admin, '/api/users', {
      username: 'k1',
      role: 'manager',
      password: 'iloveyou1',
    });
    expect(common.status).toBe(400);
    expect(((await common.json()) as Body).error).toMatchObject({
      parameter: 'password',
      message: expect.stringMatching(/most common/),
    });
    const demo = await post(admin, '/api/users', {
      username: 'k1',
      role: 'manager',
      password: 'manager-demo',
    });
    expect(((await demo.json()) as Body).error.message).toMatch(/refused on a database with real data/);
    const ok = await post(admin, '/api/users', {
      username: 'k1',
      role: 'manager',
      password: 'typed-by-admin',
    });
    expect(ok.status).toBe(201);
    const body = (await ok.json()) as Body;
    expect(body.one_time_password).toBeNull();
    expect(body.user.must_change_password).toBe(true);
    expect((await login('k1', 'typed-by-admin')).res.status).toBe(200);
    expect((await auditRows('user_add'))[0].detail.password).toBe('typed');
  });

  test('bad input is a 400 naming the field; nothing is added', async () => {
    const cases: [Body, string, RegExp][] = [
      [{ username: 'x1', role: 'king' }, 'role', /./],
      [{ username: 'x1', role: 'inspector' }, 'districts', /at least one district/],
      [{ username: 'x1', role: 'inspector', districts: [40] }, 'districts', /Unknown district/],
      [{ username: 'x1', role: 'manager', districts: [3] }, 'districts', /whole city/],
      [{ username: 'x1', role: 'inspector', districts: [1.5] }, 'districts', /whole number/],
      [{ username: 'no spaces', role: 'manager' }, 'username', /not valid/],
      [{ username: 'root', role: 'manager' }, 'username', /already exists/],
      [{ role: 'manager' }, 'username', /./],
    ];
    for (const [body, parameter, message] of cases) {
      const res = await post(admin, '/api/users', body);
      const label = JSON.stringify(body);
      expect(res.status, label).toBe(400);
      const e = ((await res.json()) as Body).error;
      expect(e.parameter, label).toBe(parameter);
      expect(e.message, label).toMatch(message);
    }
    expect((await usersList()).users.map((u: Body) => u.username)).toEqual(['root']);
    expect(await auditRows('user_add')).toEqual([]);
  });
});

describe('who may manage users', () => {
  test('only admins, and only with the CSRF token from our own origin', async () => {
    for (const role of ['commissioner', 'manager', 'inspector'] as const) {
      const s = await signIn(app, db, role, role === 'inspector' ? { districts: [3] } : {});
      expect((await s.request('/api/users')).status, role).toBe(403);
      expect((await post(s, '/api/users', { username: 'x9', role: 'admin' })).status, role).toBe(403);
      expect((await patch(s, 'root', { role: 'manager' })).status, role).toBe(403);
      expect((await del(s, 'root')).status, role).toBe(403);
    }
    const other = await signIn(app, db, 'manager', { username: 'target' });
    const bare = (init: RequestInit) =>
      app.request(`${TEST_ORIGIN}/api/users/target`, {
        method: 'PATCH',
        ...json({ disabled: true }),
        ...init,
        headers: { 'content-type': 'application/json', cookie: admin.cookie, ...(init.headers ?? {}) },
      });
    for (const [label, headers] of [
      ['no token', {}],
      ['wrong token', { 'x-csrf-token': other.csrf }],
      ['another origin', { 'x-csrf-token': admin.csrf, origin: 'https://evil.example' }],
    ] as const) {
      const res = await bare({ headers });
      expect(res.status, label).toBe(403);
      expect(((await res.json()) as Body).error.code, label).toBe('forbidden');
    }
    expect((await other.request('/api/auth/me')).status).toBe(200);
    expect((await usersList()).users.find((u: Body) => u.username === 'target').disabled).toBe(false);
    expect((await bare({ headers: { 'x-csrf-token': admin.csrf } })).status).toBe(200);
  });
});

describe('the admin rules', () => {
  test('a sole admin cannot demote, disable or remove themselves; with two, not themselves either', async () => {
    for (const [res, label] of [
      [await patch(admin, 'root', { role: 'manager' }), 'demote'],
      [await patch(admin, 'root', { disabled: true }), 'disable'],
      [await del(admin, 'root'), 'remove'],
    ] as const) {
      expect(res.status, label).toBe(403);
      expect(((await res.json()) as Body).error.message, label).toMatch(/last admin/);
    }
    expect((await post(admin, '/api/users', { username: 'root2', role: 'admin' })).status).toBe(201);
    const own = await patch(admin, 'root', { role: 'inspector', districts: [3] });
    expect(own.status).toBe(403);
    expect(((await own.json()) as Body).error.message).toMatch(/your own admin role/);
    expect(((await (await patch(admin, 'root', { disabled: true })).json()) as Body).error.message).toMatch(
      /cannot disable yourself/,
    );
    expect(((await (await del(admin, 'root')).json()) as Body).error.message).toMatch(
      /cannot remove yourself/,
    );
    expect((await patch(admin, 'root', { generate_password: true })).status).toBe(403);
    // Another admin may be demoted; the change is on the record with before and after.
    const demoted = await patch(admin, 'root2', { role: 'manager' });
    expect(demoted.status).toBe(200);
    expect(((await demoted.json()) as Body).user).toMatchObject({ role: 'manager', districts: null });
    expect(await auditRows('user_update')).toMatchObject([
      { username: 'root', detail: { user: 'root2', role: { from: 'admin', to: 'manager' } } },
    ]);
    expect((await usersList()).users.find((u: Body) => u.username === 'root').role).toBe('admin');
  });

  test('the last enabled admin is kept by the user functions themselves (the CLI uses them too)', async () => {
    await addUser(db, { username: 'spare', password: 'spare-admin-pass', role: 'admin' });
    await updateUser(db, 'spare', { disabled: true });
    // Two admins, but only one enabled: root may not stop being one.
    await expect(updateUser(db, 'root', { role: 'manager' })).rejects.toThrow(RefusedChange);
    await expect(updateUser(db, 'root', { disabled: true })).rejects.toThrow(/last admin/);
    await expect(removeUser(db, 'root')).rejects.toThrow(/last admin/);
    // The disabled one may go; once another admin is enabled, root may too.
    await updateUser(db, 'spare', { disabled: false });
    expect((await updateUser(db, 'root', { role: 'manager' }))?.after.role).toBe('manager');
    await expect(removeUser(db, 'spare')).rejects.toThrow(/last admin/);
    // Two changes at once cannot both pass the check: one of them is refused.
    await addUser(db, { username: 'third', password: 'third-admin-pass', role: 'admin' });
    const both = await Promise.allSettled([
      updateUser(db, 'spare', { role: 'manager' }),
      updateUser(db, 'third', { role: 'manager' }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });
});

describe('changes that end sessions', () => {
  async function inspectorWithTwoSessions() {
    await addUser(db, { username: 'insp', password: 'insp-own-pass', role: 'inspector', districts: [3] });
    const a = (await login('insp', 'insp-own-pass')).s!;
    const b = (await login('insp', 'insp-own-pass')).s!;
    expect((await a.request('/api/auth/me')).status).toBe(200);
    expect((await b.request('/api/auth/me')).status).toBe(200);
    return [a, b];
  }

  test('disabling ends every session at once and refuses sign-in; enabling lets them back', async () => {
    const [a, b] = await inspectorWithTwoSessions();
    const res = await patch(admin, 'insp', { disabled: true });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Body;
    expect(body.sessions_ended).toBe(2);
    expect(body.user).toMatchObject({ disabled: true, sessions: 0 });
    expect((await a.request('/api/auth/me')).status).toBe(401);
    expect((await b.request('/api/meta')).status).toBe(401);
    expect((await login('insp', 'insp-own-pass')).res.status).toBe(401);
    expect((await patch(admin, 'insp', { disabled: false })).status).toBe(200);
    expect((await login('insp', 'insp-own-pass')).res.status).toBe(200);
    expect((await auditRows()).map((r) => r.action)).toEqual(
      expect.arrayContaining(['user_disable', 'user_enable']),
    );
    expect((await auditRows('user_disable'))[0]).toMatchObject({
      username: 'root',
      detail: { user: 'insp' },
    });
  });

  test('ending sessions signs them out everywhere; they may sign in again', async () => {
    const [a, b] = await inspectorWithTwoSessions();
    const res = await patch(admin, 'insp', { end_sessions: true });
    expect(((await res.json()) as Body).sessions_ended).toBe(2);
    expect((await a.request('/api/auth/me')).status).toBe(401);
    expect((await b.request('/api/auth/me')).status).toBe(401);
    expect((await login('insp', 'insp-own-pass')).res.status).toBe(200);
    expect(await auditRows('user_sessions_end')).toMatchObject([
      { username: 'root', detail: { user: 'insp' } },
    ]);
  });

  test('a password reset ends the sessions; the old password stops working, the new one must be replaced', async () => {
    const [a] = await inspectorWithTwoSessions();
    const res = await patch(admin, 'insp', { generate_password: true });
    const body = (await res.json()) as Body;
    expect(body.one_time_password).toMatch(ONE_TIME);
    expect(body.sessions_ended).toBe(2);
    expect((await a.request('/api/auth/me')).status).toBe(401);
    expect((await login('insp', 'insp-own-pass')).res.status).toBe(401);
    const again = await login('insp', body.one_time_password);
    expect(((await again.res.json()) as Body).must_change_password).toBe(true);
    const typed = await patch(admin, 'insp', { password: 'typed-reset-pass' });
    expect(((await typed.json()) as Body).one_time_password).toBeNull();
    expect((await login('insp', 'typed-reset-pass')).res.status).toBe(200);
    expect((await patch(admin, 'insp', { password: 'x', generate_password: true })).status).toBe(400);
    expect((await patch(admin, 'insp', { password: 'football' })).status).toBe(400);
    expect((await auditRows('user_password_reset')).map((r) => r.detail.password).sort()).toEqual([
      'generated',
      'typed',
    ]);
    expect(JSON.stringify(await auditRows())).not.toContain(body.one_time_password);
  });

  test('a new role or districts take effect on the open session at once', async () => {
    const [a] = await inspectorWithTwoSessions();
    expect((await patch(admin, 'insp', { districts: [7] })).status).toBe(200);
    const me = (await (await a.request('/api/auth/me')).json()) as Body;
    expect(me.user.districts).toEqual([7]);
    const meta = (await (await a.request('/api/meta')).json()) as Body;
    expect(meta.districts.map((d: Body) => d.district)).toEqual([7]);
    expect((await patch(admin, 'insp', { role: 'commissioner' })).status).toBe(200);
    expect(((await (await a.request('/api/auth/me')).json()) as Body).user).toEqual({
      username: 'insp',
      role: 'commissioner',
      districts: null,
    });
    // Back to inspector needs districts again.
    const noDistricts = await patch(admin, 'insp', { role: 'inspector' });
    expect(((await noDistricts.json()) as Body).error.parameter).toBe('districts');
    expect(await auditRows('user_update')).toMatchObject([
      { detail: { user: 'insp', role: { from: 'inspector', to: 'commissioner' }, districts: { from: [7] } } },
      { detail: { user: 'insp', districts: { from: [3], to: [7] } } },
    ]);
  });

  test('removing a user ends their sessions; unknown users are 404; an empty change is a 400', async () => {
    const [a] = await inspectorWithTwoSessions();
    const res = await del(admin, 'insp');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, sessions_ended: 2 });
    expect((await a.request('/api/auth/me')).status).toBe(401);
    expect((await del(admin, 'insp')).status).toBe(404);
    expect((await patch(admin, 'nobody', { disabled: true })).status).toBe(404);
    const empty = await patch(admin, 'root', {});
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as Body).error.message).toMatch(/nothing to change/);
    expect(await auditRows('user_remove')).toMatchObject([
      { username: 'root', detail: { user: 'insp', sessions_ended: 2, via: 'web' } },
    ]);
  });
});

describe('demo accounts and the description', () => {
  test('the list says which demo accounts still have their public password, on real data only', async () => {
    // As the demo generator adds them (no password policy there).
    await addUser(db, { username: 'manager', password: 'manager-demo', role: 'manager' });
    await addUser(db, { username: 'admin', password: 'a-changed-password', role: 'admin' });
    let list = await usersList();
    expect(list.demo_database).toBe(false);
    expect(list.demo_passwords_on_real_data).toEqual(['manager']);
    expect((await patch(admin, 'manager', { password: 'not-demo-anymore' })).status).toBe(200);
    expect((await usersList()).demo_passwords_on_real_data).toEqual([]);
    // The demo generator's import-log row marks the demo city: there demo passwords are fine.
    await db.run(
      `INSERT INTO import_log (import_id, started_at, source, mode, status) VALUES (1, now(), 'demo', 'demo', 'ok')`,
    );
    list = await usersList();
    expect(list.demo_database).toBe(true);
    expect((await patch(admin, 'manager', { password: 'manager-demo' })).status).toBe(200);
    expect((await usersList()).demo_passwords_on_real_data).toEqual([]);
    // Real data imported on top: no longer the demo.
    await db.run(
      `INSERT INTO import_log (import_id, started_at, source, mode, status) VALUES (2, now(), 'cli', 'contract', 'ok')`,
    );
    list = await usersList();
    expect(list.demo_database).toBe(false);
    expect(list.demo_passwords_on_real_data).toEqual(['manager']);
  });

  test('/api/openapi.json describes the auth, audit and users routes', async () => {
    const doc = (await (await admin.request('/api/openapi.json')).json()) as Body;
    const methods = (p: string) => Object.keys(doc.paths[p] ?? {}).sort();
    expect(methods('/api/auth/login')).toEqual(['post']);
    expect(methods('/api/auth/logout')).toEqual(['post']);
    expect(methods('/api/auth/me')).toEqual(['get']);
    expect(methods('/api/auth/password')).toEqual(['post']);
    expect(methods('/api/audit')).toEqual(['get']);
    expect(methods('/api/audit/export')).toEqual(['post']);
    expect(methods('/api/users')).toEqual(['get', 'post']);
    expect(methods('/api/users/{username}')).toEqual(['delete', 'patch']);
    const body = doc.paths['/api/users'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties ?? {}).sort()).toEqual(['districts', 'password', 'role', 'username']);
  });
});
