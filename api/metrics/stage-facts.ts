/**
 * DESIGN 11: order and step time, materialised with the other facts (facts.ts `buildFacts`).
 *
 * A step is a `complete` event; a case's events are ordered by `at` and, at the same instant, by
 * `seq` (the export's order: a stable sort). Per step:
 *   - P, the previous completion: the `at` of the case's previous complete event; for the first step,
 *     submitted_at when it is earlier than the case's first event (start or complete), else none;
 *   - its start: a `start` event of the same case and stage is paired with the next `complete` of that
 *     stage after it (when a stage has two starts before its complete, the later one counts: the start
 *     is the event just before the complete among the case's events of that stage; a start with no
 *     complete after it is no step and only moves the case's first/last event time);
 *   - with a start: processing = complete − start, waiting = start − P (0 without P, and never
 *     negative: a start before P means the two steps overlapped), step time = waiting + processing;
 *   - without a start: step time = complete − P, or 0 without P; waiting and processing are null;
 *   - actor: the event's actor, else the stage's (table `stages`), else 'other';
 *   - visit: the how-many-th occurrence of its stage in the case (2 and up = rework);
 *   - the previous step's stage and edge time between the two completions (the directly-follows pair
 *     of DESIGN 15).
 * `stepRowsSql` is that definition, once: the fact tables run it over every event, a case's timeline
 * (case-timeline.ts) over that case's events.
 *
 * Tables (all integer-coded: stage and actor are small integers, a case is its `case_facts` row):
 *   - `stage_labels` (sid, stage, name, name_en, actor): every stage of the stages file or the events,
 *     named by the stages file, else the export's own stage_name, else the code;
 *   - `stage_groups` (gk, office_id, district, service_code, category, channel): the case groups;
 *   - `step_facts`, one row per step: its case's group gk, district and sub_s (filters.ts `stepsCte`
 *     joins the group's columns, so the common filters apply as to case_facts), step_no, visit, sid,
 *     prev_sid, actor, step_days, edge_days, in no particular order;
 *   - `case_step_facts`, one row per case with at least one event: gk, district, sub_s, case_id (for the
 *     case list on office time: cases.ts), dur, n_steps, its
 *     variant (`vid`, the sequence of stages: `stage_variants`), rework (a stage repeated), days by
 *     actor (DESIGN 13), Σ step days, and throughput = last event − first event, or − submitted_at when
 *     that is earlier;
 *   - `stage_variants` (vid, sids, first_sid, last_sid, n_steps): the distinct variants;
 *   - `stage_cube`, first and second visits per (service, district, office, channel, stage), for the
 *     rework and extra-step counts (stage-variants.ts) when no date window splits a group;
 *   - `stage_city_figures`, `stage_city_edges` and `stage_city_actors`: DESIGN 12, 15 and 13's figures
 *     (medians included) for the whole city, per district and per office, the groups of the answers
 *     without a date, service, category or channel filter (`cityLevel`), which would otherwise read
 *     every step.
 *
 * Cost: one join of the events to their cases, then in slices of consecutive cases two window sorts
 * over integer keys (per case; per case and stage) and one aggregation per case. The step tables depend on the events, the stages and the
 * cases only, so a rebuild of the other facts (a new as-of time, a complaints import) keeps them.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { CASE_STEP_ROWS, type Filters, inScope, STEP_ROWS } from '../filters.ts';
import type { Labels } from './labels.ts';

export const ACTORS = ['office', 'municipality', 'citizen', 'other'] as const;
export type Actor = (typeof ACTORS)[number];
export const ActorSchema = z.enum(ACTORS);

const DAY = 86400.0;
const ACTOR_LIST = `[${ACTORS.map((a) => `'${a}'`).join(', ')}]`;

/** An actor's code in the fact tables (its index in ACTORS). */
export const actorCodeSql = (expr: string) => `(list_position(${ACTOR_LIST}, ${expr}) - 1)::UTINYINT`;

/** The actor of a code read back from the fact tables. */
export const actorOf = (code: unknown): Actor => ACTORS[Number(code)] ?? 'other';

/**
 * DESIGN 11 over `ev` (ck, sub_s, sid, t, seq, is_start, actor: one row per event, t in epoch
 * seconds): one row per step with ck, step_no, visit, sid, prev_sid, actor, at_s, start_s,
 * waiting_days, processing_days, step_days, edge_days.
 */
