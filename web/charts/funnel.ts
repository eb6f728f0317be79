/**
 * Funnel plot (Spiegelhalter 2005): each group's value against its volume, with the 95% and
 * 99.8% limits the API computed (over-dispersion already applied) drawn from `curve`.
 */
import type { Funnel, FunnelRow } from '../api/types.ts';
import { messages } from '../i18n/index.ts';
import { formatNumber, formatP, type Lang } from '../lib/format.ts';
import { valueRange } from './axis.ts';
import {
  baseOption,
  type ChartOption,
  COLORS,
  escapeHtml,
  gridWithin,
  isRtl,
  legendPosition,
  numberLabel,
  tooltipBase,
  xAxisDirection,
  yAxisPosition,
} from './base.ts';

/** slow_share is a proportion, shown in percent; the rates are per case, shown per 1,000 cases. */
export const funnelScale = (metric: Funnel['metric']) => (metric === 'slow_share' ? 100 : 1000);

export interface FunnelInput {
  funnel: Funnel;
  lang: Lang;
  labelOf: (row: FunnelRow) => string;
  valueLabel: string;
  volumeLabel: string;
}

export type FunnelPointKind = 'flagged' | 'normal' | 'untested';

export function pointKind(row: FunnelRow): FunnelPointKind {
  if (!row.tested) return 'untested';
  return row.flag ? 'flagged' : 'normal';
}

/** Limits of a proportion live in [0, 1]; of a rate, in [0, ∞). */
export function clampLimit(v: number, metric: Funnel['metric']): number {
  const lo = Math.max(0, v);
  return metric === 'slow_share' ? Math.min(1, lo) : lo;
}

/**
 * The value axis of a funnel plot, in display units: what the tested groups, the target and the
 * limits from the smallest tested volume up reach. Untested groups (below min_n) take no part: one
 * office with 3 cases and 1 complaint (333 per 1,000) would otherwise set the axis for all of them.
 */
export function funnelYRange(funnel: Funnel): { min?: number; max?: number } {
  const k = funnelScale(funnel.metric);
  const tested = funnel.rows.filter((r) => r.tested && r.value != null);
  const fromN = tested.length ? Math.min(...tested.map((r) => r.n)) : funnel.min_n;
  const limits = funnel.curve
    .filter((c) => c.n >= fromN)
    .flatMap((c) => [clampLimit(c.lo998, funnel.metric), clampLimit(c.hi998, funnel.metric)]);
  const values = [...tested.map((r) => r.value as number), ...limits, funnel.target].map((v) => v * k);
  const share = funnel.metric === 'slow_share';
  return valueRange(values, share ? { floor: 0, ceil: 100 } : { floor: 0 });
}

export function buildFunnelOption(input: FunnelInput): ChartOption {
  const { funnel, lang } = input;
  const t = messages(lang).funnel;
  const k = funnelScale(funnel.metric);
  const digits = funnel.metric === 'slow_share' ? 1 : 2;
  const curve = [...funnel.curve].sort((a, b) => a.n - b.n);
  const limit = (
    name: string,
    pick: (c: Funnel['curve'][number]) => number,
    color: string,
    dashed: boolean,
  ) => ({
    name,
    type: 'line',
    symbol: 'none',
    silent: true,
    lineStyle: { color, width: 1.5, type: dashed ? 'dashed' : 'solid' },
    itemStyle: { color },
    data: curve.map((c) => [c.n, clampLimit(pick(c), funnel.metric) * k]),
  });
  const point = (row: FunnelRow) => ({
    value: [row.n, (row.value ?? 0) * k],
    name: input.labelOf(row),
    key: row.key,
    row,
  });
  const rows = funnel.rows.filter((r) => r.value != null);
  const byKind = (kind: FunnelPointKind) => rows.filter((r) => pointKind(r) === kind).map(point);
  const xs = [...rows.map((r) => r.n), ...curve.map((c) => c.n)];
  const xMax = xs.length ? Math.max(...xs) : 1;
  const target = funnel.target == null ? null : funnel.target * k;
  const yRange = funnelYRange(funnel);
  return {
    ...baseOption(),
    grid: gridWithin({ right: 24, top: 48, bottom: 32 }),
    legend: { ...legendPosition(lang), type: 'scroll' },
    tooltip: {
      ...tooltipBase(lang),
      trigger: 'item',
      formatter: (p: { data?: { row?: FunnelRow; name?: string } }) => {
        const row = p.data?.row;
        if (!row) return '';
        return [
          `<b>${escapeHtml(p.data?.name ?? row.key)}</b>`,
          `${escapeHtml(input.volumeLabel)}: ${formatNumber(row.n, lang)}`,
          `${escapeHtml(input.valueLabel)}: ${formatNumber((row.value ?? 0) * k, lang, digits)}`,
          `z: ${formatNumber(row.z, lang, 2)} · q: ${formatP(row.q, lang)}`,
          row.tested ? '' : t.untested,
        ]
          .filter(Boolean)
          .join('<br/>');
      },
    },
    xAxis: {
      type: 'value',
      name: input.volumeLabel,
      nameLocation: 'middle',
      nameGap: 28,
      min: 0,
      ...xAxisDirection(lang),
      axisLabel: { formatter: numberLabel(lang), hideOverlap: true },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    yAxis: {
      type: 'value',
      name: input.valueLabel,
      position: yAxisPosition(lang),
      nameTextStyle: { align: isRtl(lang) ? 'right' : 'left' },
      // the tested groups and the limits set the scale; a tiny untested office off the scale is
      // clipped here (it stays in the table), not allowed to squash every other point
      ...yRange,
      axisLabel: { formatter: numberLabel(lang, funnel.metric === 'slow_share' ? 0 : 1) },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    series: [
      limit(t.l998, (c) => c.hi998, COLORS.limit998, true),
      // same name as the upper limit: one legend entry toggles both lines
      limit(t.l998, (c) => c.lo998, COLORS.limit998, true),
      limit(t.l95, (c) => c.hi95, COLORS.limit95, true),
      limit(t.l95, (c) => c.lo95, COLORS.limit95, true),
      {
        name: t.target,
        type: 'line',
        symbol: 'none',
        silent: true,
        lineStyle: { color: COLORS.target, width: 1.5 },
        itemStyle: { color: COLORS.target },
        data:
          target == null
            ? []
            : [
                [0, target],
                [xMax, target],
              ],
      },
      {
        name: t.untested,
        type: 'scatter',
        symbolSize: 7,
        itemStyle: { color: '#ffffff', borderColor: COLORS.muted, borderWidth: 1.5 },
        data: byKind('untested'),
      },
      {
        name: funnel.by === 'district' ? messages(lang).funnel.pointsDistricts : messages(lang).funnel.points,
        type: 'scatter',
        symbolSize: 8,
        itemStyle: { color: COLORS.primary, opacity: 0.75 },
        data: byKind('normal'),
      },
      {
        name: t.flagged,
        type: 'scatter',
        symbolSize: 11,
        itemStyle: { color: COLORS.flag },
        label: {
          show: true,
          position: 'top',
          fontSize: 11,
          color: COLORS.flag,
          formatter: (p: { name: string }) => p.name,
        },
        labelLayout: { moveOverlap: 'shiftY', hideOverlap: true },
        data: byKind('flagged'),
        z: 5,
      },
    ],
  };
}
