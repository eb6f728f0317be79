/** GET /api/cases/:id: one case's timeline (DESIGN 11, 13), computed in api/metrics/case-timeline.ts. */
import { createRoute } from '@hono/zod-openapi';
import { ErrorSchema } from '../errors.ts';
import {
  CaseTimelineParams,
  CaseTimelineQuery,
  CaseTimelineSchema,
  caseTimeline,
} from '../metrics/case-timeline.ts';
import { cachedAnswer, contextOf, type Deps, errorResponses, json, newRouter } from './router.ts';

export const caseTimelineRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      summary:
        "One case's timeline: its steps with waiting, processing and step time, and actors (DESIGN 11, 13)",
      request: { params: CaseTimelineParams, query: CaseTimelineQuery },
      responses: {
        ...json(CaseTimelineSchema, 'The case and its steps'),
        ...errorResponses,
        404: {
          content: { 'application/json': { schema: ErrorSchema } },
          description: 'No such case, or one outside your districts',
        },
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      return cachedAnswer(deps, c, CaseTimelineSchema, q, async () =>
        caseTimeline(await contextOf(deps, c, q), id),
      );
    },
  );
