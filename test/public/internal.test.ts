/**
 * The public figures are the dashboard's figures: on a seeded random city (open, withdrawn and rejected
 * cases, per-case deadlines, cases and complaints on both sides of the window), every office's public
 * median equals /api/processing's median_days for the same window (`from`/`to` = the window's ends),
 * overall and per service, and the on-time share is one minus its breach rate. The complaint rate is
 * checked against a second count written here from the fixture's own rows.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../../api/db.ts';
import type { PublicOffice, PublicOffices } from '../../api/public/schemas.ts';
import type { CaseDef, ComplaintDef, FixtureDef } from '../api/fixture.ts';
import { plusDays } from '../api/fixture.ts';
import { type Session, signIn } from '../api/session.ts';
import { mulberry32 } from '../stats/rng.ts';
import { AS_OF, publicApp, WINDOW_FROM } from './fixture.ts';

const OFFICES = [
  { office_id: 'O1', district: 1 },
  { office_id: 'O2', district: 1 },
  { office_id: 'O3', district: 2 },
  { office_id: 'O4', district: 2 },
];
const SERVICES = [
  { service_code: 'A', sla_days: 7, category: 'building_permit' },
  { service_code: 'B', sla_days: 3, category: 'inquiry' },
  { service_code: 'C', sla_days: null, category: 'fees' },
];

function randomCity(seed: number): FixtureDef {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const cases: CaseDef[] = [];
  const complaints: ComplaintDef[] = [];
  // O4 gets few cases, so some of its groups fall under the small-number rule
  const sizes = { O1: 260, O2: 200, O3: 160, O4: 40 };
  for (const o of OFFICES) {
    for (let i = 0; i < sizes[o.office_id as keyof typeof sizes]; i++) {
      const svc = pick(SERVICES);
      const id = `${o.office_id}-${i}`;
      const at = plusDays(AS_OF, -rnd() * 480); // about a quarter before the window
      const days = rnd() * rnd() * 20;
      const u = rnd();
      const due = rnd() < 0.2 ? { due_at: plusDays(at, rnd() * 10) } : {};
      const closedAt = plusDays(at, days);
      const closes = Date.parse(closedAt) <= Date.parse(AS_OF);
      if (u < 0.12 || !closes)
        cases.push({
          case_id: id,
          office_id: o.office_id,
          service_code: svc.service_code,
          submitted_at: at,
          status: 'open',
          ...due,
        });
      else
        cases.push({
          case_id: id,
          office_id: o.office_id,
          service_code: svc.service_code,
          submitted_at: at,
          closed_at: closedAt,
          status: u < 0.2 ? 'withdrawn' : u < 0.3 ? 'rejected' : 'completed',
          ...due,
        });
      if (rnd() < 0.15)
        complaints.push({
          complaint_id: `k-${id}`,
          office_id: o.office_id,
          case_id: rnd() < 0.8 ? id : null,
          received_at: plusDays(at, rnd() * 30),
          category: 'delay',
        });
    }
  }
  return { asOf: AS_OF, offices: OFFICES, services: SERVICES, cases, complaints };
}

const city = randomCity(16);
let db: Db;
let get: (path: string) => Promise<Response>;
let session: Session;

beforeAll(async () => {
  const made = await publicApp(city);
  db = made.db;
  get = made.get;
  session = await signIn(made.app, db, 'commissioner');
});
afterAll(() => db.close());

interface InternalRow {
  key: string;
  n_cases: number;
  n_closed: number;
  median_days: number | null;
  breach_rate: number | null;
  n_deadline_decided: number;
}

async function internal(office: string, service?: string): Promise<InternalRow> {
  const qs = new URLSearchParams({ by: 'office', from: WINDOW_FROM, to: AS_OF, office });
  if (service) qs.set('service', service);
  const res = await session.request(`/api/processing?${qs}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { rows: InternalRow[] };
  expect(body.rows.length).toBe(1);
  return body.rows[0];
}

/** Complaints received in the window about the office (and service, through the case) per 1,000 cases. */
function complaintRate(office: string, service?: string): { rate: number; n: number } {
  const inWindow = (t: string) =>
    Date.parse(t) >= Date.parse(WINDOW_FROM) && Date.parse(t) <= Date.parse(AS_OF);
  const serviceOf = new Map(city.cases!.map((c) => [c.case_id, c.service_code]));
  const n = city.cases!.filter(
    (c) => c.office_id === office && (!service || c.service_code === service) && inWindow(c.submitted_at),
  ).length;
  const k = city.complaints!.filter(
    (c) =>
      c.office_id === office &&
      inWindow(c.received_at) &&
      (!service || (c.case_id !== null && c.case_id !== undefined && serviceOf.get(c.case_id) === service)),
  ).length;
  return { rate: (k / n) * 1000, n };
}

describe('public figures equal the internal API for the same window', () => {
  test('median days, on-time share = 1 − breach rate, complaints per 1,000, per office and service', async () => {
    const list = (await (await get('/api/public/offices')).json()) as PublicOffices;
    expect(list.offices.map((o) => o.office_id)).toEqual(['O1', 'O2', 'O3', 'O4']);
    let compared = 0;
    let suppressed = 0;
    for (const { office_id } of list.offices) {
      const pub = (await (await get(`/api/public/offices/${office_id}`)).json()) as PublicOffice;
      const groups = [
        { service: undefined, f: pub.all_services.office },
        ...pub.services.map((s) => ({ service: s.service.service_code, f: s.office })),
      ];
      for (const { service, f } of groups) {
        const row = await internal(office_id, service);
        expect(f.n_cases).toBe(row.n_cases);
        expect(f.median_days.n).toBe(row.n_closed);
        expect(f.on_time_share.n).toBe(row.n_deadline_decided);
        if (row.n_closed >= 30) {
          expect(f.median_days.value).toBe(row.median_days);
          compared++;
        } else {
          expect(f.median_days.value).toBeNull();
          suppressed++;
        }
        if (row.n_deadline_decided >= 30) expect(f.on_time_share.value).toBeCloseTo(1 - row.breach_rate!, 12);
        else expect(f.on_time_share.value).toBeNull();
        const k = complaintRate(office_id, service);
        expect(f.complaints_per_1000.n).toBe(k.n);
        if (k.n >= 30) expect(f.complaints_per_1000.value).toBeCloseTo(k.rate, 9);
        else expect(f.complaints_per_1000.value).toBeNull();
      }
    }
    // the fixture exercises both sides of the rule
    expect(compared).toBeGreaterThan(8);
    expect(suppressed).toBeGreaterThan(1);
  });
});
