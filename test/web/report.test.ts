/**
 * The monthly report's sentences and charts from a small report written by hand: which sentences
 * appear (provisional month, a streak, flags, no flags), their numbers as the answer holds them, and
 * the chart options (SVG-ready: no animation; the data as given; RTL mirrored).
 */
import { describe, expect, it } from 'vitest';
import type { Report, ReportChange } from '../../web/api/types.ts';
import { buildDistrictCompareOption, buildReportTrendOption } from '../../web/charts/reportCharts.ts';
import { reportSentences } from '../../web/lib/reportSentences.ts';

// biome-ignore lint/suspicious/noExplicitAny: reading plain option objects
type Any = any;

const month = (over: Partial<Report['total']['current']> = {}): Report['total']['current'] => ({
  n_cases: 1000,
  n_closed: 850,
  n_open: 150,
  median_days: 14.2,
  km_median_days: 15.0,
  p90_days: 40,
  breach_rate: 0.2,
  n_breached: 170,
  n_deadline_decided: 850,
  open_share: 0.15,
  provisional: true,
  ...over,
});

const change = (over: Partial<ReportChange>): ReportChange => ({
  kind: 'median',
  group: 'scope',
  key: 'all',
  label: 'کل شهر',
  label_en: 'Whole city',
  before: 14.2,
  after: 17.9,
  n_before: 800,
  n_after: 850,
  test: 'rank_sum',
  statistic: 3.1,
  p: 0.002,
  q: 0.01,
  beyond_chance: true,
  direction: 'up',
  provisional: false,
  ...over,
});

function report(over: Partial<Report> = {}): Report {
  return {
    month: '1404-05',
    previous_month: '1404-04',
    window: { from: '2025-07-22T20:30:00.000Z', to: '2025-08-22T20:30:00.000Z' },
    previous_window: { from: '2025-06-21T20:30:00.000Z', to: '2025-07-22T20:30:00.000Z' },
    as_of: '2025-09-22T20:29:59.000Z',
    months: ['1404-06', '1404-05'],
    scope: { kind: 'city', districts: null, label: 'کل شهر', label_en: 'Whole city' },
    settings: { alpha: 0.05, provisional_open_share: 0.1, slowest_min_n: 20, flags_min_n: 30 },
    total: {
      current: month({ median_days: 17.9 }),
      previous: month({
        provisional: false,
        open_share: 0.02,
        n_cases: 900,
        median_days: 14.2,
        km_median_days: 14.8,
      }),
      complaints: { complaints: 40, rate: 0.04 },
      previous_complaints: { complaints: 30, rate: 30 / 900 },
    },
    categories: [],
    districts: [],
    slowest: {
      district: 7,
      label: 'منطقه ۷',
      label_en: 'District 7',
      median_days: 21.5,
      n_closed: 64,
      months_running: 3,
      months_checked: 12,
    },
    changes: [
      change({}),
      change({
        group: 'category',
        key: 'building_permit',
        label: 'پروانه ساختمانی',
        label_en: 'Building permits',
        before: 14.2,
        after: 17.9,
      }),
      change({
        kind: 'complaint_rate',
        test: 'poisson',
        before: 30 / 900,
        after: 0.04,
        beyond_chance: false,
        q: 0.4,
      }),
    ],
    flags: { min_n: 30, method: 'multiplicative', time: 'total', flags: [], district_flags: [] },
    complaints_by_category: [],
    complaints_by_source: [
      {
        key: '137',
        label: 'سامانه ۱۳۷',
        label_en: '137 city hotline',
        count: 25,
        previous: 20,
        rate: 0.025,
        previous_rate: 0.02,
      },
      {
        key: '1888',
        label: 'سامانه ۱۸۸۸',
        label_en: '1888 line',
        count: 15,
        previous: 10,
        rate: 0.015,
        previous_rate: 0.01,
      },
    ],
    trend: [
      {
        month: '1404-04',
        n_cases: 900,
        n_closed: 880,
        median_days: 14.2,
        provisional: false,
        complaints: 30,
        complaint_rate: 30 / 900,
      },
      {
        month: '1404-05',
        n_cases: 1000,
        n_closed: 850,
        median_days: 17.9,
        provisional: true,
        complaints: 40,
        complaint_rate: 0.04,
      },
    ],
    stages: null,
    ...over,
  };
}

