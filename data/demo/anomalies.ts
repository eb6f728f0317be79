/**
 * The planted anomalies and the flags the outlier method (DESIGN.md metric definitions 4–7) should
 * raise for them. Choices are drawn from the seed; no office carries two anomalies, each office
 * anomaly sits in its own district, and the slow districts' offices carry none, so every expected
 * flag has exactly one cause.
 */
import type { ServiceCategory } from './catalogue.ts';
import { type DemoOffice, DISTRICT_POPULATION } from './offices.ts';
import type { Rng } from './random.ts';

export type AnomalyKind =
  | 'slow_district'
  | 'slow_office'
  | 'fast_permits'
  | 'complaints'
  | 'bribe_reports'
  /** One operator holds most offices of a district (DESIGN 16; planted in access.ts, no outlier flag). */
  | 'operator_monopoly';
export type Signal = 'slow' | 'suspiciously_fast' | 'complaints' | 'bribe_reports';

export interface Anomaly {
  id: string;
  kind: AnomalyKind;
  district?: number;
  office_id?: string;
  category?: ServiceCategory;
  /** operator_monopoly: the operator and the offices it holds. */
  operator?: string;
  office_ids?: string[];
  factor: number;
  description_en: string;
}

export interface ExpectedFlag {
  level: 'office' | 'district';
  /** office_id, or the district number as a string. */
  key: string;
  signal: Signal;
  /** 'all' or a service category. */
  scope: string;
  anomaly: string;
  /** true: the direct effect, which the method must find; false: a legitimate consequence. */
  required: boolean;
}

/** What the case generator needs to apply the anomalies quickly. */
export interface AnomalyEffects {
  /** Duration multiplier per office index (slow offices). */
  officeSpeed: Float64Array;
  /** Building-permit duration multiplier per office index (golden signatures). */
  officePermitSpeed: Float64Array;
  /** Building-permit volume multiplier per office index. */
  officePermitVolume: Float64Array;
  /** Complaint-rate multiplier per office index. */
  officeComplaints: Float64Array;
  /** Bribe-report-rate multiplier per office index. */
  officeBribes: Float64Array;
  /** Duration multiplier keyed `${district}:${category}`. */
  districtCategory: Map<string, number>;
}

const ALL_CATEGORIES: readonly ServiceCategory[] = [
  'building_permit',
  'technical_supervision',
  'subdivision',
  'inquiry',
  'fees',
  'business_licence',
  'urban_services',
  'transport',
  'real_estate',
];

/** Bribe reports are rare (about 2 per 1,000 cases): a smaller factor drowns in Poisson noise on the small city. */
export const BRIBE_FACTOR = 12;
const PERMIT_VOLUME_FACTOR = 1.5;
const round = (x: number, digits: number) => Number(x.toFixed(digits));

export interface AnomalyPlan {
  anomalies: Anomaly[];
  expected_flags: ExpectedFlag[];
  effects: AnomalyEffects;
}

