/**
 * The import contract (DESIGN "Data contract") as data: which columns each file kind has and which are required.
 * `flat` is issue 5's one-sheet export: a cases file that also carries office and service columns.
 * `districts` (issue 14) is optional: population, area and where the figures come from, per district.
 * `events` and `stages` (issue 11) are the optional event log: a case's steps and the names of the steps.
 */
export const KINDS = [
  'offices',
  'services',
  'cases',
  'complaints',
  'flat',
  'districts',
  'events',
  'stages',
] as const;
export type Kind = (typeof KINDS)[number];

export interface KindColumns {
  columns: readonly string[];
  required: readonly string[];
  /** Each inner list needs at least one of its columns (flat: office id or name; service code or name). */
  requiredOneOf?: readonly (readonly string[])[];
}

export const CONTRACT: Record<Kind, KindColumns> = {
  offices: {
    // operator: the licensee who runs the office (issue 14); optional, never nulled by a file without it
    columns: ['office_id', 'name', 'district', 'opened_on', 'status', 'operator'],
    required: ['office_id', 'name', 'district'],
  },
  services: {
    columns: ['service_code', 'name', 'name_en', 'category', 'sla_days'],
    required: ['service_code', 'name'],
  },
  cases: {
    columns: [
      'case_id',
      'office_id',
      'service_code',
      'submitted_at',
      'closed_at',
      'status',
      'channel',
      'due_at',
    ],
    required: ['case_id', 'office_id', 'service_code', 'submitted_at', 'status'],
  },
  complaints: {
    columns: [
      'complaint_id',
      'office_id',
      'case_id',
      'received_at',
      'category',
      'source',
      'resolved_at',
      'substantiated',
    ],
    required: ['complaint_id', 'office_id', 'received_at', 'category'],
  },
  flat: {
    columns: [
      'case_id',
      'submitted_at',
      'closed_at',
      'status',
      'channel',
      'due_at',
      'office_id',
      'office_name',
      'district',
      'service_code',
      'service_name',
      'category',
      'sla_days',
      'operator',
    ],
    required: ['case_id', 'submitted_at', 'status', 'district'],
    requiredOneOf: [
      ['office_id', 'office_name'],
      ['service_code', 'service_name'],
    ],
  },
  districts: {
    columns: ['district', 'name', 'population', 'area_km2', 'population_year', 'source'],
    required: ['district'],
  },
  events: {
    columns: ['case_id', 'stage', 'at', 'lifecycle', 'actor', 'resource', 'stage_name'],
    required: ['case_id', 'stage', 'at'],
  },
  stages: {
    columns: ['stage', 'name', 'name_en', 'actor'],
    required: ['stage', 'name'],
  },
};

/** The column that names a row of each kind (shown beside each rejected row: the case number, …). */
export const RECORD_ID: Partial<Record<Kind, string>> = {
  offices: 'office_id',
  services: 'service_code',
  cases: 'case_id',
  complaints: 'complaint_id',
  flat: 'case_id',
  districts: 'district',
  // an event's case number: the row's own id is case + stage + time + lifecycle
  events: 'case_id',
  stages: 'stage',
};

/** File name prefixes that identify a kind without a mapping (English and Persian). */
export const NAME_PREFIXES: Record<Exclude<Kind, 'flat'>, readonly string[]> = {
  offices: ['offices', 'دفاتر'],
  services: ['services', 'خدمات'],
  cases: ['cases', 'پرونده'],
  complaints: ['complaints', 'شکایات'],
  districts: ['districts', 'مناطق'],
  events: ['events', 'رویداد'],
  stages: ['stages', 'مراحل', 'مرحله'],
};

export const DATA_EXTENSIONS = ['.csv', '.parquet', '.xlsx'] as const;

/** An IEEE XES event log (issue 11): an export on its own, its traces a cases part and its events an events part. */
export const XES_EXTENSIONS = ['.xes', '.xes.gz'] as const;

export const isXesPath = (path: string): boolean => {
  const lower = path.toLowerCase();
  return XES_EXTENSIONS.some((e) => lower.endsWith(e));
};
