/**
 * The set-based half of the import, run inside the load's one transaction after staging: flat-export derivation
 * and conflicts, references, duplicate ids, and the merge by id (DELETE + INSERT of changed rows only), in the order
 * offices → services → flat → cases → complaints so that each step sees what the previous one loaded.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Params } from '../db.ts';
import { CONTRACT } from './contract.ts';

export type Action = 'insert' | 'update' | 'unchanged';

interface Target {
  table: 'offices' | 'services' | 'cases' | 'complaints' | 'districts' | 'stages';
  id: string;
  cols: readonly string[];
  /** Optional columns a file without them (or with an empty cell) must not null out: the stored value stays. */
  keep?: readonly string[];
}

// The stored columns are the contract's columns for each file kind (one list, in api/import/contract.ts).
const TARGETS: Record<Target['table'], Target> = {
  offices: { table: 'offices', id: 'office_id', cols: CONTRACT.offices.columns, keep: ['operator'] },
  services: { table: 'services', id: 'service_code', cols: CONTRACT.services.columns },
  cases: { table: 'cases', id: 'case_id', cols: CONTRACT.cases.columns },
  complaints: { table: 'complaints', id: 'complaint_id', cols: CONTRACT.complaints.columns },
  // the stored shape (districts.ts builds r_districts with the stored values kept where the file is silent)
  districts: {
    table: 'districts',
    id: 'district',
    cols: ['district', 'name_fa', 'name_en', 'population', 'area_km2', 'population_year', 'source'],
  },
  stages: { table: 'stages', id: 'stage', cols: CONTRACT.stages.columns },
};

/** Per file (by index): how many staged rows went which way. */
export type FileCounts = Map<number, Record<Action, number>>;

/** Sets file `file`'s count of rows that went `action` in `out`. */
export function setCount(out: FileCounts, file: number, action: Action, n: number): void {
  const counts = out.get(file) ?? { insert: 0, update: 0, unchanged: 0 };
  counts[action] = n;
  out.set(file, counts);
}

async function rows<T>(c: DuckDBConnection, sql: string, params?: Params): Promise<T[]> {
  return (await c.runAndReadAll(sql, params)).getRowObjectsJson() as T[];
}

// file position packed in one BIGINT so "first occurrence" is a plain min()
export const POS = 'file_idx::BIGINT * 4294967296 + line';
export const WHERE = `(SELECT name FROM s_files f WHERE f.file_idx = r.file_idx) || ':' || r.line`;

/** The id column of each ready table: shown beside a rejected row (its case number, …). */
const RECORD_OF: Record<string, string> = {
  r_offices: 'office_id',
  r_services: 'service_code',
  r_cases: 'case_id',
  r_complaints: 'complaint_id',
  r_flat: 'case_id',
  r_districts: 'district',
  r_events: 'case_id',
  r_stages: 'stage',
};

/** District id of a staged label: Tehran labels are the number itself; other cities' labels get ids on first use. */
export async function districtExpr(c: DuckDBConnection, tehran: boolean, source: string): Promise<string> {
  if (tehran) return 'CAST(district_label AS INTEGER)';
  await c.run(
    `INSERT INTO districts (district, name_fa, name_en)
     SELECT (SELECT coalesce(max(district), 0) FROM districts) + row_number() OVER (ORDER BY label), label, label
     FROM (SELECT DISTINCT district_label AS label FROM ${source}
           WHERE district_label IS NOT NULL AND district_label NOT IN (SELECT name_en FROM districts))`,
  );
  return '(SELECT d.district FROM districts d WHERE d.name_en = district_label)';
}

export function existingDistrictLabel(tehran: boolean, alias: string): string {
  return tehran
    ? `${alias}.district::VARCHAR`
    : `(SELECT d.name_en FROM districts d WHERE d.district = ${alias}.district)`;
}

