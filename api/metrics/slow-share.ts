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
 *
 * DESIGN 13, "the office speed funnels can be computed on office time only": with time=office a
 * case's duration is replaced by its days in the office's own hands (stage-facts.ts: the steps the
 * office completes), for closed cases with at least one event; everything else is the same.
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { cityWide, type Filters, factsCte, type Sql, stepCasesCte } from '../filters.ts';
import { num } from '../lib/sql.ts';

/** Whose time a speed signal measures: the whole case, or only its steps in the office's hands. */
export const SPEED_TIMES = ['total', 'office'] as const;
export type SpeedTime = (typeof SPEED_TIMES)[number];

export const TimeParam = z.enum(SPEED_TIMES).default('total').openapi({
  description:
    "slow_share on the case's whole time (total) or only on its steps in the office's hands (office; needs an event log)",
});

/** The `facts` relation (`facts_<prefix>`) the count reads: case_facts, or its office-time twin. */
function durations(f: Filters, prefix: string, time: SpeedTime): Sql {
  if (time === 'total') return factsCte(f, prefix);
  const c = stepCasesCte(f, prefix);
  return {
    sql: `${c.sql}, ${prefix === 'f' ? 'facts' : `facts_${prefix}`} AS (
      SELECT office_id, district, category, service_code, CASE WHEN dur IS NOT NULL THEN office_days END AS dur
      FROM cases_${prefix})`,
    params: c.params,
  };
}

export interface SlowCount {
  office_id: string;
  district: number;
  category: string;
  n: number;
  slow: number;
}

export async function slowCounts(ctx: RequestContext, time: SpeedTime = 'total'): Promise<SlowCount[]> {
  const facts = durations(ctx.f, 'f', time);
  // the city medians in a statement of their own (and kept): in one statement with the counts, DuckDB
  // stored the selection's rows once for both (ten million cases: 0.5 GB more at once, issue 10)
  const medians = [...(await cityServiceMedians({ ...ctx, f: cityWide(ctx.f) }, time))].filter(
    (e): e is [string, number] => e[1] !== null,
  );
  const rows = await ctx.db.all<Record<string, unknown>>(
    `WITH ${facts.sql},
      med AS (SELECT unnest($med_s::VARCHAR[]) AS service_code, unnest($med_m::DOUBLE[]) AS m)
    SELECT f.office_id, f.district, coalesce(f.category, '') AS category,
      count(*)::INTEGER AS n, count_if(f.dur > med.m)::INTEGER AS slow
    FROM facts f JOIN med ON med.service_code = f.service_code
    WHERE f.dur IS NOT NULL
    GROUP BY ALL`,
    {
      ...facts.params,
      med_s: JSON.stringify(medians.map(([k]) => k)),
      med_m: JSON.stringify(medians.map(([, m]) => m)),
    },
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
 * With time=office, the medians of the cases' days in the office's hands (as `slowCounts` then).
 */
export function cityServiceMedians(
  city: RequestContext,
  time: SpeedTime = 'total',
): Promise<Map<string, number | null>> {
  const key = `cityServiceMedians ${JSON.stringify(city.f)}${time === 'total' ? '' : ` ${time}`}`;
  return city.cache.get(key, async () => {
    const b = durations(city.f, 'r', time);
    const rows = await city.db.all<{ service_code: string; cm: unknown }>(
      `WITH ${b.sql} SELECT service_code, quantile_cont(dur, 0.5) AS cm FROM facts_r GROUP BY service_code`,
      b.params,
    );
    return new Map(rows.map((r) => [String(r.service_code), num(r.cm)]));
  });
}

/**
 * The `facts` CTE of the case list (cases.ts) for basis=slow_share&time=office: the filtered
 * case_facts rows of the cases with at least one event, each case's duration replaced by its days in
 * the office's hands when it is closed (NULL otherwise), so the list holds the cases `slowCounts`
 * counts on office time, compared with the same medians.
 */
export function officeTimeFactsCte(f: Filters): Sql {
  const b = factsCte(f, 'all');
  return {
    sql: `${b.sql}, facts AS (
      SELECT a.* REPLACE (CASE WHEN a.dur IS NOT NULL THEN s.office_days END AS dur)
      FROM facts_all a JOIN case_step_facts s ON s.case_id = a.case_id)`,
    params: b.params,
  };
}
