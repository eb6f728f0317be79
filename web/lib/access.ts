/**
 * The Access view's arithmetic and choices (DESIGN 16): which figure colours the map, how each is
 * shown, and the "what if" of adding offices to a district under the simplest model — the district's
 * demand in the window stays as it is and is shared evenly among all its offices.
 */
import type { AccessDistrict } from '../../api/metrics/access.ts';
import { formatNumber, type Lang } from './format.ts';

export const ACCESS_MAP_METRICS = ['offices_per_100k', 'cases_per_office_day', 'hhi_operators'] as const;
export type AccessMapMetric = (typeof ACCESS_MAP_METRICS)[number];

export const isAccessMapMetric = (s: string | undefined): s is AccessMapMetric =>
  s != null && (ACCESS_MAP_METRICS as readonly string[]).includes(s);

/** Figures that need a population: shown as "population not loaded" without one. */
export const PER_RESIDENT = new Set([
  'residents_per_office',
  'offices_per_100k',
  'cases_per_1000_residents_year',
]);

/** District → the chosen figure. */
export function accessMapValues(
  rows: readonly AccessDistrict[] | undefined,
  metric: AccessMapMetric,
): Map<number, number | null> {
  return new Map((rows ?? []).map((r) => [r.district, r[metric]]));
}

/** Digits per figure: loads and rates are small numbers, indices and head counts whole. */
export function accessDigits(metric: string): number {
  switch (metric) {
    case 'cases_per_office_day':
    case 'offices_per_100k':
      return 2;
    case 'cases_per_1000_residents_year':
      return 1;
    default:
      return 0;
  }
}

export const formatAccess = (metric: string, v: number | null | undefined, lang: Lang) =>
  formatNumber(v, lang, accessDigits(metric));

export interface WhatIf {
  officesNow: number;
  officesAfter: number;
  residentsNow: number | null;
  residentsAfter: number | null;
  loadNow: number | null;
  loadAfter: number | null;
}

/**
 * Adds `add` offices to a district: residents per office = population / (active + add); expected
 * cases per office per day = the district's cases / (active + add) / days. Null where the inputs
 * do not allow it (no population, no offices at all, a window without days).
 */
export function whatIf(
  row: Pick<AccessDistrict, 'population' | 'active_offices' | 'n_cases'>,
  days: number | null,
  add: number,
): WhatIf {
  const now = row.active_offices;
  const after = now + Math.max(0, Math.floor(add));
  const perOffice = (k: number, total: number | null) => (total === null || k <= 0 ? null : total / k);
  const pop = row.population !== null && row.population > 0 ? row.population : null;
  const perDay = days !== null && days > 0 ? row.n_cases / days : null;
  return {
    officesNow: now,
    officesAfter: after,
    residentsNow: perOffice(now, pop),
    residentsAfter: perOffice(after, pop),
    loadNow: perOffice(now, perDay),
    loadAfter: perOffice(after, perDay),
  };
}

/** The district with the most residents per office (ties: the lower number), or null without populations. */
export function mostResidentsPerOffice(rows: readonly AccessDistrict[] | undefined): AccessDistrict | null {
  let best: AccessDistrict | null = null;
  for (const r of rows ?? []) {
    if (r.residents_per_office === null) continue;
    if (best === null || (best.residents_per_office ?? 0) < r.residents_per_office) best = r;
  }
  return best;
}

/** Whole offices from a URL value: 0–100, anything else 1. */
export function parseAdd(s: string | undefined): number {
  const n = Number(s);
  return Number.isInteger(n) && n >= 0 && n <= 100 ? n : 1;
}
