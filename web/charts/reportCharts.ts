/**
 * The monthly report's two charts (web/views/Report.tsx), drawn as SVG so they print as vectors:
 * the districts' median processing time this month against last month, and the scope's last twelve
 * months (median days and complaints per 1,000 cases). No animation: a printed page shows the
 * finished chart.
 */
import type { Report } from '../api/types.ts';
import { messages } from '../i18n/index.ts';
import { formatMonth, formatNumber, type Lang } from '../lib/format.ts';
import {
  baseOption,
  type ChartOption,
  COLORS,
  isRtl,
  legendPosition,
  numberLabel,
  tooltipBase,
  xAxisDirection,
  yAxisPosition,
} from './base.ts';

/** The legend on its own line above the plot, its marks on the reading side of their text. */
const legend = (lang: Lang) => ({ ...legendPosition(lang), top: 0, align: isRtl(lang) ? 'right' : 'left' });

export function buildDistrictCompareOption(
  rows: Report['districts'],
  lang: Lang,
  districtName: (d: number) => string,
): ChartOption {
  const t = messages(lang).report.chart;
  return {
    ...baseOption(),
    animation: false,
    legend: legend(lang),
    grid: { left: 16, right: 16, top: 72, bottom: 8, containLabel: true },
    tooltip: {
      ...tooltipBase(lang),
      trigger: 'axis',
      valueFormatter: (v: number | null) => formatNumber(v, lang, 1),
    },
    xAxis: {
      type: 'category',
      data: rows.map((r) => districtName(r.district).replace(/^(منطقه|District) /, '')),
      ...xAxisDirection(lang),
      axisLabel: { interval: 0, fontSize: 10 },
    },
    yAxis: {
      type: 'value',
      name: t.medianDays,
      position: yAxisPosition(lang),
      nameTextStyle: { align: isRtl(lang) ? 'right' : 'left' },
      min: 0,
      axisLabel: { formatter: numberLabel(lang, 0) },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    series: [
      {
        name: t.lastMonth,
        type: 'bar',
        itemStyle: { color: COLORS.muted },
        data: rows.map((r) => r.previous.median_days),
      },
      {
        name: t.thisMonth,
        type: 'bar',
        itemStyle: { color: COLORS.primary },
        data: rows.map((r) => r.current.median_days),
      },
    ],
  };
}

export function buildReportTrendOption(trend: Report['trend'], lang: Lang): ChartOption {
  const t = messages(lang).report.chart;
  const rtl = isRtl(lang);
  return {
    ...baseOption(),
    animation: false,
    legend: legend(lang),
    grid: { left: 16, right: 16, top: 76, bottom: 8, containLabel: true },
    tooltip: {
      ...tooltipBase(lang),
      trigger: 'axis',
      valueFormatter: (v: number | null) => formatNumber(v, lang, 1),
    },
    xAxis: {
      type: 'category',
      data: trend.map((p) => formatMonth(p.month, 'jalali', lang)),
      ...xAxisDirection(lang),
      axisLabel: { interval: 0, fontSize: 9, rotate: 35, margin: 10 },
    },
    yAxis: [
      {
        type: 'value',
        name: t.medianDays,
        position: rtl ? 'right' : 'left',
        nameTextStyle: { align: rtl ? 'right' : 'left' },
        min: 0,
        axisLabel: { formatter: numberLabel(lang, 1) },
        splitLine: { lineStyle: { color: COLORS.grid } },
      },
      {
        type: 'value',
        name: t.per1000,
        position: rtl ? 'left' : 'right',
        nameTextStyle: { align: rtl ? 'left' : 'right' },
        min: 0,
        axisLabel: { formatter: numberLabel(lang, 0) },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: t.medianDays,
        type: 'line',
        yAxisIndex: 0,
        lineStyle: { color: COLORS.primary, width: 2 },
        itemStyle: { color: COLORS.primary },
        data: trend.map((p) => p.median_days),
      },
      {
        name: t.per1000,
        type: 'line',
        yAxisIndex: 1,
        lineStyle: { color: COLORS.flag, width: 2, type: 'dashed' },
        itemStyle: { color: COLORS.flag },
        data: trend.map((p) => (p.complaint_rate === null ? null : p.complaint_rate * 1000)),
      },
    ],
  };
}
