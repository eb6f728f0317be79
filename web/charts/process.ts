/**
 * Process view charts (issue 11): the directly-follows map as an ECharts graph (stages left to right
 * in their usual order — right to left in Persian — edges as wide as their share of transitions and
 * labelled with their median time, the bottleneck in red), and the stacked bar of median days by stage
 * per district, coloured by whose hands the stage is in.
 */
import type { StageMap, Stages } from '../api/types.ts';
import { messages } from '../i18n/index.ts';
import { formatNumber, type Lang } from '../lib/format.ts';
import {
  baseOption,
  type ChartOption,
  COLORS,
  escapeHtml,
  isRtl,
  legendPosition,
  numberLabel,
  tooltipBase,
  xAxisDirection,
  yAxisPosition,
} from './base.ts';

export type Actor = 'office' | 'municipality' | 'citizen' | 'other';

/** One hue per actor (Okabe–Ito based, distinct for colour-blind readers). */
export const ACTOR_COLORS: Record<Actor, string> = {
  office: '#1f5fa8',
  municipality: '#c47f00',
  citizen: '#0f7b6c',
  other: '#8a94a0',
};

/** Lighter and darker steps of an actor's hue, so stages of one actor stay apart in a stack. */
export function actorShade(actor: Actor, k: number): string {
  const base = ACTOR_COLORS[actor];
  const mix = [0, 0.35, -0.25, 0.55, -0.4][k % 5];
  const ch = (i: number) => Number.parseInt(base.slice(i, i + 2), 16);
  const to = (v: number) =>
    Math.round(mix >= 0 ? v + (255 - v) * mix : v * (1 + mix))
      .toString(16)
      .padStart(2, '0');
  return `#${to(ch(1))}${to(ch(3))}${to(ch(5))}`;
}

export interface ProcessMapInput {
  map: StageMap;
  lang: Lang;
  stageName: (stage: string) => string;
}

/** Layout units: the graph is scaled into the chart keeping this aspect (two rows of stages). */
const MAP_WIDTH = 1000;
const MAP_ROW_GAP = 220;

export function buildProcessMapOption({ map, lang, stageName }: ProcessMapInput): ChartOption {
  const t = messages(lang).process;
  const rtl = isRtl(lang);
  const shown = new Set(map.edges.flatMap((e) => [e.from, e.to]));
  const nodes = map.nodes.filter((n) => shown.has(n.stage) || map.edges.length === 0);
  const step = nodes.length > 1 ? MAP_WIDTH / (nodes.length - 1) : 0;
  const order = new Map(nodes.map((n, i) => [n.stage, i]));
  const maxCount = Math.max(1, ...map.edges.map((e) => e.count));
  return {
    ...baseOption(),
    tooltip: {
      ...tooltipBase(lang),
      trigger: 'item',
      formatter: (p: { dataType?: string; data?: { tip?: string } }) => p.data?.tip ?? '',
    },
    series: [
      {
        type: 'graph',
        layout: 'none',
        // A fixed drawing: the page scrolls, the chart does not zoom under the wheel.
        roam: false,
        nodeScaleRatio: 0,
        left: 60,
        right: 60,
        top: 50,
        bottom: 50,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 9,
        label: { show: true, position: 'bottom', fontSize: 12, width: 120, overflow: 'break' },
        edgeLabel: {
          show: true,
          fontSize: 11,
          color: COLORS.text,
          formatter: (p: { data?: { label?: string } }) => p.data?.label ?? '',
        },
        data: nodes.map((n, i) => ({
          name: n.stage,
          x: rtl ? MAP_WIDTH - i * step : i * step,
          // alternate rows so that labels of neighbouring stages do not collide
          y: i % 2 === 0 ? 0 : MAP_ROW_GAP,
          symbolSize: n.bottleneck ? 34 : 22,
          value: n.total_days,
          bottleneck: n.bottleneck,
          itemStyle: {
            color: ACTOR_COLORS[n.actor],
            borderColor: n.bottleneck ? COLORS.flag : '#ffffff',
            borderWidth: n.bottleneck ? 4 : 1,
          },
          label: {
            position: i % 2 === 0 ? 'top' : 'bottom',
            formatter: n.bottleneck ? `${stageName(n.stage)}\n${t.bottleneck}` : stageName(n.stage),
            color: n.bottleneck ? COLORS.flag : COLORS.text,
            fontWeight: n.bottleneck ? 'bold' : 'normal',
          },
          tip: [
            `<b>${escapeHtml(stageName(n.stage))}</b>${n.bottleneck ? ` — ${escapeHtml(t.bottleneck)}` : ''}`,
            `${escapeHtml(t.actor)}: ${escapeHtml(t.actors[n.actor])}`,
            `${escapeHtml(t.steps)}: ${formatNumber(n.n, lang)}`,
            `${escapeHtml(t.medianStep)}: ${formatNumber(n.median_days, lang, 1)} ${escapeHtml(t.days)}`,
          ].join('<br/>'),
        })),
        links: map.edges.map((e) => {
          const back = (order.get(e.to) ?? 0) <= (order.get(e.from) ?? 0);
          const label = `${formatNumber(e.median_days, lang, 1)} ${t.days}`;
          return {
            source: e.from,
            target: e.to,
            value: e.count,
            label,
            lineStyle: {
              width: 1 + 7 * (e.count / maxCount),
              color: back ? COLORS.flag : COLORS.muted,
              opacity: 0.8,
              curveness: back ? 0.45 : 0.08,
              type: back ? 'dashed' : 'solid',
            },
            tip: `${escapeHtml(stageName(e.from))} → ${escapeHtml(stageName(e.to))}<br/>${escapeHtml(
              t.transitions,
            )}: ${formatNumber(e.count, lang)}<br/>${escapeHtml(t.medianEdge)}: ${escapeHtml(label)}`,
          };
        }),
      },
    ],
  };
}

