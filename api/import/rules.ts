/**
 * Row rules as data: each file kind is a list of column rules (and a few row rules) that become one set-based SQL
 * pass over the file's raw text (`validationSql`). A new file kind or column is a new entry here, not a new code
 * path. The order of the list is the order in which a row's problems are recorded (as before, one pass of fixes
 * clears a row). Rules across rows (duplicates, references, flat conflicts) stay in merge.ts.
 *
 * Rule types: `id` (normalizeId, ≤ 200 characters), `text` (normalizeText, ≤ 1000), `time` (a timestamp),
 * `deadline` (a bare date means the end of that day), `day` (the Tehran calendar day of a timestamp), and
 * `lookup` (a closed vocabulary or small number: status words, channel, category, source, true/false, district,
 * sla_days). Lookups depend on the mapping, so JavaScript classifies each DISTINCT value once (a few dozen per
 * file) and the SQL joins the answers.
 */
import { toLatinDigits } from '../lib/digits.ts';
import { normalizeText } from '../lib/text.ts';
import {
  CASE_STATUSES,
  CHANNELS,
  COMPLAINT_CATEGORIES,
  COMPLAINT_SOURCES,
  EVENT_ACTORS,
  LIFECYCLES,
} from '../lib/vocab.ts';
import { type Kind, RECORD_ID } from './contract.ts';
import { type Mapping, wordKey, wordMap } from './mapping.ts';
import type { ReasonCode } from './reasons.ts';
import { applyLayers, dateFlagColumns, dateKeyTable, keyedDateLayers } from './sql-dates.ts';

export type LookupValue = string | number | boolean | null;

/** A lookup's answer for one raw value: the value, or the problem. */
export type Classified = { value: LookupValue } | { reason: ReasonCode; detail: string };

export interface RuleContext {
  tehran: boolean;
  order?: 'mdy' | 'dmy';
  zone: string;
  /** The mapping's null words as word keys, and the longest (+8): longer cells are never null words. */
  nulls: string[];
  nullMaxLength: number;
  classify: Record<LookupName, (raw: string) => Classified>;
}

type LookupName =
  | 'status'
  | 'channel'
  | 'category'
  | 'source'
  | 'bool'
  | 'count'
  | 'district'
  | 'population'
  | 'area'
  | 'year'
  | 'lifecycle'
  | 'actor';

export type ColumnRule =
  | {
      type: 'id' | 'text';
      col: string;
      required?: boolean;
      /** Few distinct values (references, names in a flat export): normalised once per distinct value. */
      distinct?: boolean;
    }
  | { type: 'time'; col: string; required?: boolean; as?: string }
  | { type: 'deadline' | 'day'; col: string; as?: string }
  | { type: 'lookup'; col: string; lookup: LookupName; required?: boolean; sqlType: string; as?: string }
  | { type: 'order'; start: string; end: string }
  | { type: 'status'; status: string; closed: string }
  | { type: 'one_of'; cols: [string, string]; column: string; detail: string };

/** What each kind stores (stage columns, in order) and the rules that make them. */
export interface KindRules {
  rules: ColumnRule[];
  /** Stage column → SQL over the rule outputs (`<col>__v`). */
  stage: [string, string, string][];
}

const v = (col: string) => `${col}__v`;
const ts = (col: string) => `make_timestamptz((${v(col)} * 1000)::BIGINT)`;