export function stepRowsSql(ev: string): string {
  const start = 'CASE WHEN after_start THEN start_t END';
  const p = 'coalesce(prev_t, CASE WHEN sub_s < first_t THEN sub_s END)';
  return `SELECT ck, step_no::SMALLINT AS step_no, visit::SMALLINT AS visit, sid, prev_sid, actor, t AS at_s,
      ${start} AS start_s,
      CASE WHEN after_start THEN coalesce(greatest(start_t - ${p}, 0), 0) / ${DAY} END AS waiting_days,
      CASE WHEN after_start THEN (t - start_t) / ${DAY} END AS processing_days,
      CASE
        WHEN after_start THEN (coalesce(greatest(start_t - ${p}, 0), 0) + t - start_t) / ${DAY}
        WHEN ${p} IS NOT NULL THEN (t - ${p}) / ${DAY}
        ELSE 0
      END AS step_days,
      (t - prev_t) / ${DAY} AS edge_days
    FROM (
      SELECT ck, sub_s, sid, t, is_start, actor,
        first_value(t) OVER upto AS first_t,
        count(*) FILTER (WHERE NOT is_start) OVER upto AS step_no,
        last_value(CASE WHEN NOT is_start THEN t END IGNORE NULLS) OVER before AS prev_t,
        last_value(CASE WHEN NOT is_start THEN sid END IGNORE NULLS) OVER before AS prev_sid,
        coalesce(lag(is_start) OVER stage, false) AS after_start,
        lag(t) OVER stage AS start_t,
        count(*) FILTER (WHERE NOT is_start) OVER stage_upto AS visit
      FROM ${ev}
      WINDOW upto AS (PARTITION BY ck ORDER BY t, seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
        before AS (PARTITION BY ck ORDER BY t, seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
        stage AS (PARTITION BY ck, sid ORDER BY t, seq),
        stage_upto AS (PARTITION BY ck, sid ORDER BY t, seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
    WHERE NOT is_start`;
}

/**
 * The events of `where` (over events `e`) as `stepRowsSql` reads them; `keys` has each case's integer
 * key `ck`, case_id and sub_s.
 */
export function eventRowsSql(
  where: string,
  keys = '(SELECT 0 AS ck, case_id, sub_s FROM case_facts)',
): string {
  return `SELECT k.ck, k.sub_s, l.sid, epoch(e."at") AS t, e.seq, e.lifecycle = 'start' AS is_start,
      ${actorCodeSql("coalesce(e.actor, l.actor, 'other')")} AS actor
    FROM events e
    JOIN ${keys} k ON k.case_id = e.case_id
    JOIN stage_labels l ON l.stage = e.stage
    WHERE ${where}`;
}

/** The case columns the step tables carry: the group key and the two the answers read most. */
const CASE_COLUMNS = 'c.gk, c.district, c.sub_s';

/** DESIGN 12's figures of a group of steps (stages.ts `stageFigures`). */
export const STAGE_FIGURES_SQL = `mode(actor) AS actor, count(*)::INTEGER AS n,
  count(*) FILTER (WHERE visit = 1)::INTEGER AS cases, quantile_cont(step_days, [0.5, 0.9]) AS q,
  sum(step_days)::DOUBLE AS total, avg(step_no)::DOUBLE AS position`;

/** DESIGN 15's figures of a directly-follows edge (stage-map.ts). */
export const EDGE_FIGURES_SQL = 'count(*)::INTEGER AS n, quantile_cont(edge_days, 0.5) AS med';

/** DESIGN 13's figures of a group of cases (stage-actors.ts): Σ and median days by actor. */
export const ACTOR_FIGURES_SQL = `count(*)::INTEGER AS n, sum(step_days)::DOUBLE AS total, ${ACTORS.map(
  (a) => `sum(${a}_days)::DOUBLE AS sum_${a}, quantile_cont(${a}_days, 0.5) AS med_${a}`,
).join(', ')}`;

/** The group level and key columns of a GROUPING SETS row over (), (district) and (office). */
const levelSql = (withOffice = true) =>
  withOffice
    ? `CASE WHEN grouping(district) = 0 THEN 'district' WHEN grouping(office_id) = 0 THEN 'office' ELSE 'all' END
       AS level, coalesce(district::VARCHAR, office_id, 'all') AS key`
    : "CASE WHEN grouping(district) = 0 THEN 'district' ELSE 'all' END AS level, coalesce(district::VARCHAR, 'all') AS key";

