/**
 * DESIGN 5: complaint rate per office = complaints / cases (× 1000 for display) in the window;
 * bribe reports are the complaints of category bribe_request. Cases are counted by submitted_at,
 * complaints by received_at, both under the same filters.
 */
import type { Db } from '../db.ts';
import type { Filters } from '../filters.ts';
import { complaintFactsCte, factsCte } from './base.ts';

export interface OfficeRateCounts {
  office_id: string;
  district: number;
  cases: number;
  complaints: number;
  bribes: number;
}

export async function rateCounts(db: Db, f: Filters, asOfS: number | null): Promise<OfficeRateCounts[]> {
  const facts = factsCte(f, asOfS);
  const kf = complaintFactsCte(f);
  const rows = await db.all<Record<string, unknown>>(
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
