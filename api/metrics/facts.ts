/**
 * Pre-computed facts: the per-case values every metric needs (district, category, and the columns
 * the metric modules define: duration, age on the as-of time, deadline breach and the Kaplan–Meier
 * order in processing.ts, Tehran-local month keys in lib/month-key-sql.ts), materialised once per
 * dataset version into `case_facts` and `complaint_facts`. Time-zone arithmetic (ICU) and the dimension joins
 * are the slow part of every query on millions of cases; doing them once per import keeps each
 * request to a scan of plain columns. The tables are derived data, exactly the same SQL the metrics
 * would run on `cases`, and are rebuilt whenever the dataset's signature (as_of, updated_at, row
 * counts, last import) changes, so they can never serve stale numbers: the data cache (api/cache.ts)
 * checks the signature before every answer and calls `buildFacts` when it moved. The step tables of
 * the event log (stage-facts.ts) are built in the same transaction.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db.ts';
import { jalaliYearSql, monthKeyDays } from '../lib/month-key-sql.ts';
import { type ZoneArithmetic, zoneArithmetic } from '../lib/zone-arithmetic.ts';
import type { Calendar } from '../params.ts';
import { AGE_SQL, breachedSql, DURATION_SQL, KM_ORDER_NARROW_SQL } from './processing.ts';
import { buildStageFacts } from './stage-facts.ts';

/** Bumped whenever the fact tables' definition changes, so stored tables are rebuilt. */
const FACTS_FORMAT = 'facts-v8';

