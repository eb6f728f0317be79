/**
 * The one component that touches ECharts: it owns init, ResizeObserver, setOption(opt, true)
 * and dispose. Everything it draws comes from the pure option builders beside it.
 */
import { BarChart, BoxplotChart, GraphChart, LineChart, MapChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import { applyAnimationFlag, type ChartOption } from './base.ts';
import { cspSafeSvg, PRINT_WIDTH, printHeight, printOption } from './print.ts';

echarts.use([
  BarChart,
  BoxplotChart,
  GraphChart,
  LineChart,
  MapChart,
  ScatterChart,
  AriaComponent,
  GeoComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
  SVGRenderer,
]);

declare global {
  interface Window {
    __ECHARTS_ANIMATION__?: boolean;
  }
}

export interface ChartClick {
  name: string;
  data: unknown;
  seriesType: string;
}

export interface EChartProps {
  option: ChartOption;
  /** Reserved up front so nothing below jumps when the chart arrives. */
  height: number;
  ariaLabel: string;
  /** GeoJSON maps to register (by name) before the option that uses them. */
  maps?: Record<string, unknown>;
  onClick?: (e: ChartClick) => void;
  testId?: string;
  /** 'svg' draws vectors (the printed report); fixed when the chart is created. */
  renderer?: 'canvas' | 'svg';
}

export function EChart({
  option,
  height,
  ariaLabel,
  maps,
  onClick,
  testId,
  renderer = 'canvas',
}: EChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.EChartsType | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;
  const optionRef = useRef(option);
  optionRef.current = option;

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const instance = echarts.init(node, undefined, { renderer });
    chart.current = instance;
    instance.on('click', (p) => {
      clickRef.current?.({
        name: String(p.name ?? ''),
        data: p.data,
        seriesType: String(p.seriesType ?? ''),
      });
    });
    const ro = new ResizeObserver(() => instance.resize());
    ro.observe(node);
    // Canvas text is drawn once; redraw after Vazirmatn arrives or Persian labels keep the fallback font.
    let alive = true;
    document.fonts?.ready.then(() => {
      if (alive && !instance.isDisposed()) instance.setOption(withFlag(optionRef.current), true);
    });
    return () => {
      alive = false;
      ro.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [renderer]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    for (const [name, geo] of Object.entries(maps ?? {})) {
      if (!echarts.getMap(name)) echarts.registerMap(name, geo as Parameters<typeof echarts.registerMap>[1]);
    }
    instance.setOption(withFlag(option), true);
  }, [option, maps]);

  return (
    <div
      ref={el}
      className="echart"
      role="img"
      aria-label={ariaLabel}
      data-testid={testId}
      style={{ height, width: '100%' }}
    />
  );
}

/**
 * The chart as SVG text, drawn at once without a DOM node (ECharts' server-side mode, which works in
 * the browser too): used for the printed copy, so the page gets vector graphics laid out for its width.
 */
export function renderSvg(
  option: ChartOption,
  width: number,
  height: number,
  maps?: Record<string, unknown>,
): string {
  for (const [name, geo] of Object.entries(maps ?? {})) {
    if (!echarts.getMap(name)) echarts.registerMap(name, geo as Parameters<typeof echarts.registerMap>[1]);
  }
  const chart = echarts.init(null as unknown as HTMLElement, undefined, {
    renderer: 'svg',
    ssr: true,
    width,
    height,
  });
  try {
    chart.setOption(printOption(option), true);
    return cspSafeSvg(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/** The printed copy of a chart: vector, at the printed width, scaled to the page if it is narrower. */
export function PrintChart({
  option,
  height,
  ariaLabel,
  maps,
}: {
  option: ChartOption;
  height: number;
  ariaLabel: string;
  maps?: Record<string, unknown>;
}) {
  const svg = useMemo(
    () => renderSvg(option, PRINT_WIDTH, printHeight(height), maps),
    [option, height, maps],
  );
  return (
    <div
      className="print-chart"
      role="img"
      aria-label={ariaLabel}
      data-testid="print-chart"
      // biome-ignore lint/security/noDangerouslySetInnerHtml: SVG text drawn by ECharts from our own option; labels are escaped by its SVG writer
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}

function withFlag(option: ChartOption): ChartOption {
  return applyAnimationFlag(option, window.__ECHARTS_ANIMATION__ !== false);
}

export default EChart;
