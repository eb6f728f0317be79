/** GET /api/trends: DESIGN 8, computed in api/metrics/trends.ts. */
import { createRoute } from '@hono/zod-openapi';
import { TrendsQuery, TrendsSchema, trends } from '../metrics/trends.ts';
import { cachedAnswer, contextOf, type Deps, errorResponses, json, newRouter } from './router.ts';

export const trendsRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Monthly series with control limits (DESIGN 8)',
      description:
        'complaints: value = complaints per case in the month (n = cases submitted, count = complaints received), ' +
        'u-chart centre ū = Σc/Σn and limits ū ± 3√(ū/n), lower not below 0. processing: value = median days of the ' +
        "month's closed cases (n = closed cases), centre = median of the monthly medians, no limits (null).",
      request: { query: TrendsQuery },
      responses: { ...json(TrendsSchema, 'Series per group'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return cachedAnswer(deps, c, TrendsSchema, q, async () => trends(await contextOf(deps, c, q), q));
    },
  );
