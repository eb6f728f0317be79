/**
 * DESIGN 15: the directly-follows map. For each pair a→b of consecutive steps of a case (complete
 * events in DESIGN 11's order; a start event is part of its step, not a node): the count and the
 * median time between the two completions (quantile_cont). Nodes are the stages with their step
 * count, median step time, Σ step time and actor, the cases that start and end there; the bottleneck
 * (DESIGN 12) is the stage with the largest Σ step time. By default only the edges that carry 90% of
 * transitions are returned: the busiest edges, in order, until their counts reach 90% of all
 * transitions (ties in count by from, to); `all` returns every edge.
 */
import { z } from '@hono/zod-openapi';
import type { Db } from '../db.ts';
import type { Filters } from '../filters.ts';
import { num } from './base.ts';
import { ActorSchema, loadStageLabels, stepCasesCte, stepsCte } from './stage-facts.ts';
import { StageNameFields, stageName } from './stages.ts';

export const MAP_COVERAGE = 0.9;

const nullableNumber = z.number().nullable();

export const MapSchema = z.object({
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
export type MapBody = z.infer<typeof MapSchema>;

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

export async function mapReport(db: Db, f: Filters, all: boolean): Promise<MapBody> {
  const s = stepsCte(f);
  const c = stepCasesCte(f);
  const [names, edgeRows, nodeRows, endRows] = await Promise.all([
    loadStageLabels(db),
    db.all<Record<string, unknown>>(
      `WITH ${s.sql}
       SELECT prev_stage AS a, stage AS b, count(*)::INTEGER AS n, quantile_cont(edge_days, 0.5) AS med
       FROM steps_s WHERE prev_stage IS NOT NULL GROUP BY ALL ORDER BY n DESC, a, b`,
      s.params,
    ),
    db.all<Record<string, unknown>>(
      `WITH ${s.sql}
       SELECT stage, mode(actor) AS actor, count(*)::INTEGER AS n, quantile_cont(step_days, 0.5) AS med,
         sum(step_days)::DOUBLE AS total, avg(step_no)::DOUBLE AS pos
       FROM steps_s GROUP BY stage ORDER BY pos, stage`,
      s.params,
    ),
    // Where cases start and end: the first and last stage of each case's variant (no join of the steps).
    db.all<{ stage: string; starts: number; ends: number }>(
      `WITH ${c.sql},
         ends AS (SELECT variant[1] AS first, variant[len(variant)] AS last FROM cases_sc WHERE n_steps > 0)
       SELECT stage, sum(s)::INTEGER AS starts, sum(e)::INTEGER AS ends FROM (
         SELECT first AS stage, 1 AS s, 0 AS e FROM ends UNION ALL SELECT last, 0, 1 FROM ends)
       GROUP BY stage`,
      c.params,
    ),
  ]);
  const edges = edgeRows.map((r) => ({
    from: String(r.a),
    to: String(r.b),
    count: Number(r.n),
    median_days: num(r.med),
  }));
  const shown = all ? edges : edgesCarrying(edges, MAP_COVERAGE);
  const ends = new Map(endRows.map((r) => [String(r.stage), r]));
  let bottleneck: { stage: string; total: number } | null = null;
  for (const r of nodeRows) {
    const total = Number(r.total);
    if (!bottleneck || total > bottleneck.total) bottleneck = { stage: String(r.stage), total };
  }
  return {
    service: f.service ?? null,
    all,
    total_transitions: edges.reduce((x, e) => x + e.count, 0),
    shown_transitions: shown.reduce((x, e) => x + e.count, 0),
    hidden_edges: edges.length - shown.length,
    edges: shown,
    nodes: nodeRows.map((r) => ({
      ...stageName(names, String(r.stage)),
      actor: ActorSchema.catch('other').parse(r.actor),
      n: Number(r.n),
      median_days: num(r.med),
      total_days: Number(r.total),
      starts: Number(ends.get(String(r.stage))?.starts ?? 0),
      ends: Number(ends.get(String(r.stage))?.ends ?? 0),
      bottleneck: bottleneck?.stage === String(r.stage),
    })),
    bottleneck: bottleneck?.stage ?? null,
  };
}