export type CityLevel = 'all' | 'district' | 'office';

/**
 * Where the city-wide figures (stage_city_figures, _edges, _actors) answer for filters `f` with groups
 * `by`: the level whose groups are the answer's groups, and which of its keys the filters keep. Null
 * when a filter cuts into the groups (a date window, a service, category or channel, an inspector's
 * several districts as one group, an office grouped by district) or the level is not in `levels`:
 * then the steps themselves are read.
 */
export function cityLevel(
  f: Filters,
  by: CityLevel,
  labels: Labels,
  levels: readonly CityLevel[] = ['all', 'district', 'office'],
): { level: CityLevel; keep(key: string): boolean } | null {
  const cut = [f.fromS, f.toS, f.service, f.category, f.channel].some((v) => v !== undefined);
  if (cut) return null;
  const place = (district: number | null) =>
    district !== null && inScope(f, district) && (f.district === undefined || district === f.district);
  const officeOk = (k: string) =>
    (f.office === undefined || k === f.office) && place(labels.office(k).district);
  let out: { level: CityLevel; keep(key: string): boolean } | null;
  if (by === 'all') {
    if (f.office !== undefined) out = { level: 'office', keep: officeOk };
    else if (f.district !== undefined) out = { level: 'district', keep: (k) => place(Number(k)) };
    else out = f.scope ? null : { level: 'all', keep: () => true };
  } else if (by === 'district') {
    out = f.office !== undefined ? null : { level: 'district', keep: (k) => place(Number(k)) };
  } else {
    out = { level: 'office', keep: officeOk };
  }
  return out && levels.includes(out.level) ? out : null;
}

/** Events per slice of the build: the window sorts of one slice stay well inside DuckDB's memory limit. */
const EVENTS_PER_SLICE = 4_000_000;

const caseRange = (lo: number, hi: number) => `ck >= ${lo} AND ck < ${hi}`;

/**
 * The statements that build the step tables for `cases` cases and `events` events. The events are
 * joined to their cases once (`_stage_ev`, integer-coded); the steps are then computed in slices of
 * consecutive cases (case_facts rows), each slice's steps appended to step_facts and summed per case,
 * so no statement holds every event in a window sort.
 */
