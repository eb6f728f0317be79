/**
 * The cases behind any number: the same filtered facts the metrics use (DESIGN "Metric definitions"),
 * sorted and paged here, over all matching rows (never one page re-sorted in the browser). Only case,
 * office and service fields exist in the store; no citizen data is returned. duration_days for closed
 * cases, age_days (on the as-of time) for open ones, breached as in DESIGN 2 (processing.ts). Sort keys
 * come from an allow-list.
 *
 * `basis` lists exactly the cases a signal counts (DESIGN 4, 5, 7), so the list behind a flag has the
 * flag's n:
 * - `slow_share`: the closed cases (completed or rejected; withdrawn ones are neither timed nor
 *   counted), each with its service's city median (slow-share.ts `cityServiceMedians`: the filters
 *   without location or scope) and `slower` when its duration is strictly above it; with time=office
 *   (DESIGN 13) the cases with at least one event, duration_days their days in the office's hands
 *   and the medians of those days, as the funnel and outliers count on office time;
 * - `complaints` / `bribe_reports`: every case in the window (the rate's denominator), each with the
 *   complaints (bribe_request complaints) received in the window that name it. The summary adds the
 *   signal's numerator: all complaints received in the window under the same filters, including those
 *   that name no case or a case submitted before the window.
 *
 * Served by GET /api/cases (api/routes/cases.ts); listed on an office's scorecard
 * (web/views/OfficeScorecard.tsx), where each flag links to its cases.
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import type { Params } from '../db.ts';
import { badParameter } from '../errors.ts';
import { cityWide, complaintFactsCte, factsCte, filterShape } from '../filters.ts';
import { isoSql, num } from '../lib/sql.ts';
import { CASE_STATUSES, type CaseStatus, CHANNELS, type Channel } from '../lib/vocab.ts';
import { FormatParam, intParam, query } from '../params.ts';
import { cityServiceMedians, officeTimeFactsCte, TimeParam } from './slow-share.ts';

export const CASE_BASES = ['slow_share', 'complaints', 'bribe_reports'] as const;
export type CaseBasis = (typeof CASE_BASES)[number];

/** Sort key → SQL over the `base` relation below. Nothing else reaches ORDER BY. */
const CASE_SORTS = {
  submitted_at: 'sub_s',
  closed_at: 'closed_at',
  duration_days: 'dur',
  age_days: 'age',
  case_id: 'case_id',
  service: 'service_name',
  status: 'status',
  channel: 'channel',
  breached: 'breached',
  slower: 'slower',
  complaints: 'complaints',
  bribe_reports: 'bribes',
} as const;
export type CaseSort = keyof typeof CASE_SORTS;
export const CASE_SORT_KEYS = Object.keys(CASE_SORTS) as [CaseSort, ...CaseSort[]];

export const CasesQuery = query({
  ...filterShape,
  page: intParam('page', 1, 1_000_000, 'Page number, from 1').default(1),
  page_size: intParam('page_size', 1, 500, 'Rows per page (1–500)').default(50),
  status: z.enum(CASE_STATUSES).optional(),
  breached: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Only cases past (or within) their deadline' }),
  basis: z.enum(CASE_BASES).optional().openapi({
    description:
      'Only the cases a signal counts, with what it counts: slow_share = closed cases, each marked slower (or not) than the city median of its service; complaints / bribe_reports = all cases, each with its complaints',
  }),
  time: TimeParam,
  slower: z.enum(['true', 'false']).optional().openapi({
    description: 'With basis=slow_share: only cases slower (or not slower) than the city median',
  }),
  sort: z.enum(CASE_SORT_KEYS).default('submitted_at').openapi({
    description:
      'Sort key over all matching cases; slower needs basis=slow_share, complaints and bribe_reports need basis=complaints or bribe_reports',
  }),
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
  city_median_days: z
    .number()
    .nullable()
    .openapi({ description: "basis=slow_share: the city median of the case's service (days)" }),
  slower: z
    .boolean()
    .nullable()
    .openapi({ description: 'basis=slow_share: duration strictly above the city median of its service' }),
  complaints: z.number().nullable().openapi({
    description: 'basis=complaints|bribe_reports: complaints naming this case, received in the window',
  }),
  bribe_reports: z.number().nullable(),
});

export const CasesSchema = z.object({
  page: z.number(),
  page_size: z.number(),
  total: z.number(),
  sort: z.enum(CASE_SORT_KEYS),
  order: z.enum(['asc', 'desc']),
  basis: z.enum(CASE_BASES).nullable(),
  summary: z.object({
    slower: z
      .number()
      .nullable()
      .openapi({ description: 'basis=slow_share: how many of the total are slower' }),
    complaints: z.number().nullable().openapi({
      description:
        'basis=complaints|bribe_reports: the signal numerator, every complaint (bribe_request complaint) received in the window under the same filters',
    }),
    complaints_on_listed: z
      .number()
      .nullable()
      .openapi({ description: 'Of those, the ones that name a listed case' }),
  }),
  rows: z.array(CaseRowSchema),
});
export type CasesAnswer = z.output<typeof CasesSchema>;

type CasesOptions = Pick<
  CasesParams,
  'page' | 'page_size' | 'status' | 'breached' | 'basis' | 'slower' | 'sort' | 'order'
> & { time?: CasesParams['time'] };

function checkCombination(q: CasesOptions): void {
  if (q.time === 'office' && q.basis !== 'slow_share')
    throw badParameter(
      'time',
      'time: office only with basis=slow_share (the cases the office-time flag counts)',
    );
  if (q.slower !== undefined && q.basis !== 'slow_share')
    throw badParameter('slower', 'slower: only with basis=slow_share (the city median is its reference)');
  if (q.sort === 'slower' && q.basis !== 'slow_share')
    throw badParameter('sort', 'sort: slower needs basis=slow_share');
  if (
    (q.sort === 'complaints' || q.sort === 'bribe_reports') &&
    q.basis !== 'complaints' &&
    q.basis !== 'bribe_reports'
  )
    throw badParameter('sort', `sort: ${q.sort} needs basis=complaints or basis=bribe_reports`);
}

