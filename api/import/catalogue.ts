/**
 * Issue 13: a flat export's offices, services and categories are matched to the catalogue already stored before
 * anything is derived, so that «صدور پروانه ساختمانی» in a case export is the stored BP-02 and not a second service.
 *
 * - Categories: an export's word matches a stored category, or a dashboard category by its code or its Persian or
 *   English label («پروانه ساختمانی» → building_permit); another word is a new category.
 * - Services: by the export's code when the catalogue has it; else by name (match key below). Several stored
 *   services of that name: the one of the row's category. A new code whose name matches a stored service of
 *   another category is a new service. Still several: the rows are rejected (`ambiguous_match`), never guessed.
 * - Offices: by code; else by name — with its own (unknown) code only an office of the same district is the same
 *   office; without a code, a stored office in another district is matched and then rejected as an
 *   office_conflict (merge.ts), as before.
 * - What is left is new and listed in the report (names, districts, categories): "check them".
 *
 * The match key: the contract's text rules (ی/ک folded, ZWJ read as ZWNJ), then case, spaces and ZWNJ,
 * tatweel, Arabic diacritics and hamza forms ignored: «گواهی پایان‌کار», «گواهی پایان کار» and «گواهي پايانكار»
 * are one name. The work is over distinct values (a few hundred), in JavaScript; the rows are rewritten in SQL.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Params } from '../db.ts';
import { toLatinDigits } from '../lib/digits.ts';
import { normalizeText } from '../lib/text.ts';
import { SERVICE_CATEGORIES } from '../lib/vocab.ts';
import { existingDistrictLabel, POS, rejectWhere } from './merge.ts';
import type { CatalogueReport } from './report.ts';

async function rows<T>(c: DuckDBConnection, sql: string, params?: Params): Promise<T[]> {
  return (await c.runAndReadAll(sql, params)).getRowObjectsJson() as T[];
}

const IGNORED = /[\s\u200C\u0640\u064B-\u065F\u0670]/g;

/** The key two names are the same name by (see the module comment). */
export function matchKey(name: string): string {
  return toLatinDigits(normalizeText(name))
    .toLowerCase()
    .replace(IGNORED, '')
    .replace(/[\u0623\u0625\u0671]/g, '\u0627')
    .replace(/\u0624/g, '\u0648')
    .replace(/[\u06C0\u0629]/g, '\u0647');
}

export function emptyCatalogue(): CatalogueReport {
  return {
    new_offices: [],
    new_services: [],
    new_categories: [],
    matched_offices: [],
    matched_services: [],
    categories: [],
    operators_set: [],
    operator_conflicts: [],
  };
}

/** A small table from JavaScript rows (all VARCHAR), through the appender. */
async function writeTable(
  c: DuckDBConnection,
  table: string,
  cols: string[],
  data: (string | null)[][],
): Promise<void> {
  await c.run(`CREATE OR REPLACE TEMP TABLE ${table} (${cols.map((x) => `${x} VARCHAR`).join(', ')})`);
  const app = await c.createAppender(table, 'main', 'temp');
  try {
    for (const row of data) {
      for (const v of row) {
        if (v === null) app.appendNull();
        else app.appendVarchar(v);
      }
      app.endRow();
    }
  } finally {
    app.closeSync();
  }
}

/** Rewrites r_flat through a SELECT (the REPLACE list), keeping its columns. */
async function rewriteFlat(c: DuckDBConnection, select: string): Promise<void> {
  await c.run(`CREATE OR REPLACE TEMP TABLE r_flat_next AS ${select}`);
  await c.run('DROP TABLE r_flat');
  await c.run('ALTER TABLE r_flat_next RENAME TO r_flat');
}

const same = (cols: string[], a: string, b: string) =>
  cols.map((x) => `${a}.${x} IS NOT DISTINCT FROM ${b}.${x}`).join(' AND ');

