/**
 * The demo city's event log (issue 11): every case gets the steps of its service category's route,
 * following Tehran's real sequence (a building permit: file opening and document check at the office →
 * site visit → planning instruction (دستور نقشه) → design by the applicant's engineer → fee assessment
 * → payment → technical review → permit issue; shorter routes for inquiries, fees and licences), with
 * the actor who holds the case in each step, start events (waiting, then processing) for some
 * municipality steps, and rework loops (the technical review sends the design back to the engineer).
 *
 * The step times split each case's existing duration, so closed_at − submitted_at and every metric on
 * whole cases stay exactly as before: the last step completes at closed_at. A case's split starts
 * from the route's typical weights with noise; the planted anomalies then decide where their extra
 * time sits: a slow district's extra (factor − 1) goes into one municipality stage, a slow office's
 * into its own stages (file opening and issue). Rejected and withdrawn cases stop part-way; open cases
 * have the steps completed by the as-of time.
 *
 * Planted stage-level truth (ground truth `stage_truth`): the slow districts' stage; the slow offices'
 * own stages; a district that sends business licences through an extra inquiry; a district whose
 * technical review of building permits sends much more back for rework.
 *
 * Draws come from their own random stream, so the cases and complaints are the same as without stages.
 */
import type { Anomaly } from './anomalies.ts';
import type { DemoService, ServiceCategory } from './catalogue.ts';
import type { DemoOffice } from './offices.ts';
import type { Rng } from './random.ts';

export type StageActor = 'office' | 'municipality' | 'citizen' | 'other';

/** [code, Persian name, English name, actor] — codes are stable (tests and the ground truth use them). */
export const DEMO_STAGES = [
  ['intake', 'تشکیل پرونده و بررسی مدارک', 'File opening and document check', 'office'],
  ['site_visit', 'بازدید میدانی', 'Site visit', 'municipality'],
  ['planning_instruction', 'صدور دستور نقشه', 'Planning instruction', 'municipality'],
  ['engineer_design', 'تهیه نقشه توسط مهندس طراح', "Design by the applicant's engineer", 'citizen'],
  ['fee_assessment', 'محاسبه عوارض', 'Fee assessment', 'municipality'],
  ['payment', 'پرداخت عوارض', 'Fee payment', 'citizen'],
  ['technical_review', 'بررسی فنی نقشه‌ها', 'Technical review of the drawings', 'municipality'],
  ['supervisor_report', 'گزارش مهندس ناظر', "Supervising engineer's report", 'citizen'],
  ['registry_check', 'استعلام ثبتی', 'Land registry check', 'other'],
  ['agency_inquiry', 'استعلام از دستگاه‌های دیگر', 'Inquiry to other agencies', 'other'],
  ['district_approval', 'تأیید شهرداری منطقه', "District municipality's approval", 'municipality'],
  ['extra_inquiry', 'استعلام تکمیلی منطقه', "The district's additional inquiry", 'municipality'],
  ['issue', 'صدور و تحویل', 'Issue and delivery', 'office'],
] as const satisfies readonly (readonly [string, string, string, StageActor])[];

export type StageCode = (typeof DEMO_STAGES)[number][0];
const STAGE_INDEX = new Map<string, number>(DEMO_STAGES.map((s, i) => [s[0], i]));
const ix = (code: StageCode) => STAGE_INDEX.get(code) as number;

/** Each category's route: [stage, typical share of the case's time]. */
const ROUTES: Record<ServiceCategory, readonly [StageCode, number][]> = {
  building_permit: [
    ['intake', 0.04],
    ['site_visit', 0.12],
    ['planning_instruction', 0.14],
    ['engineer_design', 0.22],
    ['fee_assessment', 0.05],
    ['payment', 0.08],
    ['technical_review', 0.2],
    ['issue', 0.05],
  ],
  technical_supervision: [
    ['intake', 0.08],
    ['supervisor_report', 0.35],
    ['site_visit', 0.25],
    ['district_approval', 0.22],
    ['issue', 0.1],
  ],
  subdivision: [
    ['intake', 0.04],
    ['registry_check', 0.2],
    ['site_visit', 0.16],
    ['technical_review', 0.2],
    ['fee_assessment', 0.06],
    ['payment', 0.08],
    ['district_approval', 0.18],
    ['issue', 0.06],
  ],
  inquiry: [
    ['intake', 0.1],
    ['agency_inquiry', 0.75],
    ['issue', 0.15],
  ],
  fees: [
    ['intake', 0.2],
    ['fee_assessment', 0.35],
    ['payment', 0.45],
  ],
  business_licence: [
    ['intake', 0.07],
    ['agency_inquiry', 0.35],
    ['site_visit', 0.2],
    ['district_approval', 0.28],
    ['issue', 0.1],
  ],
  urban_services: [
    ['intake', 0.1],
    ['site_visit', 0.35],
    ['district_approval', 0.4],
    ['issue', 0.15],
  ],
  transport: [
    ['intake', 0.15],
    ['district_approval', 0.65],
    ['issue', 0.2],
  ],
  real_estate: [
    ['intake', 0.05],
    ['registry_check', 0.22],
    ['site_visit', 0.15],
    ['district_approval', 0.25],
    ['fee_assessment', 0.08],
    ['payment', 0.15],
    ['issue', 0.1],
  ],
};

