/**
 * The common filters every endpoint takes (DESIGN "Metric definitions": date window, district,
 * service, category, office, channel): one zod schema for shape and length, then `resolveFilters`
 * for meaning (dates that exist, ids that exist). SQL fragments bind every value; nothing from the
 * request is ever spliced into SQL text.
 */
import { z } from '@hono/zod-openapi';
import type { Db, Params } from './db.ts';
import { badParameter, notFound, quoteValue } from './errors.ts';
import { endOfTehranDayMs, parseTimestamp } from './lib/dates.ts';
import { toLatinDigits } from './lib/digits.ts';
import { CHANNELS } from './lib/vocab.ts';
import { FormatParam, query, text } from './params.ts';

export const filterShape = {
  from: text(
    'Start of the window (cases by submitted_at, complaints by received_at): ISO 2024-01-31 or Jalali 1402/11/11, Persian digits allowed',
  )
    .optional()
    .openapi({ example: '1402/01/01' }),
  to: text('End of the window, inclusive: a date without a time covers that whole Tehran-local day')
    .optional()
    .openapi({ example: '1402/12/29' }),
  district: text('District number (1–22 for Tehran)').optional(),
  service: text('Service code').optional(),
  category: text('Service category').optional(),
  office: text('Office id').optional(),
  channel: z.enum(CHANNELS).optional().openapi({ description: 'in_person or online' }),
};

/** The query of an endpoint that takes the common filters and nothing else. */
export const FilterQuery = query(filterShape);
export type FilterInput = z.infer<typeof FilterQuery>;

/** The query of a table endpoint that takes the common filters and nothing else: it also answers as xlsx. */
export const TableFilterQuery = query({ ...filterShape, format: FormatParam });

export interface Filters {
  /** Inclusive lower bound, epoch seconds. */
  fromS?: number;
  /** Exclusive upper bound, epoch seconds. */
  toS?: number;
  district?: number;
  service?: string;
  category?: string;
  office?: string;
  channel?: string;
  /**
   * The districts the user may see (an inspector's), or null/undefined for the whole city. Unlike the
   * other filters it is never dropped for a row filter: only `cityWide` removes it, for the
   * city-wide references an inspector compares against.
   */
  scope?: number[] | null;
}

export type FilterKey = keyof Filters;

function parseDateParam(name: 'from' | 'to', raw: string): { ms: number; hasTime: boolean } {
  const r = parseTimestamp(raw);
  if (!r.ok) {
    const why = r.reason === 'invalid_date' ? 'is not a date that exists' : 'is not a date';
    throw badParameter(
      name,
      `${name}: ${quoteValue(raw)} ${why} (${r.message}); use 2024-01-31 or 1402/11/11`,
    );
  }
  return r;
}

/**
 * Validates meaning (dates, existing ids); throws a 400 naming the parameter. With a `scope` (an
 * inspector's districts) a district or office outside it is a 404 that reads exactly like one that
 * does not exist, so the answer reveals nothing about the rest of the city.
 */
export async function resolveFilters(
  db: Db,
  q: FilterInput,
  scope: number[] | null = null,
): Promise<Filters> {
  const f: Filters = scope ? { scope } : {};
  if (q.from) f.fromS = parseDateParam('from', q.from).ms / 1000;
  if (q.to) {
    const t = parseDateParam('to', q.to);
    // A bare date is inclusive of the whole Tehran-local day: the window ends at the next local midnight.
    f.toS = (t.hasTime ? t.ms + 1 : endOfTehranDayMs(t.ms) + 1) / 1000;
  }
  if (f.fromS !== undefined && f.toS !== undefined && f.toS <= f.fromS) {
    throw badParameter('to', 'to: the end of the window is before its start (from)');
  }
  if (q.district !== undefined) {
    const d = toLatinDigits(q.district.trim());
    if (!/^\d{1,4}$/.test(d))
      throw badParameter('district', `district: ${quoteValue(q.district)} is not a district number`);
    f.district = Number(d);
  }
  if (q.service !== undefined) f.service = q.service.trim();
  if (q.category !== undefined) f.category = q.category.trim();
  if (q.office !== undefined) f.office = q.office.trim();
  if (q.channel !== undefined) f.channel = q.channel;
  if (scope) await checkInScope(db, f, scope);
  await checkExists(db, f);
  return f;
}

