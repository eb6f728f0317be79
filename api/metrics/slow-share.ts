/**
 * DESIGN 4: case-mix-adjusted speed. A closed case is slow when its duration is strictly above the
 * median (quantile_cont) of closed cases of the same service, city-wide. "Same filters without the
 * group filter": the reference medians keep the date window, service, category and channel filters
 * but drop both location filters (district and office) and the user's district scope, so with district=7 & by=office an office is
 * compared with the city, not with its own district. Counted per (office, category) so one scan
 * serves office, district and per-category scopes.
 *
 * Tested for unusual values with funnel limits (DESIGN 6, funnel.ts: GET /api/funnel?metric=slow_share)
 * and flagged as `slow` / `suspiciously_fast` (DESIGN 7, outliers.ts); shown as the offices view's and
 * districts view's funnel plots (web/charts/funnel.ts) and the overview map's slow_share colouring.
 */
import type { RequestContext } from '../context.ts';
import { cityWide, factsCte } from '../filters.ts';
import { num } from '../lib/sql.ts';

export interface SlowCount {
  office_id: string;
  district: number;
  category: string;
  n: number;
  slow: number;
}

export async function slowCounts(ctx: RequestContext): Promise<SlowCount[]> {
  const facts = factsCte(ctx.f, 'f');
  const ref = factsCte(cityWide(ctx.f), 'r');
  const rows = await ctx.db.all<Record<string, unknown>>(
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

/**
 * The reference of DESIGN 4: the city median of closed cases per service, for every service at once
 * (the same medians `slowCounts` compares with), for `city` filters without location or scope. The
 * same for every office, so computed once per dataset and filter set; used by an office's service
 * mix and by the cases behind a slow_share flag (cases.ts), which marks each case slower or not.
 */
export function cityServiceMedians(city: RequestContext): Promise<Map<string, number | null>> {
  return city.cache.get(`cityServiceMedians ${JSON.stringify(city.f)}`, async () => {
    const b = factsCte(city.f, 'r');
    const rows = await city.db.all<{ service_code: string; cm: unknown }>(
      `WITH ${b.sql} SELECT service_code, quantile_cont(dur, 0.5) AS cm FROM facts_r GROUP BY service_code`,
      b.params,
    );
    return new Map(rows.map((r) => [String(r.service_code), num(r.cm)]));
  });
}