export const KIND_RULES: Record<Kind, KindRules> = {
  offices: {
    rules: [
      { type: 'id', col: 'office_id', required: true },
      { type: 'text', col: 'name', required: true },
      { type: 'lookup', col: 'district', lookup: 'district', required: true, sqlType: 'VARCHAR' },
      { type: 'day', col: 'opened_on' },
      { type: 'text', col: 'status' },
      { type: 'text', col: 'operator', distinct: true },
    ],
    stage: [
      ['office_id', 'VARCHAR', v('office_id')],
      ['name', 'VARCHAR', v('name')],
      ['district_label', 'VARCHAR', v('district')],
      ['opened_on', 'DATE', v('opened_on')],
      ['status', 'VARCHAR', v('status')],
      ['operator', 'VARCHAR', v('operator')],
    ],
  },
  services: {
    rules: [
      { type: 'id', col: 'service_code', required: true },
      { type: 'text', col: 'name', required: true },
      { type: 'text', col: 'name_en' },
      { type: 'text', col: 'category' },
      { type: 'lookup', col: 'sla_days', lookup: 'count', sqlType: 'INTEGER' },
    ],
    stage: [
      ['service_code', 'VARCHAR', v('service_code')],
      ['name', 'VARCHAR', v('name')],
      ['name_en', 'VARCHAR', v('name_en')],
      ['category', 'VARCHAR', v('category')],
      ['sla_days', 'INTEGER', v('sla_days')],
    ],
  },
  cases: {
    rules: [
      { type: 'id', col: 'case_id', required: true },
      { type: 'id', col: 'office_id', required: true, distinct: true },
      { type: 'id', col: 'service_code', required: true, distinct: true },
      { type: 'time', col: 'submitted_at', required: true },
      { type: 'time', col: 'closed_at' },
      { type: 'lookup', col: 'status', lookup: 'status', required: true, sqlType: 'VARCHAR' },
      { type: 'lookup', col: 'channel', lookup: 'channel', sqlType: 'VARCHAR' },
      { type: 'deadline', col: 'due_at' },
      { type: 'order', start: 'submitted_at', end: 'closed_at' },
      { type: 'status', status: 'status', closed: 'closed_at' },
    ],
    stage: [
      ['case_id', 'VARCHAR', v('case_id')],
      ['office_id', 'VARCHAR', v('office_id')],
      ['service_code', 'VARCHAR', v('service_code')],
      ['submitted_at', 'TIMESTAMPTZ', ts('submitted_at')],
      ['closed_at', 'TIMESTAMPTZ', ts('closed_at')],
      ['status', 'VARCHAR', v('status')],
      ['channel', 'VARCHAR', v('channel')],
      ['due_at', 'TIMESTAMPTZ', ts('due_at')],
    ],
  },
  complaints: {
    rules: [
      { type: 'time', col: 'received_at', required: true },
      { type: 'id', col: 'complaint_id', required: true },
      { type: 'id', col: 'office_id', required: true, distinct: true },
      { type: 'id', col: 'case_id' },
      { type: 'lookup', col: 'category', lookup: 'category', required: true, sqlType: 'VARCHAR' },
      { type: 'lookup', col: 'source', lookup: 'source', sqlType: 'VARCHAR' },
      { type: 'lookup', col: 'substantiated', lookup: 'bool', sqlType: 'BOOLEAN' },
      { type: 'time', col: 'resolved_at' },
      { type: 'order', start: 'received_at', end: 'resolved_at' },
    ],
    stage: [
      ['complaint_id', 'VARCHAR', v('complaint_id')],
      ['office_id', 'VARCHAR', v('office_id')],
      ['case_id', 'VARCHAR', v('case_id')],
      ['received_at', 'TIMESTAMPTZ', ts('received_at')],
      ['category', 'VARCHAR', v('category')],
      ['source', 'VARCHAR', v('source')],
      ['resolved_at', 'TIMESTAMPTZ', ts('resolved_at')],
      ['substantiated', 'BOOLEAN', v('substantiated')],
    ],
  },
  flat: {
    rules: [
      { type: 'id', col: 'case_id', required: true },
      { type: 'id', col: 'office_id', distinct: true },
      { type: 'text', col: 'office_name', distinct: true },
      {
        type: 'one_of',
        cols: ['office_id', 'office_name'],
        column: 'office_id',
        detail: 'office id and office name are both empty',
      },
      { type: 'lookup', col: 'district', lookup: 'district', required: true, sqlType: 'VARCHAR' },
      { type: 'id', col: 'service_code', distinct: true },
      { type: 'text', col: 'service_name', distinct: true },
      { type: 'text', col: 'category', distinct: true },
      {
        type: 'one_of',
        cols: ['service_code', 'service_name'],
        column: 'service_code',
        detail: 'service code and service name are both empty',
      },
      { type: 'lookup', col: 'sla_days', lookup: 'count', sqlType: 'INTEGER' },
      { type: 'time', col: 'submitted_at', required: true },
      { type: 'time', col: 'closed_at' },
      { type: 'lookup', col: 'status', lookup: 'status', required: true, sqlType: 'VARCHAR' },
      { type: 'lookup', col: 'channel', lookup: 'channel', sqlType: 'VARCHAR' },
      { type: 'deadline', col: 'due_at' },
      { type: 'order', start: 'submitted_at', end: 'closed_at' },
      { type: 'status', status: 'status', closed: 'closed_at' },
      { type: 'text', col: 'operator', distinct: true },
    ],
    // the derived identity: office id or else its name; service code or else name + category (catalogue.ts then
    // matches both to the stored catalogue); office_code/service_given keep what the export itself said
    stage: [
      ['case_id', 'VARCHAR', v('case_id')],
      ['office_id', 'VARCHAR', `coalesce(${v('office_id')}, ${v('office_name')})`],
      ['office_name', 'VARCHAR', `coalesce(${v('office_name')}, ${v('office_id')})`],
      ['district_label', 'VARCHAR', v('district')],
      [
        'service_code',
        'VARCHAR',
        `coalesce(${v('service_code')}, CASE WHEN ${v('service_name')} IS NOT NULL AND ${v('category')} IS NOT NULL
           THEN ${v('service_name')} || ' / ' || ${v('category')} ELSE ${v('service_name')} END)`,
      ],
      ['service_name', 'VARCHAR', `coalesce(${v('service_name')}, ${v('service_code')})`],
      ['category', 'VARCHAR', v('category')],
      ['sla_days', 'INTEGER', v('sla_days')],
      ['submitted_at', 'TIMESTAMPTZ', ts('submitted_at')],
      ['closed_at', 'TIMESTAMPTZ', ts('closed_at')],
      ['status', 'VARCHAR', v('status')],
      ['channel', 'VARCHAR', v('channel')],
      ['due_at', 'TIMESTAMPTZ', ts('due_at')],
      ['operator', 'VARCHAR', v('operator')],
      ['office_code', 'VARCHAR', v('office_id')],
      ['service_given', 'VARCHAR', v('service_code')],
    ],
  },
  districts: {
    rules: [
      { type: 'lookup', col: 'district', lookup: 'district', required: true, sqlType: 'VARCHAR' },
      { type: 'text', col: 'name' },
      { type: 'lookup', col: 'population', lookup: 'population', sqlType: 'VARCHAR' },
      { type: 'lookup', col: 'area_km2', lookup: 'area', sqlType: 'VARCHAR' },
      { type: 'lookup', col: 'population_year', lookup: 'year', sqlType: 'VARCHAR' },
      { type: 'text', col: 'source' },
    ],
    stage: [
      ['district_label', 'VARCHAR', v('district')],
      ['name', 'VARCHAR', v('name')],
      ['population', 'BIGINT', v('population')],
      ['area_km2', 'DOUBLE', v('area_km2')],
      ['population_year', 'INTEGER', v('population_year')],
      ['source', 'VARCHAR', v('source')],
    ],
  },
  // issue 11: a case's steps. `pos` is the row's place in its file (the line; an XES event's number), the
  // tie-break of events at the same instant; a lifecycle the mapping marks `ignore` is counted, then dropped (merge)
  events: {
    rules: [
      { type: 'id', col: 'case_id', required: true },
      { type: 'id', col: 'stage', required: true, distinct: true },
      { type: 'time', col: 'at', required: true },
      { type: 'lookup', col: 'lifecycle', lookup: 'lifecycle', sqlType: 'VARCHAR' },
      { type: 'lookup', col: 'actor', lookup: 'actor', sqlType: 'VARCHAR' },
      { type: 'id', col: 'resource', distinct: true },
      { type: 'text', col: 'stage_name', distinct: true },
    ],
    stage: [
      ['case_id', 'VARCHAR', v('case_id')],
      ['stage', 'VARCHAR', v('stage')],
      ['at', 'TIMESTAMPTZ', ts('at')],
      ['lifecycle', 'VARCHAR', `coalesce(${v('lifecycle')}, 'complete')`],
      ['actor', 'VARCHAR', v('actor')],
      ['resource', 'VARCHAR', v('resource')],
      ['stage_name', 'VARCHAR', v('stage_name')],
      ['pos', 'BIGINT', 'pos'],
    ],
  },
  stages: {
    rules: [
      { type: 'id', col: 'stage', required: true },
      { type: 'text', col: 'name', required: true },
      { type: 'text', col: 'name_en' },
      { type: 'lookup', col: 'actor', lookup: 'actor', sqlType: 'VARCHAR' },
    ],
    stage: [
      ['stage', 'VARCHAR', v('stage')],
      ['name', 'VARCHAR', v('name')],
      ['name_en', 'VARCHAR', v('name_en')],
      ['actor', 'VARCHAR', v('actor')],
    ],
  },
};

