/** GET /api/processing: DESIGN 1 and 2, computed in api/metrics/processing.ts. */
import { createRoute } from '@hono/zod-openapi';
import { ProcessingQuery, ProcessingSchema, processing } from '../metrics/processing.ts';
import { cachedAnswer, contextOf, type Deps, errorResponses, json, newRouter } from './router.ts';

export const processingRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Processing time and deadline breach rate per group (DESIGN 1 and 2)',
      description:
        'Median/p90/mean of closed (completed or rejected) cases, interpolated quantiles; km_median_days is the ' +
        'Kaplan–Meier median counting open cases as censored at their age on the as-of time. breach_rate: the deadline ' +
        "is the case's own due_at when present, otherwise submitted_at + the service's sla_days calendar days; cases " +
        'without either are not counted. Breached = closed after the deadline or still open past it; denominator = ' +
        'closed cases with a deadline + open cases past it (open cases still inside it are undecided).',
      request: { query: ProcessingQuery },
      responses: {
        ...json(ProcessingSchema, 'Rows per group and the total for the whole filter'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return cachedAnswer(deps, c, ProcessingSchema, q, async () =>
        processing(await contextOf(deps, c, q), q),
      );
    },
  );
