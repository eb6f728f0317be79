/** GET /api/funnel: DESIGN 4–6, computed in api/metrics/funnel.ts. */
import { createRoute } from '@hono/zod-openapi';
import { FunnelQuery, FunnelSchema, funnelReport } from '../metrics/funnel.ts';
import { cachedAnswer, contextOf, type Deps, errorResponses, json, newRouter } from './router.ts';

export const funnelRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Funnel plot data for slow_share, complaint or bribe-report rates (DESIGN 4–6)',
      description:
        'slow_share: share of closed cases slower than the city-wide median of their service (target 0.5, volume = closed ' +
        'cases). complaints / bribe_reports: per-case rates (target = Σcount/Σcases, volume = cases). Over-dispersion φ ' +
        'from winsorised z², applied when above 1; BH q-values over the tested groups. The funnel is computed over every ' +
        'group in the city under the non-location filters; district/office filters only select the rows returned.',
      request: { query: FunnelQuery },
      responses: { ...json(FunnelSchema, 'Funnel rows and curve'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return cachedAnswer(deps, c, FunnelSchema, q, async () => funnelReport(await contextOf(deps, c, q), q));
    },
  );
