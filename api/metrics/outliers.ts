/**
 * DESIGN 7: outlier flags. For each office (and each district): slow / suspiciously_fast from the
 * slow_share funnel over all services and again within each service category (so a pattern
 * confined to building permits is not diluted), complaints and bribe_reports from the rate funnels
 * (funnel.ts). A flag = outside the 99.8% limit with at least min_n in that signal's volume (the
 * funnel's `tested`), with a one-line reason in Persian and English (reasons.ts). Sorted by |z|,
 * largest first.
 *
 * DESIGN 9, who a speed flag belongs to: an office's slow / suspiciously_fast flag in scope s is
 * compared with the other offices of its own district, p_d = their slow_share in s, z_w = (y − p_d) /
 * (√(p_d(1−p_d)/n)·√φ*) with the office funnel's φ for that signal and scope (φ* = max(φ, 1), as the
 * funnel applies it). `attribution` is 'district' when the district is itself flagged for the same
 * signal and scope and |z_w| ≤ 3.090232, else 'office' (complaint and bribe flags are the office's).
 * Office-attributed flags come first: four offices slow only because their district's approvals are
 * slow are one finding about the district, not four about offices.
 *
 * Served by GET /api/outliers (api/routes/outliers.ts); listed on the outliers view
 * (web/views/Outliers.tsx) and the overview's flagged offices, and per office on its scorecard
 * (scorecard.ts).
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { filterShape } from '../filters.ts';
import { FormatParam, FunnelMethodParam, FunnelMinN, query } from '../params.ts';
import { type FunnelMethod, Z998 } from '../stats/index.ts';
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
import { SPEED_TIMES, type SpeedTime, TimeParam } from './slow-share.ts';

export const OutliersQuery = query({
  ...filterShape,
  level: z.enum(FUNNEL_LEVELS).optional().openapi({ description: 'Only office or only district flags' }),
  min_n: FunnelMinN,
  method: FunnelMethodParam,
  time: TimeParam,
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

export const ATTRIBUTIONS = ['office', 'district'] as const;

export const OfficeFlagSchema = z.object({
  office_id: z.string(),
  office_name: z.string(),
  district: z.number(),
  ...FlagFieldsSchema.shape,
  attribution: z.enum(ATTRIBUTIONS).openapi({
    description:
      "DESIGN 9: 'district' when the office's district is flagged for the same speed signal and scope and the office " +
      "does not differ from its district's other offices (|z_within| ≤ 3.090232); otherwise 'office'",
  }),
  district_value: z.number().nullable().openapi({
    description: "Speed flags: the slow_share of the district's other offices in the scope (p_d)",
  }),
  z_within: z
    .number()
    .nullable()
    .openapi({ description: "Speed flags: z of the office against its district's other offices" }),
  attribution_fa: z.string().nullable(),
  attribution_en: z.string().nullable(),
});

const DistrictFlagSchema = z.object({
  district: z.number(),
  label: z.string(),
  label_en: z.string(),
  ...FlagFieldsSchema.shape,
});

export const OutliersSchema = z.object({
  min_n: z.number(),
  method: z.enum(['multiplicative', 'additive']),
  time: z.enum(SPEED_TIMES),
  flags: z.array(OfficeFlagSchema),
  district_flags: z.array(DistrictFlagSchema),
});
export type OutliersAnswer = z.output<typeof OutliersSchema>;

/** A flag of an office or a district (`key`): the answer's fields and which group it belongs to. */
export interface Flag extends z.output<typeof FlagFieldsSchema> {
  level: FunnelLevel;
  key: string;
  district: number;
  /** φ of the funnel the flag comes from (for the within-district test). */
  phi: number;
}

export function computeFlags(
  data: SignalData,
  level: FunnelLevel,
  minN: number,
  labels: Labels,
  method: FunnelMethod = 'multiplicative',
): Flag[] {
  const categories = [...new Set(data.slow.map((r) => r.category))].filter((c) => c !== '').sort();
  const runs: [FunnelMetric, string][] = [
    ['slow_share', 'all'],
    ...categories.map((c): [FunnelMetric, string] => ['slow_share', c]),
    ['complaints', 'all'],
    ['bribe_reports', 'all'],
  ];
  const flags: Flag[] = [];
  for (const [metric, scope] of runs) {
    const out = computeFunnel(signalGroups(data, metric, level, scope), metric, minN, method);
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
      flags.push({ ...base, phi: out.phi, reason_fa, reason_en });
    }
  }
  return flags.sort((a, b) => Math.abs(b.z ?? 0) - Math.abs(a.z ?? 0));
}

export type OfficeFlag = z.output<typeof OfficeFlagSchema>;

const pctFa = new Intl.NumberFormat('fa-IR', { maximumFractionDigits: 0 });
const pctEn = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * DESIGN 9 for one office flag, given every district flag (city-wide): the within-district test and
 * the attribution, with a sentence that says why.
 */
