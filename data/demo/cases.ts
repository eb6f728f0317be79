/**
 * Streams the demo city's cases and complaints day by day, office by office, into a sink, so the
 * full size never holds more than one day of rows. Every draw comes from one seeded stream in a
 * fixed order: the same seed gives the same rows.
 *
 * Withdrawn cases get a closed_at (the moment of withdrawal): closed_at is NULL exactly when a case
 * is open. The metrics ignore a withdrawn case's closed_at (DESIGN: neither timed nor censored).
 */
import type { AnomalyEffects } from './anomalies.ts';
import type { CalendarDay } from './calendar.ts';
import { CATEGORY_SHARES, type DemoService, type ServiceCategory } from './catalogue.ts';
import type { DemoOffice } from './offices.ts';
import { AliasTable, type Rng } from './random.ts';

export const STATUS_CODES = ['open', 'completed', 'rejected', 'withdrawn'] as const;
export const CHANNEL_CODES = ['in_person', 'online'] as const;
export const COMPLAINT_CATEGORY_CODES = [
  'delay',
  'bribe_request',
  'misconduct',
  'wrong_information',
  'fee_overcharge',
  'other',
] as const;
export const COMPLAINT_SOURCE_CODES = ['137', '1888', 'office', 'online'] as const;

/** One case as small integers; `closedSec` is -1 while open. Epoch seconds are UTC. */
export interface CaseRow {
  index: number;
  office: number;
  service: number;
  submittedSec: number;
  closedSec: number;
  status: number;
  channel: number;
  /** The full duration the case was drawn with, in seconds (its stages follow it while it is open). */
  plannedSec: number;
}

/** One complaint; `caseIndex`, `resolvedSec` and `substantiated` are -1 when absent. */
export interface ComplaintRow {
  index: number;
  office: number;
  caseIndex: number;
  receivedSec: number;
  category: number;
  source: number;
  resolvedSec: number;
  substantiated: number;
}

export interface Sink {
  onCase(row: CaseRow): void;
  onComplaint(row: ComplaintRow): void;
}

export interface CaseModel {
  days: readonly CalendarDay[];
  asOfSec: number;
  offices: readonly DemoOffice[];
  services: readonly DemoService[];
  effects: AnomalyEffects;
  /** Expected number of cases; volumes are scaled to it. */
  targetCases: number;
}

const DAY_SEC = 86_400;
/** Complaints per case before the office multiplier: about 40 per 1,000 cases overall. */
const COMPLAINT_RATE = 0.039;
/** Shares of complaint categories, in COMPLAINT_CATEGORY_CODES order: delay most, bribe requests a few %. */
const COMPLAINT_SHARES = [0.4, 0.05, 0.14, 0.17, 0.13, 0.11];
const BRIBE_SHARE = COMPLAINT_SHARES[1];
/** For a case past its deadline: delay complaints take over, bribe reports keep their share. */
const BREACHED_SHARES = [0.55, 0.05, 0.1, 0.13, 0.09, 0.08];
/** Sources (137, 1888, office, online): bribe reports go to the inspection line 1888 more often. */
const SOURCE_SHARES = [0.45, 0.2, 0.12, 0.23];
const BRIBE_SOURCE_SHARES = [0.3, 0.45, 0.05, 0.2];
const SUBSTANTIATED = [0.6, 0.3, 0.4, 0.5, 0.45, 0.3];
const UNLINKED_SHARE = 0.15;
const REJECT_SHARE: Record<ServiceCategory, number> = {
  building_permit: 0.12,
  technical_supervision: 0.08,
  subdivision: 0.14,
  inquiry: 0.07,
  fees: 0.03,
  business_licence: 0.09,
  urban_services: 0.08,
  transport: 0.05,
  real_estate: 0.16,
};
const WITHDRAWN_SHARE = 0.03;
/** Files that never close (lost, abandoned): the slow tail of old open cases. */
const STUCK_SHARE = 0.004;
/** Share of cases that wait on another agency: their duration gets a long right tail. */
const TAIL_SHARE = 0.07;
/** Inquiries and fees got faster as the e-services matured (per year since 1400). */
const DIGITAL_SPEEDUP_PER_YEAR = 0.06;

