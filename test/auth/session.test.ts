import { generateSignedCookie } from 'hono/cookie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../api/auth/session.ts';
import type { Db } from '../../api/db.ts';
import { buildApp, dbWithUsers, get, login, ORIGIN, post } from './helpers.ts';

describe('sessions', () => {
  let db: Db;
  let clock: number;
  let app: ReturnType<typeof buildApp>;
  beforeEach(async () => {
    db = await dbWithUsers();
    clock = Date.UTC(2024, 0, 1);
    app = buildApp(db, { now: () => clock });
  });
  afterEach(() => db.close());

  it('login sets an HttpOnly, SameSite=Strict, signed 8-hour cookie and returns the user and a CSRF token', async () => {
    const { res, cookie, csrf } = await login(app, 'insp', 'insp-pass-1');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user).toEqual({ username: 'insp', role: 'inspector', districts: [3, 5] });
    // Neither the hash nor the password itself; the one field about passwords is a flag.
    expect(JSON.stringify(body)).not.toMatch(/scrypt|password_hash|insp-pass/);
    expect(body.must_change_password).toBe(false);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\//);
    expect(set).toMatch(/Max-Age=28800/); // 8 h × 3600 s
    expect(set).not.toMatch(/Secure/); // plain http here
    // Signed: value is "<id>.<base64 HMAC-SHA256>" (44 chars), URI-encoded.
    const value = decodeURIComponent(cookie.slice(`${SESSION_COOKIE}=`.length));
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}\.[A-Za-z0-9+/]{43}=$/);
    // Only a hash of the id is stored.
    const id = value.split('.')[0];
    const rows = await db.all<{ id_hash: string }>('SELECT id_hash FROM sessions');
    expect(rows).toHaveLength(1);
    expect(rows[0].id_hash).not.toContain(id);
    expect((await get(app, '/api/auth/me', cookie)).status).toBe(200);
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const { res } = await login(app, 'insp', 'insp-pass-1', 'https://shafaf.test/api/auth/login');
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('/me answers with the user and the same CSRF token; 401 without a session', async () => {
    const { cookie, csrf } = await login(app, 'commish', 'commish-pass');
    const me = await get(app, '/api/auth/me', cookie);
    expect(await me.json()).toEqual({
      user: { username: 'commish', role: 'commissioner', districts: null },
      csrf_token: csrf,
      must_change_password: false,
    });
    const anon = await get(app, '/api/auth/me');
    expect(anon.status).toBe(401);
    expect((await anon.json()).error.code).toBe('unauthorized');
  });

  it('refuses a tampered cookie and one signed with another key', async () => {
    const { cookie } = await login(app, 'commish', 'commish-pass');
    const value = decodeURIComponent(cookie.slice(`${SESSION_COOKIE}=`.length));
    const flipped = (value[0] === 'A' ? 'B' : 'A') + value.slice(1);
    expect((await get(app, '/api/auth/me', `${SESSION_COOKIE}=${encodeURIComponent(flipped)}`)).status).toBe(
      401,
    );
    const id = value.split('.')[0];
    const forged = (await generateSignedCookie(SESSION_COOKIE, id, 'another-secret-another-secret-xx')).split(
      ';',
    )[0];
    expect((await get(app, '/api/auth/me', forged)).status).toBe(401);
    expect((await get(app, '/api/auth/me', `${SESSION_COOKIE}=${id}`)).status).toBe(401); // unsigned
  });

  it('expires after 8 hours', async () => {
    const { cookie } = await login(app, 'commish', 'commish-pass');
    clock += 8 * 3600 * 1000 - 1000;
    expect((await get(app, '/api/auth/me', cookie)).status).toBe(200);
    clock += 2000;
    expect((await get(app, '/api/auth/me', cookie)).status).toBe(401);
  });

  it('logout needs the CSRF token, then the old cookie no longer works', async () => {
    const { cookie, csrf } = await login(app, 'commish', 'commish-pass');
    expect((await post(app, '/api/auth/logout', { cookie })).status).toBe(403);
    const out = await post(app, '/api/auth/logout', { cookie, csrf });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=; Max-Age=0`));
    expect((await get(app, '/api/auth/me', cookie)).status).toBe(401);
    expect(await db.one('SELECT count(*)::INTEGER AS n FROM sessions')).toEqual({ n: 0 });
  });

  it('gives the same 401 for an unknown user and a wrong password, and refuses disabled users', async () => {
    const unknown = await login(app, 'nobody', 'whatever-pass');
    const wrong = await login(app, 'commish', 'not-the-pass');
    expect(unknown.res.status).toBe(401);
    expect(wrong.res.status).toBe(401);
    expect(await unknown.res.json()).toEqual(await wrong.res.json());
    expect(unknown.res.headers.get('set-cookie')).toBeNull();
    await db.run(`UPDATE users SET disabled = true WHERE username = 'commish'`);
    expect((await login(app, 'commish', 'commish-pass')).res.status).toBe(401);
  });

  it('a disabled user loses an existing session at once', async () => {
    const { cookie } = await login(app, 'commish', 'commish-pass');
    await db.run(`UPDATE users SET disabled = true WHERE username = 'commish'`);
    expect((await get(app, '/api/auth/me', cookie)).status).toBe(401);
  });

  it('a new login replaces the browser’s previous session', async () => {
    const first = await login(app, 'commish', 'commish-pass');
    const res = await app.request(`${ORIGIN}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: first.cookie },
      body: JSON.stringify({ username: 'commish', password: 'commish-pass' }),
    });
    expect(res.status).toBe(200);
    expect((await get(app, '/api/auth/me', first.cookie)).status).toBe(401);
  });

  it('answers a malformed login body with a 400 naming the field', async () => {
    const notJson = await post(app, '/api/auth/login', { body: 'username=x' });
    expect(notJson.status).toBe(400);
    const missing = await post(app, '/api/auth/login', { body: JSON.stringify({ username: 'x' }) });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.parameter).toBe('password');
  });
});
