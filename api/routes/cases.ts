/** GET /api/cases: the cases behind any number (api/metrics/cases.ts). */
import { createRoute } from '@hono/zod-openapi';
import { CasesQuery, CasesSchema, listCases } from '../metrics/cases.ts';
import { cachedAnswer, contextOf, type Deps, errorResponses, json, newRouter } from './router.ts';

export const casesRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'The cases behind any number, paged (no personal data)',
      description:
        'duration_days for closed cases, age_days (on the as-of time) for open ones; breached as in DESIGN 2 ' +
        '(null = no deadline or still inside it).',
      request: { query: CasesQuery },
      responses: { ...json(CasesSchema, 'One page of cases'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return cachedAnswer(deps, c, CasesSchema, q, async () => listCases(await contextOf(deps, c, q), q));
    },
  );