/** Rework: the review stage sends the case back to the stage before it, which is then done again. */
const loopOf = (stage: StageCode, back: StageCode, rate: number) => ({
  stage,
  back,
  rate,
  stageIndex: ix(stage),
  backIndex: ix(back),
});
const REWORK: Partial<Record<ServiceCategory, ReturnType<typeof loopOf>>> = {
  building_permit: loopOf('technical_review', 'engineer_design', 0.08),
  subdivision: loopOf('technical_review', 'site_visit', 0.05),
  technical_supervision: loopOf('district_approval', 'supervisor_report', 0.04),
  business_licence: loopOf('district_approval', 'site_visit', 0.03),
};

/** The stage where a slow district's extra time sits, per category of its slowness. */
const SLOW_STAGE: Partial<Record<ServiceCategory, StageCode>> = {
  building_permit: 'technical_review',
  subdivision: 'site_visit',
};

/** Municipality steps that log a start event (waiting, then processing), with this probability. */
const START_SHARE = 0.6;
const WITH_START = new Set<number>(
  (['site_visit', 'technical_review', 'district_approval'] as const).map((c) => STAGE_INDEX.get(c) as number),
);
/** Outside the planted district, a few business licences also pass the extra inquiry. */
const EXTRA_BASE_SHARE = 0.02;
const EXTRA_PLANTED_SHARE = 0.4;
const EXTRA_CATEGORY: ServiceCategory = 'business_licence';
const REWORK_PLANTED_RATE = 0.35;
const REWORK_CATEGORY: ServiceCategory = 'building_permit';

export interface StageTruth {
  id: string;
  kind: 'slow_stage' | 'slow_office_stages' | 'extra_step' | 'rework';
  /** The case-level anomaly this refines (slow_district, slow_office), if any. */
  anomaly?: string;
  district: number;
  office_id?: string;
  category: ServiceCategory | 'all';
  stage?: StageCode;
  actor: StageActor;
  factor?: number;
  share?: number;
  base_share?: number;
  description_en: string;
}

export interface StagePlan {
  truth: StageTruth[];
  /** Per office index: where a slow district's or office's extra time goes. */
  districtSlow: Map<string, { stage: number; factor: number }>;
  officeSlow: Float64Array;
  extraDistrict: number;
  reworkDistrict: number;
}

/**
 * The stage-level truth, from the case-level anomalies plus two new districts (drawn from `rng`,
 * away from the slow districts): one adds an extra inquiry to business licences, one sends many
 * building permits back from the technical review.
 */