async function matchCategories(c: DuckDBConnection, out: CatalogueReport): Promise<void> {
  const stored = (
    await rows<{ category: string }>(
      c,
      'SELECT DISTINCT category FROM services WHERE category IS NOT NULL ORDER BY 1',
    )
  ).map((r) => r.category);
  const storedSet = new Set(stored);
  const canon = new Map<string, string>();
  for (const s of stored) if (!canon.has(matchKey(s))) canon.set(matchKey(s), s);
  for (const [code, label] of Object.entries(SERVICE_CATEGORIES)) {
    const keys = [code, label.fa, label.en].map(matchKey);
    // the dashboard's code when the catalogue holds it, else the stored word for the same category, else the code
    const target = storedSet.has(code) ? code : (stored.find((s) => keys.includes(matchKey(s))) ?? code);
    for (const k of keys) if (!canon.has(k)) canon.set(k, target);
  }
  const words = await rows<{ category: string }>(
    c,
    `SELECT category FROM r_flat WHERE category IS NOT NULL GROUP BY category ORDER BY min(${POS})`,
  );
  const map: string[][] = [];
  const fresh = new Set<string>();
  for (const { category: w } of words) {
    const k = matchKey(w);
    let to = canon.get(k);
    if (to === undefined) {
      to = w;
      canon.set(k, w);
    }
    if (!storedSet.has(to)) fresh.add(to);
    if (to !== w) out.categories.push({ value: w, category: to });
    map.push([w, to]);
  }
  out.new_categories = [...fresh];
  if (map.length === 0) return;
  await writeTable(c, 'f_cat', ['raw', 'category'], map);
  await rewriteFlat(
    c,
    `SELECT r.* REPLACE (coalesce(k.category, r.category) AS category) FROM r_flat r LEFT JOIN f_cat k ON k.raw = r.category`,
  );
}

interface Pick<T> {
  how: 'code' | 'name' | 'new' | 'ambiguous';
  hit?: T;
  candidates?: T[];
}

function pickByName<T extends { name: string }>(
  byKey: Map<string, T[]>,
  name: string | null,
  narrow: (list: T[]) => T[],
  ownCode: boolean,
  sameGroup: (t: T) => boolean,
): Pick<T> {
  let cands = name === null ? [] : (byKey.get(matchKey(name)) ?? []);
  // with its own (unknown) code, only a stored one of the same district/category is the same one
  if (ownCode) cands = cands.filter(sameGroup);
  else if (cands.length > 1) {
    // several of that name: the row's district/category decides, if it can (else: ambiguous)
    const narrowed = narrow(cands);
    if (narrowed.length > 0) cands = narrowed;
  }
  if (cands.length === 1) return { how: 'name', hit: cands[0] };
  if (cands.length > 1) return { how: 'ambiguous', candidates: cands };
  return { how: 'new' };
}

function groupByKey<T extends { name: string }>(list: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of list) {
    const k = matchKey(x.name);
    m.set(k, [...(m.get(k) ?? []), x]);
  }
  return m;
}