export function stageBuildSql(cases: number, events: number): string[] {
  const slices = Math.max(1, Math.ceil(events / EVENTS_PER_SLICE));
  const per = Math.ceil(cases / slices);
  const out = [
    `CREATE OR REPLACE TABLE stage_labels AS
     SELECT (row_number() OVER (ORDER BY stage) - 1)::SMALLINT AS sid, stage, name, name_en, actor FROM (
       SELECT stage, name, name_en, actor FROM stages
       UNION ALL
       SELECT stage, coalesce(any_value(stage_name), stage), NULL, NULL FROM events
       WHERE stage NOT IN (SELECT stage FROM stages) GROUP BY stage)`,
    // A case's office, service and channel are one small integer (its district and category follow
    // from them): writing four text columns for each of 25M steps cost more than computing the steps.
    `CREATE OR REPLACE TABLE stage_groups AS
     SELECT (row_number() OVER (ORDER BY service_code, office_id, channel) - 1)::INTEGER AS gk,
       office_id, district, service_code, category, channel
     FROM (SELECT DISTINCT office_id, district, service_code, category, channel FROM case_facts)`,
    // every case's integer key and the columns the step tables carry (none without events: every step table
    // is then empty, and ten million keys cost an import of cases alone 2.6 s)
    `CREATE OR REPLACE TEMP TABLE _stage_keys AS
     SELECT (row_number() OVER () - 1)::INTEGER AS ck, c.case_id, g.gk, c.district, c.sub_s, c.dur
     FROM case_facts c JOIN stage_groups g ON g.office_id = c.office_id AND g.service_code = c.service_code
       AND g.channel IS NOT DISTINCT FROM c.channel${events === 0 ? ' WHERE false' : ''}`,
    `CREATE OR REPLACE TEMP TABLE _stage_ev AS ${eventRowsSql('TRUE', '_stage_keys')}`,
    `CREATE OR REPLACE TABLE step_facts (gk INTEGER, district INTEGER, sub_s DOUBLE, step_no SMALLINT,
       visit SMALLINT, sid SMALLINT, prev_sid SMALLINT, actor UTINYINT, step_days DOUBLE, edge_days DOUBLE)`,
    `CREATE OR REPLACE TEMP TABLE _stage_cases (ck INTEGER, n_steps SMALLINT, variant SMALLINT[], rework BOOLEAN,
       ${ACTORS.map((a) => `${a}_days DOUBLE`).join(', ')}, step_days DOUBLE)`,
    // each case's first and last event (start or complete), for its throughput
    'CREATE OR REPLACE TEMP TABLE _stage_ends AS SELECT ck, min(t) AS first_t, max(t) AS last_t FROM _stage_ev GROUP BY ck',
  ];
  for (let lo = 0; lo < cases; lo += per) {
    const range = caseRange(lo, lo + per);
    out.push(
      `CREATE OR REPLACE TEMP TABLE _stage_slice AS
       SELECT ck, step_no, visit, sid, prev_sid, actor, step_days, edge_days
       FROM (${stepRowsSql(`(SELECT * FROM _stage_ev WHERE ${range})`)})`,
      `INSERT INTO step_facts
       SELECT ${CASE_COLUMNS}, s.step_no, s.visit, s.sid, s.prev_sid, s.actor, s.step_days, s.edge_days
       FROM _stage_slice s JOIN (SELECT * FROM _stage_keys WHERE ${range}) c ON c.ck = s.ck`,
      // Per case with steps. The variant: the stages in step order. An ordered list aggregate sorts
      // each case's steps in the aggregate; packing (step_no, sid) into one integer and sorting the
      // short lists after is several times cheaper and gives the same lists.
      `INSERT INTO _stage_cases
       SELECT ck, count(*) AS n_steps,
         list_transform(list_sort(list(step_no::BIGINT * 65536 + sid)), x -> (x % 65536)::SMALLINT) AS variant,
         max(visit) > 1 AS rework,
         ${ACTORS.map((_, i) => `coalesce(sum(step_days) FILTER (WHERE actor = ${i}), 0)`).join(', ')},
         sum(step_days) AS step_days
       FROM _stage_slice GROUP BY ck`,
    );
  }
  out.push(
    `CREATE OR REPLACE TABLE stage_variants AS
     SELECT (row_number() OVER (ORDER BY variant) - 1)::INTEGER AS vid, variant AS sids,
       variant[1] AS first_sid, variant[-1] AS last_sid, len(variant)::SMALLINT AS n_steps
     FROM (SELECT DISTINCT variant FROM _stage_cases WHERE variant IS NOT NULL)`,
    `CREATE OR REPLACE TABLE case_step_facts AS
     SELECT ${CASE_COLUMNS}, c.case_id, c.dur, coalesce(s.n_steps, 0)::SMALLINT AS n_steps, v.vid,
       coalesce(s.rework, false) AS rework, ${ACTORS.map((a) => `coalesce(s.${a}_days, 0) AS ${a}_days`).join(', ')},
       coalesce(s.step_days, 0) AS step_days, (e.last_t - least(e.first_t, c.sub_s)) / ${DAY} AS throughput_days
     FROM _stage_ends e JOIN _stage_keys c ON c.ck = e.ck
     LEFT JOIN _stage_cases s ON s.ck = e.ck
     LEFT JOIN stage_variants v ON v.sids = s.variant`,
    // First and second visits per (service, district, office, channel, stage): what the rework and
    // extra-step answers read when no date window splits a case's group (filters.ts `stageCubeCte`).
    `CREATE OR REPLACE TABLE stage_cube AS
     SELECT service_code, category, district, office_id, channel, sid, count(*)::INTEGER AS n,
       count(*) FILTER (WHERE visit = 1)::INTEGER AS cases, count(*) FILTER (WHERE visit = 2)::INTEGER AS repeated,
       sum(step_no)::BIGINT AS sum_pos
     FROM ${STEP_ROWS} c GROUP BY ALL`,
    // The city-wide figures of DESIGN 12, 13 and 15 per stage, district and office: the answers
    // without a date, service, category or channel filter read them instead of every step (`cityLevel`).
    `CREATE OR REPLACE TABLE stage_city_figures AS
     SELECT ${levelSql()}, sid, ${STAGE_FIGURES_SQL}
     FROM ${STEP_ROWS} c GROUP BY GROUPING SETS ((sid), (district, sid), (office_id, sid))`,
    `CREATE OR REPLACE TABLE stage_city_edges AS
     SELECT ${levelSql(false)}, prev_sid, sid, ${EDGE_FIGURES_SQL}
     FROM step_facts WHERE prev_sid IS NOT NULL GROUP BY GROUPING SETS ((prev_sid, sid), (district, prev_sid, sid))`,
    `CREATE OR REPLACE TABLE stage_city_actors AS
     SELECT ${levelSql()}, ${ACTOR_FIGURES_SQL}
     FROM ${CASE_STEP_ROWS} c WHERE n_steps > 0 GROUP BY GROUPING SETS ((), (district), (office_id))`,
    'DROP TABLE _stage_ev',
    'DROP TABLE _stage_keys',
    'DROP TABLE IF EXISTS _stage_slice',
    'DROP TABLE _stage_cases',
    'DROP TABLE _stage_ends',
  );
  return out;
}

