/**
 * The event log's half of the merge (issue 11), run inside the load's one transaction after the cases are merged:
 *
 * 1. events whose lifecycle the mapping marks `ignore` are counted per file and dropped (not errors);
 * 2. `unknown_case`: the case is neither in the database nor loaded by this import (merge.ts `checkReferences`);
 *    `event_before_submitted`: the event is earlier than its case's submitted_at;
 * 3. an event is identified by (case, stage, at, lifecycle): exact repeats fold into the first, the same identity
 *    with different actor, resource or stage_name is a `duplicate_conflict` and none of its rows is loaded;
 * 4. `seq` = the file's place among this import's event files × 2³² + the row's place in its file (its line; an
 *    XES event's number): the export's order, the tie-break of events at the same instant;
 * 5. every case with at least one event row that loaded gets its stored event list replaced by those rows: events
 *    with the same identity and content are left alone (unchanged), changed ones rewritten (updated), new ones
 *    inserted, and stored events of those cases that the export no longer has are removed. Cases without a loaded
 *    event row keep their stored events.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type Action, checkReferences, type FileCounts, POS, setCount, WHERE } from './merge.ts';

export interface EventMerge {
  counts: FileCounts;
  /** Per file: events the mapping's lifecycle_values said to ignore. */
  ignored: Map<number, number>;
  /** Stored events of the replaced cases that the export no longer has. */
  removed: number;
  /** Cases whose event list this import set. */
  cases: number;
}

const ID = ['case_id', 'stage', '"at"', 'lifecycle'];
const CONTENT = ['actor', 'resource', 'stage_name', 'seq'];
const same = (a: string, b: string, cols = ID) => cols.map((c) => `${a}.${c} = ${b}.${c}`).join(' AND ');

async function rows<T>(c: DuckDBConnection, sql: string): Promise<T[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJson() as T[];
}

async function count(c: DuckDBConnection, sql: string): Promise<number> {
  const [r] = await rows<{ n: number }>(c, `SELECT (${sql})::INTEGER AS n`);
  return r.n;
}