export const STAGE_COLUMNS: Record<Kind, readonly (readonly [string, string])[]> = Object.fromEntries(
  Object.entries(KIND_RULES).map(([k, r]) => [k, r.stage.map(([n, t]) => [n, t] as const)]),
) as unknown as Record<Kind, readonly (readonly [string, string])[]>;

// ---- lookups: the mapping's logic, per distinct value ----

const TRUE_WORDS = new Set(['true', 't', '1', 'yes', 'y', 'بله', 'درست', 'صحیح']);
const FALSE_WORDS = new Set(['false', 'f', '0', 'no', 'n', 'خیر', 'نادرست']);
const DISTRICT_WORD = /^(?:منطقه|ناحیه|district|region)\s*(\d{1,3})$/i;
const INTEGER = /^\d+(?:\.0+)?$/;

function wordClassifier(
  _col: string,
  map: Map<string, string>,
  reason: ReasonCode,
  /** The mapping key that maps this column's words, named in the detail (status: always). */
  mapKey?: string,
): (raw: string) => Classified {
  return (r) => {
    const value = map.get(r) ?? map.get(wordKey(r));
    if (value) return { value };
    const allowed = [...new Set(map.values())].join(', ');
    const hint = reason === 'unknown_status' ? 'status_values' : mapKey;
    return {
      reason,
      detail: `"${r}" is not one of ${allowed}${hint ? ` (map it in ${hint})` : ''}`,
    };
  };
}

