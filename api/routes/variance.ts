/** GET /api/variance: DESIGN 3, computed in api/metrics/variance.ts. */
import { createRoute } from '@hono/zod-openapi';
import { VarianceQuery, VarianceSchema, variance } from '../metrics/variance.ts';
import { cachedAnswer, contextOf, type Deps, errorResponses, json, newRouter } from './router.ts';

export const varianceRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Variance between districts for one service (DESIGN 3)',
      description:
        'Per district quartiles of closed-case durations; Kruskal–Wallis H (average ranks, tie-corrected), chi-square ' +
        'p-value and ε² = H(n+1)/(n²−1) over the districts with at least min_n closed cases; slowest/fastest median ratio ' +
        'and coefficient of variation (sample sd / mean) of their medians.',
      request: { query: VarianceQuery },
      responses: { ...json(VarianceSchema, 'District comparison'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return cachedAnswer(deps, c, VarianceSchema, q, async () => variance(await contextOf(deps, c, q), q));
    },
  );
