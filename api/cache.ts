import type { Db } from './db.ts';
import { STORED_ANSWERS_DDL } from './metrics/facts.ts';

/**
 * Whole-response cache for GET /api/* JSON answers, keyed by the dataset signature (facts.ts) and the
 * normalised query. The data only changes at import, and any change alters the signature, so a hit
 * is always the answer the metrics would compute now. Bounded by entry count and total size (LRU).
 */
export class ResponseCache {
  private map = new Map<string, string>();
  private chars = 0;
  private inFlight = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly maxEntries = 500,
    private readonly maxChars = 64 * 1024 * 1024,
  ) {}

  get(key: string): string | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, body: string): void {
    if (body.length > this.maxChars / 8) return;
    const old = this.map.get(key);
    if (old !== undefined) {
      this.chars -= old.length;
      this.map.delete(key);
    }
    this.map.set(key, body);
    this.chars += body.length;
    while (this.map.size > this.maxEntries || this.chars > this.maxChars) {
      const [k, v] = this.map.entries().next().value as [string, string];
      this.map.delete(k);
      this.chars -= v.length;
    }
  }

  /**
   * Single flight: the first caller for a key computes (`compute` resolves to the body to cache, or
   * undefined when the answer is not cacheable); callers arriving meanwhile get the same promise
   * instead of running the same seconds-long queries again. Nothing is kept once it settles, so a
   * failure is not cached: the next caller computes afresh.
   */
  shared(key: string): Promise<string | undefined> | undefined {
    return this.inFlight.get(key);
  }

  lead(key: string, compute: () => Promise<string | undefined>): Promise<string | undefined> {
    const p = compute();
    this.inFlight.set(key, p);
    const done = () => {
      if (this.inFlight.get(key) === p) this.inFlight.delete(key);
    };
    p.then(done, done);
    return p;
  }

  /** After an import: the old answers are unreachable by key anyway; this frees their memory at once. */
  clear(): void {
    this.map.clear();
    this.chars = 0;
  }

  static key(version: string, url: string): string {
    const u = new URL(url);
    const params = [...u.searchParams.entries()].sort(([a, x], [b, y]) =>
      a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1,
    );
    return `${version} ${u.pathname}?${new URLSearchParams(params).toString()}`;
  }
}

/**
 * Answers to the dashboard's default views, stored in the database next to the data they were computed
 * from (table `api_precomputed`, keyed by the dataset signature like the in-memory cache), so that
 * they survive a restart: full-city medians and Kaplan–Meier curves take seconds over millions of cases.
 */
export const DEFAULT_VIEWS = [
  '/api/meta',
  '/api/processing?by=district',
  '/api/processing?by=office',
  '/api/processing?by=service',
  '/api/processing?by=category',
  '/api/processing?by=month',
  '/api/processing?by=month&calendar=jalali',
  '/api/outliers',
  '/api/offices',
  '/api/funnel?metric=slow_share&by=office',
  '/api/funnel?metric=complaints&by=office',
  '/api/funnel?metric=bribe_reports&by=office',
  '/api/funnel?metric=slow_share&by=district',
  '/api/trends?metric=complaints&by=city',
  '/api/trends?metric=processing&by=city',
  '/api/trends?metric=complaints&by=city&calendar=jalali',
  '/api/trends?metric=processing&by=city&calendar=jalali',
  '/api/cases',
  // Where the days go (issue 11): the Process view's city-wide answers without a service.
  '/api/stages',
  '/api/stages?by=district',
  '/api/stages/actors?by=district',
  '/api/stages/variants',
  '/api/stages/extra',
  '/api/stages/map',
];

const DEFAULT_KEYS = new Set(DEFAULT_VIEWS.map((v) => ResponseCache.key('', `http://x${v}`).slice(1)));

export function isDefaultView(key: string): boolean {
  return DEFAULT_KEYS.has(key.slice(key.indexOf(' ') + 1));
}

export class StoredAnswers {
  private ready: Promise<void> | null = null;
  constructor(private readonly db: Db) {}

  private init(): Promise<void> {
    this.ready ??= this.db.run(STORED_ANSWERS_DDL);
    return this.ready;
  }

  async get(key: string): Promise<string | undefined> {
    await this.init();
    const row = await this.db.one<{ body: string }>('SELECT body FROM api_precomputed WHERE cache_key = $k', {
      k: key,
    });
    return row?.body;
  }

  async put(key: string, body: string): Promise<void> {
    await this.init();
    await this.db.run('INSERT OR REPLACE INTO api_precomputed VALUES ($k, $b)', { k: key, b: body });
  }
}
