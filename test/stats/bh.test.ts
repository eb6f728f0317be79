import { describe, expect, it } from 'vitest';
import { bhQValues } from '../../api/stats/bh.ts';
import { mulberry32 } from './rng.ts';

/** Textbook definition, O(m²): q_i = min(1, min over p_j ≥ p_i of p_j·m / rank_j), rank = #{p ≤ p_j}. */
function naiveBh(p: (number | null)[]): (number | null)[] {
  const valid = p.filter((v): v is number => v !== null && !Number.isNaN(v));
  const m = valid.length;
  return p.map((pi) => {
    if (pi === null || Number.isNaN(pi)) return null;
    let best = 1;
    for (const pj of valid) {
      if (pj < pi) continue;
      const rank = valid.filter((v) => v <= pj).length;
      best = Math.min(best, (pj * m) / rank);
    }
    return best;
  });
}

describe('Benjamini–Hochberg q-values', () => {
  it("the 15 p-values of Benjamini & Hochberg's (1995) worked example", () => {
    // JRSS B 57:289, §4 (myocardial infarction trial). m = 15; p·m/i, then running minimum from the top:
    //   i  p       p·15/i        q
    //   1  0.0001  0.0015        0.0015
    //   2  0.0004  0.003         0.003
    //   3  0.0019  0.0095        0.0095
    //   4  0.0095  0.035625      0.035625
    //   5  0.0201  0.0603        0.0603
    //   6  0.0278  0.0695        0.0638571  ← min(0.0695, q7)
    //   7  0.0298  0.0638571     0.0638571
    //   8  0.0344  0.0645        0.0645
    //   9  0.0459  0.0765        0.0765
    //  10  0.3240  0.486         0.486
    //  11  0.4262  0.5811818     0.5811818
    //  12  0.5719  0.714875      0.714875
    //  13  0.6528  0.7532308     0.7532308
    //  14  0.7590  0.8132143     0.8132143
    //  15  1.0000  1             1
    // At FDR 0.05 the first four are rejected, as in the paper.
    const p = [
      0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528,
      0.759, 1,
    ];
    const want = [
      0.0015,
      0.003,
      0.0095,
      0.035625,
      0.0603,
      (0.0298 * 15) / 7,
      (0.0298 * 15) / 7,
      0.0645,
      0.0765,
      0.486,
      (0.4262 * 15) / 11,
      0.714875,
      (0.6528 * 15) / 13,
      (0.759 * 15) / 14,
      1,
    ];
    // Shuffled input: the output must follow the input order.
    const order = [14, 3, 0, 9, 6, 5, 12, 1, 8, 2, 11, 7, 4, 13, 10];
    const q = bhQValues(order.map((i) => p[i]));
    order.forEach((i, k) => {
      expect(q[k]).toBeCloseTo(want[i], 12);
    });
    expect(q.filter((v) => (v as number) <= 0.05)).toHaveLength(4);
  });

  it('null and NaN give null and do not count towards m; caps at 1; ties share a q', () => {
    // m = 3 valid: 0.01·3/1 = 0.03; 0.04 tied at ranks 2, 3 → both min(0.04·3/2, 0.04·3/3) = 0.04
    const q = bhQValues([0.04, null, 0.01, Number.NaN, 0.04]);
    expect(q[1]).toBeNull();
    expect(q[3]).toBeNull();
    expect(q[2]).toBeCloseTo(0.03, 15);
    expect(q[0]).toBeCloseTo(0.04, 15);
    expect(q[4]).toBeCloseTo(0.04, 15);
    expect(bhQValues([0.9, 0.8])).toEqual([0.9, 0.9]); // 0.8·2/1 = 1.6 → capped by q₂ = 0.9
    expect(bhQValues([])).toEqual([]);
    expect(() => bhQValues([0.5, 1.5])).toThrow(/index 1/);
  });

  it('agrees with the naive definition on random p-values with ties and gaps', () => {
    const rand = mulberry32(1995);
    for (let trial = 0; trial < 100; trial++) {
      const m = Math.floor(rand() * 30);
      const p = Array.from({ length: m }, () => {
        const u = rand();
        if (u < 0.1) return null;
        return u < 0.3 ? Math.round(rand() * 10) / 10 : rand() ** 3;
      });
      const got = bhQValues(p);
      const want = naiveBh(p);
      got.forEach((g, i) => {
        if (want[i] === null) expect(g).toBeNull();
        else expect(Math.abs((g as number) - (want[i] as number))).toBeLessThan(1e-15);
      });
    }
  });
});
