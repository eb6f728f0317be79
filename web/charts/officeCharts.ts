/** Office scorecard charts: monthly volume with median time, and the service mix against the city. */
import type { OfficeScorecard } from '../api/types.ts';
import { messages } from '../i18n/index.ts';
import { type Calendar, formatMonth, formatNumber, type Lang } from '../lib/format.ts';
import { valueRange } from './axis.ts';
import {
  baseOption,
  type ChartOption,
  COLORS,
  gridWithin,
  isRtl,
  legendPosition,
  numberLabel,
  tooltipBase,
  xAxisDirection,
} from './base.ts';

export function buildOfficeTrendOption(
  trend: OfficeScorecard['trend'],
  calendar: Calendar,
  lang: Lang,
): ChartOption {
  const t = messages(lang);
  const rtl = isRtl(lang);
  return {
    ...baseOption(),
    legend: legendPosition(lang),
    // room for the legend above the two axis titles
    grid: gridWithin({ top: 64 }),
    tooltip: {
      ...tooltipBase(lang),
      trigger: 'axis',
      valueFormatter: (v: number) => formatNumber(v, lang, 1),
    },
    xAxis: {
      type: 'category',
      data: trend.map((p) => formatMonth(p.month, calendar, lang)),
      ...xAxisDirection(lang),
      axisLabel: { hideOverlap: true },
    },
    yAxis: [
      {
        type: 'value',
        name: t.metrics.n_cases,
        position: rtl ? 'right' : 'left',
        axisLabel: { formatter: numberLabel(lang) },
        splitLine: { lineStyle: { color: COLORS.grid } },
      },
      {
        type: 'value',
        name: t.metrics.median_days,
        position: rtl ? 'left' : 'right',
        ...valueRange(
          trend.map((p) => p.median_days),
          { floor: 0 },
        ),
        axisLabel: { formatter: numberLabel(lang) },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: t.metrics.n_cases,
        type: 'bar',
        itemStyle: { color: '#b8cde6' },
        data: trend.map((p) => p.n_cases),
      },
      {
        name: t.metrics.median_days,
        type: 'line',
        yAxisIndex: 1,
        itemStyle: { color: COLORS.flag },
        lineStyle: { color: COLORS.flag, width: 2 },
        data: trend.map((p) => p.median_days),
      },
    ],
  };
}

/** The office's median against the city's for its most frequent services (top 12 by volume). */
export function serviceMixRows(mix: OfficeScorecard['service_mix'], limit = 12) {
  return [...mix].sort((a, b) => b.n_cases - a.n_cases).slice(0, limit);
}

export function buildServiceMixOption(mix: OfficeScorecard['service_mix'], lang: Lang): ChartOption {
  const t = messages(lang);
  const rtl = isRtl(lang);
  const rows = serviceMixRows(mix).reverse();
  return {
    ...baseOption(),
    grid: gridWithin({ top: 36, bottom: 16 }),
    legend: legendPosition(lang),
    tooltip: {
      ...tooltipBase(lang),
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number) => formatNumber(v, lang, 1),
    },
    xAxis: {
      type: 'value',
      inverse: rtl,
      axisLabel: { formatter: numberLabel(lang) },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    yAxis: {
      type: 'category',
      position: rtl ? 'right' : 'left',
      data: rows.map((r) => (lang === 'fa' ? r.name : r.name_en || r.name)),
      axisLabel: { width: 180, overflow: 'truncate' },
    },
    series: [
      {
        name: t.scorecard.office,
        type: 'bar',
        itemStyle: { color: COLORS.primary },
        data: rows.map((r) => r.median_days),
      },
      {
        name: t.scorecard.cityMedian,
        type: 'bar',
        itemStyle: { color: COLORS.muted },
        data: rows.map((r) => r.city_median_days),
      },
    ],
  };
}
