/**
 * The import contract (DESIGN "Data contract") as data: which columns each file kind has and which are required.
 * `flat` is issue 5's one-sheet export: a cases file that also carries office and service columns.
 * `events` and `stages` (issue 11) are the optional event log: a case's steps and the names of the steps.
 */
export const KINDS = ['offices', 'services', 'cases', 'complaints', 'flat', 'events', 'stages'] as const;
export type Kind = (typeof KINDS)[number];

export interface KindColumns {
  columns: readonly string[];
  required: readonly string[];
  /** Each inner list needs at least one of its columns (flat: office id or name; service code or name). */
  requiredOneOf?: readonly (readonly string[])[];
}

export const CONTRACT: Record<Kind, KindColumns> = {
  offices: {
    columns: ['office_id', 'name', 'district', 'opened_on', 'status'],
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
    ],
    required: ['case_id', 'submitted_at', 'status', 'district'],
    requiredOneOf: [
      ['office_id', 'office_name'],
      ['service_code', 'service_name'],
    ],
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

/** File name prefixes that identify a kind without a mapping (English and Persian). */
export const NAME_PREFIXES: Record<Exclude<Kind, 'flat'>, readonly string[]> = {
  offices: ['offices', 'دفاتر'],
  services: ['services', 'خدمات'],
  cases: ['cases', 'پرونده'],
  complaints: ['complaints', 'شکایات'],
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
