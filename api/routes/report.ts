/** GET /api/report: the council's monthly report (issue 15), assembled in api/metrics/report.ts. */
import { createRoute } from '@hono/zod-openapi';
import { requestContext } from '../context.ts';
import { ReportQuery, ReportSchema, report } from '../metrics/report.ts';
import { cachedAnswer, type Deps, errorResponses, json, newRouter, scopeOf } from './router.ts';

export const reportRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary:
        'The monthly report: one Solar Hijri month against the month before, for the city or a district',
      description:
        'Processing times, breach rates, complaints by category and source, the district comparison, the flags of the ' +
        "month (outliers over the month's window) and a 12-month trend, for the whole city, one district, or an " +
        "inspector's districts. Changes since the previous month are tested: medians with the Wilcoxon rank-sum " +
        "(Mann–Whitney) test of the two months' closed cases, the breach rate with the two-proportion z-test, " +
        'complaint rates with the exact conditional test of two Poisson rates (cases as exposure); Benjamini–Hochberg ' +
        'q-values over all the tests, beyond chance when q < 0.05.',
      request: { query: ReportQuery },
      responses: { ...json(ReportSchema, 'The numbers of the report'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return cachedAnswer(deps, c, ReportSchema, q, async () =>
        report(await requestContext(deps.cache, { district: q.district }, scopeOf(c)), q),
      );
    },
  );
