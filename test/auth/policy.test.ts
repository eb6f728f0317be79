import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { policyFor, ROUTE_POLICY } from '../../api/auth/policy.ts';
import { authRoutes } from '../../api/auth/routes.ts';
import { ROLES } from '../../api/auth/users.ts';
import { Db } from '../../api/db.ts';

describe('route policy', () => {
  it('covers every route the app and /api/auth serve (enumerated from the routers)', async () => {
    const db = await Db.open(':memory:', { threads: 1 });
    try {
      const app = createApp({ db, webRoot: null, geoPath: null });
      app.route('/api/auth', authRoutes(db));
      // Middleware shows up as method ALL; handlers have a concrete method.
      const routes = app.routes.filter((r) => r.method !== 'ALL');
      expect(routes.length).toBeGreaterThan(10);
      const missing = routes
        .filter((r) => policyFor(r.method, r.path) === undefined)
        .map((r) => `${r.method} ${r.path}`);
      expect(missing).toEqual([]);
      // and no rule grants a route that nothing serves
      const served = new Set(routes.map((r) => `${r.method} ${r.path.replace(/\/+$/, '')}`));
      const granted = ROUTE_POLICY.map((r) => `${r.method} ${r.path}`);
      expect(granted.filter((g) => !served.has(g))).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('names only known roles; only login, health and the published scorecards are public', () => {
    for (const rule of ROUTE_POLICY) {
      if (rule.allow === 'public') continue;
      expect(rule.allow.length).toBeGreaterThan(0);
      for (const role of rule.allow) expect(ROLES).toContain(role);
    }
    expect(ROUTE_POLICY.filter((r) => r.allow === 'public').map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/auth/login',
      'GET /api/health',
      // issue 16: read-only published aggregates, 404 unless an admin publishes (api/public/)
      'GET /api/public/offices',
      'GET /api/public/offices/:id',
      'GET /api/public/districts',
      'GET /api/public/districts/:district',
      'GET /api/public/services',
      'GET /api/public/services/:code',
    ]);
  });

  it('matches parameters, HEAD as GET and a trailing slash; nothing for unknown API paths; the dashboard is public', () => {
    expect(policyFor('GET', '/api/offices/OF-12')).toEqual(ROLES);
    expect(policyFor('HEAD', '/api/cases')).toEqual(ROLES);
    expect(policyFor('GET', '/api/audit/')).toEqual(['admin']);
    expect(policyFor('DELETE', '/api/cases')).toBeUndefined();
    expect(policyFor('GET', '/api/offices/a/b')).toBeUndefined();
    expect(policyFor('GET', '/api')).toBeUndefined();
    expect(policyFor('GET', '/offices/OF-12')).toBe('public');
  });
});
