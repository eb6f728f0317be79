import { describe, expect, it } from 'vitest';
import type { Funnel, FunnelRow, TrendPoint, VarianceDistrict } from '../../web/api/types.ts';
import { applyAnimationFlag } from '../../web/charts/base.ts';
import { boxRows, buildBoxplotOption } from '../../web/charts/boxplot.ts';
import { buildControlChartOption, monthStyle } from '../../web/charts/controlChart.ts';
import { buildDistrictMapOption, prepareDistrictGeo } from '../../web/charts/districtMap.ts';
import { buildFunnelOption, clampLimit, pointKind } from '../../web/charts/funnel.ts';

// Option objects are loosely typed (ECharts' own option type); tests read them as plain data.
// biome-ignore lint/suspicious/noExplicitAny: reading plain option objects
type Any = any;

const row = (over: Partial<FunnelRow>): FunnelRow => ({
  key: 'O1',
  label: 'دفتر ۱',
  district: 1,
  n: 100,
  count: 50,
  value: 0.5,
  z: 0,
  p: 1,
  q: 1,
  lo95: 0.4,
  hi95: 0.6,
  lo998: 0.35,
  hi998: 0.65,
  flag: null,
  tested: true,
  ...over,
});

const funnel = (over: Partial<Funnel> = {}): Funnel => ({
  metric: 'complaints',
  time: 'total',
  by: 'office',
  scope: 'all',
  target: 0.01,
  phi: 1.2,
  method: 'multiplicative',
  tau2: 0,
  min_n: 30,
  selection: { label: 'کل شهر', label_en: 'Whole city', n: 0, count: 0, value: null },
  rows: [
    row({ key: 'A', n: 400, value: 0.012 }),
    row({ key: 'B', n: 900, value: 0.04, flag: 'above', z: 5 }),
    row({ key: 'C', n: 10, value: 0.1, tested: false }),
  ],
  curve: [
    { n: 1000, lo95: 0.004, hi95: 0.016, lo998: 0.001, hi998: 0.019 },
    { n: 10, lo95: -0.05, hi95: 0.07, lo998: -0.09, hi998: 0.11 },
  ],
  ...over,
});

const seriesByName = (opt: Any, name: string) => opt.series.filter((s: Any) => s.name === name);

describe('funnel plot option', () => {
  it('classifies points: flagged, normal, and below the minimum volume', () => {
    expect(pointKind(row({ flag: 'below' }))).toBe('flagged');
    expect(pointKind(row({}))).toBe('normal');
    expect(pointKind(row({ flag: 'above', tested: false }))).toBe('untested');
  });

  it('names the points by what they are: offices or districts', () => {
    const names = (by: 'office' | 'district') =>
      (
        buildFunnelOption({
          funnel: funnel({ by }),
          lang: 'en',
          labelOf: (r) => r.key,
          valueLabel: 'per 1,000',
          volumeLabel: 'cases',
        }) as Any
      ).series.map((x: Any) => x.name);
    expect(names('office')).toContain('Offices');
    expect(names('office')).not.toContain('Districts');
    expect(names('district')).toContain('Districts');
    expect(names('district')).not.toContain('Offices');
  });

  it('draws rates per 1,000 cases, limits sorted by volume and clamped at zero', () => {
    const opt: Any = buildFunnelOption({
      funnel: funnel(),
      lang: 'en',
      labelOf: (r) => r.key,
      valueLabel: 'per 1,000',
      volumeLabel: 'cases',
    });
    const [hi998, lo998] = seriesByName(opt, '99.8% limit');
    // sorted by n: the n=10 point first; 0.11 per case = 110 per 1,000; -0.09 clamps to 0
    expect(hi998.data[0][0]).toBe(10);
    expect(hi998.data[0][1]).toBeCloseTo(110);
    expect(lo998.data[0][1]).toBe(0);
    expect(lo998.data[1][1]).toBeCloseTo(1);
    const flagged = seriesByName(opt, 'Outside the 99.8% limit')[0];
    expect(flagged.data.map((d: Any) => d.key)).toEqual(['B']);
    expect(flagged.data[0].value).toEqual([900, 40]);
    expect(flagged.label.show).toBe(true);
    expect(seriesByName(opt, 'Below the minimum volume (not tested)')[0].data.map((d: Any) => d.key)).toEqual(
      ['C'],
    );
    const target = seriesByName(opt, 'Target (city average)')[0];
    expect(target.data[0][1]).toBeCloseTo(10);
  });

  it('shows slow_share in percent and keeps its limits inside 0–100%', () => {
    expect(clampLimit(1.2, 'slow_share')).toBe(1);
    expect(clampLimit(-0.1, 'slow_share')).toBe(0);
    expect(clampLimit(1.2, 'complaints')).toBe(1.2);
    const opt: Any = buildFunnelOption({
      funnel: funnel({ metric: 'slow_share', target: 0.5, rows: [row({ value: 0.25, n: 50 })] }),
      lang: 'en',
      labelOf: (r) => r.key,
      valueLabel: '%',
      volumeLabel: 'closed',
    });
    expect(seriesByName(opt, 'Offices')[0].data[0].value).toEqual([50, 25]);
  });

  it('mirrors for Persian: volume axis inverted, value axis on the right', () => {
    const fa: Any = buildFunnelOption({
      funnel: funnel(),
      lang: 'fa',
      labelOf: (r) => r.key,
      valueLabel: 'v',
      volumeLabel: 'n',
    });
    const en: Any = buildFunnelOption({
      funnel: funnel(),
      lang: 'en',
      labelOf: (r) => r.key,
      valueLabel: 'v',
      volumeLabel: 'n',
    });
    expect(fa.xAxis.inverse).toBe(true);
    expect(fa.yAxis.position).toBe('right');
    expect(en.xAxis.inverse).toBe(false);
    expect(en.yAxis.position).toBe('left');
  });
});

