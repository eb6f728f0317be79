/** Processing time per district for one service: q1–q3 box, median line, p10/p90 whiskers. */
import type { VarianceDistrict } from '../api/types.ts';
import { messages } from '../i18n/index.ts';
import { formatNumber, type Lang } from '../lib/format.ts';
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

export interface BoxplotInput {
  districts: readonly VarianceDistrict[];
  districtName: (district: number) => string;
  lang: Lang;
}

/** Districts without a full five-number summary cannot be drawn; they stay in the table view. */
export function boxRows(districts: readonly VarianceDistrict[]): VarianceDistrict[] {
  return [...districts]
    .filter((d) => [d.p10_days, d.q1_days, d.median_days, d.q3_days, d.p90_days].every((v) => v != null))
    .sort((a, b) => a.district - b.district);
}

export function buildBoxplotOption(input: BoxplotInput): ChartOption {
  const { lang } = input;
  const t = messages(lang);
  const rows = boxRows(input.districts);
  const f = (v: number | null) => formatNumber(v, lang, 1);
  return {
    ...baseOption(),
    tooltip: {
      ...tooltipBase(lang),
      trigger: 'item',
      formatter: (p: { dataIndex: number }) => {
        const d = rows[p.dataIndex];
        if (!d) return '';
        return [
          `<b>${escapeHtml(input.districtName(d.district))}</b>${d.tested ? '' : ` (${t.districts.notTested})`}`,
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
      data: rows.map((d) => input.districtName(d.district)),
      ...xAxisDirection(lang),
      axisLabel: { interval: 0, rotate: rows.length > 12 ? 45 : 0 },
    },
    yAxis: {
      type: 'value',
      position: yAxisPosition(lang),
      min: 0,
      name: t.metrics.median_days,
      nameTextStyle: { align: lang === 'fa' ? 'right' : 'left' },
      axisLabel: { formatter: numberLabel(lang) },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    series: [
      {
        type: 'boxplot',
        data: rows.map((d) => ({
          value: [d.p10_days, d.q1_days, d.median_days, d.q3_days, d.p90_days],
          itemStyle: d.tested
            ? { color: '#dbe7f5', borderColor: COLORS.primary }
            : { color: '#f1f3f5', borderColor: COLORS.muted, opacity: 0.7 },
        })),
      },
    ],
  };
}
