/** Response shapes of the Shafaf API (notes/api-shapes.md). Durations in days; timestamps ISO UTC. */

export type Channel = 'in_person' | 'online';
export type CaseStatus = 'open' | 'completed' | 'rejected' | 'withdrawn';
export type Signal = 'slow' | 'suspiciously_fast' | 'complaints' | 'bribe_reports';
export type FunnelMetric = 'slow_share' | 'complaints' | 'bribe_reports';
export type ProcessingBy = 'district' | 'office' | 'service' | 'category' | 'month';
export type CalendarParam = 'gregorian' | 'jalali';

export interface ApiErrorBody {
  error: { code: string; parameter?: string; message: string };
}

export interface Health {
  status: 'ok';
  as_of: string | null;
  counts: { cases: number; complaints: number; offices: number; services: number };
}

export interface MetaDistrict {
  district: number;
  name_fa: string;
  name_en: string;
}
export interface MetaCategory {
  category: string;
  name_fa: string;
  name_en: string;
}
export interface MetaService {
  service_code: string;
  name: string;
  name_en: string;
  category: string;
  sla_days: number | null;
}
export interface MetaOffice {
  office_id: string;
  name: string;
  district: number;
}
export interface Meta {
  as_of: string | null;
  city: string;
  date_range: { from: string | null; to: string | null };
  districts: MetaDistrict[];
  categories: MetaCategory[];
  services: MetaService[];
  offices: MetaOffice[];
  channels: Channel[];
}

export interface ProcessingRow {
  key: string;
  label: string;
  n_cases: number;
  n_closed: number;
  n_open: number;
  median_days: number | null;
  p90_days: number | null;
  mean_days: number | null;
  km_median_days: number | null;
  breach_rate: number | null;
}
export interface Processing {
  by: ProcessingBy;
  rows: ProcessingRow[];
  total: ProcessingRow;
}

export interface VarianceDistrict {
  district: number;
  label: string;
  n: number;
  median_days: number | null;
  q1_days: number | null;
  q3_days: number | null;
  p10_days: number | null;
  p90_days: number | null;
  tested: boolean;
}
export interface Variance {
  service: string;
  min_n: number;
  districts: VarianceDistrict[];
  kruskal_wallis: { h: number; df: number; p_value: number; epsilon_squared: number } | null;
  ratio_max_min: number | null;
  cv_medians: number | null;
  slowest: { district: number; median_days: number } | null;
  fastest: { district: number; median_days: number } | null;
}

export interface FunnelRow {
  key: string;
  label: string;
  district: number | null;
  n: number;
  value: number | null;
  z: number | null;
  p: number | null;
  q: number | null;
  lo95: number | null;
  hi95: number | null;
  lo998: number | null;
  hi998: number | null;
  flag: 'above' | 'below' | null;
  tested: boolean;
}
export interface FunnelCurvePoint {
  n: number;
  lo95: number;
  hi95: number;
  lo998: number;
  hi998: number;
}
export interface Funnel {
  metric: FunnelMetric;
  by: 'office' | 'district';
  scope: string;
  target: number | null;
  phi: number | null;
  min_n: number;
  rows: FunnelRow[];
  curve: FunnelCurvePoint[];
}

interface FlagCommon {
  signal: Signal;
  scope: string;
  value: number;
  target: number;
  z: number;
  p: number;
  q: number;
  n: number;
  lo998: number;
  hi998: number;
  reason_fa: string;
  reason_en: string;
}
export interface OfficeFlag extends FlagCommon {
  office_id: string;
  office_name: string;
  district: number;
}
export interface DistrictFlag extends FlagCommon {
  district: number;
  label: string;
}
export interface Outliers {
  flags: OfficeFlag[];
  district_flags: DistrictFlag[];
}

export interface OfficeRow {
  office_id: string;
  name: string;
  district: number;
  n_cases: number;
  n_closed: number;
  median_days: number | null;
  km_median_days: number | null;
  breach_rate: number | null;
  slow_share: number | null;
  complaints: number;
  /** per 1,000 cases */
  complaint_rate: number | null;
  bribe_reports: number;
  /** per 1,000 cases */
  bribe_rate: number | null;
  /** 'signal:scope' */
  flags: string[];
}
export interface Offices {
  rows: OfficeRow[];
}

