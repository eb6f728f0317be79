import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../api/db.ts';
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
