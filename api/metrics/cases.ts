/**
 * The cases behind any number: the same filtered facts the metrics use (DESIGN "Metric definitions"),
 * paged. Only case, office and service fields exist in the store; no citizen data is returned.
 * duration_days for closed cases, age_days (on the as-of time) for open ones, breached as in DESIGN 2
 * (processing.ts). Sort keys come from an allow-list.
 *
 * Served by GET /api/cases (api/routes/cases.ts); listed on an office's scorecard
 * (web/views/OfficeScorecard.tsx).
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import type { Params } from '../db.ts';
import { factsCte, filterShape } from '../filters.ts';
import { isoSql, num } from '../lib/sql.ts';
import { CASE_STATUSES, type CaseStatus, CHANNELS, type Channel } from '../lib/vocab.ts';
import { FormatParam, intParam, query } from '../params.ts';

const CASE_SORTS = { submitted_at: 'submitted_at', duration_days: 'dur', age_days: 'age' } as const;
type CaseSort = keyof typeof CASE_SORTS;
const SORTS = Object.keys(CASE_SORTS) as [CaseSort, ...CaseSort[]];

export const CasesQuery = query({
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
  format: FormatParam,
});
type CasesParams = z.output<typeof CasesQuery>;

const CaseRowSchema = z.object({
  case_id: z.string(),
  office_id: z.string(),
  office_name: z.string(),
  district: z.number(),
  service_code: z.string(),
  service_name: z.string(),
  category: z.string().nullable(),
  submitted_at: z.string(),
  closed_at: z.string().nullable(),
  status: z.enum(CASE_STATUSES),
  channel: z.enum(CHANNELS).nullable(),
  duration_days: z.number().nullable(),
  age_days: z.number().nullable(),
  breached: z.boolean().nullable(),
});

export const CasesSchema = z.object({
  page: z.number(),
  page_size: z.number(),
  total: z.number(),
  rows: z.array(CaseRowSchema),
});
export type CasesAnswer = z.output<typeof CasesSchema>;

export async function listCases(
  ctx: RequestContext,
  q: Pick<CasesParams, 'page' | 'page_size' | 'status' | 'breached' | 'sort' | 'order'>,
): Promise<CasesAnswer> {
  const facts = factsCte(ctx.f);
  const conds: string[] = [];
  const params: Params = { ...facts.params };
  if (q.status) {
    conds.push('status = $status');
    params.status = q.status;
  }
  if (q.breached !== undefined) conds.push(q.breached === 'true' ? 'breached' : 'breached = FALSE');
  const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
  const order = `${CASE_SORTS[q.sort]} ${q.order === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, case_id`;
  const [count, rows] = await Promise.all([
    ctx.db.one<{ n: number }>(`WITH ${facts.sql} SELECT count(*)::INTEGER AS n FROM facts ${where}`, params),
    ctx.db.all<Record<string, unknown>>(
      `WITH ${facts.sql}
       SELECT f.case_id, f.office_id, of.name AS office_name, f.district, f.service_code, sv.name AS service_name,
         f.category, ${isoSql('f.submitted_at')} AS submitted_at, ${isoSql('f.closed_at')} AS closed_at,
         f.status, f.channel, f.dur AS duration_days, f.age AS age_days, f.breached
       FROM (SELECT * FROM facts ${where} ORDER BY ${order} LIMIT $limit OFFSET $offset) f
       JOIN offices of ON of.office_id = f.office_id
       JOIN services sv ON sv.service_code = f.service_code
       ORDER BY ${order}`,
      { ...params, limit: q.page_size, offset: (q.page - 1) * q.page_size },
    ),
  ]);
  return {
    page: q.page,
    page_size: q.page_size,
    total: Number(count?.n ?? 0),
    rows: rows.map((r) => ({
      case_id: String(r.case_id),
      office_id: String(r.office_id),
      office_name: String(r.office_name),
      district: Number(r.district),
      service_code: String(r.service_code),
      service_name: String(r.service_name),
      category: (r.category as string | null) ?? null,
      submitted_at: String(r.submitted_at),
      closed_at: (r.closed_at as string | null) ?? null,
      status: r.status as CaseStatus,
      channel: (r.channel as Channel | null) ?? null,
      duration_days: num(r.duration_days),
      age_days: num(r.age_days),
      breached: (r.breached as boolean | null) ?? null,
    })),
  };
}
