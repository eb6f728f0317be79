/**
 * Monthly series with control limits (u-chart for complaint rates; median days for processing), DESIGN 8.
 * The API decides which months are flagged (`flag`), partial (the data covers them only in part: drawn
 * hollow and grey, never flagged) and provisional (more than 10% still open: drawn hollow in amber, with
 * the Kaplan–Meier median as a dotted line beside the closed-case median).
 */
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

/** How a month is drawn: flagged (red), partial (hollow grey), provisional (hollow amber) or plain. */
export function monthStyle(p: TrendPoint): 'flagged' | 'partial' | 'provisional' | null {
  if (p.partial) return 'partial';
  if (p.flag) return 'flagged';
  if (p.provisional) return 'provisional';
  return null;
}

const POINT_STYLE = {
  flagged: { symbol: 'circle', symbolSize: 11, itemStyle: { color: COLORS.flag, borderColor: COLORS.flag } },
  partial: {
    symbol: 'emptyCircle',
    symbolSize: 9,
    itemStyle: { color: COLORS.muted, borderColor: COLORS.muted, borderType: 'dashed' },
  },
  provisional: {
    symbol: 'emptyDiamond',
    symbolSize: 10,
    itemStyle: { color: COLORS.limit95, borderColor: COLORS.limit95 },
  },
} as const;

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
        const style = monthStyle(p);
        return { value: scaled(p.value, k), ...(style ? POINT_STYLE[style] : {}) };
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
  if (kind === 'processing' && points.some((p) => p.km_median != null)) {
    series.push({
      name: t.kmMedian,
      type: 'line',
      symbol: 'none',
      lineStyle: { color: COLORS.secondary, width: 1.5, type: 'dotted' },
      itemStyle: { color: COLORS.secondary },
      data: points.map((p) => scaled(p.km_median, k)),
      z: 2,
    });
  }
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
