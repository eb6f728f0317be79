/**
 * DESIGN 11: order and step time, materialised with the other facts (facts.ts) into two tables.
 *
 * `step_facts`, one row per step. A step is a `complete` event; a case's events are ordered by `at`
 * and, at the same instant, by `seq` (the export's order: a stable sort). Per step:
 *   - P, the previous completion: the `at` of the case's previous complete event; for the first step,
 *     submitted_at when it is earlier than the case's first event (start or complete), else none;
 *   - its start: a `start` event of the same case and stage is paired with the next `complete` of that
 *     stage after it (when a stage has two starts before its complete, the later one counts; a start
 *     with no complete after it is no step and only moves the case's first/last event time);
 *   - with a start: processing = complete − start, waiting = start − P (0 without P, and never
 *     negative: a start before P means the two steps overlapped), step time = waiting + processing;
 *   - without a start: step time = complete − P, or 0 without P; waiting and processing are null;
 *   - actor: the event's actor, else the stage's (table `stages`), else 'other';
 *   - visit: the how-many-th occurrence of its stage in the case (2 and up = rework);
 *   - prev_stage and edge_days: the previous step's stage and the time between the two completions
 *     (the directly-follows pair of DESIGN 15).
 * `case_step_facts`, one row per case with at least one event: its steps' count, its variant (the
 * sequence of stages), rework (a stage repeated), days by actor (DESIGN 13), and throughput = last
 * event − first event, or − submitted_at when that is earlier.
 * Both carry the case's dimensions (district, office, service, category, channel, sub_s), so the
 * common filters (filters.ts `caseConditions`) apply to them as to `case_facts`. Events of cases not
 * in `cases` never reach them (the importer rejects them as `unknown_case`).
 *
 * All set-based: two window sorts over the events (per case; per case and stage), no per-case code,
 * in slices of the cases so that a log of tens of millions of events fits the memory limit.
 */
import { z } from '@hono/zod-openapi';
import type { Db, Params } from '../db.ts';
import { caseConditions, type Filters } from '../filters.ts';

export const ACTORS = ['office', 'municipality', 'citizen', 'other'] as const;
export type Actor = (typeof ACTORS)[number];
export const ActorSchema = z.enum(ACTORS);

const DAY = 86400.0;

/** Statements that (re)build step_facts and case_step_facts; run after case_facts exists. */
/**
 * The events are processed in CHUNKS slices of whole services (contiguous in service-code order, of
 * about equal case counts: `_stage_slices`), so each slice's window sorts fit DuckDB's memory limit
 * however long the log is. Each slice's rows are appended in (service, district, time) order, so the
 * tables come out in that order without a final sort of every step.
 */
const CHUNKS = 8;

/** The cases of slice k, by the services of that slice. */
const sliceCases = (k: number) =>
  `(SELECT c.* FROM case_facts c JOIN _stage_slices sl ON sl.service_code = c.service_code WHERE sl.slice = ${k})`;

const STEP_COLUMNS = `case_id VARCHAR, office_id VARCHAR, district INTEGER, service_code VARCHAR, category VARCHAR,
  channel VARCHAR, status VARCHAR, sub_s DOUBLE, step_no INTEGER, visit INTEGER, stage VARCHAR, actor VARCHAR,
  prev_stage VARCHAR, at_s DOUBLE, start_s DOUBLE, step_days DOUBLE, waiting_days DOUBLE, processing_days DOUBLE,
  edge_days DOUBLE`;
const CASE_COLUMNS = `case_id VARCHAR, office_id VARCHAR, district INTEGER, service_code VARCHAR, category VARCHAR,
  channel VARCHAR, status VARCHAR, sub_s DOUBLE, dur DOUBLE, n_steps INTEGER, variant VARCHAR[], rework BOOLEAN,
  office_days DOUBLE, municipality_days DOUBLE, citizen_days DOUBLE, other_days DOUBLE, step_days DOUBLE,
  throughput_days DOUBLE`;

