/**
 * Shared set-up for the access tests: a fresh in-memory database with users, and an in-process app
 * assembled from the auth modules the way the wiring phase will (headers, size limit, authorize,
 * /api/auth), plus dummy routes standing in for the real API.
 */
import { Hono } from 'hono';
import { type AuthEnv, authorize, districtScope } from '../../api/auth/middleware.ts';
import { type AuthRoutesOptions, authRoutes } from '../../api/auth/routes.ts';
import { addUser } from '../../api/auth/users.ts';
import { Db } from '../../api/db.ts';
import { requestSizeLimit } from '../../api/security/body-limit.ts';
import { securityHeaders } from '../../api/security/headers.ts';

// Tests only: scrypt at N=2^10 instead of 2^15 (api/auth/password.ts honours this only under a test runner).
process.env.SHAFAF_SCRYPT_LOG_N = '10';

export const ORIGIN = 'http://shafaf.test';

export async function dbWithUsers(): Promise<Db> {
  const db = await Db.open(':memory:', { threads: 1 });
  await addUser(db, { username: 'commish', password: 'commish-pass', role: 'commissioner' });
  await addUser(db, { username: 'insp', password: 'insp-pass-1', role: 'inspector', districts: [5, 3] });
  await addUser(db, { username: 'root', password: 'root-pass-1', role: 'admin' });
  return db;
}

export function buildApp(db: Db, opts: AuthRoutesOptions = {}) {
  const app = new Hono<AuthEnv>();
  app.use('*', securityHeaders());
  app.use(
    '/api/*',
    requestSizeLimit({
      defaultBytes: 1024,
      uploads: [{ method: 'POST', path: '/api/imports' }],
      uploadBytes: 4096,
    }),
  );
  app.use('/api/*', authorize(db, opts));
  app.route('/api/auth', authRoutes(db, opts));
  app.get('/api/health', (c) => c.json({ status: 'ok' }));
  app.get('/api/processing', (c) => c.json({ scope: districtScope(c.get('user')) }));
  app.get('/api/audit', (c) => c.json({ ok: true }));
  app.post('/api/imports', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
  app.get('/api/unlisted', (c) => c.json({ leaked: true }));
  return app;
}

/** Any in-process app: what the helpers need from Hono. */
export interface App {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

export interface Login {
  res: Response;
  cookie: string;
  csrf: string;
}

/** Logs in and returns the `name=value` cookie pair to send back, and the CSRF token. */
export async function login(
  app: App,
  username: string,
  password: string,
  url = `${ORIGIN}/api/auth/login`,
): Promise<Login> {
  const res = await app.request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(url).origin },
    body: JSON.stringify({ username, password }),
  });
  const setCookie = res.headers.get('set-cookie') ?? '';
  const body =
    res.status === 200 ? ((await res.clone().json()) as { csrf_token: string }) : { csrf_token: '' };
  return { res, cookie: setCookie.split(';')[0], csrf: body.csrf_token };
}

export function get(app: App, path: string, cookie?: string) {
  return app.request(`${ORIGIN}${path}`, { headers: cookie ? { cookie } : {} });
}

export function post(
  app: App,
  path: string,
  init: { cookie?: string; csrf?: string; origin?: string; body?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.cookie) headers.cookie = init.cookie;
  if (init.csrf !== undefined) headers['x-csrf-token'] = init.csrf;
  if (init.origin) headers.origin = init.origin;
  return app.request(`${ORIGIN}${path}`, { method: 'POST', headers, body: init.body ?? '{}' });
}