export function planStages(
  rng: Rng,
  anomalies: readonly Anomaly[],
  offices: readonly DemoOffice[],
): StagePlan {
  const truth: StageTruth[] = [];
  const districtSlow = new Map<string, { stage: number; factor: number }>();
  const officeSlow = new Float64Array(offices.length).fill(1);
  const nextId = () => `S${truth.length + 1}`;
  for (const a of anomalies) {
    if (a.kind === 'slow_district' && a.district !== undefined && a.category) {
      const stage = SLOW_STAGE[a.category] ?? 'district_approval';
      districtSlow.set(`${a.district}:${a.category}`, { stage: ix(stage), factor: a.factor });
      truth.push({
        id: nextId(),
        kind: 'slow_stage',
        anomaly: a.id,
        district: a.district,
        category: a.category,
        stage,
        actor: 'municipality',
        factor: a.factor,
        description_en: `District ${a.district}'s ${a.category} cases are slow in one municipality stage, ${stage}: it holds the extra (${a.factor} − 1) × the usual case time; the offices' own stages take their usual time.`,
      });
    }
  }
  for (const a of anomalies) {
    if (a.kind === 'slow_office' && a.office_id && a.district !== undefined) {
      const o = offices.findIndex((x) => x.office_id === a.office_id);
      officeSlow[o] = a.factor;
      truth.push({
        id: nextId(),
        kind: 'slow_office_stages',
        anomaly: a.id,
        district: a.district,
        office_id: a.office_id,
        category: 'all',
        actor: 'office',
        factor: a.factor,
        description_en: `Office ${a.office_id} is slow in its own stages only (file opening and issue): they hold the extra (${a.factor} − 1) × the usual case time.`,
      });
    }
  }
  const slowDistricts = new Set(anomalies.filter((a) => a.kind === 'slow_district').map((a) => a.district));
  const free = rng.shuffle(
    Array.from({ length: 22 }, (_, i) => i + 1).filter(
      (d) => !slowDistricts.has(d) && offices.some((o) => o.district === d),
    ),
  );
  const [extraDistrict, reworkDistrict] = free;
  truth.push({
    id: nextId(),
    kind: 'extra_step',
    district: extraDistrict,
    category: EXTRA_CATEGORY,
    stage: 'extra_inquiry',
    actor: 'municipality',
    share: EXTRA_PLANTED_SHARE,
    base_share: EXTRA_BASE_SHARE,
    description_en: `District ${extraDistrict} sends ${EXTRA_PLANTED_SHARE * 100}% of its business licences through an additional inquiry (extra_inquiry), against ${EXTRA_BASE_SHARE * 100}% elsewhere.`,
  });
  truth.push({
    id: nextId(),
    kind: 'rework',
    district: reworkDistrict,
    category: REWORK_CATEGORY,
    stage: 'technical_review',
    actor: 'municipality',
    share: REWORK_PLANTED_RATE,
    base_share: REWORK.building_permit?.rate,
    description_en: `District ${reworkDistrict}'s technical review sends ${REWORK_PLANTED_RATE * 100}% of building permits back to the engineer for rework, against ${(REWORK.building_permit?.rate ?? 0) * 100}% elsewhere.`,
  });
  return { truth, districtSlow, officeSlow, extraDistrict, reworkDistrict };
}

/** One event as small integers: its case, its number within the case (export order), stage, time. */
export interface EventRow {
  caseIndex: number;
  k: number;
  stage: number;
  atSec: number;
  start: boolean;
}

export interface EventSink {
  onEvent(row: EventRow): void;
}

/** The facts of a case the stages need (from the case generator's row). */
export interface CaseForStages {
  index: number;
  office: number;
  service: number;
  submittedSec: number;
  /** −1 while open. */
  closedSec: number;
  /** 0 open, 1 completed, 2 rejected, 3 withdrawn. */
  status: number;
  /** The case's full planned duration in seconds (an open case's steps follow it up to the as-of time). */
  plannedSec: number;
}

const IS_OFFICE = DEMO_STAGES.map((s) => s[3] === 'office');
const APPROVAL = ix('district_approval');
const EXTRA = ix('extra_inquiry');
/** Lognormal step-time noise, exp(0.45·z), drawn once: one random integer per step picks a value. */
const NOISE = (() => {
  const n = 4096;
  const out = new Float64Array(n);
  // A fixed Box–Muller pass: the same table on every run, so the seed alone decides the city.
  let seed = 0x9e3779b9;
  const u = () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return (seed + 0.5) / 4294967296;
  };
  for (let i = 0; i < n; i++)
    out[i] = Math.exp(0.45 * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
  return out;
})();

/** Generates the events of each case into a sink; one instance per generation run. */
export class StageGenerator {
  private readonly routes: { stage: number; weight: number }[][];
  private readonly categories: ServiceCategory[];
  private readonly stages: number[] = [];
  private readonly weights: number[] = [];
  private readonly event: EventRow = { caseIndex: 0, k: 0, stage: 0, atSec: 0, start: false };
  private readonly officeDistrict: number[];
  /** Per office × service: the stage holding a slow district's extra time (−1: none) and its factor. */
  private readonly slowStage: Int16Array;
  private readonly slowFactor: Float64Array;
  private readonly serviceCount: number;

  constructor(
    private readonly rng: Rng,
    private readonly plan: StagePlan,
    offices: readonly DemoOffice[],
    services: readonly DemoService[],
    private readonly asOfSec: number,
    private readonly sink: EventSink,
  ) {
    this.categories = services.map((s) => s.category);
    this.routes = services.map((s) =>
      ROUTES[s.category].map(([code, w]) => ({ stage: ix(code), weight: w })),
    );
    this.officeDistrict = offices.map((o) => o.district);
    this.serviceCount = services.length;
    this.slowStage = new Int16Array(offices.length * services.length).fill(-1);
    this.slowFactor = new Float64Array(offices.length * services.length).fill(1);
    offices.forEach((o, oi) => {
      services.forEach((sv, si) => {
        const slow = plan.districtSlow.get(`${o.district}:${sv.category}`);
        if (slow) {
          this.slowStage[oi * services.length + si] = slow.stage;
          this.slowFactor[oi * services.length + si] = slow.factor;
        }
      });
    });
  }