/** Builds r_<kind> (ready rows with final types) from the staged rows. */
export async function prepareReady(c: DuckDBConnection, tehran: boolean): Promise<void> {
  const district = await districtExpr(c, tehran, 's_offices');
  await c.run(
    `CREATE OR REPLACE TEMP TABLE r_offices AS
     SELECT file_idx, line, office_id, name, ${district} AS district, CAST(opened_on AS DATE) AS opened_on, status,
       operator
     FROM s_offices`,
  );
  // already in final form: renamed, not copied (millions of rows)
  for (const kind of ['services', 'cases', 'complaints', 'flat', 'events', 'stages']) {
    await c.run(`DROP TABLE IF EXISTS r_${kind}`);
    await c.run(`ALTER TABLE s_${kind} RENAME TO r_${kind}`);
  }
}

/**
 * Rejects rows (all of them, into s_rejects) that match `where`, then drops them from the ready table. `col2`/`raw2`
 * carry what the report's sentences need (explain.ts): the kind of conflict and the other value(s).
 */
export async function rejectWhere(
  c: DuckDBConnection,
  table: string,
  where: string,
  column: string,
  reason: string,
  detail: string,
  extra: { col2?: string; raw2?: string } = {},
): Promise<void> {
  await c.run(
    `INSERT INTO s_rejects (file_idx, line, column_name, raw_value, reason, detail, record_id, col2, raw2)
     SELECT r.file_idx, r.line, '${column}', left(r.${column}::VARCHAR, 200), '${reason}', ${detail},
       left(r.${RECORD_OF[table]}::VARCHAR, 200), ${extra.col2 === undefined ? 'NULL' : `'${extra.col2}'`},
       ${extra.raw2 ?? 'NULL'}
     FROM ${table} r WHERE ${where}`,
  );
  await c.run(`DELETE FROM ${table} r WHERE ${where}`);
}

/**
 * Flat exports (issue 5): an office with two districts or a service with two categories/deadlines is a conflict —
 * all its rows are rejected with the values shown, never resolved by picking one. The same holds against what the
 * database already has (after catalogue.ts matched the export's names to it). `deriveFlat` then derives the new
 * offices and services (existing ones are kept as they are) and the rows become cases.
 */
