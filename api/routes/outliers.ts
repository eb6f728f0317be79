/** GET /api/outliers: DESIGN 7, computed in api/metrics/outliers.ts. */
import { createRoute } from '@hono/zod-openapi';
import { OutliersQuery, OutliersSchema, outliers } from '../metrics/outliers.ts';
import { cachedAnswer, contextOf, type Deps, errorResponses, json, newRouter } from './router.ts';

export const outliersRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Offices and districts outside their 99.8% funnel limits (DESIGN 7)',
      description:
        'Signals: slow / suspiciously_fast (slow_share above / below, over all services and within each service ' +
        "category), complaints and bribe_reports (per-case rates above). A flag needs at least min_n in the signal's " +
        'volume. Sorted by |z|, largest first.',
      request: { query: OutliersQuery },
      responses: { ...json(OutliersSchema, 'Flags with reasons in Persian and English'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return cachedAnswer(deps, c, OutliersSchema, q, async () => outliers(await contextOf(deps, c, q), q));
    },
  );
