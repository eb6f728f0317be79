/**
 * DESIGN metric 16, "Access and capacity: the 'too few offices' question". Per district, for the
 * selection (the filters and the user's districts) and city-wide, over the filtered window:
 *
 * - active offices: offices with at least one case in the window (and the other filters);
 * - residents per office = population / active offices, offices per 100,000 residents, and cases per
 *   1,000 residents per year = cases / population × 1,000 × 365.25 / days — only where the
 *   `districts` table holds a population; otherwise null, never guessed. An aggregate (the
 *   selection, the city) has a population only when every one of its districts has one;
 * - cases per office per day = cases / active offices / days;
 * - online share = online cases / cases whose channel is recorded;
 * - concentration: the Herfindahl–Hirschman index of the offices' shares of the group's cases,
 *   HHI = Σ (100·sᵢ)² (0–10,000), the same over operators (an office with no recorded operator counts
 *   as its own operator), and the largest operator's share. Above 1,800 (on operators) is "highly
 *   concentrated" (US DOJ/FTC Merger Guidelines, 2023).
 *
 * `days` is the length of the window the data covers: from `from` (or, without it, the first
 * submitted_at in the data) to `to` (or, without it, the dataset's as-of time), clipped to that span
 * so that days with no data at all do not dilute the rates. The response says which bounds it used.
 *
 * The whole metric lives here: its SQL, its arithmetic (pure functions, tested by hand in
 * test/api/access-metric.test.ts) and the zod schema of its answer, which the route and the web's
 * types both take from this file.
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import type { Db } from '../db.ts';
import { cityWide, type Filters, factsCte } from '../filters.ts';
import { isoFromEpoch } from '../lib/sql.ts';
import { loadAsOf } from './facts.ts';

export const DESIGN_METRIC = 16;
/** US DOJ/FTC Merger Guidelines (2023), section 2.1: a market with HHI above 1,800 is highly concentrated. */
export const HIGHLY_CONCENTRATED_HHI = 1800;
const YEAR_DAYS = 365.25;
const DAY_S = 86_400;

// ——— response schema (the one source of the answer's shape: the route and the web's types use it) ———

const num = z.number().nullable();

const LargestOperatorSchema = z
  .object({
    key: z.string().openapi({
      description: "'op:<operator>', or 'office:<office_id>' for an office counted as its own operator",
    }),
    operator: z
      .string()
      .nullable()
      .openapi({ description: 'The licensee; null for an office with no recorded operator' }),
    office_id: z
      .string()
      .nullable()
      .openapi({ description: 'The office itself when it is counted as its own operator' }),
    n_cases: z.number(),
    share: z.number(),
  })
  .openapi('AccessLargestOperator');

const figureFields = {
  n_cases: z.number(),
  n_online: z.number(),
  n_channel_known: z
    .number()
    .openapi({ description: 'Cases whose channel is recorded (the online share’s denominator)' }),
  offices_listed: z
    .number()
    .openapi({ description: 'Offices in the offices table for this place, active or not' }),
  active_offices: z
    .number()
    .openapi({ description: 'Offices with at least one case in the window and filters' }),
  population: num.openapi({ description: 'Residents (null: not loaded)' }),
  residents_per_office: num,
  offices_per_100k: num,
  cases_per_1000_residents_year: num,
  cases_per_office_day: num,
  online_share: num,
  hhi_offices: num.openapi({ description: 'Σ (100·share)² over offices, 0–10,000; null without cases' }),
  hhi_operators: num.openapi({ description: 'Σ (100·share)² over operators, 0–10,000; null without cases' }),
  n_operators: z.number().openapi({ description: 'Operators with at least one case' }),
  largest_operator_share: num,
  largest_operator: LargestOperatorSchema.nullable(),
  highly_concentrated: z
    .boolean()
    .nullable()
    .openapi({ description: `hhi_operators > ${HIGHLY_CONCENTRATED_HHI}; null without cases` }),
};

const DistrictRowSchema = z
  .object({
    district: z.number(),
    label: z.string(),
    label_en: z.string(),
    area_km2: num,
    population_year: num,
    population_source: z.string().nullable(),
    ...figureFields,
  })
  .openapi('AccessDistrict');

