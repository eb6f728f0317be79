import { describe, expect, it } from 'vitest';
import type { Variance } from '../../web/api/types.ts';
import { flagLabel, parseFlag } from '../../web/lib/flags.ts';
import { districtValues, formatMapValue, mapMetricSource } from '../../web/lib/mapMetrics.ts';
import { makeNames } from '../../web/lib/names.ts';
import { normaliseSearch, sortRows } from '../../web/lib/sort.ts';
import { varianceSentence, varianceStats } from '../../web/lib/varianceWords.ts';

const variance = (p: number | null): Variance => ({
  service: 'BP01',
  min_n: 20,
  districts: [],
  city: { n: 0, median_days: null, q1_days: null, q3_days: null, p10_days: null, p90_days: null },
  kruskal_wallis: p == null ? null : { h: 84.2, df: 20, p_value: p, epsilon_squared: 0.041, n: 2000 },
  ratio_max_min: 1.9,
  cv_medians: 0.22,
  slowest: { district: 7, median_days: 19 },
  fastest: { district: 1, median_days: 10 },
});
const names = makeNames(undefined, 'en');
const namesFa = makeNames(undefined, 'fa');

describe('Kruskal–Wallis in words', () => {
  it('says "not chance" below p = 0.05', () => {
    expect(varianceSentence(variance(0.001), names.district, 'en')).toBe(
      'District 7 takes 1.9× as long as District 1 for the same service; this is not chance.',
    );
    expect(varianceSentence(variance(0.001), namesFa.district, 'fa')).toBe(
      'منطقه ۷ برای همین خدمت ۱٫۹ برابر منطقه ۱ زمان می‌برد؛ این تفاوت تصادفی نیست.',
    );
  });

  it('says the differences could be chance at p ≥ 0.05', () => {
    expect(varianceSentence(variance(0.05), names.district, 'en')).toContain('could be chance');
    expect(varianceSentence(variance(0.3), namesFa.district, 'fa')).toContain('می‌تواند تصادفی باشد');
  });

  it('explains when there was no test', () => {
    expect(varianceSentence(variance(null), names.district, 'en')).toBe(
      'Not tested: fewer than two districts have at least 20 closed cases of this service.',
    );
    expect(varianceStats(variance(null), 'en')).toBeNull();
    expect(varianceStats(variance(1e-9), 'en')).toContain('p < 0.001');
  });
});

describe('map metrics', () => {
  it('reads processing metrics from processing rows and rates from the district funnel', () => {
    expect(mapMetricSource('breach_rate')).toBe('processing');
    expect(mapMetricSource('complaint_rate')).toBe('complaints');
    const proc = [
      {
        key: '7',
        label: '',
        label_en: '',
        n_cases: 10,
        n_closed: 8,
        n_open: 2,
        median_days: 3.5,
        p90_days: 9,
        mean_days: 4,
        km_median_days: 4,
        breach_rate: 0.2,
        n_breached: 2,
        n_deadline_decided: 10,
      },
    ];
    expect(districtValues('median_days', proc, undefined).get(7)).toBe(3.5);
    const funnelRows = [
      {
        key: '3',
        label: '',
        district: 3,
        n: 1000,
        count: 12,
        value: 0.012,
        z: 0,
        p: 1,
        q: 1,
        lo95: 0,
        hi95: 0,
        lo998: 0,
        hi998: 0,
        flag: null,
        tested: true,
      },
    ];
    expect(districtValues('complaint_rate', undefined, funnelRows).get(3)).toBeCloseTo(12);
    expect(formatMapValue('breach_rate', 0.25, 'en')).toBe('25%');
  });
});

describe('flags, names, sorting, search', () => {
  it('splits signal:scope flags', () => {
    expect(parseFlag('suspiciously_fast:building_permit')).toEqual({
      signal: 'suspiciously_fast',
      scope: 'building_permit',
    });
    expect(parseFlag('complaints')).toEqual({ signal: 'complaints', scope: 'all' });
    expect(
      flagLabel(
        'slow:fees',
        (s) => s.toUpperCase(),
        (c) => `[${c}]`,
      ),
    ).toBe('SLOW ([fees])');
    expect(
      flagLabel(
        'slow:all',
        (s) => s,
        (c) => c,
      ),
    ).toBe('slow');
  });

  it('falls back to plain district names without meta', () => {
    expect(namesFa.district(12)).toBe('منطقه ۱۲');
    expect(names.service('XX')).toBe('XX');
  });

  it('sorts numbers numerically with missing values last either way', () => {
    const rows = [{ v: 10 }, { v: null }, { v: 9 }, { v: 100 }];
    expect(sortRows(rows, (r) => r.v, 'asc', 'en').map((r) => r.v)).toEqual([9, 10, 100, null]);
    expect(sortRows(rows, (r) => r.v, 'desc', 'en').map((r) => r.v)).toEqual([100, 10, 9, null]);
  });

  it('matches Arabic ي/ك and Persian digits in search', () => {
    expect(normaliseSearch('دفتر كيان ۱۰۱')).toBe(normaliseSearch('دفتر کیان 101'));
  });
});
