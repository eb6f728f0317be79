/**
 * `/api/audit`: the audit log for admins, and the record of an export. The dashboard builds CSV
 * files in the browser, so it reports each download here; the server logs who exported which view
 * with which filters and how many rows.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { AUDIT_ACTIONS, AuditPageSchema, audit, listAudit, MAX_AUDIT_PAGE_SIZE } from '../audit/log.ts';
import { FormatParam, intParam, MAX_PARAM_LENGTH, query } from '../params.ts';
import { type ClientOptions, clientIp } from '../security/client.ts';
import { type Deps, errorResponses, json, newRouter } from './router.ts';

export const AuditQuery = query({
  page: intParam('page', 1, 1_000_000, 'Page number, from 1').default(1),
  page_size: intParam('page_size', 1, MAX_AUDIT_PAGE_SIZE, 'Rows per page').default(50),
  action: z.enum(AUDIT_ACTIONS).optional().openapi({ description: 'Only this kind of entry' }),
  format: FormatParam,
});

export const ExportBody = z.object({
  view: z
    .string()
    .min(1, 'view is required')
    .max(100, 'view is too long')
    .openapi({ description: 'Which table or chart was exported, e.g. "outliers"' }),
  filters: z
    .record(z.string().max(40), z.string().max(MAX_PARAM_LENGTH))
    .default({})
    .refine((r) => Object.keys(r).length <= 20, 'filters: at most 20 entries')
    .openapi({ description: 'The filters and view settings in force (the page URL parameters)' }),
  rows: z.number().int().min(0).max(100_000_000).openapi({ description: 'Rows in the exported file' }),
});

export const auditRoutes = (deps: Deps, opts: ClientOptions = {}) =>
  newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        summary: 'The audit log, newest first (admins only): sign-ins, imports, exports, user changes',
        request: { query: AuditQuery },
        responses: { ...json(AuditPageSchema, 'One page of the audit log'), ...errorResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        return c.json(await listAudit(deps.db, q), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/export',
        summary: 'Records that the signed-in user downloaded a CSV export (needs X-CSRF-Token)',
        request: { body: { content: { 'application/json': { schema: ExportBody } }, required: true } },
        responses: { ...json(z.object({ ok: z.literal(true) }), 'Recorded'), ...errorResponses },
      }),
      async (c) => {
        const body = c.req.valid('json');
        await audit(deps.db, {
          action: 'export',
          username: c.get('user').username,
          ip: clientIp(c, opts),
          detail: { view: body.view, filters: body.filters, rows: body.rows },
        });
        return c.json({ ok: true as const }, 200);
      },
    );
