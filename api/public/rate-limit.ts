/**
 * Per-address limit for the public endpoints: a token bucket per client IP (as `clientIp` sees it: the
 * socket's address, or X-Forwarded-For's first hop when the server runs with --trust-proxy). A client
 * may burst up to `perMinute` requests and then gets `perMinute / 60` a second. Memory is bounded: the
 * least recently seen addresses are forgotten first (which only ever lets someone through early).
 * Like the login limiter it lives in the one server process and a restart forgets it.
 */
export interface PublicRateLimitOptions {
  /** Requests a minute per address (also the burst). Default 300: a household or office behind one NAT. */
  perMinute?: number;
  now?: () => number;
  maxKeys?: number;
}

export const DEFAULT_PUBLIC_PER_MINUTE = 300;

export class PublicRateLimiter {
  readonly perMinute: number;
  private readonly now: () => number;
  private readonly maxKeys: number;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(opts: PublicRateLimitOptions = {}) {
    this.perMinute = opts.perMinute ?? DEFAULT_PUBLIC_PER_MINUTE;
    if (!Number.isInteger(this.perMinute) || this.perMinute < 1)
      throw new RangeError('the public rate limit must be a whole number of requests a minute, at least 1');
    this.now = opts.now ?? Date.now;
    this.maxKeys = opts.maxKeys ?? 100_000;
  }

  /** null when the request may go ahead (and is counted), else the whole seconds to wait. */
  take(ip: string): number | null {
    const now = this.now();
    const perMs = this.perMinute / 60_000;
    const b = this.buckets.get(ip);
    let tokens = this.perMinute;
    if (b) {
      tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * perMs);
      this.buckets.delete(ip); // re-inserted below: the map's order is least recently seen first
    } else if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    if (tokens < 1) {
      this.buckets.set(ip, { tokens, at: now });
      return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
    }
    this.buckets.set(ip, { tokens: tokens - 1, at: now });
    return null;
  }
}
