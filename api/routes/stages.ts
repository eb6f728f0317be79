/**
 * Where the days go (DESIGN 11–15): /api/stages (per stage, the bottleneck, one stage across
 * districts), /api/stages/actors (whose time), /api/stages/variants (routes and rework),
 * /api/stages/extra (extra steps by district) and /api/stages/map (directly-follows edges).
 * Every endpoint takes the common filters; an inspector's rows cover their districts, with the
 * city-wide references labelled `city`.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { FilterQuery, intParam, MAX_PARAM_LENGTH } from '../filters.ts';
import { ACTOR_GROUPS, type ActorGroup, ActorsSchema, actorReport } from '../metrics/stage-actors.ts';
import { ExtraSchema, extraReport } from '../metrics/stage-extra.ts';
import { MapSchema, mapReport } from '../metrics/stage-map.ts';
import { VariantsSchema, variantReport } from '../metrics/stage-variants.ts';
import { STAGE_GROUPS, type StageGroup, StagesSchema, stageReport } from '../metrics/stages.ts';
import { type Deps, errorResponses, json, newRouter, prepare, scopeOf } from './router.ts';

const stageGroups = Object.keys(STAGE_GROUPS) as [StageGroup, ...StageGroup[]];
const actorGroups = Object.keys(ACTOR_GROUPS) as [ActorGroup, ...ActorGroup[]];

const minN = (fallback: number, what: string) =>
  intParam('min_n', 0, 1_000_000, `${what} with a smaller volume are shown but not tested`).default(fallback);

const StagesQuery = FilterQuery.extend({
  by: z
    .enum(stageGroups)
    .default('stage')
    .openapi({ description: 'Per stage, or per district or office and stage' }),
  stage: z
    .string()
    .min(1, 'stage must not be empty')
    .max(MAX_PARAM_LENGTH)
    .optional()
    .openapi({ description: 'The stage compared across districts (default: the bottleneck)' }),
  min_n: minN(20, 'Districts'),
});

const ActorsQuery = FilterQuery.extend({
  by: z.enum(actorGroups).default('district'),
});

const VariantsQuery = FilterQuery.extend({
  limit: intParam('limit', 1, 100, 'How many of the most frequent variants (1–100)').default(10),
  min_n: minN(30, 'Offices and districts'),
});

const ExtraQuery = FilterQuery.extend({ min_n: minN(30, 'Districts') });

const MapQuery = FilterQuery.extend({
  all: z
    .enum(['true', 'false'])
    .default('false')
    .openapi({ description: 'true: every edge; false: the edges that carry 90% of transitions' }),
});

export const stagesRoutes = (deps: Deps) =>
  newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Per stage: step times, share of all step time, the bottleneck (DESIGN 11–12)',
        description:
          'n = occurrences (repeats included); median_days / p90_days = quantile_cont of step time; ' +
          'mean_days_per_case = Σ step time / cases that reached the stage; share = Σ step time / the ' +
          "group's Σ step time. The bottleneck has the largest Σ step time. across_districts: one stage's " +
          'step times per district and the Kruskal–Wallis test of DESIGN 3 over districts with ≥ min_n.',
        request: { query: StagesQuery },
        responses: { ...json(StagesSchema, 'Stages'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const ctx = await prepare(deps.db, q, scopeOf(c));
        const stage = q.stage?.trim();
        return c.json(await stageReport(deps.db, ctx.f, q.by, stage, q.min_n, ctx.labels), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/actors',
        summary: 'Whose time: days and shares by actor per group (DESIGN 13)',
        description:
          "A step's time belongs to the actor who completes it. Per group: Σ days and shares by actor, and the " +
          "median over the group's cases of each actor's days (the median case). city = the city-wide reference.",
        request: { query: ActorsQuery },
        responses: { ...json(ActorsSchema, 'Days by actor'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const ctx = await prepare(deps.db, q, scopeOf(c));
        return c.json(await actorReport(deps.db, ctx.f, q.by, ctx.labels), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/variants',
        summary: 'Routes: the top variants, and rework rates with funnel limits (DESIGN 14)',
        description:
          'A variant is the sequence of stages of a case. Rework = a case repeats a stage; the rework rate per office ' +
          'and district is tested on the funnel of DESIGN 6 (proportion, p₀ = the city rate, computed city-wide).',
        request: { query: VariantsQuery },
        responses: { ...json(VariantsSchema, 'Variants and rework'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const ctx = await prepare(deps.db, q, scopeOf(c));
        return c.json(await variantReport(deps.db, ctx.f, q.limit, q.min_n, ctx.labels), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/extra',
        summary: 'Extra steps: district × stage shares against the other districts (DESIGN 14)',
        description:
          "Share of a district's cases of a service that pass a stage, against the other districts' share (p₀), funnel " +
          'limits per stage, BH q over all tested district-stage pairs; flagged above the 99.8% limit with q < 0.05. ' +
          'rows lists every pair of the service when a service is given; flags are always listed.',
        request: { query: ExtraQuery },
        responses: { ...json(ExtraSchema, 'Extra steps'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const ctx = await prepare(deps.db, q, scopeOf(c));
        return c.json(await extraReport(deps.db, ctx.f, q.min_n, ctx.labels), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/map',
        summary: 'Directly-follows map: edges with count and median time (DESIGN 15)',
        description:
          'Edges a→b of consecutive steps with count and median time between the completions; by default the ' +
          'busiest edges that carry 90% of transitions, all=true for every edge. Nodes carry the bottleneck.',
        request: { query: MapQuery },
        responses: { ...json(MapSchema, 'Directly-follows edges and nodes'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const ctx = await prepare(deps.db, q, scopeOf(c));
        return c.json(await mapReport(deps.db, ctx.f, q.all === 'true'), 200);
      },
    );
