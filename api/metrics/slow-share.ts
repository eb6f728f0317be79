/**
 * DESIGN 4: case-mix-adjusted speed. A closed case is slow when its duration is strictly above the
 * median (quantile_cont) of closed cases of the same service, city-wide. "Same filters without the
 * group filter": the reference medians keep the date window, service, category and channel filters
 * but drop both location filters (district and office) and the user's district scope, so with district=7 & by=office an office is
 * compared with the city, not with its own district. Counted per (office, category) so one scan
 * serves office, district and per-category scopes.
 */
import type { Db } from '../db.ts';
import { cityWide, type Filters } from '../filters.ts';
import { factsCte } from './base.ts';
import { officeTimeFactsCte } from './stage-facts.ts';

/** Whose time a speed signal measures: the whole case, or only its steps in the office's hands. */
export const SPEED_TIMES = ['total', 'office'] as const;
export type SpeedTime = (typeof SPEED_TIMES)[number];

export interface SlowCount {
  office_id: string;
  district: number;
  category: string;
  n: number;
  slow: number;
}

export async function slowCounts(
  db: Db,
  f: Filters,
  asOfS: number | null,
  time: SpeedTime = 'total',
): Promise<SlowCount[]> {
  const cte = time === 'office' ? officeTimeFactsCte : (g: Filters, p: string) => factsCte(g, asOfS, p);
  const facts = cte(f, 'f');
  const ref = cte(cityWide(f), 'r');
  const rows = await db.all<Record<string, unknown>>(
    `WITH ${facts.sql}, ${ref.sql},
      med AS (SELECT service_code, quantile_cont(dur, 0.5) AS m FROM facts_r WHERE dur IS NOT NULL GROUP BY service_code)
    SELECT f.office_id, f.district, coalesce(f.category, '') AS category,
      count(*)::INTEGER AS n, count_if(f.dur > med.m)::INTEGER AS slow
    FROM facts f JOIN med ON med.service_code = f.service_code
    WHERE f.dur IS NOT NULL
    GROUP BY ALL`,
    { ...facts.params, ...ref.params },
  );
  return rows.map((r) => ({
    office_id: String(r.office_id),
    district: Number(r.district),
    category: String(r.category),
    n: Number(r.n),
    slow: Number(r.slow),
  }));
}
