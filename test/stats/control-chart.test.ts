import { describe, expect, it } from 'vitest';
import { uChart } from '../../api/stats/control-chart.ts';

describe('uChart', () => {
  it('hand-worked: four months with cases, one without', () => {
    // ū = Σc/Σn over n > 0 = (90 + 8 + 30 + 22)/(2000 + 100 + 400 + 500) = 150/3000 = 0.05
    //   month  n     c   u = c/n  3√(ū/n)                     UCL        LCL
    //   1      2000  90  0.045    3·√0.000025  = 0.015         0.065      0.035
    //   2      100   8   0.08     3·√0.0005    = 0.0670820     0.1170820  max(0, −0.0170820) = 0
    //   3      0     0   —        —                           —          —
    //   4      400   30  0.075    3·√0.000125  = 0.0335410     0.0835410  0.0164590
    //   5      500   22  0.044    3·√0.0001    = 0.03          0.08       0.02
    const r = uChart([
      { n: 2000, c: 90 },
      { n: 100, c: 8 },
      { n: 0, c: 0 },
      { n: 400, c: 30 },
      { n: 500, c: 22 },
    ]);
    expect(r.center).toBeCloseTo(0.05, 15);
    const want = [
      { value: 0.045, ucl: 0.065, lcl: 0.035 },
      { value: 0.08, ucl: 0.05 + 3 * Math.sqrt(0.0005), lcl: 0 },
      { value: null, ucl: null, lcl: null },
      { value: 0.075, ucl: 0.05 + 3 * Math.sqrt(0.000125), lcl: 0.05 - 3 * Math.sqrt(0.000125) },
      { value: 0.044, ucl: 0.08, lcl: 0.02 },
    ];
    r.rows.forEach((row, i) => {
      for (const k of ['value', 'ucl', 'lcl'] as const) {
        const w = want[i][k];
        if (w === null) expect(row[k]).toBeNull();
        else expect(row[k]).toBeCloseTo(w, 12);
      }
    });
    expect(r.rows[1].lcl).toBe(0);
    expect(r.rows[3].ucl).toBeCloseTo(0.083541, 6);
  });

  it('empty or all-empty series; bad counts rejected', () => {
    expect(uChart([])).toEqual({ center: 0, rows: [] });
    expect(uChart([{ n: 0, c: 0 }])).toEqual({
      center: 0,
      rows: [{ value: null, ucl: null, lcl: null, flag: null }],
    });
    expect(() => uChart([{ n: 10, c: -1 }])).toThrow(/c must be/);
  });

  it('partial months take no part in ū and are never flagged', () => {
    // Full months: (100, 5), (100, 5), (100, 5) → ū = 15/300 = 0.05; 3√(0.05/100) = 0.0670820.
    // The last month is partial (data ends ten days in): 20 cases, 0 complaints → value 0 is below
    // nothing (LCL 0), and a partial (400, 80) month with u = 0.2 > UCL would be flagged if full.
    const r = uChart([
      { n: 100, c: 5 },
      { n: 100, c: 5 },
      { n: 100, c: 5 },
      { n: 400, c: 80, partial: true },
    ]);
    expect(r.center).toBeCloseTo(0.05, 15);
    expect(r.rows[3].value).toBeCloseTo(0.2, 15);
    expect(r.rows[3].ucl).toBeCloseTo(0.05 + 3 * Math.sqrt(0.05 / 400), 12);
    expect(r.rows[3].flag).toBeNull();
    const full = uChart([
      { n: 100, c: 5 },
      { n: 100, c: 5 },
      { n: 100, c: 5 },
      { n: 400, c: 80 },
    ]);
    // as a full month it would move ū to 95/700 and still be flagged above
    expect(full.center).toBeCloseTo(95 / 700, 15);
    expect(full.rows[3].flag).toBe('above');
    // a low full month is flagged below: ū = (0 + 50 + 50)/(1000 + 500 + 500) = 0.05, LCL at n 1000 = 0.05 − 3√0.00005 = 0.028787
    expect(
      uChart([
        { n: 1000, c: 0 },
        { n: 500, c: 50 },
        { n: 500, c: 50 },
      ]).rows[0].flag,
    ).toBe('below');
  });
});