describe('control chart option', () => {
  const base = { partial: false, flag: null, km_median: null, open_share: null, provisional: false } as const;
  const points: TrendPoint[] = [
    { ...base, month: '1402-01', n: 1000, count: 10, value: 0.01, center: 0.01, ucl: 0.0195, lcl: 0.0005 },
    {
      ...base,
      month: '1402-02',
      n: 1000,
      count: 30,
      value: 0.03,
      center: 0.01,
      ucl: 0.0195,
      lcl: 0.0005,
      flag: 'above',
    },
    { ...base, month: '1402-03', n: 1000, count: null, value: null, center: 0.01, ucl: 0.0195, lcl: 0.0005 },
    // a partial last month far above its limit: the API never flags it, and neither does the chart
    {
      ...base,
      month: '1402-04',
      n: 200,
      count: 9,
      value: 0.045,
      center: 0.01,
      ucl: 0.031,
      lcl: 0,
      partial: true,
    },
  ];

  it('draws months as the API classed them: flagged, partial (never flagged), plain', () => {
    expect(points.map(monthStyle)).toEqual([null, 'flagged', null, 'partial']);
    expect(monthStyle({ ...points[0], provisional: true })).toBe('provisional');
    expect(monthStyle({ ...points[3], provisional: true })).toBe('partial');
  });

  it('draws complaints per 1,000 with Solar Hijri month names', () => {
    const opt: Any = buildControlChartOption({ points, kind: 'complaints', calendar: 'jalali', lang: 'fa' });
    expect(opt.xAxis.data).toEqual(['فروردین ۱۴۰۲', 'اردیبهشت ۱۴۰۲', 'خرداد ۱۴۰۲', 'تیر ۱۴۰۲']);
    expect(opt.xAxis.inverse).toBe(true);
    const values = opt.series[0].data;
    expect(values[1].value).toBeCloseTo(30);
    expect(values[1].itemStyle.color).toBe('#b3261e');
    expect(values[0].itemStyle).toBeUndefined();
    expect(values[3].symbol).toBe('emptyCircle');
    expect(values[3].itemStyle.color).not.toBe('#b3261e');
    expect(opt.series).toHaveLength(4);
    expect(opt.series[2].data[0]).toBeCloseTo(19.5);
  });

  it('processing: no limit lines; provisional months hollow, the Kaplan–Meier median dotted beside', () => {
    const opt: Any = buildControlChartOption({
      points: points.map((p, i) => ({
        ...p,
        ucl: null,
        lcl: null,
        flag: null,
        km_median: i === 2 ? null : 0.02,
        provisional: i === 2,
      })),
      kind: 'processing',
      calendar: 'gregorian',
      lang: 'en',
    });
    expect(opt.series).toHaveLength(3);
    expect(opt.series[0].data[0].value).toBe(0.01);
    expect(opt.series[0].data[2].symbol).toBe('emptyDiamond');
    expect(opt.series[2].lineStyle.type).toBe('dotted');
    expect(opt.series[2].data).toEqual([0.02, 0.02, null, 0.02]);
  });
});

describe('district box plots', () => {
  const d = (district: number, over: Partial<VarianceDistrict> = {}): VarianceDistrict => ({
    district,
    label: `D${district}`,
    label_en: `District ${district}`,
    n: 50,
    median_days: 10,
    q1_days: 7,
    q3_days: 14,
    p10_days: 4,
    p90_days: 21,
    tested: true,
    ...over,
  });

  it('orders districts and uses p10/q1/median/q3/p90 as the five numbers', () => {
    const rows = [d(7, { median_days: 19 }), d(1), d(22, { q1_days: null })];
    expect(boxRows(rows).map((r) => r.district)).toEqual([1, 7]);
    const opt: Any = buildBoxplotOption({
      districts: rows,
      districtName: (x) => `District ${x}`,
      lang: 'en',
    });
    expect(opt.xAxis.data).toEqual(['District 1', 'District 7']);
    expect(opt.series[0].data[1].value).toEqual([4, 7, 19, 14, 21]);
  });

  it('fades districts left out of the test', () => {
    const opt: Any = buildBoxplotOption({
      districts: [d(3, { tested: false })],
      districtName: String,
      lang: 'fa',
    });
    expect(opt.series[0].data[0].itemStyle.opacity).toBeLessThan(1);
  });
});

describe('district map option', () => {
  it('names regions by district number so data can be matched', () => {
    const geo = prepareDistrictGeo({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { district: 7 }, geometry: { type: 'Polygon', coordinates: [] } },
      ],
    });
    expect(geo.features[0].properties.name).toBe('7');
  });

  it('spans the colour scale over the values present', () => {
    const opt: Any = buildDistrictMapOption({
      values: new Map([
        [1, 4],
        [7, 12],
        [9, null],
      ]),
      districtName: String,
      metricLabel: 'm',
      format: (v) => String(v),
      lang: 'fa',
    });
    expect(opt.visualMap.min).toBe(4);
    expect(opt.visualMap.max).toBe(12);
    expect(opt.visualMap.right).toBe(8);
    expect(opt.series[0].data).toEqual([
      { name: '1', value: 4 },
      { name: '7', value: 12 },
      { name: '9', value: undefined },
    ]);
  });
});

describe('animation switch for screenshots', () => {
  it('turns animation off only when asked', () => {
    expect(applyAnimationFlag({ series: [] }, false)).toEqual({ series: [], animation: false });
    expect(applyAnimationFlag({ series: [] }, true)).toEqual({ series: [] });
  });
});
