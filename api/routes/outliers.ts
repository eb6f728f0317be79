import { createRoute, z } from '@hono/zod-openapi';
import { filterShape } from '../filters.ts';
import { outliers } from '../metrics/outliers.ts';
import { query } from '../params.ts';
import { MinN } from './funnel.ts';
import { type Deps, errorResponses, json, newRouter, nullableNumber, prepare, scopeOf } from './router.ts';

const SIGNALS = ['slow', 'suspiciously_fast', 'complaints', 'bribe_reports'] as const;

const flagFields = {
  signal: z.enum(SIGNALS),
  scope: z.string(),
  value: z.number(),
  target: z.number(),
  z: nullableNumber,
  p: nullableNumber,
  q: nullableNumber,
  n: z.number(),
  lo998: z.number(),
  hi998: z.number(),
  reason_fa: z.string(),
  reason_en: z.string(),
};

export const OfficeFlagSchema = z.object({
  office_id: z.string(),
  office_name: z.string(),
  district: z.number(),
  ...flagFields,
});

const OutliersSchema = z.object({
  min_n: z.number(),
  flags: z.array(OfficeFlagSchema),
  district_flags: z.array(
    z.object({ district: z.number(), label: z.string(), label_en: z.string(), ...flagFields }),
  ),
});

const Query = query({
  ...filterShape,
  level: z
    .enum(['office', 'district'])
    .optional()
    .openapi({ description: 'Only office or only district flags' }),
  min_n: MinN,
});

export const outliersRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Offices and districts outside their 99.8% funnel limits (DESIGN 7)',
      description:
        'Signals: slow / suspiciously_fast (slow_share above / below, over all services and within each service ' +
        "category), complaints and bribe_reports (per-case rates above). A flag needs at least min_n in the signal's " +
        'volume. Sorted by |z|, largest first.',
      request: { query: Query },
      responses: { ...json(OutliersSchema, 'Flags with reasons in Persian and English'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const ctx = await prepare(deps.db, q, scopeOf(c));
      return c.json(await outliers(deps.db, ctx.f, ctx.asOfS, q.level, q.min_n, ctx.labels), 200);
    },
  );
