import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { zoneArithmetic } from '../../api/lib/zone-arithmetic.ts';

// ICU's own conversions are the reference: the arithmetic must give the same date and deadline for every instant,
// near a change of offset or not, in zones whose offsets change by an hour (Tehran, until 2022), by 30 minutes
// (Lord Howe), by a whole day (Apia skipped 30 December 2011), and never (UTC).
const ZONES = ['Asia/Tehran', 'Australia/Lord_Howe', 'Pacific/Apia', 'UTC'];

let instance: DuckDBInstance;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '2' });
});
afterAll(() => instance.closeSync());

describe('zoneArithmetic', () => {
  for (const zone of ZONES) {
    test(`local dates and deadlines equal ICU's in ${zone}`, async () => {
      const c = await instance.connect();
      await c.run(`SET TimeZone = '${zone}'`);
      // an instant every 61 minutes and some seconds, 1968–2035 (before 1970 too, which stays on ICU), a number of
      // days from -400 to 400 for each, and now and then one beyond the clamp, or NULL
      await c.run(`CREATE OR REPLACE TEMP TABLE t AS
        SELECT to_timestamp(s + hash(s) % 60 + (hash(s) % 1000000) / 1e6) AS ts,
          CASE hash(s) % 97 WHEN 0 THEN 100001 WHEN 1 THEN -100001 WHEN 2 THEN NULL
            ELSE (hash(s * 7) % 801)::INTEGER - 400 END AS n
        FROM range(-63158400, 2082758400, 61 * 60) r(s)
        UNION ALL SELECT NULL, 3`);
      const z = await zoneArithmetic(c, '(SELECT min(ts) FROM t)', '(SELECT max(ts) FROM t)');
      // from 3 January 1970, 20,000 days (to October 2024) are on the arithmetic but for the days near a change;
      // the rest keep ICU
      expect(z.fastDays).toBeGreaterThan(19_000);
      expect(z.fastDays).toBeLessThanOrEqual(20_000);
      const r = (
        await c.runAndReadAll(`SELECT count(*)::INTEGER AS n,
          count(*) FILTER (${z.localDate('ts')} IS DISTINCT FROM ts::DATE)::INTEGER AS dates,
          count(*) FILTER (abs(n) <= 100000 AND ${z.addDays('ts', 'n')} IS DISTINCT FROM ts + to_days(n))::INTEGER AS deadlines,
          count(*) FILTER (n IS NULL AND ${z.addDays('ts', 'n')} IS NOT NULL)::INTEGER AS nulls
          FROM t`)
      ).getRowObjects()[0];
      expect(r).toEqual({ n: expect.any(Number), dates: 0, deadlines: 0, nulls: 0 });
      expect(r.n).toBeGreaterThan(500_000);
      c.closeSync();
    });
  }

  test('a deadline beyond the clamp takes ICU, and fails where ICU fails, not with an overflow of its own', async () => {
    const c = await instance.connect();
    await c.run(`SET TimeZone = 'Asia/Tehran'`);
    await c.run(
      `CREATE OR REPLACE TEMP TABLE u AS SELECT TIMESTAMPTZ '2020-01-01 10:00:00+03:30' AS ts, 100001 AS n`,
    );
    const z = await zoneArithmetic(c, '(SELECT min(ts) FROM u)', '(SELECT max(ts) FROM u)');
    expect(z.fastDays).toBe(1);
    const read = async (sql: string) => (await c.runAndReadAll(sql)).getRowObjects()[0];
    expect(await read(`SELECT (${z.addDays('ts', 'n')})::VARCHAR AS d FROM u`)).toEqual(
      await read(`SELECT (ts + to_days(n))::VARCHAR AS d FROM u`),
    );
    await c.run('UPDATE u SET n = 2000000000');
    await expect(read(`SELECT (ts + to_days(n))::VARCHAR AS d FROM u`)).rejects.toThrow(/ICU date overflows/);
    await expect(read(`SELECT (${z.addDays('ts', 'n')})::VARCHAR AS d FROM u`)).rejects.toThrow(
      /ICU date overflows/,
    );
    c.closeSync();
  });

  test('no rows, or only instants before 1970: ICU alone', async () => {
    const c = await instance.connect();
    await c.run(`CREATE OR REPLACE TEMP TABLE e AS SELECT TIMESTAMPTZ '1960-05-01 00:00:00+00' AS ts`);
    expect((await zoneArithmetic(c, 'NULL::TIMESTAMPTZ', 'NULL::TIMESTAMPTZ')).fastDays).toBe(0);
    const z = await zoneArithmetic(c, '(SELECT min(ts) FROM e)', '(SELECT max(ts) FROM e)');
    expect(z.fastDays).toBe(0);
    expect(z.localDate('ts')).toBe('ts::DATE');
    c.closeSync();
  });
});
