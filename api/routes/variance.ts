import { createRoute, z } from '@hono/zod-openapi';
import { filterShape } from '../filters.ts';
import { variance } from '../metrics/variance.ts';
import { intParam, MAX_PARAM_LENGTH, query } from '../params.ts';
import { type Deps, errorResponses, json, newRouter, nullableNumber, prepare, scopeOf } from './router.ts';

const Query = query({
  ...filterShape,
  service: z
    .string()
    .min(1, 'service is required')
    .max(MAX_PARAM_LENGTH)
    .openapi({ description: 'Service code' }),
  min_n: intParam(
    'min_n',
    0,
    1_000_000,
    'Districts with fewer closed cases are listed but not tested',
  ).default(20),
});

const Extreme = z.object({ district: z.number(), median_days: z.number() }).nullable();
const VarianceSchema = z.object({
  service: z.string(),
  min_n: z.number(),
  districts: z.array(
    z.object({
      district: z.number(),
      label: z.string(),
      label_en: z.string(),
      n: z.number(),
      median_days: nullableNumber,
      q1_days: nullableNumber,
      q3_days: nullableNumber,
      p10_days: nullableNumber,
      p90_days: nullableNumber,
      tested: z.boolean(),
    }),
  ),
  kruskal_wallis: z
    .object({
      h: z.number(),
      df: z.number(),
      p_value: z.number(),
      epsilon_squared: z.number(),
      n: z.number(),
    })
    .nullable(),
  ratio_max_min: nullableNumber,
  cv_medians: nullableNumber,
  slowest: Extreme,
  fastest: Extreme,
});

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
      request: { query: Query },
      responses: { ...json(VarianceSchema, 'District comparison'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const ctx = await prepare(deps.db, q, scopeOf(c));
      const r = await variance(deps.db, ctx.f, ctx.asOfS, q.min_n, ctx.labels);
      return c.json({ service: ctx.f.service as string, ...r }, 200);
    },
  );
