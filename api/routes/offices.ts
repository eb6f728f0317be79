import { createRoute, z } from '@hono/zod-openapi';
import { filterShape } from '../filters.ts';
import { officeScorecard, officesList } from '../metrics/scorecard.ts';
import { MAX_PARAM_LENGTH, query } from '../params.ts';
import { MinN } from './funnel.ts';
import { OfficeFlagSchema } from './outliers.ts';
import { CalendarParam } from './processing.ts';
import {
  type Deps,
  ErrorSchema,
  errorResponses,
  json,
  newRouter,
  nullableNumber,
  prepare,
  scopeOf,
} from './router.ts';

const OfficeRow = z.object({
  office_id: z.string(),
  name: z.string(),
  district: z.number(),
  n_cases: z.number(),
  n_closed: z.number(),
  median_days: nullableNumber,
  km_median_days: nullableNumber,
  breach_rate: nullableNumber,
  slow_share: nullableNumber,
  complaints: z.number(),
  complaint_rate: nullableNumber,
  bribe_reports: z.number(),
  bribe_rate: nullableNumber,
  flags: z.array(z.string()),
});

const Metrics = z.object({
  n_cases: z.number(),
  n_closed: z.number(),
  n_open: z.number(),
  median_days: nullableNumber,
  p90_days: nullableNumber,
  km_median_days: nullableNumber,
  breach_rate: nullableNumber,
  slow_share: nullableNumber,
  complaints: z.number(),
  complaint_rate: nullableNumber,
  bribe_reports: z.number(),
  bribe_rate: nullableNumber,
});

const ScorecardSchema = z.object({
  office: z.object({
    office_id: z.string(),
    name: z.string(),
    district: z.number(),
    district_label: z.string(),
    district_label_en: z.string(),
    opened_on: z.string().nullable(),
    status: z.string().nullable(),
  }),
  min_n: z.number(),
  metrics: z.object({ office: Metrics, district: Metrics, city: Metrics }),
  flags: z.array(OfficeFlagSchema),
  trend: z.array(
    z.object({
      month: z.string(),
      n_cases: z.number(),
      median_days: nullableNumber,
      complaints: z.number(),
      complaint_rate: nullableNumber,
    }),
  ),
  service_mix: z.array(
    z.object({
      service_code: z.string(),
      name: z.string(),
      name_en: z.string().nullable(),
      category: z.string().nullable(),
      n_cases: z.number(),
      median_days: nullableNumber,
      city_median_days: nullableNumber,
    }),
  ),
});

const ListQuery = query({ ...filterShape, min_n: MinN });
const OneQuery = query({ ...filterShape, min_n: MinN, calendar: CalendarParam });

export const officesRoutes = (deps: Deps) =>
  newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'Every office with its processing, breach, slow_share, complaint and bribe rates and flags',
        description:
          'complaint_rate and bribe_rate are per 1,000 cases (DESIGN 5). flags are "signal:scope" strings.',
        request: { query: ListQuery },
        responses: {
          ...json(z.object({ min_n: z.number(), rows: z.array(OfficeRow) }), 'Offices'),
          ...errorResponses,
        },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const ctx = await prepare(deps.db, q, scopeOf(c));
        return c.json(await officesList(deps.db, ctx.f, ctx.asOfS, q.min_n, ctx.labels), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        summary:
          "One office's scorecard: metrics next to its district and the city, flags, monthly trend, service mix",
        request: {
          params: z.object({ id: z.string().max(MAX_PARAM_LENGTH).openapi({ description: 'Office id' }) }),
          query: OneQuery,
        },
        responses: {
          ...json(ScorecardSchema, 'Scorecard'),
          ...errorResponses,
          404: {
            content: { 'application/json': { schema: ErrorSchema } },
            description: 'No such office, or one outside your districts',
          },
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const q = c.req.valid('query');
        const ctx = await prepare(deps.db, q, scopeOf(c));
        return c.json(
          await officeScorecard(deps.db, id, ctx.f, ctx.asOfS, q.min_n, q.calendar, ctx.labels),
          200,
        );
      },
    );