/** `ordinals`: file index → the file's place among the import's event files (0, 1, …). */
export async function mergeEvents(c: DuckDBConnection, ordinals: Map<number, number>): Promise<EventMerge> {
  const ignored = new Map<number, number>();
  for (const r of await rows<{ file_idx: number; n: number }>(
    c,
    `SELECT file_idx, count(*)::INTEGER AS n FROM r_events WHERE lifecycle = 'ignore' GROUP BY file_idx`,
  )) {
    ignored.set(r.file_idx, r.n);
  }
  if (ignored.size > 0) await c.run(`DELETE FROM r_events WHERE lifecycle = 'ignore'`);
  // no events to merge (an import of cases alone): every step below would only join nothing to the cases
  if ((await count(c, 'SELECT count(*) FROM r_events')) === 0) {
    return { counts: new Map(), ignored, removed: 0, cases: 0 };
  }

  await checkReferences(c, 'events');
  const early = `FROM r_events r JOIN cases k ON k.case_id = r.case_id WHERE r."at" < k.submitted_at`;
  if ((await count(c, `SELECT count(*) ${early}`)) > 0) {
    // record_id … ms2 for the report's sentence (explain.ts): the case number and both instants
    await c.run(
      `INSERT INTO s_rejects (file_idx, line, column_name, raw_value, reason, detail, record_id, col2, raw2, ms1, ms2)
       SELECT r.file_idx, r.line, 'at', sh_iso(epoch_ms(r."at")), 'event_before_submitted',
         'at ' || sh_iso(epoch_ms(r."at")) || ' (stage «' || r.stage || '») is before case «' || r.case_id ||
         '»''s submitted_at ' || sh_iso(epoch_ms(k.submitted_at)),
         left(r.case_id, 200), 'submitted_at', sh_iso(epoch_ms(k.submitted_at)), epoch_ms(r."at")::DOUBLE,
         epoch_ms(k.submitted_at)::DOUBLE
       ${early}`,
    );
    await c.run(
      `DELETE FROM r_events r USING cases k WHERE k.case_id = r.case_id AND r."at" < k.submitted_at`,
    );
  }

  // the same identity twice: folded when identical, every row rejected when the content differs
  await c.run(
    `CREATE OR REPLACE TEMP TABLE d_events AS SELECT ${ID.join(', ')} FROM r_events GROUP BY ALL HAVING count(*) > 1`,
  );
  if ((await count(c, 'SELECT count(*) FROM d_events')) > 0) {
    await c.run(
      `CREATE OR REPLACE TEMP TABLE x_events AS
       SELECT ${ID.join(', ')} FROM (
         SELECT DISTINCT ${ID.join(', ')}, actor, resource, stage_name FROM r_events r
         WHERE EXISTS (SELECT 1 FROM d_events d WHERE ${same('d', 'r')}))
       GROUP BY ALL HAVING count(*) > 1`,
    );
    await c.run(
      `INSERT INTO s_rejects (file_idx, line, column_name, raw_value, reason, detail, record_id, col2, raw2, ms2)
       SELECT r.file_idx, r.line, 'stage', r.stage, 'duplicate_conflict',
         'event (case «' || r.case_id || '», stage «' || r.stage || '», at ' || sh_iso(epoch_ms(r."at")) || ', ' ||
         r.lifecycle || ') appears ' || l.n || ' times with different actor, resource or stage_name (' || l.places ||
         '); none is loaded',
         left(r.case_id, 200), 'at', sh_iso(epoch_ms(r."at")), epoch_ms(r."at")::DOUBLE
       FROM r_events r JOIN (
         SELECT ${ID.join(', ')}, count(*) AS n, array_to_string(list(${WHERE} ORDER BY r.file_idx, r.line)[1:5], ', ') AS places
         FROM r_events r WHERE EXISTS (SELECT 1 FROM x_events x WHERE ${same('x', 'r')}) GROUP BY ALL) l
       ON ${same('l', 'r')}`,
    );
    await c.run(
      `DELETE FROM r_events r WHERE EXISTS (SELECT 1 FROM x_events x WHERE ${same('x', 'r')})
         OR (EXISTS (SELECT 1 FROM d_events d WHERE ${same('d', 'r')})
             AND ${POS} NOT IN (SELECT min(${POS}) FROM r_events q
               WHERE EXISTS (SELECT 1 FROM d_events d WHERE ${same('d', 'q')}) GROUP BY ${ID.join(', ')}))`,
    );
    await c.run('DROP TABLE x_events');
  }
  await c.run('DROP TABLE d_events');

  await c.run('CREATE OR REPLACE TEMP TABLE e_ord (file_idx INTEGER, ord BIGINT)');
  for (const [idx, ord] of ordinals) {
    await c.run(`INSERT INTO e_ord VALUES (${Number(idx)}, ${Number(ord)})`);
  }
  // the stored events of the cases this import sets, one row per identity (n > 1: stored twice, rewritten)
  await c.run(
    `CREATE OR REPLACE TEMP TABLE t_events AS
     SELECT ${ID.join(', ')}, count(*) AS n, min(actor) AS actor, min(resource) AS resource,
       min(stage_name) AS stage_name, min(seq) AS seq
     FROM events WHERE case_id IN (SELECT case_id FROM r_events) GROUP BY ALL`,
  );
  const ready = `SELECT r.file_idx, r.line, ${ID.map((x) => `r.${x}`).join(', ')}, r.actor, r.resource, r.stage_name,
      o.ord * 4294967296 + r.pos AS seq
    FROM r_events r JOIN e_ord o ON o.file_idx = r.file_idx`;
  const out: FileCounts = new Map();
  if ((await count(c, 'SELECT count(*) FROM t_events')) === 0) {
    // none of these cases has stored events (a first event log): every row is an insert, with no copy to compare
    await c.run(
      `INSERT INTO events (case_id, stage, "at", lifecycle, actor, resource, stage_name, seq)
       SELECT case_id, stage, "at", lifecycle, actor, resource, stage_name, seq FROM (${ready})`,
    );
    for (const r of await rows<{ file_idx: number; n: number }>(
      c,
      'SELECT file_idx, count(*)::INTEGER AS n FROM r_events GROUP BY ALL',
    )) {
      setCount(out, r.file_idx, 'insert', r.n);
    }
    const cases = await count(c, 'SELECT count(DISTINCT case_id) FROM r_events');
    for (const t of ['t_events', 'e_ord']) await c.run(`DROP TABLE ${t}`);
    return { counts: out, ignored, removed: 0, cases };
  }
  const changed = CONTENT.map((col) => `g.${col} IS DISTINCT FROM t.${col}`).join(' OR ');
  await c.run(
    `CREATE OR REPLACE TEMP TABLE a_events AS
     SELECT g.*, CASE WHEN t.case_id IS NULL THEN 'insert' WHEN t.n > 1 OR ${changed} THEN 'update'
       ELSE 'unchanged' END AS action
     FROM (${ready}) g
     LEFT JOIN t_events t ON ${same('t', 'g')}`,
  );
  const [{ cases, updated }] = await rows<{ cases: number; updated: number }>(
    c,
    `SELECT count(DISTINCT case_id)::INTEGER AS cases, count(*) FILTER (WHERE action = 'update')::INTEGER AS updated
     FROM a_events`,
  );
  let deleted = 0;
  if ((await count(c, 'SELECT count(*) FROM t_events')) > 0) {
    const res = await c.run(
      `DELETE FROM events e WHERE e.case_id IN (SELECT case_id FROM t_events)
         AND NOT EXISTS (SELECT 1 FROM a_events a WHERE a.action = 'unchanged' AND ${same('a', 'e')})`,
    );
    deleted = res.rowsChanged;
  }
  await c.run(
    `INSERT INTO events (case_id, stage, "at", lifecycle, actor, resource, stage_name, seq)
     SELECT case_id, stage, "at", lifecycle, actor, resource, stage_name, seq FROM a_events WHERE action <> 'unchanged'`,
  );
  for (const r of await rows<{ file_idx: number; action: Action; n: number }>(
    c,
    'SELECT file_idx, action, count(*)::INTEGER AS n FROM a_events GROUP BY ALL',
  )) {
    setCount(out, r.file_idx, r.action, r.n);
  }
  for (const t of ['a_events', 't_events', 'e_ord']) await c.run(`DROP TABLE ${t}`);
  return { counts: out, ignored, removed: deleted - updated, cases };
}
