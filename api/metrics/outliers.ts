/**
 * DESIGN 7: outlier flags. For each office (and each district): slow / suspiciously_fast from the
 * slow_share funnel over all services and again within each service category (so a pattern
 * confined to building permits is not diluted), complaints and bribe_reports from the rate funnels.
 * A flag = outside the 99.8% limit with at least min_n in that signal's volume (the funnel's
 * `tested`). Sorted by |z|, largest first.
 */
import type { Db } from '../db.ts';
import type { Filters } from '../filters.ts';
import {
  computeFunnel,
  type FunnelLevel,
  type FunnelMetric,
  inView,
  loadSignalData,
  type SignalData,
  signalGroups,
} from './funnel.ts';
import type { Labels } from './labels.ts';
import { reasons, type Signal } from './reasons.ts';
import type { SpeedTime } from './slow-share.ts';

export interface Flag {
  level: FunnelLevel;
  key: string;
  district: number;
  signal: Signal;
  scope: string;
  value: number;
  target: number;
  z: number | null;
  p: number | null;
  q: number | null;
  n: number;
  lo998: number;
  hi998: number;
  reason_fa: string;
  reason_en: string;
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
        n: r.n,
        lo998: r.lo998 as number,
        hi998: r.hi998 as number,
      };
      flags.push({ ...base, z: r.z, p: r.p, q: r.q, ...reasons(base, labels) });
    }
  }
  return flags.sort((a, b) => Math.abs(b.z ?? 0) - Math.abs(a.z ?? 0));
}

/** The numbers and reasons every flag carries, for an office or a district alike. */
function flagFields(fl: Flag) {
  return {
    signal: fl.signal,
    scope: fl.scope,
    value: fl.value,
    target: fl.target,
    z: fl.z,
    p: fl.p,
    q: fl.q,
    n: fl.n,
    lo998: fl.lo998,
    hi998: fl.hi998,
    reason_fa: fl.reason_fa,
    reason_en: fl.reason_en,
  };
}

export function officeFlagJson(fl: Flag, labels: Labels) {
  return {
    office_id: fl.key,
    office_name: labels.office(fl.key).name,
    district: fl.district,
    ...flagFields(fl),
  };
}

export function districtFlagJson(fl: Flag, labels: Labels) {
  const d = labels.district(fl.district);
  return { district: fl.district, label: d.fa, label_en: d.en, ...flagFields(fl) };
}

export async function outliers(
  db: Db,
  f: Filters,
  asOfS: number | null,
  level: FunnelLevel | undefined,
  minN: number,
  labels: Labels,
  time: SpeedTime = 'total',
) {
  const data = await loadSignalData(db, f, asOfS, time);
  const officeFlags =
    level === 'district'
      ? []
      : computeFlags(data, 'office', minN, labels).filter((x) => inView(f, 'office', x));
  const districtFlags =
    level === 'office'
      ? []
      : computeFlags(data, 'district', minN, labels).filter(
          (x) => inView(f, 'district', x) && f.office === undefined,
        );
  return {
    min_n: minN,
    time,
    flags: officeFlags.map((x) => officeFlagJson(x, labels)),
    district_flags: districtFlags.map((x) => districtFlagJson(x, labels)),
  };
}
