/**
 * The one owner of DuckDB in a process: opens the database file once, applies the schema,
 * pins the time zone to Asia/Tehran, and hands out connections.
 *
 * Single statements (`all`, `one`, `run`) borrow a connection from a small pool: opening one costs
 * more than a cached answer's whole query. `with` and `transaction` run arbitrary code, which may
 * leave session state behind (temp tables, settings, an open transaction), so they get a fresh
 * connection that is closed afterwards, as before.
 *
 * `generation` counts the writes made through this handle: caches of things derived from the data
 * (the dataset signature, sessions) hold the generation they were read at and are dropped when it
 * moves. Only `all`/`one` are treated as reads; anything else bumps it.
 *
 * Every DuckDB connection in the process comes from here, so every one has the Tehran time zone
 * pinned: a TIMESTAMPTZ rendered as text or cut to a DATE means the same thing on any machine.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';

export const SCHEMA_PATH = fileURLToPath(new URL('../data/schema.sql', import.meta.url));
export const TIME_ZONE = 'Asia/Tehran';

export type Params = Record<string, DuckDBValue>;

export interface DbOptions {
  threads?: number;
  memoryLimit?: string;
  readOnly?: boolean;
}

/**
 * Why DuckDB could not open a file, from its error text: `locked` (another process holds the file:
 * DuckDB allows one read-write process per file), `damaged` (not a DuckDB file, or cut short), or `other`.
 */
export function openFailureKind(err: unknown): 'locked' | 'damaged' | 'other' {
  const m = err instanceof Error ? err.message : String(err);
  if (/Could not set lock|Conflicting lock/i.test(m)) return 'locked';
  if (/not a valid DuckDB database|Could not read enough bytes|checksum|corrupt/i.test(m)) return 'damaged';
  return 'other';
}

export class Db {
  private idle: DuckDBConnection[] = [];
  private open = 0;
  private waiting: { resolve: (c: DuckDBConnection) => void; reject: (err: unknown) => void }[] = [];
  private writes = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly maxPooled: number,
  ) {}

  /** Moves on every write through this handle (and on `invalidate`). */
  get generation(): number {
    return this.writes;
  }

  /** For writes this handle cannot see (another handle on the same file in this process). */
  invalidate(): void {
    this.writes++;
  }

  /** Opens (creating if needed) the database file and applies the schema. `:memory:` for tests. */
  static async open(path: string, opts: DbOptions = {}): Promise<Db> {
    const options: Record<string, string> = {
      threads: String(opts.threads ?? 2),
      memory_limit: opts.memoryLimit ?? '2GB',
      // DuckDB's allocator (jemalloc) hands memory back to the system after any task that peaked above 64 MB
      // (default 128 MB), instead of keeping it for the next big sort (issue 10: server RSS)
      allocator_flush_threshold: '64MB',
      // and its background threads give freed pages back as they age, rather than on the next allocation: ten
      // million cases imported, peak RSS in six runs 1,458–1,501 MiB with them, 1,475–1,870 MiB without (the
      // facts build after the import reused little of what the import had freed)
      allocator_background_threads: 'true',
    };
    if (opts.readOnly) options.access_mode = 'READ_ONLY';
    const instance = await DuckDBInstance.create(path, options);
    const db = new Db(path, instance, (opts.threads ?? 2) + 2);
    if (!opts.readOnly) await db.applySchema();
    return db;
  }

  async applySchema(): Promise<void> {
    const sql = readFileSync(SCHEMA_PATH, 'utf8');
    await this.with((c) => c.run(sql));
  }

  /**
   * A connection of the caller's own, time zone pinned, for work that must hold one (a streaming
   * read); the caller closes it. Writes through it do not move `generation`: write with `with`,
   * `transaction` or `run`.
   */
  async connect(): Promise<DuckDBConnection> {
    const c = await this.instance.connect();
    try {
      await c.run(`SET TimeZone = '${TIME_ZONE}'`);
    } catch (err) {
      c.closeSync();
      throw err;
    }
    return c;
  }

  /** Runs `fn` on a fresh connection (time zone pinned) and always closes it. Counts as a write. */
  async with<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const c = await this.connect();
    try {
      return await fn(c);
    } finally {
      c.closeSync();
      this.writes++;
    }
  }

  private async acquire(): Promise<DuckDBConnection> {
    const c = this.idle.pop();
    if (c) return c;
    if (this.open < this.maxPooled) return this.openPooled();
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private async openPooled(): Promise<DuckDBConnection> {
    this.open++;
    try {
      return await this.connect();
    } catch (err) {
      this.open--;
      throw err;
    }
  }

  private release(c: DuckDBConnection): void {
    if (this.closed) {
      c.closeSync();
      return;
    }
    const next = this.waiting.shift();
    if (next) next.resolve(c);
    else this.idle.push(c);
  }

  /** Closes a connection that may hold state from a failed statement; a waiter gets a new one. */
  private discard(c: DuckDBConnection): void {
    c.closeSync();
    this.open--;
    if (this.closed) return;
    const next = this.waiting.shift();
    if (next) this.openPooled().then(next.resolve, next.reject);
  }

  /**
   * One statement on a pooled connection. After an error the connection is closed rather than
   * reused: a multi-statement text could have failed half-way with a transaction open.
   */
  private async pooled<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const c = await this.acquire();
    let out: T;
    try {
      out = await fn(c);
    } catch (err) {
      this.discard(c);
      throw err;
    }
    this.release(c);
    return out;
  }

  /** Rows as JSON-friendly objects. BIGINT/DECIMAL come back as strings: cast to DOUBLE/INTEGER in SQL. */
  async all<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]> {
    return this.pooled(async (c) => {
      const reader = await c.runAndReadAll(sql, params);
      return reader.getRowObjectsJson() as T[];
    });
  }

  async one<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  async run(sql: string, params?: Params): Promise<void> {
    try {
      await this.pooled(async (c) => {
        await c.run(sql, params);
      });
    } finally {
      this.writes++;
    }
  }

  /** Runs `fn` inside BEGIN/COMMIT on one connection; any error rolls back and is rethrown. */
  async transaction<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.with(async (c) => {
      await c.run('BEGIN TRANSACTION');
      try {
        const out = await fn(c);
        await c.run('COMMIT');
        return out;
      } catch (err) {
        await c.run('ROLLBACK').catch(() => {});
        throw err;
      }
    });
  }

  close(): void {
    this.closed = true;
    for (const c of this.idle.splice(0)) c.closeSync();
    this.instance.closeSync();
  }
}
