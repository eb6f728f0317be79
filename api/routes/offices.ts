/** GET /api/offices and /api/offices/{id}: the offices list and a scorecard (api/metrics/scorecard.ts). */
import { createRoute, z } from '@hono/zod-openapi';
import { ErrorSchema } from '../errors.ts';
import {
  OfficesQuery,
  OfficesSchema,
  officeScorecard,
  officesList,
  ScorecardQuery,
  ScorecardSchema,
} from '../metrics/scorecard.ts';
import { MAX_PARAM_LENGTH } from '../params.ts';
import { cachedAnswer, contextOf, type Deps, errorResponses, json, newRouter } from './router.ts';

export const officesRoutes = (deps: Deps) =>
  newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Every office with its processing, breach, slow_share, complaint and bribe rates and flags',
        description:
          'complaint_rate and bribe_rate are per 1,000 cases (DESIGN 5). flags are "signal:scope" strings.',
        request: { query: OfficesQuery },
        responses: { ...json(OfficesSchema, 'Offices'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        return cachedAnswer(deps, c, OfficesSchema, q, async () =>
          officesList(await contextOf(deps, c, q), q),
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        summary:
          "One office's scorecard: metrics next to its district and the city, flags, monthly trend, service mix",
        request: {
          params: z.object({ id: z.string().max(MAX_PARAM_LENGTH).openapi({ description: 'Office id' }) }),
          query: ScorecardQuery,
        },
        responses: {
          ...json(ScorecardSchema, 'Scorecard'),
          ...errorResponses,
          404: {
            content: { 'application/json': { schema: ErrorSchema } },
            description: 'No such office, or one outside your districts',
          },
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const q = c.req.valid('query');
        return cachedAnswer(deps, c, ScorecardSchema, q, async () =>
          officeScorecard(await contextOf(deps, c, q), id, q),
        );
      },
    );
