/**
 * Process view option builders and sentences (issue 11): the directly-follows graph (direction,
 * bottleneck, edge widths, back edges), the stacked bars by stage coloured by actor, and the flags
 * in words. Expected values are written out by hand from the small inputs below.
 */
import { describe, expect, it } from 'vitest';
import type { StageExtra, StageMap, Stages, StageVariants } from '../../web/api/types.ts';
import {
  ACTOR_COLORS,
  actorShade,
  buildProcessMapOption,
  buildStageBarsOption,
} from '../../web/charts/process.ts';
import { bottleneckSentence, extraSentence, reworkSentence } from '../../web/lib/processWords.ts';

// biome-ignore lint/suspicious/noExplicitAny: reading plain option objects
type Any = any;

const node = (
  stage: string,
  actor: StageMap['nodes'][number]['actor'],
  total: number,
  bottleneck = false,
) => ({
  stage,
  stage_name: `نام ${stage}`,
  stage_name_en: `Name ${stage}`,
  actor,
  n: 10,
  median_days: 1.5,
  total_days: total,
  starts: 0,
  ends: 0,
  bottleneck,
});

const MAP: StageMap = {
  service: 'S1',
  all: false,
  total_transitions: 30,
  shown_transitions: 30,
  hidden_edges: 0,
  edges: [
    { from: 'intake', to: 'review', count: 20, median_days: 2.25 },
    { from: 'review', to: 'issue', count: 8, median_days: 4 },
    { from: 'review', to: 'intake', count: 2, median_days: 1 },
  ],
  nodes: [node('intake', 'office', 5), node('review', 'municipality', 40, true), node('issue', 'office', 3)],
  bottleneck: 'review',
};

const name = (s: string) => `«${s}»`;

describe('directly-follows map', () => {
  it('runs left to right in English and right to left in Persian', () => {
    const en = buildProcessMapOption({ map: MAP, lang: 'en', stageName: name }) as Any;
    const fa = buildProcessMapOption({ map: MAP, lang: 'fa', stageName: name }) as Any;
    const xs = (o: Any) => o.series[0].data.map((d: Any) => d.x);
    expect(xs(en)).toEqual([0, 500, 1000]);
    expect(xs(fa)).toEqual([1000, 500, 0]);
    expect(en.series[0].type).toBe('graph');
  });

  it('marks the bottleneck in red, colours nodes by actor and labels edges with the median in local digits', () => {
    const fa = buildProcessMapOption({ map: MAP, lang: 'fa', stageName: name }) as Any;
    const [intake, review] = fa.series[0].data;
    expect(review.itemStyle.borderColor).toBe('#b3261e');
    expect(review.label.formatter).toBe('«review»\nگلوگاه');
    expect(intake.itemStyle.color).toBe(ACTOR_COLORS.office);
    expect(review.itemStyle.color).toBe(ACTOR_COLORS.municipality);
    const links = fa.series[0].links;
    expect(links[0].label).toBe('۲٫۳ روز'); // 2.25 to one decimal, Persian digits and separator
    // widths: 1 + 7·count/max → 8, 1 + 7·8/20 = 3.8, 1 + 7·2/20 = 1.7
    const widths = links.map((l: Any) => l.lineStyle.width);
    for (const [i, w] of [8, 3.8, 1.7].entries()) expect(widths[i]).toBeCloseTo(w, 12);
    // review → intake runs against the flow: dashed and curved
    expect(links[2].lineStyle.type).toBe('dashed');
    expect(links[2].lineStyle.curveness).toBeGreaterThan(links[0].lineStyle.curveness);
  });
});

const STAGES: Stages = {
  by: 'district',
  service: 'S1',
  n_cases: 4,
  bottlenecks: [],
  city: { scope: 'city', n_cases: 4, rows: [] },
  across_districts: null,
  rows: [
    ['2', 'review', 'municipality', 6, 2],
    ['2', 'intake', 'office', 1, 1],
    ['10', 'intake', 'office', 0.5, 1],
    ['2', 'design', 'citizen', 3, 1.5],
    ['10', 'review', 'municipality', 2, 2],
  ].map(([key, stage, actor, median, position]) => ({
    key: key as string,
    label: '',
    label_en: '',
    stage: stage as string,
    stage_name: stage as string,
    stage_name_en: null,
    actor: actor as 'office',
    n: 1,
    cases: 1,
    median_days: median as number,
    p90_days: null,
    mean_days_per_case: null,
    total_days: 0,
    share: null,
    position: position as number,
  })),
};