/** District 7's bottleneck as the API names it, 34% of its stage time. */
const planning: NonNullable<Report['stages']>['bottlenecks'][number] = {
  district: 7,
  label: 'منطقه ۷',
  label_en: 'District 7',
  stage: 'planning_instruction',
  stage_name: 'دستور نقشه',
  stage_name_en: 'Planning instruction',
  actor: 'municipality',
  total_days: 340,
  share: 0.34,
  n_cases: 64,
};
const stagesOf = (top: typeof planning | null): Report['stages'] => ({
  n_cases: 64,
  min_cases: 20,
  bottlenecks: [planning],
  top,
  actors: {
    total_days: 1000,
    days: { office: 250, municipality: 600, citizen: 150, other: 0 },
    shares: { office: 0.25, municipality: 0.6, citizen: 0.15, other: 0 },
  },
});

const byId = (r: Report, lang: 'fa' | 'en') =>
  Object.fromEntries(reportSentences(r, lang).map((s) => [s.id, s.text]));

describe('report sentences', () => {
  it("reads the issue's example: the median rose from 14.2 to 17.9 days, district 7 slowest for the third month", () => {
    const en = byId(report(), 'en');
    expect(en.volume).toBe(
      'In Mordad 1404, 1,000 cases were submitted in the whole city (Tir 1404: 900); 850 of them are closed and 150 (15.0%) are still open.',
    );
    expect(en.median).toBe(
      'The median processing time of closed cases rose from 14.2 to 17.9 days — beyond chance (Wilcoxon–Mann–Whitney test, q = 0.010).',
    );
    expect(en.slowest).toBe(
      'District 7 is the slowest district for the third month running (median 21.5 days over 64 closed cases).',
    );
    expect(en['change-0']).toBe(
      'The median processing time of building permits rose from 14.2 to 17.9 days — beyond chance (Wilcoxon–Mann–Whitney test, q = 0.010).',
    );
    expect(en.complaints).toBe(
      '40 complaints were received, 40.0 per 1,000 cases (33.3 last month) — within chance (q = 0.400).',
    );
    expect(en.source).toBe('Most came through the 137 city hotline (25 of 40).');
    expect(en.flags).toBe('No office or district is outside its 99.8% funnel limit this month.');
    const fa = byId(report(), 'fa');
    expect(fa.slowest).toBe(
      'منطقه ۷ برای سومین ماه پیاپی کندترین منطقه است (میانه ۲۱٫۵ روز در ۶۴ پرونده بسته‌شده).',
    );
    expect(fa.median).toContain('از ۱۴٫۲ به ۱۷٫۹ روز افزایش یافت — فراتر از تصادف');
  });

  it('a provisional month says so; a month with nothing open does not, nor does it mention the Kaplan–Meier median', () => {
    expect(byId(report(), 'en').provisional).toBe(
      'The figures for Mordad 1404 are provisional: 15.0% of its cases are still open, so its median of closed cases and its breach rate read low.',
    );
    const settled = report({
      total: {
        ...report().total,
        current: month({ n_open: 0, open_share: 0, provisional: false }),
      },
    });
    const s = byId(settled, 'en');
    expect(s.provisional).toBeUndefined();
    expect(s.km).toBeUndefined();
  });

  it('one slowest month, no slowest district, flags counted in the singular', () => {
    const one = byId(report({ slowest: { ...report().slowest!, months_running: 1 } }), 'en');
    expect(one.slowest).toBe(
      'District 7 is the slowest district this month (median 21.5 days over 64 closed cases).',
    );
    expect(byId(report({ slowest: null }), 'en').slowest).toBeUndefined();
    const flag = {
      district: 6,
      label: 'منطقه ۶',
      label_en: 'District 6',
      signal: 'complaints' as const,
      scope: 'all',
      value: 0.16,
      target: 0.05,
      z: 4.2,
      p: 0.00001,
      q: 0.0002,
      n: 54,
      lo998: 0,
      hi998: 0.14,
      reason_fa: 'منطقه ۶ شکایت بسیار دارد.',
      reason_en: 'District 6 draws far more complaints.',
    };
    const f = byId(
      report({
        flags: { min_n: 30, method: 'multiplicative', time: 'total', flags: [], district_flags: [flag] },
      }),
      'en',
    );
    expect(f.flags).toBe(
      'In Mordad 1404, 0 offices and 1 district is outside the 99.8% funnel limits. The strongest signal: District 6 draws far more complaints.',
    );
  });
});

