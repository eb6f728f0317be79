import { createRoute, z } from '@hono/zod-openapi';
import { filterShape } from '../filters.ts';
import { CASE_STATUSES } from '../lib/vocab.ts';
import { CASE_SORTS, type CaseSort, listCases } from '../metrics/cases.ts';
import { intParam, query } from '../params.ts';
import { type Deps, errorResponses, json, newRouter, nullableNumber, prepare, scopeOf } from './router.ts';

const SORTS = Object.keys(CASE_SORTS) as [CaseSort, ...CaseSort[]];

const Query = query({
  ...filterShape,
  page: intParam('page', 1, 1_000_000, 'Page number, from 1').default(1),
  page_size: intParam('page_size', 1, 500, 'Rows per page (1–500)').default(50),
  status: z.enum(CASE_STATUSES).optional(),
  breached: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Only cases past (or within) their deadline' }),
  sort: z.enum(SORTS).default('submitted_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
});

const CaseRow = z.object({
  case_id: z.string(),
  office_id: z.string(),
  office_name: z.string(),
  district: z.number(),
  service_code: z.string(),
  service_name: z.string(),
  category: z.string().nullable(),
  submitted_at: z.string(),
  closed_at: z.string().nullable(),
  status: z.string(),
  channel: z.string().nullable(),
  duration_days: nullableNumber,
  age_days: nullableNumber,
  breached: z.boolean().nullable(),
});

const CasesSchema = z.object({
  page: z.number(),
  page_size: z.number(),
  total: z.number(),
  rows: z.array(CaseRow),
});

export const casesRoutes = (deps: Deps) =>
  newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'The cases behind any number, paged (no personal data)',
      description:
        'duration_days for closed cases, age_days (on the as-of time) for open ones; breached as in DESIGN 2 ' +
        '(null = no deadline or still inside it).',
      request: { query: Query },
      responses: { ...json(CasesSchema, 'One page of cases'), ...errorResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const ctx = await prepare(deps.db, q, scopeOf(c));
      const r = await listCases(deps.db, ctx.f, ctx.asOfS, {
        page: q.page,
        pageSize: q.page_size,
        status: q.status,
        breached: q.breached === undefined ? undefined : q.breached === 'true',
        sort: q.sort,
        order: q.order,
      });
      return c.json(r, 200);
    },
  );