export async function rejectFlatConflicts(c: DuckDBConnection, tehran: boolean): Promise<void> {
  await c.run(
    `CREATE OR REPLACE TEMP TABLE f_office_conf AS
     SELECT office_id, string_agg('«' || district_label || '» (' || n || ' rows, e.g. ' || ex || ')', ', ' ORDER BY n DESC) AS vals
     FROM (SELECT office_id, district_label, count(*) AS n, arg_min(${WHERE}, r.file_idx::BIGINT * 4294967296 + r.line) AS ex
           FROM r_flat r GROUP BY ALL)
     GROUP BY office_id HAVING count(*) > 1`,
  );
  await rejectWhere(
    c,
    'r_flat',
    'r.office_id IN (SELECT office_id FROM f_office_conf)',
    'district_label',
    'office_conflict',
    `'office «' || r.office_id || '» has more than one district: ' || (SELECT vals FROM f_office_conf f WHERE f.office_id = r.office_id)`,
    {
      col2: 'file',
      raw2: `r.office_id || ' | ' || (SELECT vals FROM f_office_conf f WHERE f.office_id = r.office_id)`,
    },
  );
  const stored = existingDistrictLabel(tehran, 'o');
  await rejectWhere(
    c,
    'r_flat',
    `EXISTS (SELECT 1 FROM offices o WHERE o.office_id = r.office_id AND ${stored} IS DISTINCT FROM r.district_label)`,
    'district_label',
    'office_conflict',
    `'office «' || r.office_id || '» is stored with district «' || (SELECT ${stored} FROM offices o WHERE o.office_id = r.office_id) || '»; this row says «' || r.district_label || '»'`,
    {
      col2: 'stored',
      raw2: `r.office_id || ' | ' || (SELECT ${stored} FROM offices o WHERE o.office_id = r.office_id)`,
    },
  );

  await c.run(
    `CREATE OR REPLACE TEMP TABLE f_service_conf AS
     SELECT service_code,
       'categories: ' || coalesce(string_agg(DISTINCT '«' || category || '»', ', '), '-') ||
       '; sla_days: ' || coalesce(string_agg(DISTINCT sla_days::VARCHAR, ', '), '-') AS vals
     FROM r_flat GROUP BY service_code
     HAVING count(DISTINCT category) > 1 OR count(DISTINCT sla_days) > 1`,
  );
  await rejectWhere(
    c,
    'r_flat',
    'r.service_code IN (SELECT service_code FROM f_service_conf)',
    'service_code',
    'service_conflict',
    `'service «' || r.service_code || '» has conflicting values: ' || (SELECT vals FROM f_service_conf f WHERE f.service_code = r.service_code)`,
    {
      col2: 'file',
      raw2: `r.service_code || ' | ' || (SELECT vals FROM f_service_conf f WHERE f.service_code = r.service_code)`,
    },
  );
  await rejectWhere(
    c,
    'r_flat',
    `EXISTS (SELECT 1 FROM services s WHERE s.service_code = r.service_code AND (
       (r.category IS NOT NULL AND s.category IS DISTINCT FROM r.category) OR
       (r.sla_days IS NOT NULL AND s.sla_days IS DISTINCT FROM r.sla_days)))`,
    'service_code',
    'service_conflict',
    `'service «' || r.service_code || '» is stored with category «' || coalesce((SELECT s.category FROM services s WHERE s.service_code = r.service_code), '-') || '» and sla_days ' || coalesce((SELECT s.sla_days::VARCHAR FROM services s WHERE s.service_code = r.service_code), '-') || '; this row says «' || coalesce(r.category, '-') || '» and ' || coalesce(r.sla_days::VARCHAR, '-')`,
    {
      col2: 'stored',
      raw2: `(SELECT r.service_code || ' | ' || coalesce(s.category, '-') || ' | ' || coalesce(s.sla_days::VARCHAR, '-') || ' | ' || coalesce(r.category, '-') || ' | ' || coalesce(r.sla_days::VARCHAR, '-') FROM services s WHERE s.service_code = r.service_code)`,
    },
  );
}

export async function deriveFlat(
  c: DuckDBConnection,
  tehran: boolean,
): Promise<{ offices: number; services: number }> {
  const district = await districtExpr(c, tehran, 'r_flat');
  const [counts] = await rows<{ offices: number; services: number }>(
    c,
    `SELECT
       (SELECT count(DISTINCT office_id) FROM r_flat WHERE office_id NOT IN (SELECT office_id FROM offices))::INTEGER AS offices,
       (SELECT count(DISTINCT service_code) FROM r_flat
        WHERE service_code NOT IN (SELECT service_code FROM services))::INTEGER AS services`,
  );
  await c.run(
    `INSERT INTO offices (office_id, name, district, operator)
     SELECT office_id, name, ${district}, operator FROM (
       SELECT office_id, arg_min(office_name, ${POS}) AS name, any_value(district_label) AS district_label,
         CASE WHEN count(DISTINCT operator) = 1 THEN any_value(operator) END AS operator
       FROM r_flat WHERE office_id NOT IN (SELECT office_id FROM offices) GROUP BY office_id)`,
  );
  await c.run(
    `INSERT INTO services (service_code, name, category, sla_days)
     SELECT service_code, arg_min(service_name, ${POS}), max(category), max(sla_days)
     FROM r_flat WHERE service_code NOT IN (SELECT service_code FROM services) GROUP BY service_code`,
  );
  await c.run(
    `INSERT INTO r_cases SELECT file_idx, line, case_id, office_id, service_code, submitted_at, closed_at, status, channel, due_at
     FROM r_flat`,
  );
  return counts;
}

