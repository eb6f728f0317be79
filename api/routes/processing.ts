import { createRoute, z } from '@hono/zod-openapi';
import { filterShape } from '../filters.ts';
import { PROCESSING_BY, processing } from '../metrics/processing.ts';
import { query } from '../params.ts';
import { type Deps, errorResponses, json, newRouter, nullableNumber, prepare, scopeOf } from './router.ts';

export const CalendarParam = z.enum(['gregorian', 'jalali']).default('gregorian').openapi({
  description: "Month keys: Gregorian 'YYYY-MM' or Solar Hijri (Jalali) 'YYYY-MM', Tehran local time",
});

export const StatsFields = {
  n_cases: z.number(),
  n_closed: z.number(),
  n_open: z.number(),
  median_days: nullableNumber,
  p90_days: nullableNumber,
  mean_days: nullableNumber,
  km_median_days: nullableNumber,
  breach_rate: nullableNumber,
  n_breached: z.number(),
  n_deadline_decided: z.number(),
};

const RowSchema = z.object({ key: z.string(), label: z.string(), label_en: z.string(), ...StatsFields });

const ProcessingSchema = z.object({
  by: z.enum(PROCESSING_BY),
  calendar: z.enum(['gregorian', 'jalali']),
  rows: z.array(RowSchema),
  total: RowSchema,
});

const Query = query({
  ...filterShape,
  by: z.enum(PROCESSING_BY).default('district').openapi({ description: 'Group by' }),
  calendar: CalendarParam,
});

export const processingRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Processing time and deadline breach rate per group (DESIGN 1 and 2)',
      description:
        'Median/p90/mean of closed (completed or rejected) cases, interpolated quantiles; km_median_days is the ' +
        'Kaplan–Meier median counting open cases as censored at their age on the as-of time. breach_rate: the deadline ' +
        "is the case's own due_at when present, otherwise submitted_at + the service's sla_days calendar days; cases " +
        'without either are not counted. Breached = closed after the deadline or still open past it; denominator = ' +
        'closed cases with a deadline + open cases past it (open cases still inside it are undecided).',
      request: { query: Query },
      responses: {
        ...json(ProcessingSchema, 'Rows per group and the total for the whole filter'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const ctx = await prepare(deps.db, q, scopeOf(c));
      const r = await processing(deps.db, ctx.f, ctx.asOfS, q.by, q.calendar, ctx.labels);
      return c.json({ by: q.by, calendar: q.calendar, ...r }, 200);
    },
  );
