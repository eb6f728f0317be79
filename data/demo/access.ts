/**
 * The demo city's access data (DESIGN metric 16): district populations and the offices' operators
 * (licensees), with one planted monopoly written into the ground truth.
 *
 * Populations are synthetic and say so in their `source`: the approximate district shares of
 * DISTRICT_POPULATION (offices.ts), scaled by largest remainder to sum exactly to the 2016 (1395)
 * census total for Tehran, 8,693,706 residents. The largest district holds about 10.6% of the city,
 * the smallest about 2.0%.
 *
 * Operators: most offices are held by an operator of their own; a few chains hold 2–4 offices, never
 * two in one district (so they do not change any district's concentration); and one operator is
 * planted to hold three quarters of the offices of one large district: that district's HHI over
 * operators far exceeds its HHI over offices, which no other district shows.
 */
import type { Anomaly } from './anomalies.ts';
import { type DemoOffice, DISTRICT_POPULATION } from './offices.ts';
import type { Rng } from './random.ts';

export const TEHRAN_2016_CENSUS_TOTAL = 8_693_706;
export const POPULATION_YEAR = 2016;
/** In both languages: the dashboard shows the source as loaded, whatever its language. */
export const POPULATION_SOURCE =
  'synthetic (Shafaf demo city): approximate district shares scaled to the 2016 census total of 8,693,706 for Tehran; not official figures' +
  ' — ساختگی (شهر نمونه شفاف): سهم تقریبی مناطق، هم‌جمع با جمعیت تهران در سرشماری ۱۳۹۵ (۸٬۶۹۳٬۷۰۶ نفر)؛ آمار رسمی نیست';

/** District populations (index = district − 1), summing exactly to TEHRAN_2016_CENSUS_TOTAL. */
export function districtPopulations(total = TEHRAN_2016_CENSUS_TOTAL): number[] {
  const sum = DISTRICT_POPULATION.reduce((s, p) => s + p, 0);
  const exact = DISTRICT_POPULATION.map((p) => (p / sum) * total);
  const out = exact.map(Math.floor);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  let left = total - out.reduce((s, p) => s + p, 0);
  for (let k = 0; left > 0; k++, left--) out[order[k].i]++;
  return out;
}

/** The planted monopoly holds this share of its district's offices (rounded). */
const MONOPOLY_SHARE = 0.75;
/** Only a district with at least this many offices can show a monopoly that is not just "few offices". */
const MONOPOLY_MIN_OFFICES = 6;
const CHAINS = 5;

export interface OperatorPlan {
  /** office_id → operator id. */
  operatorOf: Map<string, string>;
  monopoly: { operator: string; district: number; office_ids: string[]; district_offices: number };
}

export function planOperators(rng: Rng, offices: readonly DemoOffice[]): OperatorPlan {
  const byDistrict = new Map<number, DemoOffice[]>();
  for (const o of offices) byDistrict.set(o.district, [...(byDistrict.get(o.district) ?? []), o]);
  const large = [...byDistrict.entries()].filter(([, list]) => list.length >= MONOPOLY_MIN_OFFICES);
  const [district, list] = rng.pick(large);
  const held = new Set(
    rng
      .shuffle(list)
      .slice(0, Math.round(MONOPOLY_SHARE * list.length))
      .map((o) => o.office_id),
  );

  // Chains: each takes 2–4 offices from different districts, outside the monopoly's district.
  const group = new Map<string, number>(); // office_id → holder index (0 = the monopoly)
  for (const id of held) group.set(id, 0);
  const free = rng.shuffle(offices.filter((o) => o.district !== district));
  for (let chain = 1; chain <= CHAINS; chain++) {
    const size = 2 + rng.int(3);
    const used = new Set<number>();
    for (const o of free) {
      if (used.size === size) break;
      if (group.has(o.office_id) || used.has(o.district)) continue;
      group.set(o.office_id, chain);
      used.add(o.district);
    }
  }

  // Ids in office order, so the numbering reads naturally and does not depend on the draws' order.
  const idOf = new Map<string, string>();
  const operatorOf = new Map<string, string>();
  for (const o of offices) {
    const g = group.get(o.office_id);
    const holder = g === undefined ? `own:${o.office_id}` : `group:${g}`;
    let id = idOf.get(holder);
    if (!id) {
      id = `OP-${String(idOf.size + 1).padStart(3, '0')}`;
      idOf.set(holder, id);
    }
    operatorOf.set(o.office_id, id);
  }
  return {
    operatorOf,
    monopoly: {
      operator: idOf.get('group:0') as string,
      district,
      office_ids: [...held].sort(),
      district_offices: list.length,
    },
  };
}

/** The monopoly as a ground-truth anomaly: `factor` is the share of its district's offices it holds. */
export function monopolyAnomaly(id: string, m: OperatorPlan['monopoly']): Anomaly {
  const share = m.office_ids.length / m.district_offices;
  return {
    id,
    kind: 'operator_monopoly',
    district: m.district,
    operator: m.operator,
    office_ids: m.office_ids,
    factor: Number(share.toFixed(2)),
    description_en: `Operator ${m.operator} holds ${m.office_ids.length} of the ${m.district_offices} offices of district ${m.district}: its HHI over operators is far above its HHI over offices.`,
  };
}
