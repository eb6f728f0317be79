/**
 * DESIGN 15: the directly-follows map. For each pair a→b of consecutive steps of a case (complete
 * events in DESIGN 11's order; a start event is part of its step, not a node): the count and the
 * median time between the two completions (quantile_cont). Nodes are the stages with their step
 * count, median step time, Σ step time and actor, the cases that start and end there; the bottleneck
 * (DESIGN 12) is the stage with the largest Σ step time. By default only the edges that carry 90% of
 * transitions are returned: the busiest edges, in order, until their counts reach 90% of all
 * transitions (ties in count by from, to); `all` returns every edge.
 *
 * Served by GET /api/stages/map (api/routes/stages.ts); drawn by web/charts/process.ts as the Process
 * view's graph (web/views/Process.tsx).
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { filterShape, stepCasesCte, stepsCte } from '../filters.ts';
import { num } from '../lib/sql.ts';
import { query } from '../params.ts';
import { ActorSchema, cityLevel, EDGE_FIGURES_SQL, loadStageNames, StageNameFields } from './stage-facts.ts';
import { bottlenecks, STAGE_GROUPS, stageFigures } from './stages.ts';

export const MAP_COVERAGE = 0.9;

export const StageMapQuery = query({
  ...filterShape,
  all: z
    .enum(['true', 'false'])
    .default('false')
    .openapi({ description: 'true: every edge; false: the edges that carry 90% of transitions' }),
});

const nullableNumber = z.number().nullable();

export const StageMapSchema = z.object({
  service: z.string().nullable(),
  all: z.boolean(),
  total_transitions: z.number(),
  shown_transitions: z.number(),
  hidden_edges: z.number(),
  edges: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      count: z.number(),
      median_days: nullableNumber,
    }),
  ),
  nodes: z.array(
    z.object({
      ...StageNameFields,
      actor: ActorSchema,
      n: z.number(),
      median_days: nullableNumber,
      total_days: z.number(),
      starts: z.number(),
      ends: z.number(),
      bottleneck: z.boolean(),
    }),
  ),
  bottleneck: z.string().nullable(),
});
export type StageMapAnswer = z.output<typeof StageMapSchema>;

/** The busiest edges until they carry `coverage` of all transitions. */
export function edgesCarrying<T extends { count: number }>(edges: T[], coverage: number): T[] {
  const total = edges.reduce((s, e) => s + e.count, 0);
  const out: T[] = [];
  let sum = 0;
  for (const e of edges) {
    if (sum >= coverage * total) break;
    out.push(e);
    sum += e.count;
  }
  return out;
}

export async function stageMap(ctx: RequestContext, q: { all: 'true' | 'false' }): Promise<StageMapAnswer> {
  const { f } = ctx;
  const all = q.all === 'true';
  const s = stepsCte(f);
  const c = stepCasesCte(f);
  // the city's or a district's edges are stored with the facts (stage-facts.ts `cityLevel`)
  const city = cityLevel(f, 'all', ctx.labels, ['all', 'district']);
  const [names, edgeRows, nodes, endRows] = await Promise.all([
    loadStageNames(ctx),
    city
      ? ctx.db
          .all<Record<string, unknown>>(
            'SELECT key, prev_sid AS a, sid AS b, n, med FROM stage_city_edges WHERE level = $level',
            { level: city.level },
          )
          .then((rows) => rows.filter((r) => city.keep(String(r.key))))
      : ctx.db.all<Record<string, unknown>>(
          `WITH ${s.sql}
           SELECT prev_sid AS a, sid AS b, ${EDGE_FIGURES_SQL}
           FROM steps_s WHERE prev_sid IS NOT NULL GROUP BY ALL`,
          s.params,
        ),
    // the nodes are DESIGN 12's per-stage figures of the selection (shared with GET /api/stages)
    stageFigures(ctx, f, STAGE_GROUPS.stage),
    // Where cases start and end: the first and last stage of each case's variant.
    ctx.db.all<{ sid: number; starts: number; ends: number }>(
      `WITH ${c.sql},
         v AS (SELECT vid, count(*) AS n FROM cases_sc WHERE n_steps > 0 GROUP BY vid),
         ends AS (SELECT first_sid, last_sid, n FROM v JOIN stage_variants USING (vid))
       SELECT sid::INTEGER AS sid, sum(s)::INTEGER AS starts, sum(e)::INTEGER AS ends FROM (
         SELECT first_sid AS sid, n AS s, 0 AS e FROM ends UNION ALL SELECT last_sid, 0, n FROM ends)
       GROUP BY sid`,
      c.params,
    ),
  ]);
  const stage = (sid: unknown) => names.name(Number(sid)).stage;
  const edges = edgeRows
    .map((r) => ({ from: stage(r.a), to: stage(r.b), count: Number(r.n), median_days: num(r.med) }))
    // the busiest first; ties by stage codes
    .sort((x, y) => y.count - x.count || cmp(x.from, y.from) || cmp(x.to, y.to));
  const shown = all ? edges : edgesCarrying(edges, MAP_COVERAGE);
  const ends = new Map(endRows.map((r) => [Number(r.sid), r]));
  const bn = bottlenecks(nodes).get('all');
  return {
    service: f.service ?? null,
    all,
    total_transitions: edges.reduce((x, e) => x + e.count, 0),
    shown_transitions: shown.reduce((x, e) => x + e.count, 0),
    hidden_edges: edges.length - shown.length,
    edges: shown,
    nodes: nodes.map((r) => ({
      ...names.name(r.sid),
      actor: r.actor,
      n: r.n,
      median_days: r.median,
      total_days: r.total,
      starts: Number(ends.get(r.sid)?.starts ?? 0),
      ends: Number(ends.get(r.sid)?.ends ?? 0),
      bottleneck: bn?.sid === r.sid,
    })),
    bottleneck: bn ? names.name(bn.sid).stage : null,
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
