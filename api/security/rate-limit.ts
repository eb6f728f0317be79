/**
 * Login rate limiting: a sliding window of failed attempts per key (`user:<name>`, `ip:<address>`).
 * The decisions are made in memory, in one synchronous step per attempt, so parallel guesses cannot
 * all slip past the check. With a `store` (the server's database) every counted failure is also
 * written to the table `login_failures` and the counts are read back on the first attempt after a
 * start: a restart no longer hands an attacker a fresh window. (One server process holds a database
 * file, so the process's memory and the table never disagree.) A per-user limit also lets someone
 * lock a known user out for one window; the per-IP limit is higher so that colleagues behind one
 * office NAT do not block each other.
 */
import type { Db } from '../db.ts';

export interface RateLimitRule {
  /** Failures allowed within the window; the next attempt is refused. */
  max: number;
  windowMs: number;
}

export interface RateLimitOptions {
  perUser?: RateLimitRule;
  perIp?: RateLimitRule;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
  /** Keys kept at most; the oldest are dropped first so a flood of random names cannot exhaust memory. */
  maxKeys?: number;
  /** Where the counts survive a restart; without it they live in memory only. */
  store?: Db;
}

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export class LoginRateLimiter {
  readonly perUser: RateLimitRule;
  readonly perIp: RateLimitRule;
  private readonly now: () => number;
  private readonly maxKeys: number;
  private readonly hits = new Map<string, number[]>();
  private readonly store: Db | undefined;
  private loaded: Promise<void> | undefined;

  constructor(opts: RateLimitOptions = {}) {
    this.perUser = opts.perUser ?? { max: 5, windowMs: FIFTEEN_MINUTES };
    this.perIp = opts.perIp ?? { max: 20, windowMs: FIFTEEN_MINUTES };
    this.now = opts.now ?? Date.now;
    this.maxKeys = opts.maxKeys ?? 50_000;
    this.store = opts.store;
  }

  private get longestWindow(): number {
    return Math.max(this.perUser.windowMs, this.perIp.windowMs);
  }

  /** Reads the stored failures once (dropping those older than any window). */
  private load(): Promise<void> {
    const store = this.store;
    if (!store) return Promise.resolve();
    this.loaded ??= (async () => {
      const cutoff = this.now() - this.longestWindow;
      await store.run('DELETE FROM login_failures WHERE at_ms <= $cutoff', { cutoff });
      const rows = await store.all<{ key: string; at_ms: number }>(
        'SELECT key, at_ms FROM login_failures ORDER BY at_ms',
      );
      for (const r of rows) {
        const list = this.hits.get(r.key);
        if (list) list.push(r.at_ms);
        else this.hits.set(r.key, [r.at_ms]);
      }
    })();
    // A failed read is retried on the next attempt rather than leaving the limiter without its counts.
    this.loaded.catch(() => {
      this.loaded = undefined;
    });
    return this.loaded;
  }

  private keys(username: string, ip: string): Array<[string, RateLimitRule]> {
    return [
      [`user:${username}`, this.perUser],
      [`ip:${ip}`, this.perIp],
    ];
  }

  private recent(key: string, rule: RateLimitRule, now: number): number[] {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - rule.windowMs);
    if (list.length === 0) this.hits.delete(key);
    else this.hits.set(key, list);
    return list;
  }

  /**
   * Seconds to wait when an attempt is not allowed now, else null, in which case the attempt is
   * counted as a failure up front (so parallel guesses cannot all slip past the check) until
   * `succeeded` forgives it.
   */
  async attempt(username: string, ip: string): Promise<number | null> {
    await this.load();
    // From here to the record below nothing awaits: the check and the count are one step.
    const now = this.now();
    let wait = 0;
    for (const [key, rule] of this.keys(username, ip)) {
      const list = this.recent(key, rule, now);
      if (list.length >= rule.max) wait = Math.max(wait, list[list.length - rule.max] + rule.windowMs - now);
    }
    if (wait > 0) return Math.max(1, Math.ceil(wait / 1000));
    const evicted: string[] = [];
    for (const [key] of this.keys(username, ip)) this.record(key, now, evicted);
    if (this.store) {
      for (const key of evicted) await this.store.run('DELETE FROM login_failures WHERE key = $key', { key });
      await this.store.run('INSERT INTO login_failures (key, at_ms) VALUES ($user, $now), ($ip, $now)', {
        user: `user:${username}`,
        ip: `ip:${ip}`,
        now,
      });
    }
    return null;
  }

  /** A correct password clears the user's failures and takes back this attempt from the address. */
  async succeeded(username: string, ip: string): Promise<void> {
    const userKey = `user:${username}`;
    const ipKey = `ip:${ip}`;
    this.hits.delete(userKey);
    const list = this.hits.get(ipKey);
    const taken = list?.pop();
    if (list?.length === 0) this.hits.delete(ipKey);
    if (!this.store) return;
    await this.store.run('DELETE FROM login_failures WHERE key = $key', { key: userKey });
    if (taken !== undefined) {
      await this.store.run(
        `DELETE FROM login_failures WHERE rowid IN
           (SELECT rowid FROM login_failures WHERE key = $key AND at_ms = $at LIMIT 1)`,
        { key: ipKey, at: taken },
      );
    }
  }

  private record(key: string, now: number, evicted: string[]): void {
    const list = this.hits.get(key);
    if (list) {
      list.push(now);
      return;
    }
    if (this.hits.size >= this.maxKeys) {
      const oldest = this.hits.keys().next().value;
      if (oldest !== undefined) {
        this.hits.delete(oldest);
        evicted.push(oldest);
      }
    }
    this.hits.set(key, [now]);
  }
}