export function planAnomalies(rng: Rng, offices: readonly DemoOffice[]): AnomalyPlan {
  const n = offices.length;
  const effects: AnomalyEffects = {
    officeSpeed: new Float64Array(n).fill(1),
    officePermitSpeed: new Float64Array(n).fill(1),
    officePermitVolume: new Float64Array(n).fill(1),
    officeComplaints: new Float64Array(n).fill(1),
    officeBribes: new Float64Array(n).fill(1),
    districtCategory: new Map(),
  };
  const anomalies: Anomaly[] = [];
  const flags: ExpectedFlag[] = [];
  const nextId = () => `A${anomalies.length + 1}`;
  const officesIn = (d: number) => offices.filter((o) => o.district === d);

  // Subdivision is 3% of cases: only a populous district has enough of them to test at min_n 30.
  const populous = DISTRICT_POPULATION.map((p, i) => ({ d: i + 1, p })).filter((x) => x.p >= 300);
  const subdivisionDistrict = rng.pick(populous).d;
  // Permits are a quarter of all cases: a slow district with many offices would make so many offices
  // slow on permits that the office-level over-dispersion φ swallows the golden-signature offices.
  const permitDistrict = rng.pick(
    Array.from({ length: 22 }, (_, i) => i + 1).filter(
      (d) => d !== subdivisionDistrict && officesIn(d).length <= 5,
    ),
  );
  for (const [district, category] of [
    [permitDistrict, 'building_permit'],
    [subdivisionDistrict, 'subdivision'],
  ] as const) {
    const id = nextId();
    const factor = round(rng.uniform(1.9, 2.2), 1);
    anomalies.push({
      id,
      kind: 'slow_district',
      district,
      category,
      factor,
      description_en: `District ${district} processes ${category} services ${factor}× slower than the rest of the city (all its offices).`,
    });
    effects.districtCategory.set(`${district}:${category}`, factor);
    flags.push({
      level: 'district',
      key: String(district),
      signal: 'slow',
      scope: category,
      anomaly: id,
      required: true,
    });
    flags.push({
      level: 'district',
      key: String(district),
      signal: 'slow',
      scope: 'all',
      anomaly: id,
      required: false,
    });
    for (const o of officesIn(district)) {
      flags.push({
        level: 'office',
        key: o.office_id,
        signal: 'slow',
        scope: category,
        anomaly: id,
        required: false,
      });
      flags.push({
        level: 'office',
        key: o.office_id,
        signal: 'slow',
        scope: 'all',
        anomaly: id,
        required: false,
      });
    }
  }

  const freeDistricts = rng.shuffle(
    Array.from({ length: 22 }, (_, i) => i + 1).filter(
      (d) => d !== permitDistrict && d !== subdivisionDistrict,
    ),
  );
  const kinds = (['slow_office', 'fast_permits', 'complaints', 'bribe_reports'] as const).flatMap((k) => [
    k,
    k,
    k,
  ]);
  kinds.forEach((kind, k) => {
    const district = freeDistricts[k];
    // Offices that opened during the data period have less history; plant on a full-history office.
    const fullHistory = officesIn(district).filter((o) => o.first_day === 0);
    const candidates = fullHistory.length > 0 ? fullHistory : officesIn(district);
    // Complaints and bribe reports are counts: plant them on the district's busiest office, where a
    // tripled rate stands out of Poisson noise (a quiet office sees one bribe report in four years).
    const countSignal = kind === 'complaints' || kind === 'bribe_reports';
    const office = countSignal
      ? candidates.reduce((best, o) => (o.volume > best.volume ? o : best))
      : rng.pick(candidates);
    const index = offices.indexOf(office);
    const id = nextId();
    const key = office.office_id;
    const dkey = String(district);
    const add = (level: 'office' | 'district', signal: Signal, scope: string, required: boolean) =>
      flags.push({ level, key: level === 'office' ? key : dkey, signal, scope, anomaly: id, required });
    let factor: number;
    let description: string;
    switch (kind) {
      case 'slow_office':
        factor = round(rng.uniform(2.0, 2.5), 1);
        effects.officeSpeed[index] = factor;
        description = `Office ${key} takes ${factor}× longer than comparable offices on every service.`;
        add('office', 'slow', 'all', true);
        for (const c of ALL_CATEGORIES) add('office', 'slow', c, false);
        add('district', 'slow', 'all', false);
        for (const c of ALL_CATEGORIES) add('district', 'slow', c, false);
        break;
      case 'fast_permits':
        factor = round(rng.uniform(0.15, 0.25), 2);
        effects.officePermitSpeed[index] = factor;
        effects.officePermitVolume[index] = PERMIT_VOLUME_FACTOR;
        description = `Office ${key} clears building-permit services in ${factor}× the usual time and takes ${PERMIT_VOLUME_FACTOR}× the usual permit volume (golden signatures).`;
        add('office', 'suspiciously_fast', 'building_permit', true);
        add('office', 'suspiciously_fast', 'all', false);
        add('district', 'suspiciously_fast', 'building_permit', false);
        add('district', 'suspiciously_fast', 'all', false);
        break;
      case 'complaints':
        factor = 3;
        effects.officeComplaints[index] = factor;
        description = `Office ${key} draws ${factor}× the usual complaint rate, in every complaint category.`;
        add('office', 'complaints', 'all', true);
        add('office', 'bribe_reports', 'all', false);
        add('district', 'complaints', 'all', false);
        add('district', 'bribe_reports', 'all', false);
        break;
      default:
        factor = BRIBE_FACTOR;
        effects.officeBribes[index] = factor;
        description = `Office ${key} draws ${factor}× the usual rate of bribe_request complaints.`;
        add('office', 'bribe_reports', 'all', true);
        add('office', 'complaints', 'all', false);
        add('district', 'bribe_reports', 'all', false);
        add('district', 'complaints', 'all', false);
    }
    // The planted factor replaces the office's own random effect so that it shows at its stated size.
    const o = offices[index];
    if (kind === 'slow_office' || kind === 'fast_permits') o.speed = 1;
    if (kind === 'complaints' || kind === 'bribe_reports') o.complaint_rate = 1;
    anomalies.push({ id, kind, district, office_id: key, factor, description_en: description });
  });
  return { anomalies, expected_flags: flags, effects };
}