export async function listCases(ctx: RequestContext, q: CasesOptions): Promise<CasesAnswer> {
  checkCombination(q);
  const timed = q.basis === 'slow_share';
  const time = timed ? (q.time ?? 'total') : 'total';
  const facts = time === 'office' ? officeTimeFactsCte(ctx.f) : factsCte(ctx.f);
  const params: Params = { ...facts.params };
  const ctes = [facts.sql];
  const conds: string[] = [];
  const rated = q.basis === 'complaints' || q.basis === 'bribe_reports';
  if (timed) {
    // DESIGN 4 counts closed cases: completed or rejected (withdrawn ones have no duration).
    conds.push('f.dur IS NOT NULL');
    const medians = [...(await cityServiceMedians({ ...ctx, f: cityWide(ctx.f) }, time)).entries()].filter(
      (e): e is [string, number] => e[1] !== null,
    );
    medians.forEach(([code, m], i) => {
      params[`ms_${i}`] = code;
      params[`mv_${i}`] = m;
    });
    ctes.push(
      medians.length
        ? `med AS (SELECT * FROM (VALUES ${medians.map((_, i) => `($ms_${i}::VARCHAR, $mv_${i}::DOUBLE)`).join(', ')}) v(service_code, m))`
        : 'med AS (SELECT NULL::VARCHAR AS service_code, NULL::DOUBLE AS m WHERE FALSE)',
    );
  }
  if (rated) {
    const kf = complaintFactsCte(ctx.f);
    Object.assign(params, kf.params);
    ctes.push(
      kf.sql,
      `kc AS (SELECT case_id, count(*)::INTEGER AS complaints, count_if(category = 'bribe_request')::INTEGER AS bribes
              FROM kfacts WHERE case_id IS NOT NULL GROUP BY case_id)`,
    );
  }
  if (q.status) {
    conds.push('f.status = $status');
    params.status = q.status;
  }
  if (q.breached !== undefined) conds.push(q.breached === 'true' ? 'f.breached' : 'f.breached = FALSE');
  if (q.slower !== undefined) conds.push(q.slower === 'true' ? 'f.dur > med.m' : 'NOT (f.dur > med.m)');
  ctes.push(`base AS (
    SELECT f.case_id, f.office_id, f.district, f.service_code, sv.name AS service_name, f.category,
      f.submitted_at, f.closed_at, f.sub_s, f.status, f.channel, f.dur, f.age, f.breached,
      ${timed ? 'med.m' : 'NULL::DOUBLE'} AS city_med,
      ${timed ? 'f.dur > med.m' : 'NULL::BOOLEAN'} AS slower,
      ${rated ? 'coalesce(kc.complaints, 0)' : 'NULL::INTEGER'} AS complaints,
      ${rated ? 'coalesce(kc.bribes, 0)' : 'NULL::INTEGER'} AS bribes
    FROM facts f
    JOIN services sv ON sv.service_code = f.service_code
    ${timed ? 'JOIN med ON med.service_code = f.service_code' : ''}
    ${rated ? 'LEFT JOIN kc ON kc.case_id = f.case_id' : ''}
    ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''})`);
  const order = `${CASE_SORTS[q.sort]} ${q.order === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, case_id`;
  const withSql = `WITH ${ctes.join(',\n')}`;
  const bribesOnly = q.basis === 'bribe_reports';
  const [count, numerator, rows] = await Promise.all([
    ctx.db.one<Record<string, unknown>>(
      `${withSql} SELECT count(*)::INTEGER AS n, count_if(slower)::INTEGER AS slower,
         sum(${bribesOnly ? 'bribes' : 'complaints'})::INTEGER AS linked FROM base`,
      params,
    ),
    rated
      ? ctx.db.one<{ c: number }>(
          `${withSql} SELECT count(*)::INTEGER AS c FROM kfacts ${bribesOnly ? "WHERE category = 'bribe_request'" : ''}`,
          params,
        )
      : Promise.resolve(null),
    ctx.db.all<Record<string, unknown>>(
      `${withSql}
       SELECT b.case_id, b.office_id, of.name AS office_name, b.district, b.service_code, b.service_name,
         b.category, ${isoSql('b.submitted_at')} AS submitted_at, ${isoSql('b.closed_at')} AS closed_at,
         b.status, b.channel, b.dur AS duration_days, b.age AS age_days, b.breached, b.city_med, b.slower,
         b.complaints, b.bribes
       FROM (SELECT * FROM base ORDER BY ${order} LIMIT $limit OFFSET $offset) b
       JOIN offices of ON of.office_id = b.office_id
       ORDER BY ${order}`,
      { ...params, limit: q.page_size, offset: (q.page - 1) * q.page_size },
    ),
  ]);
  return {
    page: q.page,
    page_size: q.page_size,
    total: Number(count?.n ?? 0),
    sort: q.sort,
    order: q.order,
    basis: q.basis ?? null,
    summary: {
      slower: timed ? Number(count?.slower ?? 0) : null,
      complaints: rated ? Number(numerator?.c ?? 0) : null,
      complaints_on_listed: rated ? Number(count?.linked ?? 0) : null,
    },
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
      city_median_days: num(r.city_med),
      slower: (r.slower as boolean | null) ?? null,
      complaints: num(r.complaints),
      bribe_reports: num(r.bribes),
    })),
  };
}