const AggregateSchema = z
  .object({
    scope: z.enum(['selection', 'city']).openapi({
      description:
        "selection: the filtered places (an inspector's districts); city: the whole city with the same window and service filters (DESIGN 10)",
    }),
    ...figureFields,
  })
  .openapi('AccessAggregate');

const OperatorRowSchema = z
  .object({
    key: z.string(),
    operator: z.string().nullable(),
    office_id: z.string().nullable(),
    offices: z.number().openapi({ description: 'Offices it holds in the selection' }),
    active_offices: z.number(),
    districts: z.array(z.number()),
    n_cases: z.number(),
    share: num.openapi({ description: "Its share of the selection's cases" }),
    largest_in: z.array(z.number()).openapi({ description: 'Districts where it has the most cases' }),
  })
  .openapi('AccessOperator');

export const AccessSchema = z
  .object({
    design_metric: z.literal(DESIGN_METRIC),
    window: z.object({
      from: z.string().nullable(),
      to: z.string().nullable(),
      days: num,
      from_basis: z.enum(['filter', 'data_start']),
      to_basis: z.enum(['filter', 'as_of']),
      note: z.string(),
    }),
    population: z.object({
      loaded: z.boolean(),
      districts_with_population: z.number(),
      districts: z.number(),
      sources: z.array(z.string()),
      years: z.array(z.number()),
    }),
    operators_loaded: z.boolean(),
    highly_concentrated_above: z.number(),
    districts: z.array(DistrictRowSchema),
    total: AggregateSchema,
    city: AggregateSchema,
    operators: z.array(OperatorRowSchema),
  })
  .openapi('Access');

export type AccessResponse = z.infer<typeof AccessSchema>;
export type AccessDistrict = z.infer<typeof DistrictRowSchema>;
export type AccessAggregate = z.infer<typeof AggregateSchema>;
export type AccessOperator = z.infer<typeof OperatorRowSchema>;
type Figures = Omit<AccessAggregate, 'scope'>;

// ——— pure arithmetic ———

/** Herfindahl–Hirschman index of the shares of `counts`: Σ (100·cᵢ/Σc)², 0–10,000; null when Σc = 0. */
export function hhi(counts: readonly number[]): number | null {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total <= 0) return null;
  return counts.reduce((s, c) => s + ((100 * c) / total) ** 2, 0);
}

/** An office's case load in the window, with its operator key. */
export interface OfficeLoad {
  office_id: string;
  district: number;
  operator: string | null;
  n: number;
  online: number;
  known: number;
}

/** Offices without a recorded operator count as their own operator: a key that cannot collide with a name. */
export function operatorKey(officeId: string, operator: string | null): string {
  return operator === null ? `office:${officeId}` : `op:${operator}`;
}

interface OperatorTally {
  key: string;
  operator: string | null;
  office_id: string | null;
  n: number;
}

function tallyOperators(loads: readonly OfficeLoad[]): OperatorTally[] {
  const m = new Map<string, OperatorTally>();
  for (const o of loads) {
    const key = operatorKey(o.office_id, o.operator);
    const t = m.get(key) ?? {
      key,
      operator: o.operator,
      office_id: o.operator === null ? o.office_id : null,
      n: 0,
    };
    t.n += o.n;
    m.set(key, t);
  }
  // Largest first; a tie goes to the key that sorts first, so the answer is stable.
  return [...m.values()].sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : 1));
}

/**
 * Metric 16 for one group of offices. `loads`: the group's offices with at least one case; `listed`:
 * its offices in the offices table; `population`: residents or null; `days`: the window's length.
 */
