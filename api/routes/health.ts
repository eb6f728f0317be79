/** GET /api/health and /api/meta (api/metrics/meta.ts). */
import { createRoute } from '@hono/zod-openapi';
import { FilterQuery } from '../filters.ts';
import { HealthSchema, health, MetaSchema, meta } from '../metrics/meta.ts';
import { cachedAnswer, type Deps, errorResponses, json, newRouter, scopeOf } from './router.ts';

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
    async (c) => cachedAnswer(deps, c, MetaSchema, c.req.valid('query'), () => meta(deps.db, scopeOf(c))),
  );
