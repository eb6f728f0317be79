/**
 * The one cache of everything derived from the data: whole JSON answers (keyed by route, validated
 * query and the user's district scope: routes/router.ts), the sub-results several answers share
 * (group statistics, signal counts, city medians) and the display labels.
 *
 * One invalidation rule: every entry belongs to the data signature it was computed under
 * (metrics/facts.ts: as-of time, row counts, last import). Before any entry is read the signature is
 * checked, and when it has moved every entry goes at once and the fact tables are rebuilt first. The
 * check costs a query only after a write: while the server runs it is the only writer of its file
 * (DuckDB's lock keeps other processes out), so the signature can change only through a write on this
 * Db, which moves `db.generation`.
 *
 * Entries are promises, so concurrent callers of one key share one computation; a failure is not
 * kept. Memory is bounded by entry count and by the total size of the answers (LRU): string answers
 * by their length, the public answers' bytes by the size they are put with.
 *
 * `stored` keeps a whole answer in the database too (table `api_precomputed`, under the same key and
 * signature), for the dashboard's default views, which take seconds over millions of cases: they then
 * survive a restart. Rows of an older signature are deleted when the fact tables are rebuilt.
 *
 * A cache is an object, not module state: an app gets its own unless given one (the server shares one
 * between the served app and the in-process app that computes the default views).
 */
import type { Db } from './db.ts';
import { CaseOrder } from './metrics/case-order.ts';
import { buildFacts, builtSignature, readSignature } from './metrics/facts.ts';

interface Entry {
  value: Promise<unknown>;
  /** The resolved value, once there is one (read without waiting on the promise). */
  settled?: { v: unknown };
  /** What counts toward the memory bound: a resolved string's length, or the size `put` was given. */
  size: number;
}

export interface CacheLimits {
  entries: number;
  chars: number;
}

/**
 * Selections of about this many cases and more (CaseOrder.estimate) take their order statistics from
 * the in-memory case order (metrics/case-order.ts) once it is loaded: its pass reads every case,
 * while the SQL sorts only the selection, which is quicker for small ones.
 */
export const CASE_ORDER_MIN_ROWS = 200_000;

const STORED_DDL =
  'CREATE TABLE IF NOT EXISTS api_precomputed (cache_key VARCHAR PRIMARY KEY, body VARCHAR NOT NULL)';

export class DataCache {
  /** The signature the fact tables match, and the Db generation it was read at. */
  private sig: string | undefined;
  private sigGeneration = -1;
  private checking: Promise<string> | null = null;
  /** Entries of `entriesSig` only, oldest use first. */
  private entries = new Map<string, Entry>();
  private entriesSig: string | undefined;
  private chars = 0;
  private storedReady: Promise<void> | null = null;
  /** The case order of one signature: loaded, loading, or failed (then SQL answers, as before). */
  private order: { sig: string; value: CaseOrder | null; loading: Promise<CaseOrder | null> } | undefined;

  constructor(
    readonly db: Db,
    private readonly limits: CacheLimits = { entries: 1000, chars: 64 * 1024 * 1024 },
    /**
     * See CASE_ORDER_MIN_ROWS; tests set 0 to send every selection through the case order, and
     * Infinity turns it off (the benchmark's comparison).
     */
    readonly caseOrderMinRows = CASE_ORDER_MIN_ROWS,
  ) {}

  /**
   * The in-memory case order of the current data if it is loaded; otherwise starts loading it (once
   * per signature) and returns null, so that the request is answered from SQL meanwhile.
   */
  async loadedCaseOrder(): Promise<CaseOrder | null> {
    if (this.caseOrderMinRows === Number.POSITIVE_INFINITY) return null; // never used: never loaded
    const sig = await this.signature();
    if (this.order?.sig === sig) return this.order.value;
    void this.loadCaseOrder(sig);
    return null;
  }

  /** Loads the case order of the current data, or waits for the load under way. */
  async caseOrder(): Promise<CaseOrder | null> {
    return this.loadCaseOrder(await this.signature());
  }

  private loadCaseOrder(sig: string): Promise<CaseOrder | null> {
    if (this.order?.sig === sig) return this.order.loading;
    // the previous signature's arrays go at once: two sets of them would double the memory
    const order: NonNullable<DataCache['order']> = { sig, value: null, loading: Promise.resolve(null) };
    this.order = order;
    order.loading = CaseOrder.load(this.db).then(
      (value) => {
        if (this.order === order) order.value = value;
        return value;
      },
      (err: unknown) => {
        // not fatal: the SQL path answers every request, only slower for large selections
        console.error(
          `case order: not loaded (${err instanceof Error ? err.message : String(err)}); using SQL`,
        );
        return null;
      },
    );
    return order.loading;
  }

