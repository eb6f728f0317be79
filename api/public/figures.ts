/**
 * The public scorecards' numbers (issue 16), computed once per dataset version for the whole city:
 * per office × service, office, district × service, district, service and city, over the cases
 * submitted in the 365 days up to the as-of time (definitions.ts says it in words):
 *
 * - median_days: DESIGN metric 1's median — quantile_cont(dur, 0.5) over closed cases (completed or
 *   rejected), exactly what /api/processing computes for the same window and group;
 * - on_time_share: 1 − DESIGN metric 2's breach rate — among the cases whose outcome against the
 *   deadline (due_at, else submitted_at + sla_days) is decided, the share not breached;
 * - complaints_per_1000: DESIGN metric 5 — complaints received in the window / cases × 1000 (for a
 *   service, the complaints whose case is of that service).
 *
 * Every figure carries its own n, and its value is null below MIN_N: suppression happens here, where
 * the numbers are made, so no view can forget it. The queries read only the derived fact tables'
 * aggregate inputs (dur, breached, sub_s, rec_s, ids); nothing per case leaves this module.
 */
import type { DataCache } from '../cache.ts';
import type { Db } from '../db.ts';
import { loadAsOf } from '../metrics/facts.ts';
import { MIN_N, WINDOW_DAYS } from './definitions.ts';

/** The raw counts behind one group's figures (not published as such). */
export interface Counts {
  n_cases: number;
  n_closed: number;
  median_days: number | null;
  n_decided: number;
  n_on_time: number;
  n_complaints: number;
}

/** One published figure: null below MIN_N, with the number of cases it rests on. */
export interface Figure {
  value: number | null;
  n: number;
}

export interface Figures {
  n_cases: number;
  median_days: Figure;
  on_time_share: Figure;
  complaints_per_1000: Figure;
}

export const EMPTY_COUNTS: Counts = {
  n_cases: 0,
  n_closed: 0,
  median_days: null,
  n_decided: 0,
  n_on_time: 0,
  n_complaints: 0,
};

/** The small-number rule: a figure resting on fewer than MIN_N cases is never a number. */
export function suppress(value: number | null, n: number): Figure {
  return { value: n >= MIN_N && value !== null && Number.isFinite(value) ? value : null, n };
}

export function figures(c: Counts): Figures {
  return {
    n_cases: c.n_cases,
    median_days: suppress(c.median_days, c.n_closed),
    on_time_share: suppress(c.n_decided > 0 ? c.n_on_time / c.n_decided : null, c.n_decided),
    complaints_per_1000: suppress(c.n_cases > 0 ? (c.n_complaints / c.n_cases) * 1000 : null, c.n_cases),
  };
}

export interface OfficeInfo {
  office_id: string;
  name: string;
  district: number;
}
export interface DistrictInfo {
  district: number;
  name_fa: string;
  name_en: string;
}
export interface ServiceInfo {
  service_code: string;
  name: string;
  name_en: string | null;
  category: string | null;
  sla_days: number | null;
}

/** Group keys: the office, the district or the city, and a service or ALL (every service). */
export const ALL = '*';
export type Level = 'office' | 'district' | 'city';

export interface Snapshot {
  /** The dataset signature these numbers belong to. */
  sig: string;
  as_of_s: number | null;
  from_s: number | null;
  to_s: number | null;
  offices: Map<string, OfficeInfo>;
  districts: Map<number, DistrictInfo>;
  services: Map<string, ServiceInfo>;
  /** Counts per `${level}|${office id, district or ''}|${service code or ALL}`. */
  cells: Map<string, Counts>;
  /** Per office and district: its services by cases in the window, most first (ties by code). */
  serviceRank: Map<string, string[]>;
}

export const cellKey = (level: Level, id: string | number, service: string = ALL) =>
  `${level}|${level === 'city' ? '' : id}|${service}`;

export function countsOf(s: Snapshot, level: Level, id: string | number, service: string = ALL): Counts {
  return s.cells.get(cellKey(level, id, service)) ?? EMPTY_COUNTS;
}

/** GROUPING() bits over (office_id, district, service): office 4, district 2, service 1. */
const GROUPING_SETS =
  'GROUPING SETS ((office_id, district, svc), (office_id, district), (district, svc), (district), (svc), ())';

function levelOf(g: number): { level: Level; byService: boolean } | null {
  switch (g) {
    case 0:
      return { level: 'office', byService: true };
    case 1:
      return { level: 'office', byService: false };
    case 4:
      return { level: 'district', byService: true };
    case 5:
      return { level: 'district', byService: false };
    case 6:
      return { level: 'city', byService: true };
    case 7:
      return { level: 'city', byService: false };
    default:
      return null;
  }
}

interface CaseRow {
  g: number;
  office_id: string | null;
  district: number | null;
  svc: string | null;
  n_cases: number;
  n_closed: number;
  median_days: number | null;
  n_decided: number;
  n_on_time: number;
}

interface ComplaintRow {
  g: number;
  office_id: string | null;
  district: number | null;
  svc: string | null;
  n: number;
}