const SIGNATURE_SQL = `SELECT concat_ws('|', '${FACTS_FORMAT}',
    (SELECT coalesce(epoch(as_of)::VARCHAR, '') FROM dataset WHERE id = 1),
    (SELECT coalesce(epoch(updated_at)::VARCHAR, '') FROM dataset WHERE id = 1),
    (SELECT count(*) FROM cases)::VARCHAR, (SELECT count(*) FROM complaints)::VARCHAR,
    (SELECT coalesce(max(import_id), 0) FROM import_log)::VARCHAR,
    (SELECT count(*) FROM offices)::VARCHAR, (SELECT count(*) FROM services)::VARCHAR,
    (SELECT count(*) FROM events)::VARCHAR, (SELECT count(*) FROM stages)::VARCHAR) AS sig`;

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
 * to. Cases are stored in (Solar Hijri year, service, date) order: DuckDB's per-row-group min/max
 * then skip the other years for a date window and, within a year, the other services for a service
 * or category filter (service codes of a category sort together), which the city-wide references
 * (slow_share medians, variance's city quantiles) keep too. Side by side on the full demo city, 60
 * random uncached filters (npm run bench -- --compare), against (district, date) order: p50 ×0.49,
 * p95 ×0.72, total ×0.76. Complaints stay in (district, date) order.
 */
function buildSql(zd: ZoneArithmetic, monthKeySql: (d: string, calendar: Calendar) => string): string[] {
  return [
    // sorted on numbers: the Solar Hijri year, and the service's place in code order (a string key costs the
    // sort of ten million cases 2 s more). The columns that follow from others (sub_s, the month keys) are made
    // after the sort, in the projection above it, which keeps its order: less for the sort to carry (1.2 s of 19.5 s).
    `CREATE OR REPLACE TABLE case_facts AS
     SELECT case_id, office_id, district, service_code, category, channel, status, submitted_at, closed_at,
       epoch(submitted_at) AS sub_s, sub_d, dur, age, breached, ${monthKeySql('sub_d', 'gregorian')} AS mk_gregorian,
       ${monthKeySql('sub_d', 'jalali')} AS mk_jalali, km_order
     FROM (
       SELECT * EXCLUDE (svc_rank, km_case)
       FROM (
         SELECT c.case_id, c.office_id, o.district::INTEGER AS district, c.service_code, s.category, c.channel,
           c.status, c.submitted_at, c.closed_at, ${zd.localDate('c.submitted_at')} AS sub_d,
           ${DURATION_SQL} AS dur,
           ${AGE_SQL} AS age,
           ${breachedSql(zd.addDays)} AS breached,
           s.svc_rank
         FROM cases c
         JOIN offices o ON o.office_id = c.office_id
         JOIN (SELECT *, row_number() OVER (ORDER BY service_code) AS svc_rank FROM services) s
           ON s.service_code = c.service_code) f
       LEFT JOIN (${KM_ORDER_NARROW_SQL}) ko ON ko.km_case = f.case_id
       ORDER BY (${jalaliYearSql('sub_d')})::INTEGER, svc_rank, epoch(submitted_at))`,
    `CREATE OR REPLACE TABLE complaint_facts AS
     SELECT *, ${monthKeySql('rec_d', 'gregorian')} AS mk_gregorian, ${monthKeySql('rec_d', 'jalali')} AS mk_jalali
     FROM (
       SELECT k.complaint_id, k.office_id, o.district::INTEGER AS district, k.category, k.case_id, k.received_at,
         epoch(k.received_at) AS rec_s, ${zd.localDate('k.received_at')} AS rec_d,
         kc.service_code AS case_service, ks.category AS case_category, kc.channel AS case_channel
       FROM complaints k
       JOIN offices o ON o.office_id = k.office_id
       LEFT JOIN cases kc ON kc.case_id = k.case_id
       LEFT JOIN services ks ON ks.service_code = kc.service_code)
     ORDER BY district, rec_s`,
  ];
}

/** The signature of the data as it is now: any import, as-of change or row count change moves it. */
export async function readSignature(db: Db): Promise<string> {
  return (await db.one<{ sig: string }>(SIGNATURE_SQL))?.sig ?? '';
}

/** The signature the stored fact tables were built for (undefined before the first build). */
export async function builtSignature(db: Db): Promise<string | undefined> {
  const row = await db.one<{ sig: string }>('SELECT sig FROM facts_meta LIMIT 1').catch(() => undefined);
  return row?.sig;
}

/**
 * Rebuilds the fact tables for the data with signature `sig`, in one transaction (one write on the
 * Db); `alsoOn` runs in the same transaction (the cache drops its stored answers there).
 */
export async function buildFacts(
  db: Db,
  sig: string,
  alsoOn?: (c: DuckDBConnection) => Promise<void>,
): Promise<void> {
  const asOf = await loadAsOf(db);
  await db.transaction(async (c) => {
    await c.run('CREATE OR REPLACE TEMP TABLE _as_of AS SELECT $s::DOUBLE AS s', { s: asOf });
    // the span of the data, read once: the first submission or complaint, the last, and the last deadline by a
    // service's days (sla_days after the last submission)
    await c.run(
      `CREATE OR REPLACE TEMP TABLE _span AS
       SELECT least(min(submitted_at), (SELECT min(received_at) FROM complaints)) AS first_at,
         greatest(max(submitted_at), (SELECT max(received_at) FROM complaints)) AS last_at,
         max(submitted_at) + to_days(least(coalesce((SELECT max(sla_days) FROM services), 0), 100000)) AS last_due
       FROM cases`,
    );
    // Tehran's offsets over the span and its deadlines, and the month keys of its Tehran days
    const zd = await zoneArithmetic(
      c,
      '(SELECT first_at FROM _span)',
      '(SELECT greatest(last_at, last_due) FROM _span)',
    );
    const keys = await monthKeyDays(
      c,
      `(SELECT ${zd.localDate('first_at')} FROM _span)`,
      `(SELECT ${zd.localDate('last_at')} FROM _span)`,
    );
    for (const sql of buildSql(zd, keys)) await c.run(sql);
    // DESIGN 11: the step tables, from the events and case_facts (kept when neither changed)
    await buildStageFacts(c);
    await c.run('CREATE OR REPLACE TABLE facts_meta AS SELECT $sig::VARCHAR AS sig', { sig });
    await alsoOn?.(c);
  });
}
