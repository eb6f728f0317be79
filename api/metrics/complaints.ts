/**
 * DESIGN 5: complaint rate per office = complaints / cases (× 1000 for display) in the window;
 * bribe reports are the complaints of category bribe_request. Cases are counted by submitted_at,
 * complaints by received_at, both under the same filters.
 *
 * Tested with funnel limits (DESIGN 6, funnel.ts: GET /api/funnel?metric=complaints|bribe_reports) and
 * flagged (DESIGN 7, outliers.ts); shown per 1,000 cases in the offices list and scorecard
 * (scorecard.ts), as the offices view's funnel plot and the overview map's complaint_rate colouring.
 */
import type { RequestContext } from '../context.ts';
import { complaintFactsCte, factsCte } from '../filters.ts';

export interface OfficeRateCounts {
  office_id: string;
  district: number;
  cases: number;
  complaints: number;
  bribes: number;
}

export async function rateCounts(ctx: RequestContext): Promise<OfficeRateCounts[]> {
  const facts = factsCte(ctx.f);
  const kf = complaintFactsCte(ctx.f);
  const rows = await ctx.db.all<Record<string, unknown>>(
    `WITH ${facts.sql}, ${kf.sql},
      n AS (SELECT office_id, count(*)::INTEGER AS cases FROM facts GROUP BY office_id),
      k AS (SELECT office_id, count(*)::INTEGER AS complaints,
              count_if(category = 'bribe_request')::INTEGER AS bribes FROM kfacts GROUP BY office_id)
    SELECT o.office_id, o.district, coalesce(n.cases, 0) AS cases, coalesce(k.complaints, 0) AS complaints,
      coalesce(k.bribes, 0) AS bribes
    FROM offices o LEFT JOIN n ON n.office_id = o.office_id LEFT JOIN k ON k.office_id = o.office_id
    WHERE n.cases IS NOT NULL OR k.complaints IS NOT NULL`,
    { ...facts.params, ...kf.params },
  );
  return rows.map((r) => ({
    office_id: String(r.office_id),
    district: Number(r.district),
    cases: Number(r.cases),
    complaints: Number(r.complaints),
    bribes: Number(r.bribes),
  }));
}

export interface ComplaintCount {
  category: string;
  /** null when the export had no source for it */
  source: string | null;
  count: number;
}

/** Complaints of `ctx.f` by category and source (the channel it came in through: 137, 1888, office, online). */
export async function complaintCounts(ctx: RequestContext): Promise<ComplaintCount[]> {
  const kf = complaintFactsCte(ctx.f);
  const rows = await ctx.db.all<Record<string, unknown>>(
    `WITH ${kf.sql}
    SELECT k.category, c.source, count(*)::INTEGER AS n
    FROM kfacts k JOIN complaints c ON c.complaint_id = k.complaint_id
    GROUP BY ALL`,
    kf.params,
  );
  return rows.map((r) => ({
    category: String(r.category),
    source: r.source === null ? null : String(r.source),
    count: Number(r.n),
  }));
}