export function accessFigures(
  loads: readonly OfficeLoad[],
  listed: number,
  population: number | null,
  days: number | null,
  showLargest = true,
): Figures {
  const active = loads.filter((o) => o.n > 0);
  const n = active.reduce((s, o) => s + o.n, 0);
  const online = active.reduce((s, o) => s + o.online, 0);
  const known = active.reduce((s, o) => s + o.known, 0);
  const ops = tallyOperators(active);
  const top = ops[0];
  const hhiOperators = hhi(ops.map((o) => o.n));
  const k = active.length;
  const pop = population !== null && population > 0 ? population : null;
  const perDay = days !== null && days > 0 ? days : null;
  return {
    n_cases: n,
    n_online: online,
    n_channel_known: known,
    offices_listed: listed,
    active_offices: k,
    population,
    residents_per_office: pop !== null && k > 0 ? pop / k : null,
    offices_per_100k: pop !== null ? (k / pop) * 100_000 : null,
    cases_per_1000_residents_year:
      pop !== null && perDay !== null ? (n / pop) * 1000 * (YEAR_DAYS / perDay) : null,
    cases_per_office_day: k > 0 && perDay !== null ? n / k / perDay : null,
    online_share: known > 0 ? online / known : null,
    hhi_offices: hhi(active.map((o) => o.n)),
    hhi_operators: hhiOperators,
    n_operators: ops.length,
    largest_operator_share: top && n > 0 ? top.n / n : null,
    largest_operator:
      showLargest && top && n > 0
        ? { key: top.key, operator: top.operator, office_id: top.office_id, n_cases: top.n, share: top.n / n }
        : null,
    highly_concentrated: hhiOperators === null ? null : hhiOperators > HIGHLY_CONCENTRATED_HHI,
  };
}

export interface AccessWindow {
  startS: number | null;
  endS: number | null;
  days: number | null;
  from_basis: 'filter' | 'data_start';
  to_basis: 'filter' | 'as_of';
}

/**
 * The window's length in days: [from, to) clipped to [first submitted_at in the data, as-of time];
 * a missing bound takes the data's. Null when the window holds no time at all.
 */
export function accessWindow(
  fromS: number | undefined,
  toS: number | undefined,
  dataStartS: number | null,
  asOfS: number | null,
): AccessWindow {
  const useFrom = fromS !== undefined && (dataStartS === null || fromS >= dataStartS);
  const useTo = toS !== undefined && (asOfS === null || toS <= asOfS);
  const startS = useFrom ? (fromS as number) : dataStartS;
  const endS = useTo ? (toS as number) : asOfS;
  const days = startS !== null && endS !== null && endS > startS ? (endS - startS) / DAY_S : null;
  return {
    startS,
    endS,
    days,
    from_basis: useFrom ? 'filter' : 'data_start',
    to_basis: useTo ? 'filter' : 'as_of',
  };
}

// ——— SQL ———

async function officeLoads(
  db: Db,
  f: Filters,
): Promise<Map<string, { n: number; online: number; known: number }>> {
  const facts = factsCte(f);
  const rows = await db.all<{ office_id: string; n: number; online: number; known: number }>(
    `WITH ${facts.sql}
     SELECT office_id, count(*)::INTEGER AS n,
       count(*) FILTER (WHERE channel = 'online')::INTEGER AS online,
       count(channel)::INTEGER AS known
     FROM facts GROUP BY office_id`,
    facts.params,
  );
  return new Map(
    rows.map((r) => [r.office_id, { n: Number(r.n), online: Number(r.online), known: Number(r.known) }]),
  );
}

interface OfficeRow {
  office_id: string;
  district: number;
  operator: string | null;
}

interface PlaceRow {
  district: number;
  population: number | null;
  area_km2: number | null;
  population_year: number | null;
  source: string | null;
}

const sortNum = (a: number, b: number) => a - b;