/** Bumped whenever the step tables' definition changes. */
const STAGE_FORMAT = 'stages-v6';

/**
 * What the step tables are built from: the events, the stages, and the columns of case_facts they
 * carry (a fingerprint of every case's id, office, district, service, category, channel and
 * submission). An as-of change or a complaints import rebuilds case_facts but not these.
 */
const STAGE_SIGNATURE_SQL = `SELECT concat_ws('|', '${STAGE_FORMAT}', (SELECT count(*) FROM events)::VARCHAR,
    (SELECT coalesce(max(seq), 0) FROM events)::VARCHAR,
    (SELECT coalesce(sum(hash(case_id, stage, "at", lifecycle, actor, stage_name, seq)), 0) FROM events)::VARCHAR,
    (SELECT coalesce(sum(hash(stage, name, name_en, actor)), 0) FROM stages)::VARCHAR,
    (SELECT coalesce(sum(hash(case_id, office_id, district, service_code, category, channel, sub_s)), 0)
     FROM case_facts)::VARCHAR) AS sig`;

/**
 * Rebuilds the step tables inside the facts transaction (facts.ts), after case_facts, unless they were
 * built from the same events, stages and cases.
 */
export async function buildStageFacts(c: DuckDBConnection): Promise<void> {
  const sig = String((await c.runAndReadAll(STAGE_SIGNATURE_SQL)).getRowObjectsJson()[0]?.sig ?? '');
  const built = await c
    .runAndReadAll('SELECT sig FROM stage_facts_meta')
    .then((r) => r.getRowObjectsJson()[0]?.sig)
    .catch(() => undefined);
  if (built === sig) return;
  const n = (
    await c.runAndReadAll(
      'SELECT (SELECT count(*) FROM case_facts)::INTEGER AS cases, (SELECT count(*) FROM events)::INTEGER AS events',
    )
  ).getRowObjectsJson()[0];
  for (const sql of stageBuildSql(Number(n?.cases ?? 0), Number(n?.events ?? 0))) await c.run(sql);
  await c.run('CREATE OR REPLACE TABLE stage_facts_meta AS SELECT $sig::VARCHAR AS sig', { sig });
}

export interface StageLabel {
  sid: number;
  stage: string;
  name: string;
  name_en: string | null;
  actor: string | null;
}

/** The stages by code and by sid, with their display names (table stage_labels). */
export interface StageNames {
  byCode: Map<string, StageLabel>;
  bySid: StageLabel[];
  /** The stage's code, Persian and English names as the answers carry them. */
  name(sid: number): { stage: string; stage_name: string; stage_name_en: string | null };
}

export function loadStageNames(ctx: RequestContext): Promise<StageNames> {
  return ctx.cache.get('stageNames', async () => {
    const rows = await ctx.db.all<StageLabel>(
      'SELECT sid::INTEGER AS sid, stage, name, name_en, actor FROM stage_labels ORDER BY sid',
    );
    const bySid: StageLabel[] = [];
    for (const r of rows) bySid[Number(r.sid)] = { ...r, sid: Number(r.sid) };
    return {
      byCode: new Map(rows.map((r) => [r.stage, bySid[Number(r.sid)]])),
      bySid,
      name(sid: number) {
        const s = bySid[sid];
        return {
          stage: s?.stage ?? String(sid),
          stage_name: s?.name ?? String(sid),
          stage_name_en: s?.name_en ?? null,
        };
      },
    };
  });
}

/** The answer fields that name a stage. */
export const StageNameFields = {
  stage: z.string(),
  stage_name: z.string(),
  stage_name_en: z.string().nullable(),
};
