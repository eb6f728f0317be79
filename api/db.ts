/**
 * The one owner of DuckDB in a process: opens the database file once, applies the schema,
 * pins the time zone to Asia/Tehran, and hands out connections that are always closed.
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
  private constructor(
    readonly path: string,
    readonly instance: DuckDBInstance,
  ) {}

  /** Opens (creating if needed) the database file and applies the schema. `:memory:` for tests. */
  static async open(path: string, opts: DbOptions = {}): Promise<Db> {
    const options: Record<string, string> = {
      threads: String(opts.threads ?? 2),
      memory_limit: opts.memoryLimit ?? '2GB',
    };
    if (opts.readOnly) options.access_mode = 'READ_ONLY';
    const instance = await DuckDBInstance.create(path, options);
    const db = new Db(path, instance);
    if (!opts.readOnly) await db.applySchema();
    return db;
  }

  async applySchema(): Promise<void> {
    const sql = readFileSync(SCHEMA_PATH, 'utf8');
    await this.with((c) => c.run(sql));
  }

  /** Runs `fn` on a fresh connection (time zone pinned) and always closes it. */
  async with<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const c = await this.instance.connect();
    try {
      await c.run(`SET TimeZone = '${TIME_ZONE}'`);
      return await fn(c);
    } finally {
      c.closeSync();
    }
  }

  /** Rows as JSON-friendly objects. BIGINT/DECIMAL come back as strings: cast to DOUBLE/INTEGER in SQL. */
  async all<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]> {
    return this.with(async (c) => {
      const reader = await c.runAndReadAll(sql, params);
      return reader.getRowObjectsJson() as T[];
    });
  }

  async one<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.with(async (c) => {
      await c.run(sql, params);
    });
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
    this.instance.closeSync();
  }
}
