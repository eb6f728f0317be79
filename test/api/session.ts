/**
 * Signing in for the API tests: adds a user to the test database, logs in through /api/auth/login
 * and returns a requester that sends the session cookie (and the CSRF token on state changes).
 */
import type { Role } from '../../api/auth/users.ts';
import { addUser } from '../../api/auth/users.ts';
import type { Db } from '../../api/db.ts';

// Tests only: scrypt at N=2^10 instead of 2^15 (api/auth/password.ts honours this only under a test runner).
process.env.SHAFAF_SCRYPT_LOG_N ??= '10';

export const TEST_ORIGIN = 'http://shafaf.test';

interface App {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

export interface Session {
  cookie: string;
  csrf: string;
  /** A request with the session cookie; POST/PUT/PATCH/DELETE also carry X-CSRF-Token. */
  request(path: string, init?: RequestInit): Promise<Response>;
}

export async function signIn(
  app: App,
  db: Db,
  role: Role = 'commissioner',
  opts: { username?: string; districts?: number[] } = {},
): Promise<Session> {
  const username = opts.username ?? `test-${role}`;
  const password = `${username}-password`;
  await addUser(db, { username, password, role, districts: opts.districts });
  const res = await app.request(`${TEST_ORIGIN}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  const { csrf_token } = (await res.json()) as { csrf_token: string };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  return {
    cookie,
    csrf: csrf_token,
    async request(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      const method = (init.method ?? 'GET').toUpperCase();
      if (!['GET', 'HEAD', 'OPTIONS'].includes(method) && !headers.has('x-csrf-token'))
        headers.set('x-csrf-token', csrf_token);
      return app.request(path.startsWith('http') ? path : `${TEST_ORIGIN}${path}`, { ...init, headers });
    },
  };
}
