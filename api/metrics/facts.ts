/**
 * Pre-computed facts: the per-case values every metric needs (district, category, duration, age on
 * the as-of time, deadline breach, Tehran-local date and month keys), materialised once per dataset
 * version into `case_facts` and `complaint_facts`. Time-zone arithmetic (ICU) and the dimension joins
 * are the slow part of every query on millions of cases; doing them once per import keeps each
 * request to a scan of plain columns. The tables are derived data, exactly the same SQL the metrics
 * would run on `cases`, and are rebuilt whenever the dataset's signature (as_of, updated_at, row
 * counts, last import) changes, so they can never serve stale numbers.
 * Importers may call `refreshFacts` at the end of a load so the first request after it is fast.
 */
import type { Db } from '../db.ts';
import { DURATION_SQL, monthKeySql } from './base.ts';
import { STAGE_SIGNATURE_SQL, stageFactsSql } from './stage-facts.ts';

/** Bumped whenever the fact tables' definition changes, so stored tables are rebuilt. */
const FACTS_FORMAT = 'facts-v6';

// Rows are stored in (district, date) order: DuckDB's per-row-group min/max then skip most of the
// table for a district filter, and within each district's run for a date window.
const SIGNATURE_SQL = `SELECT concat_ws('|', '${FACTS_FORMAT}',
    (SELECT coalesce(epoch(as_of)::VARCHAR, '') FROM dataset WHERE id = 1),
    (SELECT coalesce(epoch(updated_at)::VARCHAR, '') FROM dataset WHERE id = 1),
    (SELECT count(*) FROM cases)::VARCHAR, (SELECT count(*) FROM complaints)::VARCHAR,
    (SELECT coalesce(max(import_id), 0) FROM import_log)::VARCHAR,
    (SELECT count(*) FROM offices)::VARCHAR, (SELECT count(*) FROM services)::VARCHAR,
    ${STAGE_SIGNATURE_SQL}) AS sig`;

/** Rank columns of case_facts and the group each ranks within (the same keys as CASE_GROUP_KEYS). */
export const KM_RANKS = [
  ['km_r_office', 'office_id'],
  ['km_r_district', 'district'],
  ['km_r_service', 'service_code'],
  ['km_r_category', "coalesce(category, '')"],
  ['km_r_mk_gregorian', 'mk_gregorian'],
  ['km_r_mk_jalali', 'mk_jalali'],
] as const;

const KM_RANK_COLUMNS = KM_RANKS.map(
  ([col, part]) =>
    `CASE WHEN km_order IS NOT NULL THEN row_number() OVER (PARTITION BY ${part} ORDER BY km_order NULLS LAST) END::INTEGER AS ${col}`,
).join(', ');

const DEADLINE = 'coalesce(c.due_at, c.submitted_at + to_days(s.sla_days))';

function buildSql(): string[] {
  return [
    `CREATE OR REPLACE TEMP TABLE _as_of AS SELECT epoch(coalesce((SELECT as_of FROM dataset WHERE id = 1),
       (SELECT max(coalesce(closed_at, submitted_at)) FROM cases))) AS s`,
    `CREATE OR REPLACE TABLE case_facts AS
     SELECT *,
       -- each case's rank in that order within its office, district, service, category and month: a query
       -- whose filters keep or drop whole groups (see processing.ts) reads the Kaplan–Meier rank
       -- instead of sorting millions of rows per request
       ${KM_RANK_COLUMNS}
     FROM (
     SELECT *, ${monthKeySql('sub_d', 'gregorian')} AS mk_gregorian, ${monthKeySql('sub_d', 'jalali')} AS mk_jalali,
       -- the Kaplan–Meier order (time, events before censorings) as one integer: sorting a group by it
       -- is several times faster than by (double, boolean)
       CASE WHEN dur IS NOT NULL OR age IS NOT NULL THEN
         row_number() OVER (ORDER BY coalesce(dur, age) NULLS LAST, dur IS NULL, case_id) END::INTEGER AS km_order
     FROM (
       SELECT c.case_id, c.office_id, o.district::INTEGER AS district, c.service_code, s.category, c.channel, c.status,
         c.submitted_at, c.closed_at, epoch(c.submitted_at) AS sub_s, c.submitted_at::DATE AS sub_d,
         ${DURATION_SQL} AS dur,
         CASE WHEN c.status = 'open' THEN greatest(((SELECT s FROM _as_of) - epoch(c.submitted_at)) / 86400.0, 0) END AS age,
         CASE
           WHEN ${DEADLINE} IS NULL THEN NULL
           WHEN c.status IN ('completed', 'rejected') AND c.closed_at IS NOT NULL THEN c.closed_at > ${DEADLINE}
           WHEN c.status = 'open' AND to_timestamp((SELECT s FROM _as_of)) > ${DEADLINE} THEN TRUE
         END AS breached
       FROM cases c
       JOIN offices o ON o.office_id = c.office_id
       JOIN services s ON s.service_code = c.service_code))
     ORDER BY district, sub_s`,
    `CREATE OR REPLACE TABLE complaint_facts AS
     SELECT *, ${monthKeySql('rec_d', 'gregorian')} AS mk_gregorian, ${monthKeySql('rec_d', 'jalali')} AS mk_jalali
     FROM (
       SELECT k.complaint_id, k.office_id, o.district::INTEGER AS district, k.category, k.case_id, k.received_at,
         epoch(k.received_at) AS rec_s, k.received_at::DATE AS rec_d,
         kc.service_code AS case_service, ks.category AS case_category, kc.channel AS case_channel
       FROM complaints k
       JOIN offices o ON o.office_id = k.office_id
       LEFT JOIN cases kc ON kc.case_id = k.case_id
       LEFT JOIN services ks ON ks.service_code = kc.service_code)
     ORDER BY district, rec_s`,
    // DESIGN 11: step times and per-case stage figures (stage-facts.ts), from case_facts above.
    ...stageFactsSql(),
  ];
}