/** In-person arrivals by hour, 8:00–15:59 (Saturday–Wednesday); Thursday offices close at 13:00. */
const IN_PERSON_HOURS = [0.9, 1.3, 1.4, 1.3, 1.0, 0.8, 0.7, 0.5];
/** Online submissions by hour of day. */
const ONLINE_HOURS = [
  0.5, 0.25, 0.1, 0.05, 0.05, 0.1, 0.3, 0.6, 0.9, 1.2, 1.3, 1.3, 1.1, 1.0, 1.0, 0.95, 0.9, 0.9, 0.95, 1.0,
  1.1, 1.15, 1.0, 0.8,
];
/** Volume by weekday (Sunday = 0 … Saturday = 6); Friday is the weekend. */
const IN_PERSON_WEEKDAY = [1.05, 1.0, 1.0, 0.95, 0.5, 0, 1.1];
const ONLINE_WEEKDAY = [1.0, 1.0, 1.0, 1.0, 0.8, 0.55, 1.0];
/** Volume by Solar Hijri month; Esfand is the year-end rush for fees and renewals. */
const MONTH_FACTOR = [1.0, 1.05, 1.0, 0.95, 0.95, 1.0, 1.05, 1.05, 1.0, 1.0, 1.05, 1.12];

interface DayFactors {
  inPerson: number;
  online: number;
}

/** Nowruz: offices close for 1–4 and 12–13 Farvardin and citizens travel for the first two weeks. */
function nowruz(day: CalendarDay): DayFactors {
  if (day.jm === 12 && day.jd >= 25 && !day.holiday) return { inPerson: 1.2, online: 1.15 };
  if (day.jm !== 1 || day.jd > 15) return { inPerson: 1, online: 1 };
  if (day.jd <= 4 || day.jd === 12 || day.jd === 13) return { inPerson: 0, online: 0.3 };
  if (day.jd <= 11) return { inPerson: 0.35, online: 0.45 };
  return { inPerson: 0.75, online: 0.8 };
}

function dayFactors(day: CalendarDay, dayIndex: number, dayCount: number, noise: number): DayFactors {
  const t = dayIndex / (dayCount - 1);
  const onlineShare = 0.25 + 0.37 * t;
  const base = (1 + (0.06 * dayIndex) / 365.25) * noise;
  const month = MONTH_FACTOR[day.jm - 1];
  const n = nowruz(day);
  const holidayInPerson = day.holiday ? 0 : 1;
  const holidayOnline = day.holiday ? 0.5 : 1;
  return {
    inPerson:
      base * month * (1 - onlineShare) * IN_PERSON_WEEKDAY[day.weekday] * holidayInPerson * n.inPerson,
    online: base * month * onlineShare * ONLINE_WEEKDAY[day.weekday] * holidayOnline * n.online,
  };
}

function pickIndex(rng: Rng, shares: readonly number[]): number {
  let u = rng.next();
  for (let i = 0; i < shares.length - 1; i++) {
    u -= shares[i];
    if (u < 0) return i;
  }
  return shares.length - 1;
}

