import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AuthEnv,
  csrfProtection,
  districtScope,
  requireAuth,
  requireRole,
} from '../../api/auth/middleware.ts';
import { authRoutes } from '../../api/auth/routes.ts';
import type { Db } from '../../api/db.ts';
import { buildApp, dbWithUsers, get, login, ORIGIN, post } from './helpers.ts';

describe('access middleware', () => {
  let db: Db;
  beforeEach(async () => {
    db = await dbWithUsers();
  });
  afterEach(() => db.close());

  it('requireAuth → 401 JSON, requireRole → 403 JSON, csrfProtection → 403 without the token', async () => {
    const app = new Hono<AuthEnv>();
    app.route('/api/auth', authRoutes(db));
    app.use('/admin/*', requireAuth(db), requireRole('admin'), csrfProtection());
    app.get('/admin/thing', (c) => c.json({ who: c.get('user').username }));
    app.post('/admin/thing', (c) => c.json({ changed: true }));

    const anon = await get(app, '/admin/thing');
    expect(anon.status).toBe(401);
    expect(await anon.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });

    const commish = await login(app, 'commish', 'commish-pass');
    const denied = await get(app, '/admin/thing', commish.cookie);
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.code).toBe('forbidden');

    const root = await login(app, 'root', 'root-pass-1');
    expect(await (await get(app, '/admin/thing', root.cookie)).json()).toEqual({ who: 'root' });
    expect((await post(app, '/admin/thing', { cookie: root.cookie })).status).toBe(403);
    expect((await post(app, '/admin/thing', { cookie: root.cookie, csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await post(app, '/admin/thing', { cookie: root.cookie, csrf: root.csrf })).status).toBe(200);
  });

  it('districtScope: whole city (null) for every role but inspector, who gets their districts', async () => {
    expect(districtScope({ username: 'a', role: 'commissioner', districts: null })).toBeNull();
    expect(districtScope({ username: 'a', role: 'manager', districts: null })).toBeNull();
    expect(districtScope({ username: 'a', role: 'admin', districts: null })).toBeNull();
    expect(districtScope({ username: 'a', role: 'inspector', districts: [3] })).toEqual([3]);
    // Fails closed: an inspector record without districts sees nothing, not everything.
    expect(districtScope({ username: 'a', role: 'inspector', districts: null })).toEqual([]);
    const app = buildApp(db);
    const insp = await login(app, 'insp', 'insp-pass-1');
    expect(await (await get(app, '/api/processing', insp.cookie)).json()).toEqual({ scope: [3, 5] });
  });

  describe('authorize (route policy)', () => {
    it('lets public routes through and answers 401 for everything else without a session', async () => {
      const app = buildApp(db);
      expect((await get(app, '/api/health')).status).toBe(200);
      expect((await get(app, '/api/processing')).status).toBe(401);
      expect((await get(app, '/api/audit')).status).toBe(401);
      expect((await get(app, '/api/unlisted')).status).toBe(401);
    });

    it('applies the role list: audit is admin-only, imports for managers and admins', async () => {
      const app = buildApp(db);
      const insp = await login(app, 'insp', 'insp-pass-1');
      const root = await login(app, 'root', 'root-pass-1');
      expect((await get(app, '/api/audit', insp.cookie)).status).toBe(403);
      expect((await get(app, '/api/audit', root.cookie)).status).toBe(200);
      expect((await post(app, '/api/imports', { cookie: insp.cookie, csrf: insp.csrf })).status).toBe(403);
      expect((await post(app, '/api/imports', { cookie: root.cookie, csrf: root.csrf })).status).toBe(200);
    });

    it('fails closed on a route that has no policy', async () => {
      const app = buildApp(db);
      const root = await login(app, 'root', 'root-pass-1');
      const res = await get(app, '/api/unlisted', root.cookie);
      expect(res.status).toBe(403);
      expect(JSON.stringify(await res.json())).not.toContain('leaked');
    });

    it('CSRF: missing or wrong token → 403, right token passes; a foreign Origin is refused even with it', async () => {
      const app = buildApp(db);
      const root = await login(app, 'root', 'root-pass-1');
      const other = await login(app, 'commish', 'commish-pass');
      expect((await post(app, '/api/imports', { cookie: root.cookie })).status).toBe(403);
      expect((await post(app, '/api/imports', { cookie: root.cookie, csrf: '' })).status).toBe(403);
      // Another session's token is no good: the token is bound to the session.
      expect((await post(app, '/api/imports', { cookie: root.cookie, csrf: other.csrf })).status).toBe(403);
      const ok = await post(app, '/api/imports', { cookie: root.cookie, csrf: root.csrf, origin: ORIGIN });
      expect(ok.status).toBe(200);
      const foreign = await post(app, '/api/imports', {
        cookie: root.cookie,
        csrf: root.csrf,
        origin: 'https://evil.test',
      });
      expect(foreign.status).toBe(403);
    });

    it('refuses a login posted from another origin (login CSRF)', async () => {
      const app = buildApp(db);
      const res = await app.request(`${ORIGIN}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.test' },
        body: JSON.stringify({ username: 'root', password: 'root-pass-1' }),
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
    });
  });
});