  onCase(c: CaseForStages): void {
    const { rng, stages, weights } = this;
    const category = this.categories[c.service];
    const district = this.officeDistrict[c.office];
    const e = this.event;
    stages.length = 0;
    weights.length = 0;
    // The route, with the district's extra inquiry and the review's rework loop.
    const rework = REWORK[category];
    const reworkRate =
      rework && category === REWORK_CATEGORY && district === this.plan.reworkDistrict
        ? REWORK_PLANTED_RATE
        : (rework?.rate ?? 0);
    const extra =
      category === EXTRA_CATEGORY &&
      rng.chance(district === this.plan.extraDistrict ? EXTRA_PLANTED_SHARE : EXTRA_BASE_SHARE);
    const loop = rework !== undefined && rng.chance(reworkRate);
    for (const r of this.routes[c.service]) {
      if (extra && r.stage === APPROVAL) {
        stages.push(EXTRA);
        weights.push(0.25 * NOISE[rng.nextU32() & 4095]);
      }
      stages.push(r.stage);
      weights.push(r.weight * NOISE[rng.nextU32() & 4095]);
      if (loop && r.stage === rework.stageIndex) {
        stages.push(rework.backIndex, r.stage);
        weights.push(
          r.weight * 0.6 * NOISE[rng.nextU32() & 4095],
          r.weight * 0.5 * NOISE[rng.nextU32() & 4095],
        );
      }
    }
    // Where the planted extra time sits: the share of the weights it adds, (factor − 1) of the base.
    let sum = 0;
    for (const w of weights) sum += w;
    const cell = c.office * this.serviceCount + c.service;
    const slowStage = this.slowStage[cell];
    if (slowStage >= 0) {
      const k = stages.lastIndexOf(slowStage);
      if (k >= 0) weights[k] += (this.slowFactor[cell] - 1) * sum;
    }
    const officeFactor = this.plan.officeSlow[c.office];
    if (officeFactor !== 1) {
      let own = 0;
      for (let i = 0; i < stages.length; i++) if (IS_OFFICE[stages[i]]) own += weights[i];
      if (own > 0) {
        const scale = 1 + ((officeFactor - 1) * sum) / own;
        for (let i = 0; i < stages.length; i++) if (IS_OFFICE[stages[i]]) weights[i] *= scale;
      }
    }
    sum = 0;
    for (const w of weights) sum += w;

    // The steps' completion times on the whole planned route. A completed case runs it to closed_at;
    // a rejected or withdrawn one stops in the step that was under way at closed_at, which completes
    // then; an open one has the steps completed by the as-of time (a stuck case stops at a random step).
    // The planned times never depend on where the case stops, so a stage's time is the same whichever
    // way the case ends.
    const total = c.status === 1 ? c.closedSec - c.submittedSec : c.plannedSec;
    let steps = stages.length;
    let cutSec = Number.POSITIVE_INFINITY;
    if (c.status === 2 || c.status === 3) cutSec = c.closedSec;
    else if (c.status === 0) {
      if (c.submittedSec + total <= this.asOfSec) steps = rng.int(stages.length);
      cutSec = this.asOfSec;
    }
    let prev = c.submittedSec;
    let acc = 0;
    e.caseIndex = c.index;
    e.k = 0;
    for (let i = 0; i < steps; i++) {
      acc += weights[i];
      let at =
        i === stages.length - 1 ? c.submittedSec + total : c.submittedSec + Math.round((total * acc) / sum);
      const last = at >= cutSec;
      if (last) {
        if (c.status === 0) break;
        at = cutSec;
      }
      const stage = stages[i];
      if (WITH_START.has(stage) && rng.chance(START_SHARE)) {
        e.stage = stage;
        e.atSec = prev + Math.round((at - prev) * rng.uniform(0.2, 0.8));
        e.start = true;
        this.sink.onEvent(e);
        e.k++;
      }
      e.stage = stage;
      e.atSec = at;
      e.start = false;
      this.sink.onEvent(e);
      e.k++;
      if (last) break;
      prev = at;
    }
  }
}