describe('stacked bars by stage', () => {
  it('one stacked series per stage in route order, districts in number order, coloured by actor', () => {
    const o = buildStageBarsOption({
      stages: STAGES,
      lang: 'en',
      groupName: (k) => `D${k}`,
      stageName: (s) => s.toUpperCase(),
    }) as Any;
    expect(o.xAxis.data).toEqual(['D2', 'D10']);
    expect(o.series.map((s: Any) => s.name)).toEqual(['INTAKE', 'DESIGN', 'REVIEW']);
    expect(o.series.every((s: Any) => s.stack === 'days' && s.type === 'bar')).toBe(true);
    // district 10 never passes design: a gap, not a zero
    expect(o.series.map((s: Any) => s.data)).toEqual([
      [1, 0.5],
      [3, null],
      [6, 2],
    ]);
    expect(o.series.map((s: Any) => s.itemStyle.color)).toEqual([
      ACTOR_COLORS.office,
      ACTOR_COLORS.citizen,
      ACTOR_COLORS.municipality,
    ]);
    expect(o.xAxis.inverse).toBe(false);
    expect(
      (buildStageBarsOption({ stages: STAGES, lang: 'fa', groupName: String, stageName: String }) as Any)
        .xAxis.inverse,
    ).toBe(true);
  });

  it('shades stages of one actor apart', () => {
    expect(actorShade('office', 0)).toBe('#1f5fa8');
    // 35% towards white: 0x1f + (255 − 0x1f)·0.35 = 31 + 78.4 → 109 = 0x6d
    expect(actorShade('office', 1).slice(0, 3)).toBe('#6d');
    expect(actorShade('office', 1)).not.toBe(actorShade('office', 2));
  });
});

describe('flags in words', () => {
  const extra = {
    district: 12,
    label: 'منطقه ۱۲',
    label_en: 'District 12',
    service_code: 'BL-01',
    service_name: 'پروانه کسب',
    service_name_en: 'Business licence',
    stage: 'extra_inquiry',
    stage_name: 'استعلام تکمیلی منطقه',
    stage_name_en: "The district's additional inquiry",
    n: 100,
    passing: 41,
    share: 0.41,
    other_n: 2000,
    other_share: 0.02,
  } as StageExtra['flags'][number];

  it('says what share passes the extra step, against elsewhere', () => {
    expect(extraSentence(extra, 'en')).toBe(
      'In District 12, 41% of "Business licence" cases pass "The district\'s additional inquiry", against 2% elsewhere.',
    );
    expect(extraSentence(extra, 'fa')).toBe(
      'در منطقه ۱۲، ۴۱٪ از پرونده‌های «پروانه کسب» از مرحله «استعلام تکمیلی منطقه» می‌گذرند، در برابر ۲٪ در منطقه‌های دیگر.',
    );
  });

  it('names the repeated stage of a rework flag, or nothing without one', () => {
    const row = {
      key: '14',
      label: 'منطقه ۱۴',
      label_en: 'District 14',
      top_stage: {
        stage: 'technical_review',
        stage_name: 'بررسی فنی',
        stage_name_en: 'Technical review',
        rate: 0.35,
        other_rate: 0.08,
      },
    } as StageVariants['rework']['districts']['rows'][number];
    expect(reworkSentence(row, 'building permits', 'en')).toBe(
      'In District 14, 35% of building permits cases go back to "Technical review", against 8% elsewhere.',
    );
    expect(reworkSentence({ ...row, top_stage: null }, 'x', 'en')).toBeNull();
  });

  it('states the bottleneck with its share and whose hands it is in', () => {
    const b = {
      key: 'all',
      label: '',
      label_en: '',
      stage: 'technical_review',
      stage_name: 'بررسی فنی',
      stage_name_en: 'Technical review',
      actor: 'municipality',
      total_days: 10,
      share: 0.38,
    } as Stages['bottlenecks'][number];
    expect(bottleneckSentence(b, 4.25, 'en')).toBe(
      'This service\'s bottleneck is "Technical review": 38% of all case time is spent there (in the hands of the municipality; 4.3 days per case on average).',
    );
    expect(bottleneckSentence(b, 4.25, 'fa')).toContain('در دست شهرداری');
  });
});
