/** Shared pieces of every chart option: font, colours, and the RTL mirroring rules. */
import type { EChartsCoreOption } from 'echarts/core';
import { formatNumber, type Lang } from '../lib/format.ts';

export type ChartOption = EChartsCoreOption;

export const FONT = 'Vazirmatn, Tahoma, sans-serif';

/** Colour-blind-safe (Okabe–Ito based) and AA against white for text-bearing marks. */
export const COLORS = {
  primary: '#1f5fa8',
  secondary: '#0f7b6c',
  flag: '#b3261e',
  fast: '#6a3d9a',
  muted: '#8a94a0',
  target: '#2f6b2f',
  limit95: '#c47f00',
  limit998: '#b3261e',
  grid: '#e3e7ec',
  text: '#1d2630',
};

export const isRtl = (lang: Lang) => lang === 'fa';

/**
 * In RTL the reading direction runs right to left, so the category/time axis is inverted and the
 * value axis sits on the right; legends start on the right.
 */
export const xAxisDirection = (lang: Lang) => ({ inverse: isRtl(lang) });
export const yAxisPosition = (lang: Lang): 'left' | 'right' => (isRtl(lang) ? 'right' : 'left');
export const legendPosition = (lang: Lang) => (isRtl(lang) ? { right: 8, top: 0 } : { left: 8, top: 0 });

export function tooltipBase(lang: Lang) {
  return {
    confine: true,
    textStyle: { fontFamily: FONT, fontSize: 12 },
    extraCssText: isRtl(lang) ? 'direction: rtl; text-align: right;' : '',
  };
}

/**
 * A grid whose axis labels *and axis titles* stay inside the chart (ECharts 6's outer bounds:
 * `containLabel` kept only the labels in, so titles were cut at the edge). The margins are where the
 * plot area starts before labels push it in.
 */
export function gridWithin(margins: { left?: number; right?: number; top?: number; bottom?: number } = {}) {
  return {
    left: margins.left ?? 16,
    right: margins.right ?? 16,
    top: margins.top ?? 40,
    bottom: margins.bottom ?? 24,
    outerBounds: { left: 2, right: 2, top: 2, bottom: 2 },
    outerBoundsContain: 'all',
  };
}

export function baseOption(): ChartOption {
  return {
    textStyle: { fontFamily: FONT, color: COLORS.text },
    grid: gridWithin(),
    aria: { enabled: true },
  };
}

export const numberLabel =
  (lang: Lang, digits = 0) =>
  (v: number) =>
    formatNumber(v, lang, digits);

/**
 * Browser tests set `window.__ECHARTS_ANIMATION__ = false` to take stable screenshots; the wrapper
 * passes that flag here so every option, whoever built it, obeys it.
 */
export function applyAnimationFlag(option: ChartOption, animation: boolean): ChartOption {
  return animation ? option : { ...option, animation: false };
}

/** Escapes text going into tooltip HTML (labels come from imported data). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