function sliceSql(k: number): string[] {
  return [
    // One sort per case in export order gives each event its order and, for the complete events, the
    // step number and the previous completion (the last complete before it: starts are skipped).
    `CREATE OR REPLACE TEMP TABLE _stage_ev AS
     SELECT e.case_id, e.stage, epoch(e."at") AS t, e.lifecycle = 'start' AS is_start,
       coalesce(e.actor, st.actor, 'other') AS actor,
       row_number() OVER w AS ord,
       count(*) FILTER (WHERE e.lifecycle = 'complete') OVER w AS step_no,
       last_value(CASE WHEN e.lifecycle = 'complete' THEN epoch(e."at") END IGNORE NULLS) OVER before AS prev_t,
       last_value(CASE WHEN e.lifecycle = 'complete' THEN e.stage END IGNORE NULLS) OVER before AS prev_stage,
       min(epoch(e."at")) OVER whole AS first_t,
       max(epoch(e."at")) OVER whole AS last_t
     FROM events e
     JOIN (SELECT case_id FROM ${sliceCases(k)}) sc ON sc.case_id = e.case_id
     LEFT JOIN stages st ON st.stage = e.stage
     WINDOW w AS (PARTITION BY e.case_id ORDER BY e."at", e.seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       before AS (PARTITION BY e.case_id ORDER BY e."at", e.seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
       whole AS (PARTITION BY e.case_id ORDER BY e."at", e.seq ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`,
    // A second sort within (case, stage): the pairing (the last start since that stage's previous
    // complete) and the visit number (how many completes of the stage so far).
    `CREATE OR REPLACE TEMP TABLE _stage_steps AS
     SELECT case_id, office_id, district, service_code, category, channel, status, sub_s,
       step_no::INTEGER AS step_no, visit::INTEGER AS visit, stage, actor, prev_stage, t AS at_s, start_t AS start_s,
       CASE
         WHEN start_t IS NOT NULL THEN (coalesce(greatest(start_t - p, 0), 0) + t - start_t) / ${DAY}
         WHEN p IS NOT NULL THEN (t - p) / ${DAY}
         ELSE 0
       END AS step_days,
       CASE WHEN start_t IS NOT NULL THEN coalesce(greatest(start_t - p, 0), 0) / ${DAY} END AS waiting_days,
       CASE WHEN start_t IS NOT NULL THEN (t - start_t) / ${DAY} END AS processing_days,
       (t - prev_t) / ${DAY} AS edge_days
     FROM (
       SELECT s.*, c.office_id, c.district, c.service_code, c.category, c.channel, c.status, c.sub_s,
         coalesce(s.prev_t, CASE WHEN c.sub_s < s.first_t THEN c.sub_s END) AS p,
         CASE WHEN s.ls_ord > coalesce(s.lc_ord, 0) THEN s.ls_t END AS start_t
       FROM (
         SELECT *,
           last_value(CASE WHEN is_start THEN ord END IGNORE NULLS) OVER w AS ls_ord,
           last_value(CASE WHEN is_start THEN t END IGNORE NULLS) OVER w AS ls_t,
           last_value(CASE WHEN NOT is_start THEN ord END IGNORE NULLS) OVER w AS lc_ord,
           count(*) FILTER (WHERE NOT is_start) OVER upto AS visit
         FROM _stage_ev
         WINDOW w AS (PARTITION BY case_id, stage ORDER BY ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
           upto AS (PARTITION BY case_id, stage ORDER BY ord ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) s
       JOIN ${sliceCases(k)} c ON c.case_id = s.case_id
       WHERE NOT s.is_start)`,
    'INSERT INTO step_facts SELECT * FROM _stage_steps ORDER BY service_code, district, sub_s, case_id, step_no',
    `INSERT INTO case_step_facts
     SELECT c.case_id, c.office_id, c.district, c.service_code, c.category, c.channel, c.status, c.sub_s,
       c.dur, coalesce(a.n_steps, 0)::INTEGER AS n_steps, a.variant, coalesce(a.rework, false) AS rework,
       coalesce(a.office_days, 0) AS office_days, coalesce(a.municipality_days, 0) AS municipality_days,
       coalesce(a.citizen_days, 0) AS citizen_days, coalesce(a.other_days, 0) AS other_days,
       coalesce(a.step_days, 0) AS step_days,
       (ce.last_t - least(ce.first_t, c.sub_s)) / ${DAY} AS throughput_days
     FROM (SELECT case_id, any_value(first_t) AS first_t, any_value(last_t) AS last_t FROM _stage_ev GROUP BY case_id) ce
     JOIN ${sliceCases(k)} c ON c.case_id = ce.case_id
     LEFT JOIN (
       SELECT case_id, count(*) AS n_steps, list(stage ORDER BY step_no) AS variant, max(visit) > 1 AS rework,
         sum(step_days) FILTER (WHERE actor = 'office') AS office_days,
         sum(step_days) FILTER (WHERE actor = 'municipality') AS municipality_days,
         sum(step_days) FILTER (WHERE actor = 'citizen') AS citizen_days,
         sum(step_days) FILTER (WHERE actor = 'other') AS other_days,
         sum(step_days) AS step_days
       FROM _stage_steps GROUP BY case_id) a ON a.case_id = ce.case_id
     ORDER BY c.service_code, c.district, c.sub_s, c.case_id`,
  ];
}