async function checkInScope(db: Db, f: Filters, scope: number[]): Promise<void> {
  if (f.district !== undefined && !scope.includes(f.district))
    throw notFound(`district: ${quoteValue(String(f.district))} is not a district you can see`);
  if (f.office !== undefined) {
    const row = await db.one<{ district: number }>(
      'SELECT district::INTEGER AS district FROM offices WHERE office_id = $office',
      { office: f.office },
    );
    if (!row || !scope.includes(Number(row.district)))
      throw notFound(`office: ${quoteValue(f.office)} is not an office you can see`);
  }
}

/** True when the user's scope lets them see `district`. */
export function inScope(f: Filters, district: number): boolean {
  return !f.scope || f.scope.includes(district);
}

/**
 * The filters for a city-wide reference (the city median per service, the funnel population, the
 * scorecard's city column): the same window and service filters, no location filter and no scope.
 */
export function cityWide(f: Filters): Filters {
  return without(f, 'district', 'office', 'scope');
}

/** `col IN ($p_scope_0, …)`, each district a bound parameter; an empty scope matches nothing. */
function scopeCondition(col: string, scope: number[], bind: (k: string, v: number) => string): string {
  if (scope.length === 0) return 'FALSE';
  return `${col} IN (${scope.map((d, i) => bind(`scope_${i}`, d)).join(', ')})`;
}

async function checkExists(db: Db, f: Filters): Promise<void> {
  const checks: [FilterKey, string, string][] = [];
  if (f.district !== undefined)
    checks.push([
      'district',
      '(SELECT count(*) FROM (SELECT district FROM districts UNION SELECT district FROM offices) WHERE district = $district)::INTEGER',
      'district',
    ]);
  if (f.service !== undefined)
    checks.push([
      'service',
      '(SELECT count(*) FROM services WHERE service_code = $service)::INTEGER',
      'service',
    ]);
  if (f.category !== undefined)
    checks.push([
      'category',
      '(SELECT count(*) FROM services WHERE category = $category)::INTEGER',
      'category',
    ]);
  if (f.office !== undefined)
    checks.push(['office', '(SELECT count(*) FROM offices WHERE office_id = $office)::INTEGER', 'office']);
  if (checks.length === 0) return;
  const params: Params = {};
  for (const [k] of checks) params[k] = f[k] as string | number;
  const row = await db.one<Record<string, number>>(
    `SELECT ${checks.map(([k, sql]) => `${sql} AS ${k}`).join(', ')}`,
    params,
  );
  for (const [k] of checks) {
    if (!row || Number(row[k]) === 0) {
      throw badParameter(k, `${k}: ${quoteValue(String(f[k]))} is not a known ${k}`);
    }
  }
}

export function without(f: Filters, ...keys: FilterKey[]): Filters {
  const out = { ...f };
  for (const k of keys) delete out[k];
  return out;
}

/** A SQL fragment and the values its parameters are bound to. */
export interface Sql {
  sql: string;
  params: Params;
}

/**
 * The `facts` CTE (`facts_<prefix>` for a second filter set in one statement): the filtered rows of
 * `case_facts`, the per-case values materialised once per dataset (metrics/facts.ts).
 */
export function factsCte(f: Filters, prefix = 'f'): Sql {
  const w = caseConditions(f, prefix);
  return {
    sql: `${prefix === 'f' ? 'facts' : `facts_${prefix}`} AS (SELECT * FROM case_facts c WHERE ${w.sql})`,
    params: w.params,
  };
}

/**
 * The `steps` CTE: the filtered rows of `step_facts`, one per step of the event log (DESIGN 11,
 * metrics/stage-facts.ts), which carries its case's filter columns.
 */
export function stepsCte(f: Filters, prefix = 's'): Sql {
  const w = caseConditions(f, prefix);
  return { sql: `steps_${prefix} AS (SELECT * FROM ${STEP_ROWS} c WHERE ${w.sql})`, params: w.params };
}

/** The columns of a case group (table `stage_groups`) that the step tables carry as its key `gk`. */
const GROUP_COLUMNS = 'g.office_id, g.service_code, g.category, g.channel';

/** `step_facts` with its case's filter columns (office, service, category, channel from its group). */
export const STEP_ROWS = `(SELECT s.*, ${GROUP_COLUMNS} FROM step_facts s JOIN stage_groups g ON g.gk = s.gk)`;

