import { createRoute, z } from '@hono/zod-openapi';
import { filterShape } from '../filters.ts';
import { TREND_BY, TREND_METRICS, trends } from '../metrics/trends.ts';
import { query } from '../params.ts';
import { CalendarParam } from './processing.ts';
import { type Deps, errorResponses, json, newRouter, nullableNumber, prepare, scopeOf } from './router.ts';

const Query = query({
  ...filterShape,
  metric: z.enum(TREND_METRICS).default('complaints'),
  by: z.enum(TREND_BY).default('city'),
  calendar: CalendarParam,
});

const TrendsSchema = z.object({
  metric: z.enum(TREND_METRICS),
  by: z.enum(TREND_BY),
  calendar: z.enum(['gregorian', 'jalali']),
  series: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      label_en: z.string(),
      points: z.array(
        z.object({
          month: z.string(),
          n: z.number(),
          count: nullableNumber,
          value: nullableNumber,
          center: nullableNumber,
          ucl: nullableNumber,
          lcl: nullableNumber,
        }),
      ),
    }),
  ),
});

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
      request: { query: Query },
      responses: { ...json(TrendsSchema, 'Series per group'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const ctx = await prepare(deps.db, q, scopeOf(c));
      return c.json(await trends(deps.db, ctx.f, ctx.asOfS, q.metric, q.by, q.calendar, ctx.labels), 200);
    },
  );