const REFERENCES = {
  cases: [
    ['office_id', 'offices', 'unknown_office'],
    ['service_code', 'services', 'unknown_service'],
  ],
  complaints: [
    ['office_id', 'offices', 'unknown_office'],
    ['case_id', 'cases', 'unknown_case'],
  ],
  events: [['case_id', 'cases', 'unknown_case']],
} as const;

async function count(c: DuckDBConnection, sql: string): Promise<number> {
  const [r] = await rows<{ n: number }>(c, `SELECT (${sql})::INTEGER AS n`);
  return r.n;
}

/**
 * Rejects rows whose references are neither loaded by now nor stored before. Complaints are checked after cases are
 * merged, so a complaint may refer to a case of the same import. One anti-join pass finds them; the reject and
 * delete statements then touch only those rows.
 */
export async function checkReferences(c: DuckDBConnection, kind: keyof typeof REFERENCES): Promise<void> {
  const refs = REFERENCES[kind];
  const joins = refs
    .map(([col, target], i) => `LEFT JOIN ${target} t${i} ON t${i}.${col} = r.${col}`)
    .join(' ');
  const flags = refs
    .map(([col], i) => `(r.${col} IS NOT NULL AND t${i}.${col} IS NULL) AS miss${i}`)
    .join(', ');
  const any = refs.map((_, i) => `miss${i}`).join(' OR ');
  const rec = RECORD_OF[`r_${kind}`];
  await c.run(
    `CREATE OR REPLACE TEMP TABLE m_${kind} AS
     SELECT * FROM (SELECT r.file_idx, r.line, r.${rec} AS __rec, ${refs.map(([col]) => `r.${col}`).join(', ')}, ${flags}
                    FROM r_${kind} r ${joins}) WHERE ${any}`,
  );
  if ((await count(c, `SELECT count(*) FROM m_${kind}`)) > 0) {
    // a row can miss both office and service: record both, drop the row once
    for (const [i, [col, , reason]] of refs.entries()) {
      await c.run(
        `INSERT INTO s_rejects (file_idx, line, column_name, raw_value, reason, detail, record_id) SELECT file_idx, line, '${col}', ${col}, '${reason}',
           '${col} «' || ${col} || '» is not in this import or the database', left(__rec, 200)
         FROM m_${kind} WHERE miss${i}`,
      );
    }
    await c.run(
      `DELETE FROM r_${kind} r WHERE EXISTS (SELECT 1 FROM m_${kind} m WHERE m.file_idx = r.file_idx AND m.line = r.line)`,
    );
  }
  await c.run(`DROP TABLE m_${kind}`);
}

/**
 * Same id with different content → every row of that id is rejected (none is guessed right); exact duplicates fold
 * into their first occurrence. Only ids seen twice are examined row by row, so the usual all-unique load costs one
 * GROUP BY on the id. The survivors are compared with the stored rows by id: changed ones are deleted and inserted
 * again, unchanged ones are left alone.
 */