export const STORED_ANSWERS_DDL =
  'CREATE TABLE IF NOT EXISTS api_precomputed (cache_key VARCHAR PRIMARY KEY, body VARCHAR NOT NULL)';

const pending = new WeakMap<Db, Promise<string>>();
const current = new WeakMap<Db, string>();
/**
 * The dataset signature as last read, with the write generation of the Db it was read at. While this
 * server runs it is the only writer of its file (DuckDB's lock keeps other processes out), so the
 * signature can only change through a write on this handle, which moves the generation; the 13 ms
 * signature query then runs again on the next request instead of on every request.
 */
const known = new WeakMap<Db, { sig: string; generation: number }>();

async function signature(db: Db): Promise<string> {
  const generation = db.generation;
  const row = await db.one<{ sig: string }>(SIGNATURE_SQL);
  const sig = row?.sig ?? '';
  known.set(db, { sig, generation });
  return sig;
}

/** Rebuilds the fact tables for the data as it is now; returns the dataset signature. */
export async function refreshFacts(db: Db): Promise<string> {
  const sig = await signature(db);
  const before = db.generation;
  await db.transaction(async (c) => {
    for (const sql of buildSql()) await c.run(sql);
    await c.run('CREATE OR REPLACE TABLE facts_meta AS SELECT $sig::VARCHAR AS sig', { sig });
    // Stored answers (cache.ts) belong to the old data.
    await c.run(STORED_ANSWERS_DDL);
    await c.run('DELETE FROM api_precomputed');
  });
  // The rebuild wrote only derived tables, so the signature read before it still holds, unless
  // something else wrote meanwhile (then the next check reads it again).
  if (db.generation === before + 1) known.set(db, { sig, generation: db.generation });
  current.set(db, sig);
  return sig;
}

/**
 * Makes sure the fact tables match the data; returns the signature (a cache key for results).
 * Concurrent callers share one check or rebuild; with no write since the last check, no query at all.
 */
export function ensureFacts(db: Db): Promise<string> {
  const k = known.get(db);
  const cur = current.get(db);
  if (k && k.generation === db.generation && cur === k.sig) return Promise.resolve(cur);
  const inFlight = pending.get(db);
  if (inFlight) return inFlight;
  const p = (async () => {
    const sig = await signature(db);
    if (current.get(db) === sig) return sig;
    const stored = await db.one<{ sig: string }>('SELECT sig FROM facts_meta LIMIT 1').catch(() => undefined);
    if (stored?.sig === sig) {
      current.set(db, sig);
      return sig;
    }
    return refreshFacts(db);
  })();
  pending.set(db, p);
  const clear = () => {
    if (pending.get(db) === p) pending.delete(db);
  };
  p.then(clear, clear);
  return p;
}

/** The signature the fact tables were last checked against in this process (undefined before). */
export function currentSignature(db: Db): string | undefined {
  return current.get(db);
}