/** Runs the whole simulation into `sink`; returns the numbers of cases and complaints. */
export function generateCases(
  model: CaseModel,
  rng: Rng,
  sink: Sink,
  onDay?: (dayIndex: number, casesSoFar: number) => void,
): { cases: number; complaints: number } {
  const { days, offices, services, effects, asOfSec } = model;
  const dayCount = days.length;
  const categories = services.map((s) => s.category);
  const isPermit = categories.map((c) => c === 'building_permit');
  const normalMix = new AliasTable(services.map((s) => s.share));
  const permitHeavyMix = new Map<number, AliasTable>();
  for (const f of new Set(effects.officePermitVolume)) {
    if (f !== 1)
      permitHeavyMix.set(f, new AliasTable(services.map((s, i) => s.share * (isPermit[i] ? f : 1))));
  }
  const officeMix = offices.map((_, o) => {
    const f = effects.officePermitVolume[o];
    // A permit-heavy office does more permits on top of its usual work, not instead of it.
    const extra = f === 1 ? 1 : 1 + CATEGORY_SHARES.building_permit * (f - 1);
    return { table: permitHeavyMix.get(f) ?? normalMix, volume: offices[o].volume * extra };
  });
  const logMedian = services.map((s) => Math.log(s.median_days));
  const fastDigital = categories.map((c) => c === 'inquiry' || c === 'fees');
  const slowBody = services.map((s) => s.median_days >= 2);
  const districtFactor = offices.map((o) =>
    services.map((s) => effects.districtCategory.get(`${o.district}:${s.category}`) ?? 1),
  );
  const rejectShare = categories.map((c) => REJECT_SHARE[c]);
  const inPersonHours = new AliasTable(IN_PERSON_HOURS);
  const thursdayHours = new AliasTable(IN_PERSON_HOURS.slice(0, 5));
  const onlineHours = new AliasTable(ONLINE_HOURS);

  // Scale volumes so the expected total matches the target (day noise averages to 1).
  let expected = 0;
  const unscaled = days.map((d, i) => dayFactors(d, i, dayCount, 1));
  for (let o = 0; o < offices.length; o++) {
    for (let i = offices[o].first_day; i < dayCount; i++) {
      expected += officeMix[o].volume * (unscaled[i].inPerson + unscaled[i].online);
    }
  }
  const scale = model.targetCases / expected;

  let caseIndex = 0;
  let complaintIndex = 0;
  const caseRow: CaseRow = {
    index: 0,
    office: 0,
    service: 0,
    submittedSec: 0,
    closedSec: -1,
    status: 0,
    channel: 0,
    plannedSec: 0,
  };
  const complaintRow: ComplaintRow = {
    index: 0,
    office: 0,
    caseIndex: -1,
    receivedSec: 0,
    category: 0,
    source: 0,
    resolvedSec: -1,
    substantiated: -1,
  };

  const emitComplaint = (
    office: number,
    linkedCase: number,
    submittedSec: number,
    category: number,
    slaDays: number,
    durationDays: number,
  ) => {
    const waitDays =
      category === 0
        ? Math.min(durationDays, slaDays) * rng.uniform(0.7, 1.2) + rng.exponential(1.5)
        : 0.1 + rng.exponential(3);
    const receivedSec = submittedSec + Math.round(waitDays * DAY_SEC);
    const source = pickIndex(rng, category === 1 ? BRIBE_SOURCE_SHARES : SOURCE_SHARES);
    const unlinked = rng.chance(UNLINKED_SHARE);
    const resolved = rng.chance(0.9);
    const resolvedSec = receivedSec + Math.round((1 + rng.exponential(12)) * DAY_SEC);
    const substantiated = rng.chance(SUBSTANTIATED[category]);
    // Not yet received at the as-of time: it does not exist in the export.
    if (receivedSec > asOfSec) return;
    complaintRow.index = complaintIndex++;
    complaintRow.office = office;
    complaintRow.caseIndex = unlinked ? -1 : linkedCase;
    complaintRow.receivedSec = receivedSec;
    complaintRow.category = category;
    complaintRow.source = source;
    const isResolved = resolved && resolvedSec <= asOfSec;
    complaintRow.resolvedSec = isResolved ? resolvedSec : -1;
    complaintRow.substantiated = isResolved ? (substantiated ? 1 : 0) : -1;
    sink.onComplaint(complaintRow);
  };

  for (let di = 0; di < dayCount; di++) {
    const day = days[di];
    const yearsIn = di / 365.25;
    const noise = Math.exp(0.1 * rng.normal() - 0.005);
    const f = dayFactors(day, di, dayCount, noise);
    const nearNowruz = (day.jm === 12 && day.jd >= 20) || (day.jm === 1 && day.jd <= 13);
    for (let o = 0; o < offices.length; o++) {
      if (di < offices[o].first_day) continue;
      const office = offices[o];
      const mix = officeMix[o];
      for (let channel = 0; channel < 2; channel++) {
        const mean = scale * mix.volume * (channel === 0 ? f.inPerson : f.online);
        const count = rng.poisson(mean);
        for (let k = 0; k < count; k++) {
          const s = mix.table.draw(rng);
          const service = services[s];
          let secondOfDay: number;
          if (channel === 0) {
            const hour = 8 + (day.weekday === 4 ? thursdayHours : inPersonHours).draw(rng);
            secondOfDay = hour * 3600 + rng.int(3600);
          } else {
            secondOfDay = onlineHours.draw(rng) * 3600 + rng.int(3600);
          }
          const submittedSec = day.wallStartSec + secondOfDay - day.offsetSec;

          let logDays = logMedian[s] + service.sigma * rng.normal();
          if (rng.chance(TAIL_SHARE)) logDays += 1.1 * Math.abs(rng.normal());
          let days_ = Math.exp(logDays) * office.speed * effects.officeSpeed[o] * districtFactor[o][s];
          if (isPermit[s]) days_ *= effects.officePermitSpeed[o];
          if (fastDigital[s]) days_ *= Math.max(0.6, 1 - DIGITAL_SPEEDUP_PER_YEAR * yearsIn);
          if (nearNowruz && slowBody[s]) days_ += rng.uniform(3, 9);
          const durationDays = Math.max(days_, 300 / DAY_SEC);

          const u = rng.next();
          const stuck = rng.chance(STUCK_SHARE);
          let status: number;
          let endDays: number;
          if (u < WITHDRAWN_SHARE) {
            status = 3;
            endDays = durationDays * rng.uniform(0.1, 0.9);
          } else if (u < WITHDRAWN_SHARE + rejectShare[s]) {
            status = 2;
            endDays = durationDays * 0.75;
          } else {
            status = 1;
            endDays = durationDays;
          }
          let closedSec = submittedSec + Math.max(300, Math.round(endDays * DAY_SEC));
          if (stuck || closedSec > asOfSec) {
            status = 0;
            closedSec = -1;
          }
          caseRow.index = caseIndex;
          caseRow.office = o;
          caseRow.service = s;
          caseRow.submittedSec = submittedSec;
          caseRow.closedSec = closedSec;
          caseRow.status = status;
          caseRow.channel = channel;
          caseRow.plannedSec = Math.round(durationDays * DAY_SEC);
          sink.onCase(caseRow);

          const complaints = rng.poisson(
            COMPLAINT_RATE * office.complaint_rate * effects.officeComplaints[o],
          );
          const breached = stuck || durationDays > service.sla_days;
          for (let c = 0; c < complaints; c++) {
            // Late cases draw more of their complaints about delay.
            const shares = breached ? BREACHED_SHARES : COMPLAINT_SHARES;
            emitComplaint(o, caseIndex, submittedSec, pickIndex(rng, shares), service.sla_days, durationDays);
          }
          const extraBribes = effects.officeBribes[o] - 1;
          if (extraBribes > 0) {
            const bribes = rng.poisson(COMPLAINT_RATE * BRIBE_SHARE * extraBribes);
            for (let c = 0; c < bribes; c++) {
              emitComplaint(o, caseIndex, submittedSec, 1, service.sla_days, durationDays);
            }
          }
          caseIndex++;
        }
      }
    }
    onDay?.(di, caseIndex);
  }
  return { cases: caseIndex, complaints: complaintIndex };
}
