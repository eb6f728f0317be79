/**
 * The shared machinery behind a busy server: pooled DuckDB connections (api/db.ts), and the one data
 * cache (api/cache.ts) with its one rule: entries belong to the data signature, which is re-read only
 * after a write moves the Db's generation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataCache } from '../../api/cache.ts';
import { Db } from '../../api/db.ts';

let db: Db;
beforeEach(async () => {
  db = await Db.open(':memory:', { threads: 1 });
});
afterEach(() => db.close());

describe('pooled connections', () => {
  it('answers many more concurrent queries than the pool holds, each in Tehran time', async () => {
    const rows = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        db.one<{ tz: string; i: number }>("SELECT current_setting('TimeZone') AS tz, $i::INTEGER AS i", {
          i,
        }),
      ),
    );
    expect(rows.map((r) => r?.i)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(new Set(rows.map((r) => r?.tz))).toEqual(new Set(['Asia/Tehran']));
  });

  it('stays usable after failed statements, with no transaction left open', async () => {
    await expect(db.all('SELEC 1')).rejects.toThrow();
    // half-way failure inside an explicit transaction: the connection must not go back to the pool
    await expect(db.run('BEGIN TRANSACTION; SELECT * FROM no_such_table')).rejects.toThrow();
    await db.run('CREATE TABLE t (x INTEGER)');
    await Promise.all(Array.from({ length: 8 }, (_, x) => db.run('INSERT INTO t VALUES ($x)', { x })));
    // every insert was committed: a fresh connection (a transaction) sees all eight
    const n = await db.transaction(async (c) => {
      const r = await c.runAndReadAll('SELECT count(*)::INTEGER AS n FROM t');
      return r.getRowObjectsJson()[0]?.n;
    });
    expect(n).toBe(8);
  });

  it('counts writes, not reads', async () => {
    const g0 = db.generation;
    await db.all('SELECT 1');
    await db.one('SELECT 1');
    expect(db.generation).toBe(g0);
    await db.run('CREATE TABLE t (x INTEGER)');
    await db.transaction(async (c) => c.run('INSERT INTO t VALUES (1)'));
    expect(db.generation).toBe(g0 + 2);
  });
});

describe('the data signature', () => {
  it('changes after a write through the handle, and after invalidate()', async () => {
    await db.run(
      "INSERT INTO dataset (id, city, as_of) VALUES (1, 'x', '2024-01-01 00:00:00+00'::TIMESTAMPTZ)",
    );
    const cache = new DataCache(db);
    const s1 = await cache.signature();
    expect(await cache.signature()).toBe(s1);
    await db.run("UPDATE dataset SET as_of = '2024-02-01 00:00:00+00'::TIMESTAMPTZ");
    const s2 = await cache.signature();
    expect(s2).not.toBe(s1);
    // a write this handle cannot see (simulated: behind its back through a raw connection)
    const c = await db.connect();
    await c.run("UPDATE dataset SET as_of = '2024-03-01 00:00:00+00'::TIMESTAMPTZ");
    c.closeSync();
    expect(await cache.signature()).toBe(s2);
    db.invalidate();
    expect(await cache.signature()).not.toBe(s2);
  });

  it('builds the fact tables for the data, and rebuilds them when the data changes', async () => {
    await db.run(
      "INSERT INTO dataset (id, city, as_of) VALUES (1, 'x', '2024-01-10 00:00:00+00'::TIMESTAMPTZ)",
    );
    await db.run("INSERT INTO offices (office_id, name, district) VALUES ('A', 'A', 1)");
    await db.run("INSERT INTO services (service_code, name, sla_days) VALUES ('S', 'S', 5)");
    await db.run(
      "INSERT INTO cases (case_id, office_id, service_code, submitted_at, status) VALUES ('c1', 'A', 'S', '2024-01-01 00:00:00+00', 'open')",
    );
    const cache = new DataCache(db);
    await cache.signature();
    // open 9 days on the as-of time, past its 5-day deadline
    expect(await db.all('SELECT age, breached FROM case_facts')).toEqual([{ age: 9, breached: true }]);
    await db.run("UPDATE dataset SET as_of = '2024-01-04 00:00:00+00'::TIMESTAMPTZ");
    await cache.signature();
    expect(await db.all('SELECT age, breached FROM case_facts')).toEqual([{ age: 3, breached: null }]);
  });
});

describe('the data cache', () => {
  it('shares one computation among concurrent callers and keeps no failure', async () => {
    const cache = new DataCache(db);
    let calls = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const compute = async () => {
      calls++;
      await gate;
      return 'body';
    };
    // asked twice before either is answered: one computation, however the two calls interleave
    const both = Promise.all([cache.get('k', compute), cache.get('k', compute)]);
    release();
    expect(await both).toEqual(['body', 'body']);
    expect(calls).toBe(1);
    expect(await cache.get('k', compute)).toBe('body');
    expect(calls).toBe(1);

    await expect(cache.get('e', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('e', async () => 'fine')).toBe('fine');
  });

  it('drops every entry when the data signature moves, and nothing before', async () => {
    await db.run("INSERT INTO dataset (id, city) VALUES (1, 'x')");
    const cache = new DataCache(db);
    let n = 0;
    const count = async () => ++n;
    expect(await cache.get('a', count)).toBe(1);
    await db.all('SELECT 1'); // a read moves nothing
    expect(await cache.get('a', count)).toBe(1);
    await db.run('INSERT INTO sessions SELECT * FROM sessions'); // a write that leaves the data as it was
    expect(await cache.get('a', count)).toBe(1);
    await db.run("UPDATE dataset SET as_of = '2024-02-01 00:00:00+00'::TIMESTAMPTZ");
    expect(await cache.get('a', count)).toBe(2);
  });

  it('keeps at most its entry count, the least recently used going first', async () => {
    const cache = new DataCache(db, { entries: 2, chars: 1 << 20 });
    await cache.get('a', async () => 'A');
    await cache.get('b', async () => 'B');
    await cache.get('a', async () => 'A2'); // a hit: 'a' is now the most recent
    await cache.get('c', async () => 'C'); // evicts 'b'
    expect(cache.size).toBe(2);
    expect(await cache.get('a', async () => 'A3')).toBe('A');
    expect(await cache.get('b', async () => 'B2')).toBe('B2');
  });

  it('keeps a stored answer in the database for the next cache on the same data', async () => {
    await db.run("INSERT INTO dataset (id, city) VALUES (1, 'x')");
    expect(await new DataCache(db).stored('/api/x', async () => '{"v":1}')).toBe('{"v":1}');
    // a restarted server: a new cache reads it back instead of computing
    expect(await new DataCache(db).stored('/api/x', async () => '{"v":2}')).toBe('{"v":1}');
    await db.run("UPDATE dataset SET as_of = '2024-02-01 00:00:00+00'::TIMESTAMPTZ");
    expect(await new DataCache(db).stored('/api/x', async () => '{"v":3}')).toBe('{"v":3}');
    // the old data's rows are gone with the rebuild of the fact tables
    expect(await db.all('SELECT count(*)::INTEGER AS n FROM api_precomputed')).toEqual([{ n: 1 }]);
  });
});
