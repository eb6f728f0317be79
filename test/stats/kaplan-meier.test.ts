import { describe, expect, it } from 'vitest';
import {
  kaplanMeierCurve,
  kaplanMeierMedian,
  kaplanMeierMedianFromCounts,
} from '../../api/stats/kaplan-meier.ts';
import { mulberry32 } from './rng.ts';

/** Parses '6 6 6* 7' into durations and events (* = censored, the usual notation). */
function parse(text: string): { durations: number[]; events: boolean[] } {
  const tokens = text.trim().split(/\s+/);
  return {
    durations: tokens.map((t) => Number(t.replace('*', ''))),
    events: tokens.map((t) => !t.endsWith('*')),
  };
}

describe('Kaplan–Meier, worked by hand', () => {
  // Ten cases, * = still open (censored) at that age. At t = 4 two close and one is censored:
  // the censored one still counts as at risk at 4 (events before censorings).
  //
  //   t   n_t  d_t  c_t  S(t)
  //   2   10   1    0    1 · 9/10        = 0.9
  //   3    9   0    1    0.9
  //   4    8   2    1    0.9 · 6/8       = 0.675   (censoring first would give n=7: 0.9·5/7 = 0.6429)
  //   6    5   1    0    0.675 · 4/5     = 0.54
  //   7    4   0    1    0.54
  //   8    3   1    0    0.54 · 2/3      = 0.36   ← first S ≤ 0.5: median 8
  //   9    2   0    1    0.36
  //   10   1   1    0    0.36 · 0/1      = 0
  const { durations, events } = parse('2 3* 4 4 4* 6 7* 8 9* 10');

  it('curve', () => {
    const curve = kaplanMeierCurve(durations, events);
    const expected = [
      { t: 2, atRisk: 10, events: 1, s: 0.9 },
      { t: 3, atRisk: 9, events: 0, s: 0.9 },
      { t: 4, atRisk: 8, events: 2, s: 0.675 },
      { t: 6, atRisk: 5, events: 1, s: 0.54 },
      { t: 7, atRisk: 4, events: 0, s: 0.54 },
      { t: 8, atRisk: 3, events: 1, s: 0.36 },
      { t: 9, atRisk: 2, events: 0, s: 0.36 },
      { t: 10, atRisk: 1, events: 1, s: 0 },
    ];
    expect(curve).toHaveLength(expected.length);
    curve.forEach((p, i) => {
      expect(p.t).toBe(expected[i].t);
      expect(p.atRisk).toBe(expected[i].atRisk);
      expect(p.events).toBe(expected[i].events);
      expect(p.s).toBeCloseTo(expected[i].s, 12);
    });
  });

  it('median is the first event time with S ≤ 0.5, whatever the input order', () => {
    expect(kaplanMeierMedian(durations, events)).toBe(8);
    const order = [7, 2, 9, 0, 5, 3, 8, 1, 6, 4];
    expect(
      kaplanMeierMedian(
        order.map((i) => durations[i]),
        order.map((i) => events[i]),
      ),
    ).toBe(8);
  });

  it('S exactly 0.5 over an interval gives its midpoint, as R survfit does', () => {
    // 1 2 3 4, all closed: S(2) = 3/4 · 2/3 = 1/2 exactly until the next event at 3 → 2.5, the
    // ordinary median (R: survfit(Surv(1:4) ~ 1) prints median 2.5).
    expect(kaplanMeierMedian([4, 3, 2, 1], [true, true, true, true])).toBe(2.5);
    // 24 closed at 1..24: S(12) = 12/24 exactly, though the float product is 0.5000000000000001 →
    // (12 + 13)/2, the ordinary median of 1..24.
    const t24 = Array.from({ length: 24 }, (_, i) => i + 1);
    expect(
      kaplanMeierMedian(
        t24,
        t24.map(() => true),
      ),
    ).toBe(12.5);
    // S at 0.5 to the end (the rest censored): R reports the left end, t_i.
    expect(kaplanMeierMedian([1, 2, 3, 4], [true, true, false, false])).toBe(2);
    // censored before the crossing: 1, 2+, 3, 4, 5: S(1) = 4/5, S(3) = 4/5·2/3 = 8/15,
    // S(4) = 8/15·1/2 = 4/15 < 0.5 → 4 (no exact 0.5 anywhere)
    expect(kaplanMeierMedian([1, 2, 3, 4, 5], [true, false, true, true, true])).toBe(4);
  });

  it('the issue-12 shape: 130 closed and 2 open cases, S hits 0.5 exactly at the 66th event', () => {
    // 130 closed at 1..130 days, 2 open censored at 200 (after every event). 132 at risk, no
    // censoring before the events, so S after the k-th event = (132 − k)/132: exactly 0.5 at k = 66
    // (t = 66) until the 67th event (t = 67) → median 66.5. The left-end rule said 66; the closed
    // cases' own median is (65 + 66)/2 = 65.5 (biased low by the two slow open cases).
    const d = [...Array.from({ length: 130 }, (_, i) => i + 1), 200, 200];
    const e = d.map((_, i) => i < 130);
    expect(kaplanMeierMedian(d, e)).toBe(66.5);
  });

  it("R's aml example: survfit(Surv(time, status) ~ x, data = aml) medians 31 and 23", () => {
    // survival::aml, as printed by R: Maintained n 11, events 7, median 31; Nonmaintained n 12,
    // events 11, median 23 (censored times marked +).
    const maintained = '9 13 13+ 18 23 28+ 31 34 45+ 48 161+'.split(' ');
    const nonmaintained = '5 5 8 8 12 16+ 23 27 30 33 43 45'.split(' ');
    const km = (xs: string[]) =>
      kaplanMeierMedian(
        xs.map((x) => Number.parseFloat(x)),
        xs.map((x) => !x.endsWith('+')),
      );
    expect(km(maintained)).toBe(31);
    expect(km(nonmaintained)).toBe(23);
  });

  it('null when S never reaches 0.5, or nothing to estimate', () => {
    // 1 closed, 4 open after it: S stays at 4/5 = 0.8.
    const few = parse('1 2* 3* 4* 5*');
    expect(kaplanMeierMedian(few.durations, few.events)).toBeNull();
    expect(kaplanMeierMedian([5, 6], [false, false])).toBeNull();
    expect(kaplanMeierMedian([], [])).toBeNull();
    expect(kaplanMeierCurve([], [])).toEqual([]);
  });

  it('rejects mismatched lengths and bad durations', () => {
    expect(() => kaplanMeierMedian([1, 2], [true])).toThrow(/differ in length/);
    expect(() => kaplanMeierMedian([1, -2], [true, true])).toThrow(/index 1/);
    expect(() => kaplanMeierMedian([Number.NaN], [true])).toThrow(/index 0/);
    expect(() => kaplanMeierMedianFromCounts([{ t: 1, events: 1.5, censored: 0 }])).toThrow(/events/);
  });
});

