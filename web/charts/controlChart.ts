/** Monthly series with control limits (u-chart for complaint rates; median days for processing). */
import type { TrendPoint } from '../api/types.ts';
import { messages } from '../i18n/index.ts';
import { type Calendar, formatMonth, formatNumber, type Lang } from '../lib/format.ts';
import { valueRange } from './axis.ts';
import {
  baseOption,
  type ChartOption,
  COLORS,
  legendPosition,
  numberLabel,
  tooltipBase,
  xAxisDirection,
  yAxisPosition,
} from './base.ts';

export interface ControlChartInput {
  points: readonly TrendPoint[];
  kind: 'complaints' | 'processing';
  calendar: Calendar;
  lang: Lang;
}

/** Complaint rates arrive per case; people read them per 1,000 cases. */
export const controlScale = (kind: ControlChartInput['kind']) => (kind === 'complaints' ? 1000 : 1);

const scaled = (v: number | null, k: number) => (v == null ? null : v * k);

export function isOutOfControl(p: TrendPoint): 'above' | 'below' | null {
  if (p.value == null) return null;
  if (p.ucl != null && p.value > p.ucl) return 'above';
  if (p.lcl != null && p.value < p.lcl) return 'below';
  return null;
}

export function buildControlChartOption(input: ControlChartInput): ChartOption {
  const { points, kind, calendar, lang } = input;
  const t = messages(lang).trends;
  const k = controlScale(kind);
  const months = points.map((p) => formatMonth(p.month, calendar, lang));
  const hasLimits = points.some((p) => p.ucl != null);
  const limitLine = (name: string, values: (number | null)[], color: string, dashed: boolean) => ({
    name,
    type: 'line',
    step: 'middle',
    symbol: 'none',
    lineStyle: { color, width: 1.5, type: dashed ? 'dashed' : 'solid' },
    itemStyle: { color },
    data: values,
    z: 1,
  });
  const series: unknown[] = [
    {
      name: t.value,
      type: 'line',
      symbolSize: 7,
      lineStyle: { color: COLORS.primary, width: 2 },
      itemStyle: { color: COLORS.primary },
      data: points.map((p) => {
        const out = isOutOfControl(p);
        return {
          value: scaled(p.value, k),
          itemStyle: out ? { color: COLORS.flag, borderColor: COLORS.flag } : undefined,
          symbolSize: out ? 11 : 7,
        };
      }),
      z: 3,
    },
    limitLine(
      t.center,
      points.map((p) => scaled(p.center, k)),
      COLORS.target,
      false,
    ),
  ];
  if (hasLimits) {
    series.push(
      limitLine(
        t.ucl,
        points.map((p) => scaled(p.ucl, k)),
        COLORS.limit998,
        true,
      ),
      limitLine(
        t.lcl,
        points.map((p) => scaled(p.lcl, k)),
        COLORS.limit998,
        true,
      ),
    );
  }
  return {
    ...baseOption(),
    legend: { ...legendPosition(lang), type: 'scroll' },
    tooltip: {
      ...tooltipBase(lang),
      trigger: 'axis',
      valueFormatter: (v: number | null) => formatNumber(v, lang, kind === 'complaints' ? 2 : 1),
    },
    xAxis: { type: 'category', data: months, ...xAxisDirection(lang), axisLabel: { hideOverlap: true } },
    yAxis: {
      type: 'value',
      position: yAxisPosition(lang),
      // from zero when zero is near; a median that moves between 2.5 and 3.5 days is not a flat line
      ...valueRange(
        points.flatMap((p) => [p.value, p.center, p.ucl, p.lcl].map((v) => scaled(v, k))),
        { floor: 0 },
      ),
      axisLabel: { formatter: numberLabel(lang, kind === 'complaints' ? 1 : 0) },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    series,
  };
}