  /**
   * The data signature, after making sure the fact tables match it (rebuilding them if not).
   * Concurrent callers share one check; with no write since the last one, no query at all.
   */
  signature(): Promise<string> {
    if (this.sig !== undefined && this.sigGeneration === this.db.generation) return Promise.resolve(this.sig);
    if (!this.checking) {
      const p = this.check();
      this.checking = p;
      const done = () => {
        if (this.checking === p) this.checking = null;
      };
      p.then(done, done);
    }
    return this.checking;
  }

  private async check(): Promise<string> {
    let generation = this.db.generation;
    const sig = await readSignature(this.db);
    if (sig !== this.sig && (await builtSignature(this.db)) !== sig) {
      const before = this.db.generation;
      await buildFacts(this.db, sig, async (c) => {
        await c.run(STORED_DDL);
        await c.run('DELETE FROM api_precomputed WHERE NOT starts_with(cache_key, $prefix)', {
          prefix: `${sig} `,
        });
      });
      // The rebuild wrote only derived tables, so the signature read before it still holds, unless
      // something else wrote meanwhile (then the next call reads it again).
      if (generation === before && this.db.generation === before + 1) generation = this.db.generation;
    }
    this.sig = sig;
    this.sigGeneration = generation;
    return sig;
  }

  /** The value for `key` under the current data, computed by `compute` once and kept until the data changes. */
  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    await this.enter();
    // from here to the new entry nothing awaits, so concurrent callers of one key share one computation
    const hit = this.touch(key);
    if (hit) return hit.value as Promise<T>;
    const entry: Entry = { value: compute(), size: 0 };
    this.entries.set(key, entry);
    entry.value.then(
      (v) => {
        entry.settled = { v };
        if (typeof v === 'string' && this.entries.get(key) === entry) this.account(key, entry, v.length);
      },
      () => {
        if (this.entries.get(key) === entry) this.drop(key);
      },
    );
    this.evict();
    return entry.value as Promise<T>;
  }

  /**
   * The value kept for `key` under the current data, if any, without computing it: for answers that
   * can only be rendered inside the request that asks (the public answers' bytes: public/routes.ts).
   */
  peek<T>(key: string): T | undefined | Promise<T | undefined> {
    // the common case, on every request that was answered before: no data change, a settled value
    if (this.sig !== undefined && this.sigGeneration === this.db.generation && this.entriesSig === this.sig) {
      const hit = this.entries.get(key);
      if (hit?.settled) {
        this.entries.delete(key);
        this.entries.set(key, hit);
        return hit.settled.v as T;
      }
    }
    return this.enter().then(() => {
      const hit = this.touch(key);
      return hit ? (hit.value as Promise<T>) : undefined;
    });
  }

  /** Keeps `value` for `key` under the current data; `size` (bytes or characters) counts toward the bound. */
  async put(key: string, value: unknown, size: number): Promise<void> {
    await this.enter();
    this.drop(key);
    const entry: Entry = { value: Promise.resolve(value), settled: { v: value }, size: 0 };
    this.entries.set(key, entry);
    this.account(key, entry, size);
  }

  /** `get` for a whole JSON answer that is also kept in the database, to survive a restart. */
  stored(key: string, compute: () => Promise<string>): Promise<string> {
    return this.get(key, async () => {
      const cacheKey = `${await this.signature()} ${key}`;
      this.storedReady ??= this.db.run(STORED_DDL);
      await this.storedReady;
      const row = await this.db.one<{ body: string }>(
        'SELECT body FROM api_precomputed WHERE cache_key = $k',
        { k: cacheKey },
      );
      if (row) return row.body;
      const body = await compute();
      await this.db.run('INSERT OR REPLACE INTO api_precomputed VALUES ($k, $b)', { k: cacheKey, b: body });
      return body;
    });
  }

  /** Drops every entry (the signature stays known): what the API benchmark does to time the SQL. */
  clear(): void {
    this.entries.clear();
    this.chars = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Finds `key`, marking it used. */
  private touch(key: string): Entry | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** Waits for the signature check, dropping every entry when the signature moved. */
  private async enter(): Promise<void> {
    const sig = await this.signature();
    if (sig !== this.entriesSig) {
      this.clear();
      this.entriesSig = sig;
    }
  }

  private account(key: string, entry: Entry, size: number): void {
    if (size > this.limits.chars / 8) this.drop(key);
    else {
      entry.size = size;
      this.chars += size;
    }
    this.evict();
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.chars -= e.size;
  }

  private evict(): void {
    while (this.entries.size > this.limits.entries || this.chars > this.limits.chars) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.drop(oldest.value);
    }
  }
}