// ---- the districts file's numbers (issue 14) ----

/** Digits Latin, the Persian decimal separator «٫» a point, spaces (also thin and no-break) gone. */
function numberText(raw: string): string {
  return toLatinDigits(raw)
    .replace(/\u066B/g, '.')
    .replace(/[\s\u00A0\u202F\u2009]/g, '');
}

/** Thousands separators («٬» or a comma) only in groups of three: "8,693,706" yes, "12,5" no. */
const GROUPED = /^\d{1,3}(?:[,\u066C]\d{3})+(?:\.\d+)?$/;
const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;

function parseNumber(raw: string): number | null {
  const t = numberText(raw);
  if (PLAIN_NUMBER.test(t)) return Number(t);
  if (GROUPED.test(t)) return Number(t.replace(/[,\u066C]/g, ''));
  return null;
}

const MAX_POPULATION = 100_000_000;

function classifyPopulation(raw: string): Classified {
  const n = parseNumber(raw);
  if (n !== null && Number.isInteger(n) && n >= 1 && n <= MAX_POPULATION) return { value: String(n) };
  return {
    reason: 'bad_value',
    detail: `population "${raw}" is not a whole number of residents between 1 and ${MAX_POPULATION.toLocaleString('en-US')}`,
  };
}

function classifyArea(raw: string): Classified {
  const n = parseNumber(raw);
  if (n !== null && n > 0 && n <= 100_000) return { value: String(n) };
  return {
    reason: 'bad_value',
    detail: `area_km2 "${raw}" is not an area in square kilometres above 0 (a point or «٫» for decimals)`,
  };
}

/** A Gregorian year (1900–2100) or a Solar Hijri one (1300–1479, stored as the Gregorian year it starts in). */
function classifyYear(raw: string): Classified {
  const n = parseNumber(raw);
  if (n !== null && Number.isInteger(n)) {
    if (n >= 1900 && n <= 2100) return { value: String(n) };
    if (n >= 1300 && n <= 1479) return { value: String(n + 621) };
  }
  return {
    reason: 'bad_value',
    detail: `population_year "${raw}" is not a year (1900–2100, or 1300–1479 in the Solar Hijri calendar)`,
  };
}