export interface StageBarsInput {
  stages: Stages;
  lang: Lang;
  groupName: (key: string) => string;
  stageName: (stage: string) => string;
}

/**
 * One stacked bar per group (district): each stage's median step time, stages in their usual order,
 * coloured by actor. A stage a group never passes adds nothing to its bar.
 */
export function buildStageBarsOption({ stages, lang, groupName, stageName }: StageBarsInput): ChartOption {
  const t = messages(lang).process;
  const keys = [...new Set(stages.rows.map((r) => r.key))].sort((a, b) =>
    /^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a < b ? -1 : 1,
  );
  const order = new Map<string, { position: number; actor: Actor }>();
  for (const r of stages.rows) {
    const o = order.get(r.stage);
    if (!o || r.position < o.position) order.set(r.stage, { position: r.position, actor: r.actor });
  }
  const stageList = [...order.entries()].sort((a, b) => a[1].position - b[1].position);
  const perActor = new Map<Actor, number>();
  const value = new Map(stages.rows.map((r) => [`${r.key}\u0000${r.stage}`, r.median_days]));
  return {
    ...baseOption(),
    grid: { left: 16, right: 16, top: 64, bottom: 24, containLabel: true },
    legend: { ...legendPosition(lang), type: 'scroll' },
    tooltip: {
      ...tooltipBase(lang),
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number | null) => `${formatNumber(v, lang, 1)} ${t.days}`,
    },
    xAxis: {
      type: 'category',
      data: keys.map(groupName),
      ...xAxisDirection(lang),
      axisLabel: { interval: 0, rotate: keys.length > 8 ? 45 : 0 },
    },
    yAxis: {
      type: 'value',
      name: t.medianDaysAxis,
      position: yAxisPosition(lang),
      nameTextStyle: { align: isRtl(lang) ? 'right' : 'left' },
      axisLabel: { formatter: numberLabel(lang) },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    series: stageList.map(([stage, o]) => {
      const k = perActor.get(o.actor) ?? 0;
      perActor.set(o.actor, k + 1);
      return {
        name: stageName(stage),
        type: 'bar',
        stack: 'days',
        itemStyle: { color: actorShade(o.actor, k) },
        emphasis: { focus: 'series' },
        data: keys.map((key) => value.get(`${key}\u0000${stage}`) ?? null),
      };
    }),
  };
}
