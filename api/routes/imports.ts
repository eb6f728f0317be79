import { createRoute, z } from '@hono/zod-openapi';
import { FilterQuery, filterShape } from '../filters.ts';
import { importLog, rejects } from '../metrics/imports.ts';
import { intParam, query } from '../params.ts';
import { type Deps, errorResponses, json, newRouter } from './router.ts';

const ImportsSchema = z.object({
  imports: z.array(
    z.object({
      import_id: z.number(),
      started_at: z.string(),
      finished_at: z.string().nullable(),
      username: z.string().nullable(),
      source: z.string().nullable(),
      files: z.array(z.string()),
      mode: z.string().nullable(),
      status: z.string(),
      message: z.string().nullable(),
      rows_read: z.number(),
      rows_inserted: z.number(),
      rows_updated: z.number(),
      rows_unchanged: z.number(),
      rows_rejected: z.number(),
      as_of: z.string().nullable(),
    }),
  ),
});

const RejectsSchema = z.object({
  total: z.number(),
  page: z.number(),
  page_size: z.number(),
  reasons: z.array(z.object({ reason: z.string(), count: z.number() })),
  rows: z.array(
    z.object({
      import_id: z.number(),
      file: z.string(),
      line: z.number().nullable(),
      column_name: z.string().nullable(),
      raw_value: z.string().nullable(),
      reason: z.string(),
      detail: z.string().nullable(),
    }),
  ),
});

export const importsRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'The import log, newest first',
      request: { query: FilterQuery },
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
      request: {
        query: query({
          ...filterShape,
          import_id: intParam('import_id', 1, 2_147_483_647, 'Only this import').optional(),
          page: intParam('page', 1, 1_000_000, 'Page number, from 1').default(1),
          page_size: intParam('page_size', 1, 500, 'Rows per page').default(100),
        }),
      },
      responses: { ...json(RejectsSchema, 'Rejected rows'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await rejects(deps.db, q.import_id, q.page, q.page_size), 200);
    },
  );
