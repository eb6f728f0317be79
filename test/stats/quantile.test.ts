import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../api/db.ts';
import { median, quantile, quantileSorted } from '../../api/stats/quantile.ts';
import { mulberry32 } from './rng.ts';

// Type 7: h = (n − 1)·q, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) on the sorted x (0-based).
describe('quantile (type 7), worked by hand', () => {
  it('[1,2,3,4] p90 = 3.7', () => {
    // h = 3·0.9 = 2.7 → x[2] + 0.7·(x[3] − x[2]) = 3 + 0.7·1 = 3.7
    expect(quantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 14);
  });

  it('medians of odd and even lengths', () => {
    // [3,1,2] → [1,2,3], h = 2·0.5 = 1 → x[1] = 2
    expect(median([3, 1, 2])).toBe(2);
    // [4,1,3,2] → [1,2,3,4], h = 1.5 → 2 + 0.5·(3 − 2) = 2.5
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('ties', () => {
    // [5,1,5,5,2] → [1,2,5,5,5], n = 5, h = 4q
    const v = [5, 1, 5, 5, 2];
    expect(quantile(v, 0.1)).toBeCloseTo(1.4, 14); // h = 0.4 → 1 + 0.4·(2 − 1)
    expect(quantile(v, 0.25)).toBe(2); // h = 1 → x[1]
    expect(quantile(v, 0.3)).toBeCloseTo(2.6, 14); // h = 1.2 → 2 + 0.2·(5 − 2)
    expect(quantile(v, 0.6)).toBe(5); // h = 2.4 → 5 + 0.4·(5 − 5)
    expect(median(v)).toBe(5); // h = 2 → x[2]
  });

  it('ends, a single value, empty input', () => {
    expect(quantile([9, -2, 4], 0)).toBe(-2);
    expect(quantile([9, -2, 4], 1)).toBe(9);
    expect(quantile([7], 0.37)).toBe(7);
    expect(quantile([], 0.5)).toBeNull();
    expect(median([])).toBeNull();
    expect(quantileSorted(new Float64Array([1, 10]), 0.25)).toBeCloseTo(3.25, 14); // h = 0.25 → 1 + 0.25·9
  });

  it('leaves its input unsorted', () => {
    const v = [3, 1, 2];
    quantile(v, 0.5);
    expect(v).toEqual([3, 1, 2]);
  });

  it('rejects a bad q or a non-finite value', () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(/q must be/);
    expect(() => quantile([1, 2], Number.NaN)).toThrow(/q must be/);
    expect(() => quantile([1, Number.NaN], 0.5)).toThrow(/index 1/);
  });
});

describe('quantile agrees with DuckDB quantile_cont (a second implementation)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await Db.open(':memory:');
  });
  afterAll(() => db.close());

  it('on random arrays with ties', async () => {
    const rand = mulberry32(20240131);
    const qs = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1];
    for (let trial = 0; trial < 12; trial++) {
      const n = 1 + Math.floor(rand() * 40);
      // Half the arrays are small integers (many ties), half are arbitrary doubles.
      const values = Array.from({ length: n }, () =>
        trial % 2 === 0 ? Math.floor(rand() * 8) : (rand() - 0.3) * 1000,
      );
      // Numbers go in as strings cast to DOUBLE: a bare literal would be parsed as DECIMAL.
      const rowsSql = values.map((v) => `('${v}'::DOUBLE)`).join(', ');
      const row = await db.one<{ qs: number[] }>(
        `SELECT quantile_cont(x, [${qs.join(', ')}])::DOUBLE[] AS qs FROM (VALUES ${rowsSql}) t(x)`,
      );
      const expected = row?.qs ?? [];
      expect(expected).toHaveLength(qs.length);
      qs.forEach((q, i) => {
        const got = quantile(values, q) as number;
        expect(Math.abs(got - expected[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected[i])));
      });
    }
  });
});