/** `case_step_facts` with its filter columns. */
export const CASE_STEP_ROWS = `(SELECT s.*, ${GROUP_COLUMNS} FROM case_step_facts s JOIN stage_groups g ON g.gk = s.gk)`;

/** The `cases_<prefix>` CTE: the filtered rows of `case_step_facts` (cases with at least one event). */
export function stepCasesCte(f: Filters, prefix = 'sc'): Sql {
  const w = caseConditions(f, prefix);
  return { sql: `cases_${prefix} AS (SELECT * FROM ${CASE_STEP_ROWS} c WHERE ${w.sql})`, params: w.params };
}

/**
 * The `cube` CTE: the filtered rows of `stage_cube` (first and second visits per service, district,
 * office, channel and stage: metrics/stage-facts.ts), or null when a date window is set: the cube has
 * no dates, so a window must read `step_facts`.
 */
export function stageCubeCte(f: Filters): Sql | null {
  if (f.fromS !== undefined || f.toS !== undefined) return null;
  const w = caseConditions(f, 'cube');
  return { sql: `cube AS (SELECT * FROM stage_cube c WHERE ${w.sql})`, params: w.params };
}

/** The `kfacts` CTE: the filtered rows of `complaint_facts`. */
export function complaintFactsCte(f: Filters, prefix = 'k'): Sql {
  const w = complaintConditions(f, prefix);
  return { sql: `kfacts AS (SELECT * FROM complaint_facts k WHERE ${w.sql})`, params: w.params };
}

/**
 * WHERE conditions over `case_facts` (alias `c`), which carries each case's district and category.
 * Parameter names carry `prefix` so two filter sets can live in one statement.
 */
function caseConditions(f: Filters, prefix = 'f'): { sql: string; params: Params } {
  const conds: string[] = [];
  const params: Params = {};
  const bind = (k: string, v: string | number) => {
    params[`${prefix}_${k}`] = v;
    return `$${prefix}_${k}`;
  };
  if (f.fromS !== undefined) conds.push(`c.sub_s >= ${bind('from', f.fromS)}`);
  if (f.toS !== undefined) conds.push(`c.sub_s < ${bind('to', f.toS)}`);
  if (f.district !== undefined) conds.push(`c.district = ${bind('district', f.district)}`);
  if (f.service !== undefined) conds.push(`c.service_code = ${bind('service', f.service)}`);
  if (f.category !== undefined) conds.push(`c.category = ${bind('category', f.category)}`);
  if (f.office !== undefined) conds.push(`c.office_id = ${bind('office', f.office)}`);
  if (f.channel !== undefined) conds.push(`c.channel = ${bind('channel', f.channel)}`);
  if (f.scope) conds.push(scopeCondition('c.district', f.scope, bind));
  return { sql: conds.length ? conds.join(' AND ') : 'TRUE', params };
}

/**
 * WHERE conditions over `complaint_facts` (alias `k`). Complaints are windowed by received_at.
 * Service, category and channel filters reach a complaint only through its case: a complaint with
 * no case_id cannot be attributed to a service, so it is left out while such a filter is active.
 */
function complaintConditions(f: Filters, prefix = 'k'): { sql: string; params: Params } {
  const conds: string[] = [];
  const params: Params = {};
  const bind = (k: string, v: string | number) => {
    params[`${prefix}_${k}`] = v;
    return `$${prefix}_${k}`;
  };
  if (f.fromS !== undefined) conds.push(`k.rec_s >= ${bind('from', f.fromS)}`);
  if (f.toS !== undefined) conds.push(`k.rec_s < ${bind('to', f.toS)}`);
  if (f.district !== undefined) conds.push(`k.district = ${bind('district', f.district)}`);
  if (f.office !== undefined) conds.push(`k.office_id = ${bind('office', f.office)}`);
  if (f.service !== undefined) conds.push(`k.case_service = ${bind('service', f.service)}`);
  if (f.category !== undefined) conds.push(`k.case_category = ${bind('category', f.category)}`);
  if (f.channel !== undefined) conds.push(`k.case_channel = ${bind('channel', f.channel)}`);
  if (f.scope) conds.push(scopeCondition('k.district', f.scope, bind));
  return { sql: conds.length ? conds.join(' AND ') : 'TRUE', params };
}
