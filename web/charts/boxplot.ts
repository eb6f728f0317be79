/** Processing time per district for one service: q1–q3 box, median line, p10/p90 whiskers. */
import type { VarianceDistrict } from '../api/types.ts';
import { messages } from '../i18n/index.ts';
import { formatNumber, type Lang } from '../lib/format.ts';
import { valueRange } from './axis.ts';
import {
  baseOption,
  type ChartOption,
  COLORS,
  escapeHtml,
  numberLabel,
  tooltipBase,
  xAxisDirection,
  yAxisPosition,
} from './base.ts';

export interface BoxSummary {
  n: number;
  p10_days: number | null;
  q1_days: number | null;
  median_days: number | null;
  q3_days: number | null;
  p90_days: number | null;
}

export interface BoxplotInput {
  districts: readonly VarianceDistrict[];
  districtName: (district: number) => string;
  lang: Lang;
  /** A last box for comparison (the whole city), drawn in another colour. */
  reference?: { label: string; summary: BoxSummary };
}

const full = (d: BoxSummary) =>
  [d.p10_days, d.q1_days, d.median_days, d.q3_days, d.p90_days].every((v) => v != null);

/** Districts without a full five-number summary cannot be drawn; they stay in the table view. */
export function boxRows(districts: readonly VarianceDistrict[]): VarianceDistrict[] {
  return [...districts].filter(full).sort((a, b) => a.district - b.district);
}

export function buildBoxplotOption(input: BoxplotInput): ChartOption {
  const { lang } = input;
  const t = messages(lang);
  const boxes = [
    ...boxRows(input.districts).map((d) => ({
      label: input.districtName(d.district),
      tested: d.tested,
      reference: false,
      d: d as BoxSummary,
    })),
    ...(input.reference && full(input.reference.summary)
      ? [{ label: input.reference.label, tested: true, reference: true, d: input.reference.summary }]
      : []),
  ];
  const f = (v: number | null) => formatNumber(v, lang, 1);
  return {
    ...baseOption(),
    tooltip: {
      ...tooltipBase(lang),
      trigger: 'item',
      formatter: (p: { dataIndex: number }) => {
        const b = boxes[p.dataIndex];
        if (!b) return '';
        const d = b.d;
        return [
          `<b>${escapeHtml(b.label)}</b>${b.tested ? '' : ` (${t.districts.notTested})`}`,
          `${t.districts.n}: ${formatNumber(d.n, lang)}`,
          `${t.districts.p90}: ${f(d.p90_days)}`,
          `${t.districts.q3}: ${f(d.q3_days)}`,
          `${t.metrics.median_days}: ${f(d.median_days)}`,
          `${t.districts.q1}: ${f(d.q1_days)}`,
          `${t.districts.p10}: ${f(d.p10_days)}`,
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: boxes.map((b) => b.label),
      ...xAxisDirection(lang),
      axisLabel: { interval: 0, rotate: boxes.length > 12 ? 45 : 0 },
    },
    yAxis: {
      type: 'value',
      position: yAxisPosition(lang),
      ...valueRange(
        boxes.flatMap((b) => [b.d.p10_days, b.d.p90_days]),
        { floor: 0 },
      ),
      name: t.metrics.median_days,
      nameTextStyle: { align: lang === 'fa' ? 'right' : 'left' },
      axisLabel: { formatter: numberLabel(lang) },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    series: [
      {
        type: 'boxplot',
        data: boxes.map(({ d, tested, reference }) => ({
          value: [d.p10_days, d.q1_days, d.median_days, d.q3_days, d.p90_days],
          itemStyle: reference
            ? { color: '#dcefe0', borderColor: COLORS.target }
            : tested
              ? { color: '#dbe7f5', borderColor: COLORS.primary }
              : { color: '#f1f3f5', borderColor: COLORS.muted, opacity: 0.7 },
        })),
      },
    ],
  };
}
