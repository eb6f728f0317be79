import { createRoute, z } from '@hono/zod-openapi';
import { badParameter, quoteValue } from '../errors.ts';
import { filterShape } from '../filters.ts';
import { FUNNEL_METRICS, funnelReport } from '../metrics/funnel.ts';
import { intParam, MAX_PARAM_LENGTH, query } from '../params.ts';
import { type Deps, errorResponses, json, newRouter, nullableNumber, prepare, scopeOf } from './router.ts';

export const MinN = intParam(
  'min_n',
  0,
  1_000_000,
  'Groups with a smaller volume are shown but not tested',
).default(30);

const Query = query({
  ...filterShape,
  metric: z.enum(FUNNEL_METRICS),
  by: z.enum(['office', 'district']).default('office'),
  scope: z
    .string()
    .max(MAX_PARAM_LENGTH)
    .default('all')
    .openapi({ description: "'all' or a service category" }),
  min_n: MinN,
});

const FunnelSchema = z.object({
  metric: z.enum(FUNNEL_METRICS),
  by: z.enum(['office', 'district']),
  scope: z.string(),
  target: z.number(),
  phi: z.number(),
  min_n: z.number(),
  rows: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      district: z.number(),
      n: z.number(),
      count: z.number(),
      value: z.number(),
      z: nullableNumber,
      p: nullableNumber,
      q: nullableNumber,
      lo95: nullableNumber,
      hi95: nullableNumber,
      lo998: nullableNumber,
      hi998: nullableNumber,
      flag: z.enum(['above', 'below']).nullable(),
      tested: z.boolean(),
    }),
  ),
  curve: z.array(
    z.object({ n: z.number(), lo95: z.number(), hi95: z.number(), lo998: z.number(), hi998: z.number() }),
  ),
});

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
      request: { query: Query },
      responses: { ...json(FunnelSchema, 'Funnel rows and curve'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const ctx = await prepare(deps.db, q, scopeOf(c));
      const scope = q.scope.trim() || 'all';
      if (scope !== 'all' && !(await categoryExists(deps, scope))) {
        throw badParameter(
          'scope',
          `scope: ${quoteValue(scope)} is neither 'all' nor a known service category`,
        );
      }
      const r = await funnelReport(deps.db, ctx.f, ctx.asOfS, q.metric, q.by, scope, q.min_n, ctx.labels);
      return c.json(r, 200);
    },
  );

export async function categoryExists(deps: Deps, category: string): Promise<boolean> {
  const row = await deps.db.one<{ n: number }>(
    'SELECT count(*)::INTEGER AS n FROM services WHERE category = $c',
    {
      c: category,
    },
  );
  return Number(row?.n ?? 0) > 0;
}