export function ruleContext(mapping: Mapping, tehran: boolean): RuleContext {
  const nulls = (mapping.null_values ?? []).map(wordKey);
  return {
    tehran,
    order: mapping.date_order,
    zone: mapping.timezone ?? 'Asia/Tehran',
    nulls,
    nullMaxLength: Math.max(0, ...(mapping.null_values ?? []).map((x) => x.length + 8)),
    classify: {
      status: wordClassifier('status', wordMap(CASE_STATUSES, mapping.status_values), 'unknown_status'),
      channel: wordClassifier('channel', wordMap(CHANNELS, mapping.channel_values), 'bad_value'),
      category: wordClassifier(
        'category',
        wordMap(COMPLAINT_CATEGORIES, mapping.category_values),
        'bad_value',
      ),
      source: wordClassifier('source', wordMap(COMPLAINT_SOURCES, mapping.source_values), 'bad_value'),
      lifecycle: wordClassifier(
        'lifecycle',
        wordMap(LIFECYCLES, mapping.lifecycle_values),
        'bad_value',
        'lifecycle_values',
      ),
      actor: wordClassifier(
        'actor',
        wordMap(EVENT_ACTORS, mapping.actor_values),
        'bad_value',
        'actor_values',
      ),
      bool: (r) => {
        const k = wordKey(toLatinDigits(r));
        if (TRUE_WORDS.has(k)) return { value: true };
        if (FALSE_WORDS.has(k)) return { value: false };
        return { reason: 'bad_value', detail: 'substantiated must be true or false' };
      },
      count: (r) => {
        const t = toLatinDigits(r).trim();
        if (INTEGER.test(t) && Number(t) <= 100_000) return { value: Math.round(Number(t)) };
        return { reason: 'bad_value', detail: 'sla_days must be a whole number of days ≥ 0' };
      },
      population: classifyPopulation,
      area: classifyArea,
      year: classifyYear,
      // Tehran: a number 1–22 written as 7, «منطقه ۷» or "District 7" → "7". Elsewhere: the text is the label.
      district: (r) => {
        const t = normalizeText(r);
        if (!tehran) return { value: t };
        const latin = toLatinDigits(t);
        const m = INTEGER.test(latin) ? latin : DISTRICT_WORD.exec(latin)?.[1];
        const n = m === undefined ? Number.NaN : Math.round(Number(m));
        if (Number.isInteger(n) && n >= 1 && n <= 22) return { value: String(n) };
        return {
          reason: 'bad_value',
          detail: `district "${r}" is not a Tehran district (1–22, «منطقه ۷» or District 7)`,
        };
      },
    },
  };
}

// ---- SQL ----

const sq = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A rule's problem, as SQL over the layers: reason code, detail, the raw value shown, the column named. */
interface IssueSql {
  seq: number;
  column: string;
  why: string;
  detail: string;
  raw: string;
  /** For the report's sentences (explain.ts): the other column a problem involves and its raw value … */
  col2?: string;
  raw2?: string;
  /** … and the instants involved (epoch ms): this column's and the other column's. */
  ms1?: string;
  ms2?: string;
}

/** The s_rejects columns an issue fills beyond the basic ones, and their SQL type. */
const EXTRAS = [
  ['raw2', '__y', 'VARCHAR'],
  ['ms1', '__m1_', 'DOUBLE'],
  ['ms2', '__m2_', 'DOUBLE'],
] as const;

export interface ValidationSql {
  /** CREATE TABLE … AS: every row's file_idx, line and stage columns (the stage table's shape), then ok. */
  create: (table: string) => string;
  /**
   * The statements that write the rows of that table that are not ok into s_rejects (file_idx, line, seq,
   * column_name, raw_value, reason, detail, …): every rule's reason and words, worked out again for those rows
   * only, into `<table>_bad`. Run while the cells and the lookup and key tables still exist. `lines`: those rows'
   * lines, when known and few (a constant list the cells' scan filters on: ten million cells are not read).
   */
  rejects: (table: string, lines?: readonly number[]) => string[];
  /** The lookup columns: cell SQL over `cells` to classify, per lookup column. */
  lookups: { col: string; lookup: LookupName; sqlType: string; cell: string }[];
  /** The table of the file's cells as the rules read them (`dateKeys[0]`): line, pos, `<col>__r`, date flags. */
  cells: string;
  /**
   * The statements to run first, in order, and the tables they make: the cells, then the tables of distinct
   * values (dates, low-cardinality ids and names) read from them.
   */
  dateKeys: { table: string; sql: string }[];
}

/**
 * The validation SQL of one file: `raw` holds the file's cells as text (c0, c1, …) with `line`; `columns` maps a
 * contract column to the indexes of the file's columns that make it (joined with " / " when several).
 */