describe('the stage bottleneck sentence', () => {
  it('names the district, the stage, whose hands it is in and its share, in Persian and English', () => {
    const one = report({
      scope: { kind: 'district', districts: [7], label: 'منطقه ۷', label_en: 'District 7' },
      stages: stagesOf(planning),
    });
    expect(byId(one, 'fa').stages).toBe(
      'در منطقه ۷ بیشترین سهم روزهای پرونده‌های این ماه در مرحلهٔ «دستور نقشه» (در دست شهرداری) گذشت: ۳۴٫۰٪ از زمان مراحل.',
    );
    expect(byId(one, 'en').stages).toBe(
      'In District 7 the largest share of this month\'s case days went to the stage "Planning instruction" (in the hands of the municipality): 34.0% of all stage time.',
    );
    // the whole city: the heaviest of the districts' bottlenecks
    expect(byId(report({ stages: stagesOf(planning) }), 'en').stages).toBe(
      'This month\'s heaviest bottleneck is in District 7: 34.0% of its cases\' stage time went to "Planning instruction" (in the hands of the municipality).',
    );
    // an export with only a Persian stage name keeps it in English too
    const noEn = { ...planning, stage_name_en: null, actor: 'citizen' as const };
    expect(byId(report({ stages: stagesOf(noEn) }), 'en').stages).toContain(
      '"دستور نقشه" (in the hands of the applicant)',
    );
  });

  it('says nothing about stages without event data or without a district of enough cases', () => {
    expect(byId(report({ stages: null }), 'fa').stages).toBeUndefined();
    expect(byId(report({ stages: stagesOf(null) }), 'en').stages).toBeUndefined();
  });
});

describe('report charts', () => {
  const districts: Report['districts'] = [3, 5].map((d, i) => ({
    key: String(d),
    district: d,
    label: `منطقه ${d}`,
    label_en: `District ${d}`,
    current: month({ median_days: 10 + i }),
    previous: month({ median_days: 8 + i }),
    complaints: { complaints: 1, rate: 0.001 },
    previous_complaints: { complaints: 2, rate: 0.002 },
  }));

  it('the district comparison: last month and this month per district, no animation, mirrored in Persian', () => {
    const o = buildDistrictCompareOption(districts, 'fa', (d) => `منطقه ${d}`) as Any;
    expect(o.animation).toBe(false);
    expect(o.xAxis.data).toEqual(['3', '5']);
    expect(o.xAxis.inverse).toBe(true);
    expect(o.series.map((s: Any) => s.data)).toEqual([
      [8, 9],
      [10, 11],
    ]);
    expect((buildDistrictCompareOption(districts, 'en', (d) => `District ${d}`) as Any).xAxis.inverse).toBe(
      false,
    );
  });

  it('the trend: median days and complaints per 1,000 cases on two axes', () => {
    const o = buildReportTrendOption(report().trend, 'en') as Any;
    expect(o.animation).toBe(false);
    expect(o.xAxis.data).toEqual(['Tir 1404', 'Mordad 1404']);
    expect(o.series[0].data).toEqual([14.2, 17.9]);
    expect(o.series[1].data[0]).toBeCloseTo((30 / 900) * 1000, 12);
    expect(o.series[1].data[1]).toBeCloseTo(40, 12);
    expect(o.series[1].yAxisIndex).toBe(1);
  });
});