describe('Kaplan–Meier, published example: Freireich et al. 1963 6-MP leukaemia trial', () => {
  // Remission times in weeks (Freireich et al., Blood 21:699; as tabulated in Kleinbaum & Klein,
  // "Survival Analysis: A Self-Learning Text", ch. 2, and Cox 1972). Published KM for the 6-MP arm:
  //   t:  6      7      10     13     16     22     23
  //   n:  21     17     15     12     11     7      6
  //   d:  3      1      1      1      1      1      1
  //   S:  0.857  0.807  0.753  0.690  0.627  0.538  0.448   → median 23 weeks.
  const sixMp = parse('6 6 6 6* 7 9* 10 10* 11* 13 16 17* 19* 20* 22 23 25* 32* 32* 34* 35*');
  // Placebo arm, no censoring: 13 of 21 relapse by week 8 (S = 8/21 = 0.381), 9 by week 5
  // (S = 12/21 = 0.571) → median 8 weeks, as published.
  const placebo = parse('1 1 2 2 3 4 4 5 5 8 8 8 8 11 11 12 12 15 17 22 23');

  it('6-MP median 23 weeks and the published survival column', () => {
    expect(kaplanMeierMedian(sixMp.durations, sixMp.events)).toBe(23);
    const byTime = new Map(kaplanMeierCurve(sixMp.durations, sixMp.events).map((p) => [p.t, p]));
    const published: [number, number, number][] = [
      [6, 21, 0.857],
      [7, 17, 0.807],
      [10, 15, 0.753],
      [13, 12, 0.69],
      [16, 11, 0.627],
      [22, 7, 0.538],
      [23, 6, 0.448],
    ];
    for (const [t, n, s] of published) {
      expect(byTime.get(t)?.atRisk).toBe(n);
      expect(byTime.get(t)?.s).toBeCloseTo(s, 3);
    }
  });

  it('placebo median 8 weeks', () => {
    expect(kaplanMeierMedian(placebo.durations, placebo.events)).toBe(8);
  });

  it('counts-based median agrees (rows shuffled, one time split over two rows)', () => {
    const rows = [
      { t: 23, events: 1, censored: 0 },
      { t: 6, events: 2, censored: 1 },
      { t: 32, events: 0, censored: 2 },
      { t: 10, events: 1, censored: 1 },
      { t: 6, events: 1, censored: 0 },
      { t: 7, events: 1, censored: 0 },
      { t: 9, events: 0, censored: 1 },
      { t: 11, events: 0, censored: 1 },
      { t: 13, events: 1, censored: 0 },
      { t: 16, events: 1, censored: 0 },
      { t: 17, events: 0, censored: 1 },
      { t: 19, events: 0, censored: 1 },
      { t: 20, events: 0, censored: 1 },
      { t: 22, events: 1, censored: 0 },
      { t: 25, events: 0, censored: 1 },
      { t: 34, events: 0, censored: 1 },
      { t: 35, events: 0, censored: 1 },
    ];
    expect(rows.reduce((a, r) => a + r.events + r.censored, 0)).toBe(21);
    expect(kaplanMeierMedianFromCounts(rows)).toBe(23);
    expect(kaplanMeierMedianFromCounts([])).toBeNull();
  });
});