export async function mergeKind(c: DuckDBConnection, kind: Target['table']): Promise<FileCounts> {
  const { table, id, cols } = TARGETS[kind];
  const list = cols.join(', ');
  const ready = `r_${kind}`;
  await c.run(
    `CREATE OR REPLACE TEMP TABLE d_${kind} AS SELECT ${id} AS id FROM ${ready} GROUP BY ${id} HAVING count(*) > 1`,
  );
  if ((await count(c, `SELECT count(*) FROM d_${kind}`)) > 0) {
    await c.run(
      `CREATE OR REPLACE TEMP TABLE x_${kind} AS
       SELECT ${id} AS id FROM (SELECT DISTINCT ${list} FROM ${ready} WHERE ${id} IN (SELECT id FROM d_${kind}))
       GROUP BY ${id} HAVING count(*) > 1`,
    );
    await c.run(
      `INSERT INTO s_rejects (file_idx, line, column_name, raw_value, reason, detail, record_id, raw2)
       SELECT r.file_idx, r.line, '${id}', r.${id}, 'duplicate_conflict',
         '${id} «' || r.${id} || '» appears ' || l.n || ' times with different content (' || l.at || '); none is loaded',
         left(r.${id}::VARCHAR, 200), l.n || ' | ' || l.at
       FROM ${ready} r JOIN (
         SELECT ${id} AS id, count(*) AS n,
           array_to_string(list(${WHERE} ORDER BY r.file_idx, r.line)[1:5], ', ') AS at
         FROM ${ready} r WHERE ${id} IN (SELECT id FROM x_${kind}) GROUP BY ${id}) l ON l.id = r.${id}`,
    );
    await c.run(
      `DELETE FROM ${ready} WHERE ${id} IN (SELECT id FROM d_${kind}) AND (
         ${id} IN (SELECT id FROM x_${kind}) OR
         ${POS} NOT IN (SELECT min(${POS}) FROM ${ready} WHERE ${id} IN (SELECT id FROM d_${kind}) GROUP BY ${id}))`,
    );
    await c.run(`DROP TABLE x_${kind}`);
  }
  await c.run(`DROP TABLE d_${kind}`);

  const out: FileCounts = new Map();
  if ((await count(c, `SELECT count(*) FROM (SELECT 1 FROM ${table} LIMIT 1)`)) === 0) {
    // nothing stored yet (a first import): every survivor is an insert, with no copy of them to compare
    await c.run(`INSERT INTO ${table} (${list}) SELECT ${list} FROM ${ready}`);
    for (const r of await rows<{ file_idx: number; n: number }>(
      c,
      `SELECT file_idx, count(*)::INTEGER AS n FROM ${ready} GROUP BY ALL`,
    )) {
      setCount(out, r.file_idx, 'insert', r.n);
    }
    return out;
  }
  for (const col of TARGETS[kind].keep ?? []) {
    await c.run(
      `UPDATE ${ready} g SET ${col} = t.${col} FROM ${table} t WHERE t.${id} = g.${id} AND g.${col} IS NULL AND t.${col} IS NOT NULL`,
    );
  }
  const changed = cols
    .filter((col) => col !== id)
    .map((col) => `g.${col} IS DISTINCT FROM t.${col}`)
    .join(' OR ');
  await c.run(
    `CREATE OR REPLACE TEMP TABLE a_${kind} AS
     SELECT g.*, CASE WHEN t.${id} IS NULL THEN 'insert' WHEN ${changed} THEN 'update' ELSE 'unchanged' END AS action
     FROM ${ready} g LEFT JOIN ${table} t ON t.${id} = g.${id}`,
  );
  const [{ upd }] = await rows<{ upd: number }>(
    c,
    `SELECT count(*) FILTER (WHERE action = 'update')::INTEGER AS upd FROM a_${kind}`,
  );
  if (upd > 0)
    await c.run(`DELETE FROM ${table} WHERE ${id} IN (SELECT ${id} FROM a_${kind} WHERE action = 'update')`);
  await c.run(`INSERT INTO ${table} (${list}) SELECT ${list} FROM a_${kind} WHERE action <> 'unchanged'`);

  for (const r of await rows<{ file_idx: number; action: Action; n: number }>(
    c,
    `SELECT file_idx, action, count(*)::INTEGER AS n FROM a_${kind} GROUP BY ALL`,
  )) {
    setCount(out, r.file_idx, r.action, r.n);
  }
  await c.run(`DROP TABLE a_${kind}`);
  return out;
}

export async function dropWorkTables(c: DuckDBConnection): Promise<void> {
  for (const t of [
    'r_offices',
    'r_services',
    'r_cases',
    'r_complaints',
    'r_flat',
    'r_districts',
    'r_events',
    'r_stages',
    'f_office_conf',
    'f_service_conf',
    'f_cat',
    'f_office_map',
    'f_service_map',
  ]) {
    await c.run(`DROP TABLE IF EXISTS ${t}`);
  }
}
