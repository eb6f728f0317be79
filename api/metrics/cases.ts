/**
 * The cases behind any number: the same filtered facts the metrics use (DESIGN "Metric definitions"),
 * paged. Only case, office and service fields exist in the store; no citizen data is returned.
 * Sort keys come from an allow-list.
 */
import type { Db, Params } from '../db.ts';
import type { Filters } from '../filters.ts';
import { factsCte, isoSql, num } from './base.ts';

export const CASE_SORTS = { submitted_at: 'submitted_at', duration_days: 'dur', age_days: 'age' } as const;
export type CaseSort = keyof typeof CASE_SORTS;

export interface CaseListOptions {
  page: number;
  pageSize: number;
  status?: string;
  breached?: boolean;
  sort: CaseSort;
  order: 'asc' | 'desc';
}

export async function listCases(db: Db, f: Filters, asOfS: number | null, o: CaseListOptions) {
  const facts = factsCte(f, asOfS);
  const conds: string[] = [];
  const params: Params = { ...facts.params };
  if (o.status) {
    conds.push('status = $status');
    params.status = o.status;
  }
  if (o.breached !== undefined) conds.push(o.breached ? 'breached' : 'breached = FALSE');
  const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
  const order = `${CASE_SORTS[o.sort]} ${o.order === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, case_id`;
  const [count, rows] = await Promise.all([
    db.one<{ n: number }>(`WITH ${facts.sql} SELECT count(*)::INTEGER AS n FROM facts ${where}`, params),
    db.all<Record<string, unknown>>(
      `WITH ${facts.sql}
       SELECT f.case_id, f.office_id, of.name AS office_name, f.district, f.service_code, sv.name AS service_name,
         f.category, ${isoSql('f.submitted_at')} AS submitted_at, ${isoSql('f.closed_at')} AS closed_at,
         f.status, f.channel, f.dur AS duration_days, f.age AS age_days, f.breached
       FROM (SELECT * FROM facts ${where} ORDER BY ${order} LIMIT $limit OFFSET $offset) f
       JOIN offices of ON of.office_id = f.office_id
       JOIN services sv ON sv.service_code = f.service_code
       ORDER BY ${order}`,
      { ...params, limit: o.pageSize, offset: (o.page - 1) * o.pageSize },
    ),
  ]);
  return {
    page: o.page,
    page_size: o.pageSize,
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
      status: String(r.status),
      channel: (r.channel as string | null) ?? null,
      duration_days: num(r.duration_days),
      age_days: num(r.age_days),
      breached: (r.breached as boolean | null) ?? null,
    })),
  };
}
