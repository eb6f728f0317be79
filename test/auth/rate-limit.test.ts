import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addUser } from '../../api/auth/users.ts';
import { Db } from '../../api/db.ts';
import { LoginRateLimiter } from '../../api/security/rate-limit.ts';
import { buildApp, dbWithUsers, login } from './helpers.ts';

const MINUTE = 60_000;

describe('login rate limit', () => {
  let db: Db;
  let clock: number;
  beforeEach(async () => {
    db = await dbWithUsers();
    clock = Date.UTC(2024, 0, 1);
  });
  afterEach(() => db.close());

  it('answers 429 with Retry-After after 5 failures for one user, even with the right password, until the window passes', async () => {
    const app = buildApp(db, { now: () => clock, limiter: new LoginRateLimiter({ now: () => clock }) });
    for (let i = 0; i < 5; i++) {
      expect((await login(app, 'commish', `wrong-${i}-pass`)).res.status).toBe(401);
      clock += MINUTE;
    }
    // Failures at t = 0..4 min; the oldest leaves the 15-minute window at t = 15 min; now t = 5 min.
    const blocked = await login(app, 'commish', 'commish-pass');
    expect(blocked.res.status).toBe(429);
    expect(blocked.res.headers.get('retry-after')).toBe(String(10 * 60));
    expect((await blocked.res.json()).error.code).toBe('too_many_requests');
    clock += 10 * MINUTE; // t = 15 min: one failure has aged out
    expect((await login(app, 'commish', 'commish-pass')).res.status).toBe(200);
  });

  it('a success clears the user’s count', async () => {
    const app = buildApp(db, { now: () => clock, limiter: new LoginRateLimiter({ now: () => clock }) });
    for (let i = 0; i < 4; i++) await login(app, 'commish', 'wrong-pass');
    expect((await login(app, 'commish', 'commish-pass')).res.status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(app, 'commish', 'wrong-pass')).res.status).toBe(401);
  });

  it('limits one address across many usernames', async () => {
    const limiter = new LoginRateLimiter({ now: () => clock, perIp: { max: 3, windowMs: 15 * MINUTE } });
    const app = buildApp(db, { now: () => clock, limiter });
    for (const name of ['u1', 'u2', 'u3']) expect((await login(app, name, 'some-pass')).res.status).toBe(401);
    expect((await login(app, 'u4', 'some-pass')).res.status).toBe(429);
  });

  it('counts parallel guesses before checking them, so a burst cannot slip past', async () => {
    for (const store of [undefined, db]) {
      const limiter = new LoginRateLimiter({ now: () => clock, store });
      const waits = await Promise.all(Array.from({ length: 20 }, () => limiter.attempt('bob', '1.2.3.4')));
      expect(waits.filter((w) => w === null)).toHaveLength(5);
    }
  });

  it('keeps memory bounded under a flood of random names', async () => {
    const limiter = new LoginRateLimiter({ now: () => clock, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) await limiter.attempt(`user${i}`, `10.0.${i >> 8}.${i & 255}`);
    expect((limiter as unknown as { hits: Map<string, number[]> }).hits.size).toBeLessThanOrEqual(100);
  });
});

describe('login rate limit across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shafaf-limit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** One server life: the database file opened, a limiter that keeps its counts in it, the auth routes. */
  async function start(path: string, clock: () => number) {
    const db = await Db.open(path, { threads: 1 });
    const limiter = new LoginRateLimiter({ now: clock, store: db });
    return { db, app: buildApp(db, { now: clock, limiter }) };
  }

  it('keeps the failures in the database: a restarted server still refuses, until the window passes', async () => {
    const path = join(dir, 'restart.duckdb');
    let clock = Date.UTC(2024, 0, 1);
    const first = await start(path, () => clock);
    await addUser(first.db, { username: 'commish', password: 'commish-pass', role: 'commissioner' });
    for (let i = 0; i < 5; i++) {
      expect((await login(first.app, 'commish', `wrong-${i}-pass`)).res.status).toBe(401);
      clock += MINUTE;
    }
    first.db.close();

    // Failures at t = 0..4 min are in the file; after the restart at t = 5 min the oldest leaves the
    // 15-minute window at t = 15 min, so the wait is 10 minutes, as before the restart.
    const second = await start(path, () => clock);
    const blocked = await login(second.app, 'commish', 'commish-pass');
    expect(blocked.res.status).toBe(429);
    expect(blocked.res.headers.get('retry-after')).toBe(String(10 * 60));
    clock += 10 * MINUTE;
    expect((await login(second.app, 'commish', 'commish-pass')).res.status).toBe(200);
    second.db.close();

    // The success cleared the user's count in the file too: four new failures are allowed after another restart.
    const third = await start(path, () => clock);
    for (let i = 0; i < 4; i++)
      expect((await login(third.app, 'commish', `wrong-${i}-pass`)).res.status).toBe(401);
    expect((await login(third.app, 'commish', 'commish-pass')).res.status).toBe(200);
    const rows = await third.db.all<{ key: string }>('SELECT key FROM login_failures ORDER BY at_ms');
    expect(rows.filter((r) => r.key === 'user:commish')).toEqual([]);
    third.db.close();
  });

  it('forgets failures older than the window when it reads them back', async () => {
    const path = join(dir, 'old.duckdb');
    let clock = Date.UTC(2024, 0, 1);
    const first = await start(path, () => clock);
    for (let i = 0; i < 5; i++) await login(first.app, 'ghost', `wrong-${i}-pass`);
    first.db.close();
    clock += 16 * MINUTE;
    const second = await start(path, () => clock);
    expect((await login(second.app, 'ghost', 'wrong-pass')).res.status).toBe(401);
    const n = await second.db.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM login_failures WHERE key = 'user:ghost'`,
    );
    expect(n?.n).toBe(1);
    second.db.close();
  });
});