describe('Kaplan–Meier against a naive second implementation', () => {
  /**
   * Textbook definition, O(n²): for each distinct event time, S *= 1 − d/n with n = #{durations ≥ t};
   * then R's `minmin` (survival's print.survfit): keep the times with S < 0.5 + tol; if the first
   * sits at 0.5 and S later drops, the midpoint of it and the first lower time, else the first.
   */
  function naiveMedian(durations: number[], events: boolean[]): number | null {
    const times = [...new Set(durations.filter((_, i) => events[i]))].sort((a, b) => a - b);
    let s = 1;
    const curve: [number, number][] = [];
    for (const t of times) {
      const atRisk = durations.filter((d) => d >= t).length;
      const deaths = durations.filter((d, i) => d === t && events[i]).length;
      s *= 1 - deaths / atRisk;
      curve.push([t, s]);
    }
    const tol = 1e-9;
    const keep = curve.filter(([, y]) => y < 0.5 + tol);
    if (keep.length === 0) return null;
    const [x1, y1] = keep[0];
    const lower = keep.find(([, y]) => y < y1);
    return Math.abs(y1 - 0.5) < tol && lower ? (x1 + lower[0]) / 2 : x1;
  }

  it('random data with heavy ties, both entry points', () => {
    const rand = mulberry32(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 60);
      const durations = Array.from({ length: n }, () => Math.floor(rand() * 15) / 2);
      const openShare = rand();
      const events = durations.map(() => rand() > openShare);
      const expected = naiveMedian(durations, events);
      expect(kaplanMeierMedian(durations, events)).toBe(expected);
      const counts = durations.map((t, i) => ({ t, events: events[i] ? 1 : 0, censored: events[i] ? 0 : 1 }));
      expect(kaplanMeierMedianFromCounts(counts.reverse())).toBe(expected);
    }
  });
});
