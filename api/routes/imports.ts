/** GET /api/imports and /api/rejects: the import log and quarantined rows (api/metrics/imports.ts). */
import { createRoute } from '@hono/zod-openapi';
import { TableFilterQuery } from '../filters.ts';
import { ImportsSchema, importLog, RejectsQuery, RejectsSchema, rejects } from '../metrics/imports.ts';
import { type Deps, errorResponses, json, newRouter } from './router.ts';

export const importsRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'The import log, newest first',
      request: { query: TableFilterQuery },
      responses: { ...json(ImportsSchema, 'Imports'), ...errorResponses },
    }),
    async (c) => c.json(await importLog(deps.db), 200),
  );

export const rejectsRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Rows quarantined by imports, with reasons',
      request: { query: RejectsQuery },
      responses: { ...json(RejectsSchema, 'Rejected rows'), ...errorResponses },
    }),
    async (c) => c.json(await rejects(deps.db, c.req.valid('query')), 200),
  );
