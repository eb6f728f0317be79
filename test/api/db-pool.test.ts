/**
 * The shared-connection machinery behind a busy server: pooled DuckDB connections (api/db.ts), the
 * write generation that invalidates the in-memory dataset signature (metrics/facts.ts), and the
 * single-flight response cache (cache.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResponseCache } from '../../api/cache.ts';
import { Db } from '../../api/db.ts';
import { ensureFacts } from '../../api/metrics/facts.ts';

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

describe('the dataset signature kept in memory', () => {
  it('changes after a write through the handle, and after invalidate()', async () => {
    await db.run(
      "INSERT INTO dataset (id, city, as_of) VALUES (1, 'x', '2024-01-01 00:00:00+00'::TIMESTAMPTZ)",
    );
    const s1 = await ensureFacts(db);
    expect(await ensureFacts(db)).toBe(s1);
    await db.run("UPDATE dataset SET as_of = '2024-02-01 00:00:00+00'::TIMESTAMPTZ");
    const s2 = await ensureFacts(db);
    expect(s2).not.toBe(s1);
    // a write this handle cannot see (simulated: behind its back through a raw connection)
    const c = await db.instance.connect();
    await c.run("UPDATE dataset SET as_of = '2024-03-01 00:00:00+00'::TIMESTAMPTZ");
    c.closeSync();
    expect(await ensureFacts(db)).toBe(s2);
    db.invalidate();
    expect(await ensureFacts(db)).not.toBe(s2);
  });
});

describe('single flight in the response cache', () => {
  it('shares one computation among concurrent callers and keeps no failure', async () => {
    const cache = new ResponseCache();
    let calls = 0;
    let finish: (v: string) => void = () => {};
    const first = cache.lead('k', () => {
      calls++;
      return new Promise<string>((r) => {
        finish = r;
      });
    });
    const second = cache.shared('k');
    expect(second).toBe(first);
    finish('body');
    expect(await second).toBe('body');
    expect(calls).toBe(1);
    expect(cache.shared('k')).toBeUndefined();

    const failed = cache.lead('e', async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    expect(cache.shared('e')).toBeUndefined();
  });
});
