/**
 * Pre-computed facts: the per-case values every metric needs (district, category, and the columns
 * the metric modules define: duration, age on the as-of time, deadline breach and the Kaplan–Meier
 * order in processing.ts, Tehran-local month keys in lib/month-key-sql.ts), materialised once per
 * dataset version into `case_facts` and `complaint_facts`. Time-zone arithmetic (ICU) and the dimension joins
 * are the slow part of every query on millions of cases; doing them once per import keeps each
 * request to a scan of plain columns. The tables are derived data, exactly the same SQL the metrics
 * would run on `cases`, and are rebuilt whenever the dataset's signature (as_of, updated_at, row
 * counts, last import) changes, so they can never serve stale numbers.
 * Importers may call `refreshFacts` at the end of a load so the first request after it is fast.
 */
import type { Db } from '../db.ts';
import { monthKeySql } from '../lib/month-key-sql.ts';
import { AGE_SQL, BREACHED_SQL, DURATION_SQL, KM_ORDER_SQL, KM_RANK_COLUMNS_SQL } from './processing.ts';

/** Bumped whenever the fact tables' definition changes, so stored tables are rebuilt. */
const FACTS_FORMAT = 'facts-v5';

const SIGNATURE_SQL = `SELECT concat_ws('|', '${FACTS_FORMAT}',
    (SELECT coalesce(epoch(as_of)::VARCHAR, '') FROM dataset WHERE id = 1),
    (SELECT coalesce(epoch(updated_at)::VARCHAR, '') FROM dataset WHERE id = 1),
    (SELECT count(*) FROM cases)::VARCHAR, (SELECT count(*) FROM complaints)::VARCHAR,
    (SELECT coalesce(max(import_id), 0) FROM import_log)::VARCHAR,
    (SELECT count(*) FROM offices)::VARCHAR, (SELECT count(*) FROM services)::VARCHAR) AS sig`;

/** The dataset's as-of instant (epoch seconds): `dataset.as_of`, else the latest timestamp in the cases. */
export async function loadAsOf(db: Db): Promise<number | null> {
  // Two steps: the fallback scans every case, so it must not run when as_of is set.
  const set = await db.one<{ s: number | null }>(
    'SELECT epoch(as_of)::DOUBLE AS s FROM dataset WHERE id = 1',
  );
  if (set?.s !== null && set?.s !== undefined) return Number(set.s);
  const row = await db.one<{ s: number | null }>(
    'SELECT epoch(max(coalesce(closed_at, submitted_at)))::DOUBLE AS s FROM cases',
  );
  return row?.s ?? null;
}

/**
 * The statements that build the fact tables; `_as_of` holds the as-of instant open cases are measured
 * to. Rows are stored in (district, date) order: DuckDB's per-row-group min/max then skip most of the
 * table for a district filter, and within each district's run for a date window.
 */
function buildSql(): string[] {
  return [
    `CREATE OR REPLACE TABLE case_facts AS
     SELECT *, ${KM_RANK_COLUMNS_SQL}
     FROM (
     SELECT *, ${monthKeySql('sub_d', 'gregorian')} AS mk_gregorian, ${monthKeySql('sub_d', 'jalali')} AS mk_jalali,
       ${KM_ORDER_SQL} AS km_order
     FROM (
       SELECT c.case_id, c.office_id, o.district::INTEGER AS district, c.service_code, s.category, c.channel, c.status,
         c.submitted_at, c.closed_at, epoch(c.submitted_at) AS sub_s, c.submitted_at::DATE AS sub_d,
         ${DURATION_SQL} AS dur,
         ${AGE_SQL} AS age,
         ${BREACHED_SQL} AS breached
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
  const asOf = await loadAsOf(db);
  await db.transaction(async (c) => {
    await c.run('CREATE OR REPLACE TEMP TABLE _as_of AS SELECT $s::DOUBLE AS s', { s: asOf });
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
