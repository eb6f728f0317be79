/**
 * Login rate limiting: a sliding window of failed attempts per key (`user:<name>`, `ip:<address>`).
 * Kept in memory, which is enough for the one-process server: a restart forgets the counts (an
 * attacker gains one window per restart), and several server processes would each count alone.
 * A per-user limit also lets someone lock a known user out for one window; the per-IP limit is
 * higher so that colleagues behind one office NAT do not block each other.
 */
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
}

const FIFTEEN_MINUTES = 15 * 60 * 1000;

export class LoginRateLimiter {
  readonly perUser: RateLimitRule;
  readonly perIp: RateLimitRule;
  private readonly now: () => number;
  private readonly maxKeys: number;
  private readonly hits = new Map<string, number[]>();

  constructor(opts: RateLimitOptions = {}) {
    this.perUser = opts.perUser ?? { max: 5, windowMs: FIFTEEN_MINUTES };
    this.perIp = opts.perIp ?? { max: 20, windowMs: FIFTEEN_MINUTES };
    this.now = opts.now ?? Date.now;
    this.maxKeys = opts.maxKeys ?? 50_000;
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
  attempt(username: string, ip: string): number | null {
    const now = this.now();
    let wait = 0;
    for (const [key, rule] of this.keys(username, ip)) {
      const list = this.recent(key, rule, now);
      if (list.length >= rule.max) wait = Math.max(wait, list[list.length - rule.max] + rule.windowMs - now);
    }
    if (wait > 0) return Math.max(1, Math.ceil(wait / 1000));
    for (const [key] of this.keys(username, ip)) this.record(key, now);
    return null;
  }

  /** A correct password clears the user's failures and takes back this attempt from the address. */
  succeeded(username: string, ip: string): void {
    this.hits.delete(`user:${username}`);
    const list = this.hits.get(`ip:${ip}`);
    list?.pop();
    if (list?.length === 0) this.hits.delete(`ip:${ip}`);
  }

  private record(key: string, now: number): void {
    const list = this.hits.get(key);
    if (list) {
      list.push(now);
      return;
    }
    if (this.hits.size >= this.maxKeys) {
      const oldest = this.hits.keys().next().value;
      if (oldest !== undefined) this.hits.delete(oldest);
    }
    this.hits.set(key, [now]);
  }
}
