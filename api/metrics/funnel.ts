/**
 * DESIGN 6: funnel limits for slow_share (DESIGN 4, a proportion with target 0.5, volume = closed
 * cases) and for complaint and bribe-report rates (DESIGN 5, per-case Poisson rates with target
 * Σcomplaints / Σcases over all groups, volume = cases), by office or district, over all services
 * or one service category (scope).
 *
 * The population is the filters without the location filters (district, office) and without an
 * inspector's district scope: the funnel, its φ, target and q-values are always computed over every
 * group in the city, and a district or office filter (or the scope) only selects which rows are returned. An office's flag therefore does not change
 * with the view it is looked at from.
 */
import type { Db } from '../db.ts';
import { cityWide, type Filters, inScope } from '../filters.ts';
import { type FunnelRow, funnel, funnelCurve } from '../stats/index.ts';
import { type OfficeRateCounts, rateCounts } from './complaints.ts';
import type { Labels } from './labels.ts';
import { memo } from './memo.ts';
import { type SlowCount, type SpeedTime, slowCounts } from './slow-share.ts';

export const FUNNEL_METRICS = ['slow_share', 'complaints', 'bribe_reports'] as const;
export type FunnelMetric = (typeof FUNNEL_METRICS)[number];
export type FunnelLevel = 'office' | 'district';

/** Everything the signals need, counted once per request. */
export interface SignalData {
  slow: SlowCount[];
  rates: OfficeRateCounts[];
}

export function loadSignalData(
  db: Db,
  f: Filters,
  asOfS: number | null,
  time: SpeedTime = 'total',
): Promise<SignalData> {
  const population = cityWide(f);
  const key = `signals ${JSON.stringify(population)}${time === 'total' ? '' : ` ${time}`}`;
  return memo(db, key, async () => {
    const [slow, rates] = await Promise.all([
      slowCounts(db, population, asOfS, time),
      rateCounts(db, population, asOfS),
    ]);
    return { slow, rates };
  });
}

export interface GroupCount {
  key: string;
  district: number;
  n: number;
  count: number;
}

/** Volumes and counts per group for one signal and scope ('all' or a category). */
export function signalGroups(
  data: SignalData,
  metric: FunnelMetric,
  level: FunnelLevel,
  scope: string,
): GroupCount[] {
  const acc = new Map<string, GroupCount>();
  const add = (office: string, district: number, n: number, count: number) => {
    const key = level === 'office' ? office : String(district);
    const g = acc.get(key) ?? { key, district, n: 0, count: 0 };
    g.n += n;
    g.count += count;
    acc.set(key, g);
  };
  if (metric === 'slow_share') {
    for (const r of data.slow)
      if (scope === 'all' || r.category === scope) add(r.office_id, r.district, r.n, r.slow);
  } else {
    for (const r of data.rates)
      add(r.office_id, r.district, r.cases, metric === 'complaints' ? r.complaints : r.bribes);
  }
  return [...acc.values()].sort((a, b) =>
    level === 'district' ? Number(a.key) - Number(b.key) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}

export interface FunnelOut {
  metric: FunnelMetric;
  target: number;
  phi: number;
  rows: (FunnelRow & { district: number; count: number; value: number })[];
}

export function computeFunnel(groups: GroupCount[], metric: FunnelMetric, minN: number): FunnelOut {
  const sumN = groups.reduce((s, g) => s + g.n, 0);
  const sumC = groups.reduce((s, g) => s + g.count, 0);
  const kind = metric === 'slow_share' ? 'proportion' : 'rate';
  const target = metric === 'slow_share' ? 0.5 : sumN > 0 ? sumC / sumN : 0;
  const input = groups.map((g) => ({ key: g.key, n: g.n, y: g.n > 0 ? g.count / g.n : 0 }));
  const r = funnel(input, { kind, target, minN });
  return {
    metric,
    target: r.target,
    phi: r.phi,
    rows: r.rows.map((row, i) => ({
      ...row,
      district: groups[i].district,
      count: groups[i].count,
      value: row.y,
    })),
  };
}

export function curveFor(out: FunnelOut) {
  const ns = out.rows.filter((r) => r.n > 0).map((r) => r.n);
  if (ns.length === 0) return [];
  const kind = out.metric === 'slow_share' ? 'proportion' : 'rate';
  return funnelCurve({
    kind,
    target: out.target,
    phi: out.phi,
    nMin: Math.min(...ns),
    nMax: Math.max(...ns),
    count: 60,
  });
}

/** Keeps the rows the location filters select (the funnel itself was computed city-wide). */
export function inView(f: Filters, level: FunnelLevel, row: { key: string; district: number }): boolean {
  if (!inScope(f, row.district)) return false;
  if (f.district !== undefined && row.district !== f.district) return false;
  if (f.office !== undefined && (level !== 'office' || row.key !== f.office)) return false;
  return true;
}

export async function funnelReport(
  db: Db,
  f: Filters,
  asOfS: number | null,
  metric: FunnelMetric,
  level: FunnelLevel,
  scope: string,
  minN: number,
  labels: Labels,
  time: SpeedTime = 'total',
) {
  // Complaints are not timed per category, so a category scope for a rate is a category filter.
  const population = metric !== 'slow_share' && scope !== 'all' ? { ...f, category: scope } : f;
  const data = await loadSignalData(db, population, asOfS, time);
  const out = computeFunnel(signalGroups(data, metric, level, scope), metric, minN);
  return {
    metric,
    time,
    by: level,
    scope,
    target: out.target,
    phi: out.phi,
    min_n: minN,
    rows: out.rows
      .filter((r) => inView(f, level, r))
      .map((r) => {
        const label = level === 'office' ? labels.office(r.key).name : labels.district(r.district).fa;
        return {
          key: r.key,
          label,
          district: r.district,
          n: r.n,
          count: r.count,
          value: r.value,
          z: r.z,
          p: r.p,
          q: r.q,
          lo95: r.lo95,
          hi95: r.hi95,
          lo998: r.lo998,
          hi998: r.hi998,
          flag: r.flag,
          tested: r.tested,
        };
      }),
    curve: curveFor(out),
  };
}