function rowKey(r: { g: number; office_id: string | null; district: number | null; svc: string | null }) {
  const l = levelOf(Number(r.g));
  if (!l) return null;
  // A complaint with no case has no service: it belongs only in the all-services rows.
  if (l.byService && r.svc === null) return null;
  const id = l.level === 'office' ? String(r.office_id) : l.level === 'district' ? Number(r.district) : '';
  return cellKey(l.level, id, l.byService ? String(r.svc) : ALL);
}

async function compute(db: Db, sig: string): Promise<Snapshot> {
  const asOf = await loadAsOf(db);
  const window = asOf === null ? null : { from: asOf - WINDOW_DAYS * 86_400, to: asOf };
  const [offices, districts, services] = await Promise.all([
    db.all<OfficeInfo>('SELECT office_id, name, district::INTEGER AS district FROM offices'),
    db.all<DistrictInfo>(
      `SELECT district::INTEGER AS district, name_fa, name_en FROM districts
       UNION ALL
       SELECT DISTINCT district::INTEGER, 'منطقه ' || district::VARCHAR, 'District ' || district::VARCHAR
       FROM offices WHERE district NOT IN (SELECT district FROM districts)`,
    ),
    db.all<ServiceInfo>(
      'SELECT service_code, name, name_en, category, sla_days::INTEGER AS sla_days FROM services',
    ),
  ]);
  const cells = new Map<string, Counts>();
  if (window) {
    const params = { from_s: window.from, to_s: window.to };
    const [caseRows, complaintRows] = await Promise.all([
      db.all<CaseRow>(
        `SELECT GROUPING(office_id, district, svc)::INTEGER AS g, office_id, district, svc,
           count(*)::INTEGER AS n_cases, count(dur)::INTEGER AS n_closed,
           quantile_cont(dur, 0.5)::DOUBLE AS median_days,
           count(breached)::INTEGER AS n_decided, count_if(NOT breached)::INTEGER AS n_on_time
         FROM (SELECT office_id, district, service_code AS svc, dur, breached FROM case_facts
               WHERE sub_s >= $from_s AND sub_s <= $to_s)
         GROUP BY ${GROUPING_SETS}`,
        params,
      ),
      db.all<ComplaintRow>(
        `SELECT GROUPING(office_id, district, svc)::INTEGER AS g, office_id, district, svc, count(*)::INTEGER AS n
         FROM (SELECT office_id, district, case_service AS svc FROM complaint_facts
               WHERE rec_s >= $from_s AND rec_s <= $to_s)
         GROUP BY ${GROUPING_SETS}`,
        params,
      ),
    ]);
    for (const r of caseRows) {
      const key = rowKey(r);
      if (!key) continue;
      cells.set(key, {
        n_cases: Number(r.n_cases),
        n_closed: Number(r.n_closed),
        median_days: r.median_days === null ? null : Number(r.median_days),
        n_decided: Number(r.n_decided),
        n_on_time: Number(r.n_on_time),
        n_complaints: 0,
      });
    }
    for (const r of complaintRows) {
      const key = rowKey(r);
      if (!key) continue;
      // complaints about an office or service with no case in the window still count (over 0 cases)
      const c = cells.get(key) ?? { ...EMPTY_COUNTS };
      c.n_complaints = Number(r.n);
      cells.set(key, c);
    }
  }
  return {
    sig,
    as_of_s: asOf,
    from_s: window?.from ?? null,
    to_s: window?.to ?? null,
    offices: new Map(offices.map((o) => [o.office_id, { ...o, district: Number(o.district) }])),
    districts: new Map(districts.map((d) => [Number(d.district), { ...d, district: Number(d.district) }])),
    services: new Map(
      services.map((s) => [
        s.service_code,
        { ...s, sla_days: s.sla_days === null ? null : Number(s.sla_days) },
      ]),
    ),
    cells,
    serviceRank: rankServices(cells),
  };
}

function rankServices(cells: Map<string, Counts>): Map<string, string[]> {
  const lists = new Map<string, [string, number][]>();
  for (const [key, c] of cells) {
    const [level, id, svc] = key.split('|');
    if (svc === ALL || c.n_cases === 0) continue;
    const group = `${level}|${id}`;
    let list = lists.get(group);
    if (!list) {
      list = [];
      lists.set(group, list);
    }
    list.push([svc, c.n_cases]);
  }
  const out = new Map<string, string[]>();
  for (const [group, list] of lists) {
    list.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    out.set(
      group,
      list.map(([svc]) => svc),
    );
  }
  return out;
}

/** The services of an office, district or the city, most cases first. */
export function rankedServices(s: Snapshot, level: Level, id: string | number): string[] {
  return s.serviceRank.get(`${level}|${level === 'city' ? '' : id}`) ?? [];
}

/**
 * The figures for the data as it is now: one computation per dataset signature in the data cache
 * (api/cache.ts), shared by concurrent callers; a failure is not kept, so the next request tries again.
 */
export function publicSnapshot(cache: DataCache): Promise<Snapshot> {
  return cache.get('public snapshot', async () => compute(cache.db, await cache.signature()));
}