async function matchServices(c: DuckDBConnection, out: CatalogueReport): Promise<void> {
  const stored = await rows<{ code: string; name: string; category: string | null }>(
    c,
    'SELECT service_code AS code, name, category FROM services ORDER BY service_code',
  );
  const codes = new Set(stored.map((s) => s.code));
  const byKey = groupByKey(stored);
  const ids = await rows<{ given: string | null; name: string | null; category: string | null }>(
    c,
    `SELECT service_given AS given, service_name AS name, category FROM r_flat GROUP BY ALL ORDER BY min(${POS})`,
  );
  const fresh = new Map<string, string>();
  const map: (string | null)[][] = [];
  for (const id of ids) {
    // the stage fills a missing name with the code: only a name the export wrote is matched
    const name = id.name !== null && id.name !== id.given ? id.name : null;
    const key = [id.given, id.name, id.category];
    if (id.given !== null && codes.has(id.given)) {
      map.push([...key, id.given, 'code', null]);
      continue;
    }
    const p = pickByName(
      byKey,
      name,
      (l) => l.filter((s) => s.category === id.category),
      id.given !== null,
      (s) => id.category === null || s.category === null || s.category === id.category,
    );
    if (p.how === 'name' && p.hit) {
      map.push([...key, p.hit.code, 'name', null]);
      if (!out.matched_services.some((m) => m.service_code === p.hit?.code && m.export_name === name)) {
        out.matched_services.push({
          service_code: p.hit.code,
          name: p.hit.name,
          export_code: id.given,
          export_name: name,
        });
      }
    } else if (p.how === 'ambiguous') {
      const list = (p.candidates ?? []).map((s) => `${s.code} (${s.category ?? '-'})`).join(', ');
      map.push([...key, null, 'ambiguous', list]);
    } else {
      // new: one service per code, or per name (its spellings fold onto the first); «name / category» as its code
      const groupKey = id.given !== null ? `c:${id.given}` : `n:${matchKey(id.name ?? '')}`;
      let code = fresh.get(groupKey);
      if (code === undefined) {
        code = id.given ?? (id.category ? `${id.name} / ${id.category}` : (id.name ?? ''));
        fresh.set(groupKey, code);
      }
      map.push([...key, code, 'new', null]);
    }
  }
  await writeTable(
    c,
    'f_service_map',
    ['service_given', 'service_name', 'category', 'service_code', 'how', 'candidates'],
    map,
  );
  const join = same(['service_given', 'service_name', 'category'], 'm', 'r');
  await rejectWhere(
    c,
    'r_flat',
    `EXISTS (SELECT 1 FROM f_service_map m WHERE m.how = 'ambiguous' AND ${join})`,
    'service_name',
    'ambiguous_match',
    `'service «' || r.service_name || '» matches several services in the catalogue: ' || (SELECT m.candidates FROM f_service_map m WHERE ${join})`,
    { col2: 'service', raw2: `(SELECT m.candidates FROM f_service_map m WHERE ${join})` },
  );
  await rewriteFlat(
    c,
    `SELECT r.* REPLACE (coalesce(m.service_code, r.service_code) AS service_code)
     FROM r_flat r LEFT JOIN f_service_map m ON ${join}`,
  );
}

async function matchOffices(c: DuckDBConnection, tehran: boolean, out: CatalogueReport): Promise<void> {
  const stored = await rows<{ id: string; name: string; label: string }>(
    c,
    `SELECT office_id AS id, name, ${existingDistrictLabel(tehran, 'o')} AS label FROM offices o ORDER BY office_id`,
  );
  const ids = new Set(stored.map((o) => o.id));
  const byKey = groupByKey(stored);
  const list = await rows<{ code: string | null; name: string | null; label: string | null }>(
    c,
    `SELECT office_code AS code, office_name AS name, district_label AS label FROM r_flat GROUP BY ALL ORDER BY min(${POS})`,
  );
  const fresh = new Map<string, string>();
  const map: (string | null)[][] = [];
  for (const o of list) {
    const name = o.name !== null && o.name !== o.code ? o.name : null;
    const key = [o.code, o.name, o.label];
    if (o.code !== null && ids.has(o.code)) {
      map.push([...key, o.code, 'code', null]);
      continue;
    }
    const p = pickByName(
      byKey,
      name,
      (l) => l.filter((s) => s.label === o.label),
      o.code !== null,
      (s) => s.label === o.label,
    );
    if (p.how === 'name' && p.hit) {
      map.push([...key, p.hit.id, 'name', null]);
      if (!out.matched_offices.some((m) => m.office_id === p.hit?.id && m.export_name === name)) {
        out.matched_offices.push({
          office_id: p.hit.id,
          name: p.hit.name,
          export_id: o.code,
          export_name: name,
        });
      }
    } else if (p.how === 'ambiguous') {
      const l = (p.candidates ?? []).map((s) => `${s.id} (${s.label})`).join(', ');
      map.push([...key, null, 'ambiguous', l]);
    } else {
      const groupKey = o.code !== null ? `c:${o.code}` : `n:${matchKey(o.name ?? '')}`;
      let id = fresh.get(groupKey);
      if (id === undefined) {
        id = o.code ?? o.name ?? '';
        fresh.set(groupKey, id);
      }
      map.push([...key, id, 'new', null]);
    }
  }
  await writeTable(
    c,
    'f_office_map',
    ['office_code', 'office_name', 'district_label', 'office_id', 'how', 'candidates'],
    map,
  );
  const join = same(['office_code', 'office_name', 'district_label'], 'm', 'r');
  await rejectWhere(
    c,
    'r_flat',
    `EXISTS (SELECT 1 FROM f_office_map m WHERE m.how = 'ambiguous' AND ${join})`,
    'office_name',
    'ambiguous_match',
    `'office «' || r.office_name || '» matches several offices in the catalogue: ' || (SELECT m.candidates FROM f_office_map m WHERE ${join})`,
    { col2: 'office', raw2: `(SELECT m.candidates FROM f_office_map m WHERE ${join})` },
  );
  await rewriteFlat(
    c,
    `SELECT r.* REPLACE (coalesce(m.office_id, r.office_id) AS office_id)
     FROM r_flat r LEFT JOIN f_office_map m ON ${join}`,
  );
}

