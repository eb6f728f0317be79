/** GET /api/cases/:id — one case's timeline (stages, times, actors; no personal data). */
import { createRoute, z } from '@hono/zod-openapi';
import { FilterQuery, MAX_PARAM_LENGTH } from '../filters.ts';
import { caseTimeline, TimelineSchema } from '../metrics/case-timeline.ts';
import { type Deps, ErrorSchema, errorResponses, json, newRouter, prepare, scopeOf } from './router.ts';

export const caseTimelineRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      summary:
        "One case's timeline: its steps with waiting, processing and step time, and actors (DESIGN 11, 13)",
      request: {
        params: z.object({ id: z.string().min(1).max(MAX_PARAM_LENGTH).openapi({ description: 'Case id' }) }),
        // The common filters are checked like everywhere (a district outside the user's scope is a 404).
        query: FilterQuery,
      },
      responses: {
        ...json(TimelineSchema, 'The case and its steps'),
        ...errorResponses,
        404: {
          content: { 'application/json': { schema: ErrorSchema } },
          description: 'No such case, or one outside your districts',
        },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const ctx = await prepare(deps.db, c.req.valid('query'), scopeOf(c));
      return c.json(await caseTimeline(deps.db, id, ctx.f, ctx.labels), 200);
    },
  );
