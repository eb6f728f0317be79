import { createRoute, z } from '@hono/zod-openapi';
import { FilterQuery } from '../filters.ts';
import { health, meta } from '../metrics/meta.ts';
import { type Deps, errorResponses, json, newRouter, scopeOf } from './router.ts';

const HealthSchema = z.object({
  status: z.literal('ok'),
  as_of: z.string().nullable(),
  counts: z.object({ cases: z.number(), complaints: z.number(), offices: z.number(), services: z.number() }),
});

const MetaSchema = z.object({
  as_of: z.string().nullable(),
  city: z.string(),
  date_range: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  districts: z.array(z.object({ district: z.number(), name_fa: z.string(), name_en: z.string() })),
  categories: z.array(z.object({ category: z.string(), name_fa: z.string(), name_en: z.string() })),
  services: z.array(
    z.object({
      service_code: z.string(),
      name: z.string(),
      name_en: z.string().nullable(),
      category: z.string().nullable(),
      sla_days: z.number().nullable(),
    }),
  ),
  offices: z.array(z.object({ office_id: z.string(), name: z.string(), district: z.number() })),
  channels: z.array(z.string()),
});

export const healthRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Liveness, as-of time and row counts',
      request: { query: FilterQuery },
      responses: { ...json(HealthSchema, 'Server is up'), ...errorResponses },
    }),
    async (c) => c.json(await health(deps.db), 200),
  );

export const metaRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary:
        'Dataset description: as-of time, date range, districts, categories, services, offices, channels',
      request: { query: FilterQuery },
      responses: { ...json(MetaSchema, 'Dataset description'), ...errorResponses },
    }),
    async (c) => c.json(await meta(deps.db, scopeOf(c)), 200),
  );