export function validationSql(
  kind: Kind,
  columns: Map<string, number[]>,
  raw: string,
  fileIdx: number,
  ctx: RuleContext,
  lookupTable: (col: string) => string,
  keyTable: (col: string) => string,
  /** The raw table's expression for a row's place in its file (`pos`): its line unless the reader says otherwise. */
  pos = 'line',
): ValidationSql {
  const { rules, stage } = KIND_RULES[kind];
  const nullCheck = ctx.nulls.length > 0;
  // each cell trimmed once (t<i>)
  const used = [...new Set([...columns.values()].flat())].sort((a, b) => a - b);
  const trimmed = `(SELECT line, ${pos} AS pos, ${used.map((i) => `sh_cell(c${i}) AS t${i}`).join(', ') || 'NULL AS t_none'}
    FROM ${raw} WHERE NOT malformed)`;
  // stored once, read by every later statement: each contract column's cell (<col>__r) and a date's shape flags
  const cells = keyTable('_cells');
  const cellOf = (i: number) => {
    const c = `t${i}`;
    if (!nullCheck) return c;
    return `CASE WHEN ${c} IS NOT NULL AND sh_js_len(${c}) <= ${ctx.nullMaxLength}
      AND list_contains(${`[${ctx.nulls.map(sq).join(', ')}]::VARCHAR[]`}, sh_word_key(${c})) THEN NULL ELSE ${c} END`;
  };
  const cell = (col: string) => {
    const idx = columns.get(col);
    if (!idx) return 'NULL::VARCHAR';
    if (idx.length === 1) return cellOf(idx[0]);
    return `nullif(concat_ws(' / ', ${idx.map(cellOf).join(', ')}), '')`;
  };
  const r = (col: string) => `${col}__r`;
  const rawCols = new Set<string>();
  const layers: string[][][] = [];
  const issues: IssueSql[] = [];
  const lookups: ValidationSql['lookups'] = [];
  const dateKeys: ValidationSql['dateKeys'] = [];
  const joins: string[] = [];
  const dateCols: string[] = [];
  let seq = 0;

  for (const rule of rules) {
    seq++;
    if (rule.type === 'id' || rule.type === 'text') {
      const { col } = rule;
      rawCols.add(col);
      const max = rule.type === 'id' ? 200 : 1000;
      const norm = rule.type === 'id' ? 'sh_norm_id' : 'sh_norm_text';
      const n = `${col}__n`;
      const long = `${col}__long`;
      let first = [`CASE WHEN ${r(col)} IS NULL THEN NULL ELSE ${norm}(${r(col)}) END AS ${n}`];
      if (rule.distinct) {
        const table = keyTable(col);
        dateKeys.push({
          table,
          sql: `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT k, ${norm}(k) AS n
                FROM (SELECT DISTINCT ${r(col)} AS k FROM ${cells}) WHERE k IS NOT NULL`,
        });
        first = [
          `LEFT JOIN (SELECT k AS ${col}__nk, n AS ${col}__nn FROM ${table}) AS ${col}__nt ON ${col}__nk = ${r(col)}`,
          `${col}__nn AS ${n}`,
        ];
      }
      layers.push([
        first,
        // only a long value pays for counting UTF-16 units (CASE evaluates lazily; AND does not)
        [`CASE WHEN length(${n}) * 2 > ${max} THEN sh_js_len(${n}) > ${max} ELSE false END AS ${long}`],
        [`CASE WHEN ${long} THEN NULL ELSE nullif(${n}, '') END AS ${v(col)}`],
      ]);
      issues.push({
        seq,
        column: col,
        why: `CASE WHEN ${long} THEN 'bad_value' ${rule.required ? `WHEN ${n} IS NULL OR ${n} = '' THEN 'missing_required'` : ''} END`,
        detail: `CASE WHEN ${long} THEN '${col} is ' || format('{:,}', sh_js_len(${n})) || ' characters long; at most ${max}'
          ELSE '${col} is empty' END`,
        raw: `CASE WHEN ${long} THEN ${r(col)} END`,
      });
    } else if (rule.type === 'time' || rule.type === 'deadline' || rule.type === 'day') {
      const { col } = rule;
      rawCols.add(col);
      dateCols.push(col);
      dateKeys.push({
        table: keyTable(col),
        sql: dateKeyTable(keyTable(col), col, cells, { order: ctx.order }),
      });
      const dl = keyedDateLayers(col, keyTable(col));
      let value: string;
      if (rule.type === 'time') value = `${col}__ms`;
      else if (rule.type === 'deadline') {
        // a bare date is due by the end of that day; other zones: 24 h later (an hour off on a DST-change day)
        value =
          ctx.zone === 'Asia/Tehran'
            ? `CASE WHEN ${col}__ms IS NULL OR ${col}__ht THEN ${col}__ms
                ELSE ${col}__eod END`
            : `CASE WHEN ${col}__ms IS NULL OR ${col}__ht THEN ${col}__ms ELSE ${col}__ms + 86400000 - 1 END`;
      } else {
        // the Tehran calendar day of the instant
        value = `CASE WHEN ${col}__ms IS NULL THEN NULL
          WHEN ${col}__loc IS NOT NULL AND ${sq(ctx.zone)} = 'Asia/Tehran' THEN (DATE '1970-01-01' + floor(${col}__loc / 86400000)::INTEGER)
          ELSE (make_timestamptz(${col}__ms * 1000) AT TIME ZONE 'Asia/Tehran')::DATE END`;
      }
      layers.push([...dl, [`${value} AS ${v(col)}`]]);
      const required = rule.type === 'time' && rule.required;
      issues.push({
        seq,
        column: col,
        why: `CASE ${required ? `WHEN ${r(col)} IS NULL THEN 'missing_required'` : ''} WHEN ${col}__e IS NOT NULL THEN 'bad_date' END`,
        detail: `CASE WHEN ${r(col)} IS NULL THEN '${col} is empty' ELSE ${col}__e END`,
        raw: r(col),
      });
    } else if (rule.type === 'lookup') {
      const { col } = rule;
      rawCols.add(col);
      const lk = `lk_${col}`;
      lookups.push({ col, lookup: rule.lookup, sqlType: rule.sqlType, cell: r(col) });
      joins.push(`LEFT JOIN ${lookupTable(col)} ${lk} ON ${lk}.raw = b.${r(col)}`);
      layers.push([[`${lk}_value AS ${v(col)}`]]);
      issues.push({
        seq,
        column: col,
        why: `CASE ${rule.required ? `WHEN ${r(col)} IS NULL THEN 'missing_required'` : ''} WHEN ${r(col)} IS NOT NULL THEN ${lk}_reason END`,
        detail: `CASE WHEN ${r(col)} IS NULL THEN '${col} is empty' ELSE ${lk}_detail END`,
        raw: r(col),
      });
    } else if (rule.type === 'order') {
      const { start, end } = rule;
      const [s, e] = [`${start}__ms`, `${end}__ms`];
      issues.push({
        seq,
        column: end,
        why: `CASE WHEN ${s} IS NOT NULL AND ${e} IS NOT NULL AND ${e} < ${s} THEN 'closed_before_submitted' END`,
        detail: `'${end} ' || ${r(end)} || ' (' || sh_iso(${e}) || ') is before ${start} ' || ${r(start)} || ' (' || sh_iso(${s}) || ')'`,
        raw: r(end),
        col2: start,
        raw2: r(start),
        ms1: e,
        ms2: s,
      });
    } else if (rule.type === 'status') {
      const st = v(rule.status);
      const closedMs = `${rule.closed}__ms`;
      const closedRaw = r(rule.closed);
      issues.push({
        seq,
        column: rule.closed,
        why: `CASE WHEN ${st} = 'open' AND ${closedMs} IS NOT NULL THEN 'status_closed_mismatch'
          WHEN ${st} IN ('completed', 'rejected') AND ${closedRaw} IS NULL THEN 'status_closed_mismatch' END`,
        detail: `CASE WHEN ${st} = 'open' THEN 'status is open but ${rule.closed} is ' || ${closedRaw}
          ELSE 'status is ' || ${st} || ' but ${rule.closed} is empty' END`,
        raw: `CASE WHEN ${st} = 'open' THEN ${closedRaw} END`,
        col2: rule.status,
        raw2: r(rule.status),
        ms1: closedMs,
      });
    } else if (rule.type === 'one_of') {
      const [a, b] = rule.cols;
      issues.push({
        seq,
        column: rule.column,
        why: `CASE WHEN ${v(a)} IS NULL AND ${v(b)} IS NULL THEN 'missing_required' END`,
        detail: sq(rule.detail),
        raw: 'NULL::VARCHAR',
      });
    }
  }

  const lookupCols = lookups.map(({ col }) => {
    const lk = `lk_${col}`;
    return `${lk}.value AS ${lk}_value, ${lk}.reason AS ${lk}_reason, ${lk}.detail AS ${lk}_detail`;
  });
  const cellCols = `SELECT line, pos, ${[...rawCols].map((col) => `${cell(col)} AS ${r(col)}`).join(', ')} FROM ${trimmed}`;
  dateKeys.unshift({
    table: cells,
    sql: `CREATE OR REPLACE TEMP TABLE ${cells} AS
      ${dateCols.length > 0 ? `SELECT *, ${dateCols.flatMap(dateFlagColumns).join(', ')} FROM (${cellCols})` : cellCols}`,
  });
  const base = (where: string) =>
    `SELECT b.*${lookupCols.length > 0 ? `, ${lookupCols.join(', ')}` : ''} FROM ${cells} b ${joins.join(' ')} ${where}`;
  const layered = (where: string) => applyLayers(base(where), layers);
  const ok = issues.map((_, i) => `__why${i} IS NULL`).join(' AND ');
  const issueCols = issues.map((is, i) => `${is.why} AS __why${i}`);
  const idCol = RECORD_ID[kind];
  const rid =
    idCol && rawCols.has(idCol) ? `CAST(coalesce(${v(idCol)}, ${r(idCol)}) AS VARCHAR)` : 'NULL::VARCHAR';
  const extraOf = (is: IssueSql, i: number) =>
    EXTRAS.filter(([k]) => is[k] !== undefined).map(
      ([k, p, t]) => `CASE WHEN __why${i} IS NOT NULL THEN CAST(${is[k]} AS ${t}) END AS ${p}${i}`,
    );
  const extraSel = (is: IssueSql, i: number) =>
    EXTRAS.map(([k, p, t]) => (is[k] === undefined ? `NULL::${t}` : `${p}${i}`)).join(', ');
  const checked = (where: string) =>
    `SELECT *, ${stage.map(([name, type, expr]) => `CAST(${expr} AS ${type}) AS ${name}__stage`).join(', ')},
       ${issueCols.join(', ')}, ${rid} AS __rid
     FROM (${layered(where)})`;
  // every row: its stage values, in the stage table's shape (stage.ts: file_idx, line, the values), and whether it
  // is ok (the words of a reject are not stored for ten million rows)
  const create = (table: string) =>
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     SELECT ${fileIdx}::INTEGER AS file_idx, line::INTEGER AS line,
       ${stage.map(([name]) => `${name}__stage AS "${name}"`).join(', ')}, ${ok} AS ok
     FROM (${checked('')})`;
  const rejects = (table: string, lines?: readonly number[]) => [
    `CREATE OR REPLACE TEMP TABLE ${table}_bad AS
     SELECT line, ${issues
       .map((is, i) =>
         [
           `__why${i}`,
           `CASE WHEN __why${i} IS NOT NULL THEN ${is.detail} END AS __d${i}, CASE WHEN __why${i} IS NOT NULL THEN ${is.raw} END AS __x${i}`,
           ...extraOf(is, i),
         ].join(', '),
       )
       .join(', ')}, __rid
     FROM (${checked(
       lines === undefined
         ? `WHERE b.line IN (SELECT line FROM ${table} WHERE NOT ok)`
         : `WHERE b.line IN (${lines.map((l) => Math.trunc(l)).join(', ')})`,
     )})
     WHERE NOT (${ok})`,
    `INSERT INTO s_rejects (file_idx, line, seq, column_name, raw_value, reason, detail, record_id, col2, raw2, ms1, ms2)
     ${issues
       .map(
         (is, i) =>
           `SELECT ${fileIdx}, line, ${is.seq}, '${is.column}', sh_js_left(__x${i}, 200), __why${i},
              CASE WHEN sh_js_len(__d${i}) <= 500 THEN __d${i} ELSE sh_js_left(__d${i}, 500) || '…' END,
              sh_js_left(__rid, 200), ${is.col2 === undefined ? 'NULL' : sq(is.col2)}, ${extraSel(is, i)}
            FROM ${table}_bad WHERE __why${i} IS NOT NULL`,
       )
       .join(' UNION ALL ')}`,
    `DROP TABLE ${table}_bad`,
  ];
  return { create, rejects, lookups, dateKeys, cells };
}