export async function access(ctx: RequestContext): Promise<AccessResponse> {
  const { db, f, labels } = ctx;
  const city = cityWide(f);
  const sameAsCity = f.district === undefined && f.office === undefined && !f.scope;
  const [offices, places, first, selLoads, cityLoads, asOfS] = await Promise.all([
    db.all<OfficeRow>(
      `SELECT office_id, district::INTEGER AS district, nullif(trim(operator), '') AS operator FROM offices`,
    ),
    db.all<PlaceRow>(
      `SELECT p.district::INTEGER AS district, d.population::DOUBLE AS population, d.area_km2::DOUBLE AS area_km2,
         d.population_year::INTEGER AS population_year, nullif(trim(d.source), '') AS source
       FROM (SELECT district FROM districts UNION SELECT district FROM offices) p
       LEFT JOIN districts d ON d.district = p.district ORDER BY p.district`,
    ),
    db.one<{ s: number | null }>('SELECT min(sub_s)::DOUBLE AS s FROM case_facts'),
    officeLoads(db, f),
    sameAsCity ? Promise.resolve(null) : officeLoads(db, city),
    loadAsOf(db),
  ]);
  const win = accessWindow(f.fromS, f.toS, first?.s ?? null, asOfS);
  const officeDistrict = new Map(offices.map((o) => [o.office_id, Number(o.district)]));

  const inPlace = (d: number) =>
    (!f.scope || f.scope.includes(d)) &&
    (f.district === undefined || d === f.district) &&
    (f.office === undefined || d === officeDistrict.get(f.office));
  const loadOf = (
    o: OfficeRow,
    m: Map<string, { n: number; online: number; known: number }>,
  ): OfficeLoad => ({
    office_id: o.office_id,
    district: Number(o.district),
    operator: o.operator,
    ...(m.get(o.office_id) ?? { n: 0, online: 0, known: 0 }),
  });
  const selOffices = offices.filter(
    (o) => inPlace(Number(o.district)) && (f.office === undefined || o.office_id === f.office),
  );
  const selection = selOffices.map((o) => loadOf(o, selLoads));
  const cityAll = offices.map((o) => loadOf(o, cityLoads ?? selLoads));

  const visible = places.filter((p) => inPlace(Number(p.district)));
  const popOf = (rows: readonly PlaceRow[]): number | null =>
    rows.length > 0 && rows.every((p) => p.population !== null)
      ? rows.reduce((s, p) => s + Number(p.population), 0)
      : null;

  const districts = visible.map((p) => {
    const d = Number(p.district);
    const label = labels.district(d);
    const loads = selection.filter((o) => o.district === d);
    return {
      district: d,
      label: label.fa,
      label_en: label.en,
      area_km2: p.area_km2 === null ? null : Number(p.area_km2),
      population_year: p.population_year === null ? null : Number(p.population_year),
      population_source: p.source,
      ...accessFigures(loads, loads.length, p.population === null ? null : Number(p.population), win.days),
    };
  });
  const total = {
    scope: 'selection' as const,
    ...accessFigures(selection, selection.length, popOf(visible), win.days),
  };
  // The city's largest operator is named only to those who may see the whole city.
  const cityFigures = {
    scope: 'city' as const,
    ...accessFigures(cityAll, cityAll.length, popOf(places), win.days, !f.scope),
  };

  const largestIn = new Map<string, number[]>();
  for (const d of districts) {
    if (d.largest_operator)
      largestIn.set(d.largest_operator.key, [...(largestIn.get(d.largest_operator.key) ?? []), d.district]);
  }
  const byOperator = new Map<string, OfficeLoad[]>();
  for (const o of selection) {
    const key = operatorKey(o.office_id, o.operator);
    byOperator.set(key, [...(byOperator.get(key) ?? []), o]);
  }
  const operators = [...byOperator.entries()]
    .map(([key, list]) => {
      const n = list.reduce((s, o) => s + o.n, 0);
      const operator = list[0].operator;
      return {
        key,
        operator,
        office_id: operator === null ? list[0].office_id : null,
        offices: list.length,
        active_offices: list.filter((o) => o.n > 0).length,
        districts: [...new Set(list.map((o) => o.district))].sort(sortNum),
        n_cases: n,
        share: total.n_cases > 0 ? n / total.n_cases : null,
        largest_in: largestIn.get(key) ?? [],
      };
    })
    .sort((a, b) => b.n_cases - a.n_cases || b.offices - a.offices || (a.key < b.key ? -1 : 1));

  const withPop = visible.filter((p) => p.population !== null);
  return {
    design_metric: DESIGN_METRIC,
    window: {
      from: isoFromEpoch(win.startS),
      to: isoFromEpoch(win.endS),
      days: win.days,
      from_basis: win.from_basis,
      to_basis: win.to_basis,
      note:
        'days = the window the data covers: from `from` (else the first submitted_at in the data) to `to` ' +
        '(else the as-of time), clipped to that span',
    },
    population: {
      loaded: withPop.length > 0,
      districts_with_population: withPop.length,
      districts: visible.length,
      sources: [...new Set(withPop.map((p) => p.source).filter((s): s is string => s !== null))].sort(),
      years: [
        ...new Set(
          withPop
            .map((p) => p.population_year)
            .filter((y): y is number => y !== null)
            .map(Number),
        ),
      ].sort(sortNum),
    },
    operators_loaded: selOffices.some((o) => o.operator !== null),
    highly_concentrated_above: HIGHLY_CONCENTRATED_HHI,
    districts,
    total,
    city: cityFigures,
    operators,
  };
}
