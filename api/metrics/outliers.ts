/**
 * DESIGN 7: outlier flags. For each office (and each district): slow / suspiciously_fast from the
 * slow_share funnel over all services and again within each service category (so a pattern
 * confined to building permits is not diluted), complaints and bribe_reports from the rate funnels
 * (funnel.ts). A flag = outside the 99.8% limit with at least min_n in that signal's volume (the
 * funnel's `tested`), with a one-line reason in Persian and English (reasons.ts). Sorted by |z|,
 * largest first.
 *
 * Served by GET /api/outliers (api/routes/outliers.ts); listed on the outliers view
 * (web/views/Outliers.tsx) and the overview's flagged offices, and per office on its scorecard
 * (scorecard.ts).
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { filterShape } from '../filters.ts';
import { FormatParam, FunnelMinN, query } from '../params.ts';
import {
  computeFunnel,
  FUNNEL_LEVELS,
  type FunnelLevel,
  type FunnelMetric,
  inView,
  loadSignalData,
  type SignalData,
  signalGroups,
} from './funnel.ts';
import type { Labels } from './labels.ts';
import { reasons, SIGNALS, type Signal } from './reasons.ts';

export const OutliersQuery = query({
  ...filterShape,
  level: z.enum(FUNNEL_LEVELS).optional().openapi({ description: 'Only office or only district flags' }),
  min_n: FunnelMinN,
  format: FormatParam,
});

const FlagFieldsSchema = z.object({
  signal: z.enum(SIGNALS),
  scope: z.string(),
  value: z.number(),
  target: z.number(),
  z: z.number().nullable(),
  p: z.number().nullable(),
  q: z.number().nullable(),
  n: z.number(),
  lo998: z.number(),
  hi998: z.number(),
  reason_fa: z.string(),
  reason_en: z.string(),
});

export const OfficeFlagSchema = z.object({
  office_id: z.string(),
  office_name: z.string(),
  district: z.number(),
  ...FlagFieldsSchema.shape,
});

const DistrictFlagSchema = z.object({
  district: z.number(),
  label: z.string(),
  label_en: z.string(),
  ...FlagFieldsSchema.shape,
});

export const OutliersSchema = z.object({
  min_n: z.number(),
  flags: z.array(OfficeFlagSchema),
  district_flags: z.array(DistrictFlagSchema),
});
export type OutliersAnswer = z.output<typeof OutliersSchema>;

/** A flag of an office or a district (`key`): the answer's fields and which group it belongs to. */
export interface Flag extends z.output<typeof FlagFieldsSchema> {
  level: FunnelLevel;
  key: string;
  district: number;
}

export function computeFlags(data: SignalData, level: FunnelLevel, minN: number, labels: Labels): Flag[] {
  const categories = [...new Set(data.slow.map((r) => r.category))].filter((c) => c !== '').sort();
  const runs: [FunnelMetric, string][] = [
    ['slow_share', 'all'],
    ...categories.map((c): [FunnelMetric, string] => ['slow_share', c]),
    ['complaints', 'all'],
    ['bribe_reports', 'all'],
  ];
  const flags: Flag[] = [];
  for (const [metric, scope] of runs) {
    const out = computeFunnel(signalGroups(data, metric, level, scope), metric, minN);
    for (const r of out.rows) {
      if (!r.flag) continue;
      let signal: Signal;
      if (metric === 'slow_share') signal = r.flag === 'above' ? 'slow' : 'suspiciously_fast';
      else if (r.flag === 'above') signal = metric;
      else continue; // fewer complaints than expected is not a finding
      const base = {
        level,
        key: r.key,
        district: r.district,
        signal,
        scope,
        value: r.value,
        target: out.target,
        z: r.z,
        p: r.p,
        q: r.q,
        n: r.n,
        lo998: r.lo998 as number,
        hi998: r.hi998 as number,
      };
      const { reason_fa, reason_en } = reasons(base, labels);
      flags.push({ ...base, reason_fa, reason_en });
    }
  }
  return flags.sort((a, b) => Math.abs(b.z ?? 0) - Math.abs(a.z ?? 0));
}

export function officeFlagJson(fl: Flag, labels: Labels): z.output<typeof OfficeFlagSchema> {
  const { level: _level, key, district, ...fields } = fl;
  return { office_id: key, office_name: labels.office(key).name, district, ...fields };
}

function districtFlagJson(fl: Flag, labels: Labels): z.output<typeof DistrictFlagSchema> {
  const { level: _level, key: _key, district, ...fields } = fl;
  const d = labels.district(district);
  return { district, label: d.fa, label_en: d.en, ...fields };
}

export async function outliers(
  ctx: RequestContext,
  q: { level?: FunnelLevel; min_n: number },
): Promise<OutliersAnswer> {
  const { f, labels } = ctx;
  const data = await loadSignalData(ctx);
  const officeFlags =
    q.level === 'district'
      ? []
      : computeFlags(data, 'office', q.min_n, labels).filter((x) => inView(f, 'office', x));
  const districtFlags =
    q.level === 'office'
      ? []
      : computeFlags(data, 'district', q.min_n, labels).filter(
          (x) => inView(f, 'district', x) && f.office === undefined,
        );
  return {
    min_n: q.min_n,
    flags: officeFlags.map((x) => officeFlagJson(x, labels)),
    district_flags: districtFlags.map((x) => districtFlagJson(x, labels)),
  };
}
