/**
 * Where the days go (DESIGN 11–15): GET /api/stages (per stage, the bottleneck, one stage across
 * districts: api/metrics/stages.ts), /api/stages/actors (whose time: stage-actors.ts),
 * /api/stages/variants (routes and rework: stage-variants.ts), /api/stages/extra (extra steps by
 * district: stage-extra.ts) and /api/stages/map (directly-follows edges: stage-map.ts).
 */
import { createRoute } from '@hono/zod-openapi';
import { StageActorsQuery, StageActorsSchema, stageActors } from '../metrics/stage-actors.ts';
import { StageExtraQuery, StageExtraSchema, stageExtra } from '../metrics/stage-extra.ts';
import { StageMapQuery, StageMapSchema, stageMap } from '../metrics/stage-map.ts';
import { StageVariantsQuery, StageVariantsSchema, stageVariants } from '../metrics/stage-variants.ts';
import { StagesQuery, StagesSchema, stages } from '../metrics/stages.ts';
import { cachedAnswer, contextOf, type Deps, errorResponses, json, newRouter } from './router.ts';

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
        return cachedAnswer(deps, c, StagesSchema, q, async () => stages(await contextOf(deps, c, q), q));
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
        request: { query: StageActorsQuery },
        responses: { ...json(StageActorsSchema, 'Days by actor'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        return cachedAnswer(deps, c, StageActorsSchema, q, async () =>
          stageActors(await contextOf(deps, c, q), q),
        );
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
        request: { query: StageVariantsQuery },
        responses: { ...json(StageVariantsSchema, 'Variants and rework'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        return cachedAnswer(deps, c, StageVariantsSchema, q, async () =>
          stageVariants(await contextOf(deps, c, q), q),
        );
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
        request: { query: StageExtraQuery },
        responses: { ...json(StageExtraSchema, 'Extra steps'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        return cachedAnswer(deps, c, StageExtraSchema, q, async () =>
          stageExtra(await contextOf(deps, c, q), q),
        );
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
        request: { query: StageMapQuery },
        responses: { ...json(StageMapSchema, 'Directly-follows edges and nodes'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        return cachedAnswer(deps, c, StageMapSchema, q, async () => stageMap(await contextOf(deps, c, q), q));
      },
    );