export function attribute(fl: Flag, data: SignalData, districtFlags: Flag[], labels: Labels) {
  const none = { attribution: 'office' as const, district_value: null, z_within: null };
  if (fl.signal !== 'slow' && fl.signal !== 'suspiciously_fast')
    return { ...none, attribution_fa: null, attribution_en: null };
  let n = 0;
  let slow = 0;
  for (const r of data.slow) {
    if (r.district !== fl.district || r.office_id === fl.key) continue;
    if (fl.scope !== 'all' && r.category !== fl.scope) continue;
    n += r.n;
    slow += r.slow;
  }
  const pd = n > 0 ? slow / n : null;
  const sd =
    pd !== null && pd > 0 && pd < 1
      ? Math.sqrt((pd * (1 - pd)) / fl.n) * Math.sqrt(Math.max(fl.phi, 1))
      : null;
  const zw = pd !== null && sd !== null ? (fl.value - pd) / sd : null;
  const districtFlagged = districtFlags.some(
    (d) => d.district === fl.district && d.signal === fl.signal && d.scope === fl.scope,
  );
  const attribution: 'office' | 'district' =
    districtFlagged && zw !== null && Math.abs(zw) <= Z998 ? 'district' : 'office';
  const d = labels.district(fl.district);
  const cat = fl.scope === 'all' ? null : labels.category(fl.scope);
  const pdFa = pd === null ? '—' : `${pctFa.format(pd * 100)}٪`;
  const pdEn = pd === null ? '—' : `${pctEn.format(pd * 100)}%`;
  const whatFa = cat ? `در ${cat.fa}` : '';
  const whatEn = cat ? ` in ${cat.en.toLowerCase()}` : '';
  let fa: string;
  let en: string;
  if (attribution === 'district') {
    fa = `دفترهای دیگر ${d.fa} هم ${whatFa} همین‌قدر ${fl.signal === 'slow' ? 'کند' : 'سریع'} هستند (${pdFa})؛ این یافته دربارهٔ خود منطقه است، نه این دفتر.`;
    en = `The other offices of ${d.en} are as ${fl.signal === 'slow' ? 'slow' : 'fast'}${whatEn} (${pdEn}): this is a finding about the district, not this office.`;
  } else if (districtFlagged) {
    fa = `${d.fa} هم ${whatFa} پرچم خورده است، اما این دفتر از دفترهای دیگر همان منطقه (${pdFa}) هم فاصلهٔ معناداری دارد.`;
    en = `${d.en} is flagged too${whatEn}, but this office also differs clearly from the district's other offices (${pdEn}).`;
  } else {
    fa = `${d.fa} ${whatFa} پرچم نخورده است (دفترهای دیگر منطقه: ${pdFa})؛ این یافته دربارهٔ خود دفتر است.`;
    en = `${d.en} is not flagged${whatEn} (its other offices: ${pdEn}): this is a finding about the office.`;
  }
  return {
    attribution,
    district_value: pd,
    z_within: zw,
    attribution_fa: fa.replace(/\s+/g, ' '),
    attribution_en: en,
  };
}

export function officeFlagJson(
  fl: Flag,
  labels: Labels,
  data: SignalData,
  districtFlags: Flag[],
): OfficeFlag {
  const { level: _level, key, district, phi: _phi, ...fields } = fl;
  return {
    office_id: key,
    office_name: labels.office(key).name,
    district,
    ...fields,
    ...attribute(fl, data, districtFlags, labels),
  };
}

function districtFlagJson(fl: Flag, labels: Labels): z.output<typeof DistrictFlagSchema> {
  const { level: _level, key: _key, district, phi: _phi, ...fields } = fl;
  const d = labels.district(district);
  return { district, label: d.fa, label_en: d.en, ...fields };
}

/** Office flags with their attribution: office-attributed first, each part by |z|. */
export function officeFlags(
  data: SignalData,
  minN: number,
  labels: Labels,
  method: FunnelMethod,
  districtFlags: Flag[] = computeFlags(data, 'district', minN, labels, method),
): OfficeFlag[] {
  const out = computeFlags(data, 'office', minN, labels, method).map((x) =>
    officeFlagJson(x, labels, data, districtFlags),
  );
  return [
    ...out.filter((x) => x.attribution === 'office'),
    ...out.filter((x) => x.attribution === 'district'),
  ];
}

export async function outliers(
  ctx: RequestContext,
  q: { level?: FunnelLevel; min_n: number; method: FunnelMethod; time?: SpeedTime },
): Promise<OutliersAnswer> {
  const { f, labels } = ctx;
  const time = q.time ?? 'total';
  const data = await loadSignalData(ctx, time);
  // district flags are computed city-wide: an office's attribution needs its district's flag
  const allDistrictFlags = computeFlags(data, 'district', q.min_n, labels, q.method);
  const flags =
    q.level === 'district'
      ? []
      : officeFlags(data, q.min_n, labels, q.method, allDistrictFlags).filter((x) =>
          inView(f, 'office', { key: x.office_id, district: x.district }),
        );
  const districtFlags =
    q.level === 'office'
      ? []
      : allDistrictFlags.filter((x) => inView(f, 'district', x) && f.office === undefined);
  return {
    min_n: q.min_n,
    method: q.method,
    time,
    flags,
    district_flags: districtFlags.map((x) => districtFlagJson(x, labels)),
  };
}