/** Matches r_flat's categories, services and offices to the stored catalogue (rewriting its ids in place). */
export async function matchCatalogue(
  c: DuckDBConnection,
  tehran: boolean,
  out: CatalogueReport,
): Promise<void> {
  await matchCategories(c, out);
  await matchServices(c, out);
  await matchOffices(c, tehran, out);
}

/** What a flat export would add, after its conflicts were rejected: listed in the report before it is inserted. */
export async function listNew(c: DuckDBConnection, out: CatalogueReport): Promise<void> {
  out.new_offices = await rows<CatalogueReport['new_offices'][number]>(
    c,
    `SELECT office_id, arg_min(office_name, ${POS}) AS name, any_value(district_label) AS district,
       CASE WHEN count(DISTINCT operator) = 1 THEN any_value(operator) END AS operator
     FROM r_flat WHERE office_id NOT IN (SELECT office_id FROM offices) GROUP BY office_id ORDER BY min(${POS})`,
  );
  out.new_services = await rows<CatalogueReport['new_services'][number]>(
    c,
    `SELECT service_code, arg_min(service_name, ${POS}) AS name, max(category) AS category
     FROM r_flat WHERE service_code NOT IN (SELECT service_code FROM services) GROUP BY service_code
     ORDER BY min(${POS})`,
  );
  // a category counts as new only if a row that uses it is still there
  const used = new Set(
    (
      await rows<{ category: string }>(c, 'SELECT DISTINCT category FROM r_flat WHERE category IS NOT NULL')
    ).map((r) => r.category),
  );
  out.new_categories = out.new_categories.filter((x) => used.has(x));
}

/**
 * The operator a flat export gives its offices: set on new offices at their insert (listNew), and on stored ones
 * where it differs (listed). One office with two operators in the export keeps what is stored, and is listed.
 */
export async function applyFlatOperators(c: DuckDBConnection, out: CatalogueReport): Promise<void> {
  const ops = await rows<{ office_id: string; ops: string[] }>(
    c,
    `SELECT office_id, list(DISTINCT operator ORDER BY operator) AS ops FROM r_flat
     WHERE operator IS NOT NULL GROUP BY office_id ORDER BY office_id`,
  );
  for (const o of ops)
    if (o.ops.length > 1) out.operator_conflicts.push({ office_id: o.office_id, values: o.ops });
  out.operators_set = await rows<CatalogueReport['operators_set'][number]>(
    c,
    `SELECT o.office_id, o.name, f.ops[1] AS operator, o.operator AS previous
     FROM offices o JOIN (SELECT office_id, list(DISTINCT operator) AS ops FROM r_flat
                          WHERE operator IS NOT NULL GROUP BY office_id) f USING (office_id)
     WHERE len(f.ops) = 1 AND o.operator IS DISTINCT FROM f.ops[1] ORDER BY o.office_id`,
  );
  for (const s of out.operators_set) {
    await c.run('UPDATE offices SET operator = $op WHERE office_id = $id', {
      op: s.operator,
      id: s.office_id,
    });
  }
}