export interface ScoreMetrics {
  n_cases: number;
  n_closed: number;
  n_open: number;
  median_days: number | null;
  p90_days: number | null;
  km_median_days: number | null;
  breach_rate: number | null;
  slow_share: number | null;
  complaints: number;
  complaint_rate: number | null;
  bribe_rate: number | null;
}
export interface OfficeScorecard {
  office: {
    office_id: string;
    name: string;
    district: number;
    district_label: string;
    opened_on: string | null;
    status: string | null;
  };
  metrics: { office: ScoreMetrics; district: ScoreMetrics; city: ScoreMetrics };
  flags: OfficeFlag[];
  trend: {
    month: string;
    n_cases: number;
    median_days: number | null;
    complaints: number;
    complaint_rate: number | null;
  }[];
  service_mix: {
    service_code: string;
    name: string;
    name_en: string;
    category: string;
    n_cases: number;
    median_days: number | null;
    city_median_days: number | null;
  }[];
}

export interface TrendPoint {
  month: string;
  n: number;
  value: number | null;
  center: number | null;
  ucl: number | null;
  lcl: number | null;
}
export interface Trends {
  metric: 'complaints' | 'processing';
  by: 'city' | 'district' | 'office';
  calendar: CalendarParam;
  series: { key: string; label: string; points: TrendPoint[] }[];
}

export interface CaseRow {
  case_id: string;
  office_id: string;
  office_name: string;
  district: number;
  service_code: string;
  service_name: string;
  category: string;
  submitted_at: string;
  closed_at: string | null;
  status: CaseStatus;
  channel: Channel | null;
  duration_days: number | null;
  age_days: number | null;
  breached: boolean | null;
}
export interface Cases {
  page: number;
  page_size: number;
  total: number;
  rows: CaseRow[];
}

export interface ImportRow {
  import_id: number | string;
  started_at: string;
  finished_at: string | null;
  username: string | null;
  source: string | null;
  files: string | string[] | null;
  mode: string | null;
  status: string;
  message: string | null;
  rows_read: number | null;
  rows_inserted: number | null;
  rows_updated: number | null;
  rows_unchanged: number | null;
  rows_rejected: number | null;
  as_of: string | null;
}
export interface Imports {
  imports: ImportRow[];
}

export interface RejectRow {
  import_id: number | string;
  file: string;
  line: number | null;
  column_name: string | null;
  raw_value: string | null;
  reason: string;
  detail: string | null;
}
export interface Rejects {
  total: number;
  page?: number;
  page_size?: number;
  reasons: { reason: string; count: number }[];
  rows: RejectRow[];
}

/** The district GeoJSON (features carry district, name_fa, name_en). */
export interface DistrictGeoJson {
  type: 'FeatureCollection';
  attribution?: string;
  features: {
    type: 'Feature';
    properties: { district: number; name_fa?: string; name_en?: string; [k: string]: unknown };
    geometry: { type: string; coordinates: unknown };
  }[];
}

export type Role = 'commissioner' | 'manager' | 'inspector' | 'admin';

export interface AuthUser {
  username: string;
  role: Role;
  /** An inspector's districts; null for roles that see the whole city. */
  districts: number[] | null;
}

export interface SignedIn {
  user: AuthUser;
  csrf_token: string;
}

export interface AuditRow {
  id: number;
  at: string;
  username: string | null;
  action: 'login' | 'login_failed' | 'logout' | 'import' | 'export' | 'user_add' | 'user_remove';
  detail: Record<string, unknown> | null;
  ip: string | null;
}

export interface AuditPage {
  total: number;
  page: number;
  page_size: number;
  rows: AuditRow[];
}

export interface ImportReasonSummary {
  reason: string;
  label_en: string;
  label_fa: string;
  count: number;
}

export interface ImportFileReport {
  file: string;
  kind: string | null;
  format: string | null;
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  rejected: number;
  unknown_columns: string[];
  reasons: ImportReasonSummary[];
}

/** The importer's report, as `npm run import -- --json` prints it. */
export interface ImportReport {
  import_id: number | null;
  status: 'ok' | 'failed';
  dry_run: boolean;
  mode: 'contract' | 'flat';
  as_of: string | null;
  message: string | null;
  files: ImportFileReport[];
  totals: {
    rows_read: number;
    inserted: number;
    updated: number;
    unchanged: number;
    duplicates: number;
    rejected: number;
  };
}
