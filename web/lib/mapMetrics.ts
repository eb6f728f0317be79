/** The metrics the district map can be coloured by, and how each is read and shown. */
import type { FunnelRow, ProcessingRow } from '../api/types.ts';
import { formatDays, formatNumber, formatPercent, type Lang } from './format.ts';

/** The map metrics read straight off a processing row (checked against the API's row type). */
const PROCESSING_METRICS = [
  'median_days',
  'p90_days',
  'km_median_days',
  'breach_rate',
  'n_cases',
] as const satisfies readonly (keyof ProcessingRow)[];

export const MAP_METRICS = [...PROCESSING_METRICS, 'complaint_rate', 'slow_share'] as const;
export type MapMetric = (typeof MAP_METRICS)[number];

export const isMapMetric = (s: string | undefined): s is MapMetric =>
  s != null && (MAP_METRICS as readonly string[]).includes(s);

/** Which API call feeds the metric: processing rows, or a district funnel. */
export function mapMetricSource(m: MapMetric): 'processing' | 'complaints' | 'slow_share' {
  if (m === 'complaint_rate') return 'complaints';
  if (m === 'slow_share') return 'slow_share';
  return 'processing';
}

/** District → value; complaint rates become per 1,000 cases. */
export function districtValues(
  m: MapMetric,
  processing: readonly ProcessingRow[] | undefined,
  funnel: readonly FunnelRow[] | undefined,
): Map<number, number | null> {
  const out = new Map<number, number | null>();
  if (mapMetricSource(m) === 'processing') {
    for (const r of processing ?? []) {
      const v = r[m as (typeof PROCESSING_METRICS)[number]];
      out.set(Number(r.key), typeof v === 'number' ? v : null);
    }
  } else {
    const k = m === 'complaint_rate' ? 1000 : 1;
    for (const r of funnel ?? []) out.set(Number(r.key), r.value == null ? null : r.value * k);
  }
  return out;
}

export function formatMapValue(m: MapMetric, v: number | null, lang: Lang): string {
  switch (m) {
    case 'breach_rate':
    case 'slow_share':
      return formatPercent(v, lang, 0);
    case 'n_cases':
      return formatNumber(v, lang);
    case 'complaint_rate':
      return formatNumber(v, lang, 1);
    default:
      return formatDays(v, lang);
  }
}