/** Statements that (re)build step_facts, case_step_facts and stage_labels; run after case_facts exists. */
export function stageFactsSql(): string[] {
  return [
    `CREATE OR REPLACE TEMP TABLE _stage_slices AS
     SELECT service_code,
       least(${CHUNKS - 1}, floor(${CHUNKS} * (sum(n) OVER (ORDER BY service_code) - n) / sum(n) OVER ()))::INTEGER AS slice
     FROM (SELECT service_code, count(*) AS n FROM case_facts GROUP BY service_code)`,
    `CREATE OR REPLACE TABLE step_facts (${STEP_COLUMNS})`,
    `CREATE OR REPLACE TABLE case_step_facts (${CASE_COLUMNS})`,
    ...Array.from({ length: CHUNKS }, (_, k) => sliceSql(k)).flat(),
    // Names for display: the stages file, else the export's own stage_name, else the code.
    `CREATE OR REPLACE TABLE stage_labels AS
     SELECT stage, name, name_en, actor FROM stages
     UNION ALL
     SELECT stage, coalesce(any_value(stage_name), stage), NULL, NULL FROM events
     WHERE stage NOT IN (SELECT stage FROM stages) GROUP BY stage`,
    'DROP TABLE IF EXISTS _stage_slices',
    'DROP TABLE IF EXISTS _stage_ev',
    'DROP TABLE IF EXISTS _stage_steps',
  ];
}

/** Row counts that belong in the dataset signature (facts.ts): new events must rebuild the step facts. */
export const STAGE_SIGNATURE_SQL =
  "(SELECT count(*) FROM events)::VARCHAR || '/' || (SELECT count(*) FROM stages)::VARCHAR";

/** `steps` CTE: the filtered rows of step_facts. */
export function stepsCte(f: Filters, prefix = 's'): { sql: string; params: Params } {
  const w = caseConditions(f, prefix);
  return { sql: `steps_${prefix} AS (SELECT * FROM step_facts c WHERE ${w.sql})`, params: w.params };
}

/** `scases` CTE: the filtered rows of case_step_facts (cases with at least one event). */
export function stepCasesCte(f: Filters, prefix = 'sc'): { sql: string; params: Params } {
  const w = caseConditions(f, prefix);
  return { sql: `cases_${prefix} AS (SELECT * FROM case_step_facts c WHERE ${w.sql})`, params: w.params };
}

/**
 * DESIGN 13, "the office speed funnels can be computed on office time only": the same columns the
 * slow_share count reads from case_facts (office_id, district, category, service_code, dur), with
 * dur = the days of the case's steps in the office's hands, for closed cases with at least one event.
 * Named like factsCte's relations (`facts`, `facts_<prefix>`) so slow-share.ts runs unchanged on it.
 */
export function officeTimeFactsCte(f: Filters, prefix = 'f'): { sql: string; params: Params } {
  const w = caseConditions(f, prefix);
  const name = prefix === 'f' ? 'facts' : `facts_${prefix}`;
  return {
    sql: `${name} AS (SELECT office_id, district, category, service_code,
      CASE WHEN dur IS NOT NULL THEN office_days END AS dur FROM case_step_facts c WHERE ${w.sql})`,
    params: w.params,
  };
}

export interface StageLabel {
  name: string;
  name_en: string | null;
  actor: string | null;
}

/** Display names of the stages (table stage_labels, built with the facts). */
export async function loadStageLabels(db: Db): Promise<Map<string, StageLabel>> {
  const rows = await db.all<{ stage: string } & StageLabel>(
    'SELECT stage, name, name_en, actor FROM stage_labels',
  );
  return new Map(rows.map((r) => [r.stage, { name: r.name, name_en: r.name_en, actor: r.actor }]));
}
