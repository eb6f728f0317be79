/**
 * Small hand-checkable stores for the API tests: a fresh in-memory DuckDB per test with the schema,
 * Tehran's districts and whatever offices, services, cases and complaints the test lists.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { createApp } from '../../api/app.ts';
import { DataCache } from '../../api/cache.ts';
import { Db } from '../../api/db.ts';
import { TEHRAN_DISTRICTS_SQL } from '../../api/lib/districts.ts';
import { signIn } from './session.ts';

/** JSON answers are checked field by field in the tests. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are explored loosely in tests
export type Body = any;

export interface OfficeDef {
  office_id: string;
  name?: string;
  district: number;
}
export interface ServiceDef {
  service_code: string;
  name?: string;
  category?: string | null;
  sla_days?: number | null;
}
export interface CaseDef {
  case_id: string;
  office_id: string;
  service_code: string;
  submitted_at: string;
  closed_at?: string | null;
  status: 'open' | 'completed' | 'rejected' | 'withdrawn';
  channel?: string | null;
  due_at?: string | null;
}
export interface ComplaintDef {
  complaint_id: string;
  office_id: string;
  case_id?: string | null;
  received_at: string;
  category: string;
}
export interface FixtureDef {
  asOf: string;
  offices: OfficeDef[];
  services: ServiceDef[];
  cases?: CaseDef[];
  complaints?: ComplaintDef[];
}

const DAY_MS = 86_400_000;

/** ISO instant `days` (may be fractional) after `startIso`. */
export function plusDays(startIso: string, days: number): string {
  return new Date(Date.parse(startIso) + days * DAY_MS).toISOString();
}

/** A closed case of `days` duration submitted at `at`. */
export function closed(
  id: string,
  office: string,
  service: string,
  at: string,
  days: number,
  extra: Partial<CaseDef> = {},
): CaseDef {
  return {
    case_id: id,
    office_id: office,
    service_code: service,
    submitted_at: at,
    closed_at: plusDays(at, days),
    status: 'completed',
    ...extra,
  };
}

export function open(
  id: string,
  office: string,
  service: string,
  at: string,
  extra: Partial<CaseDef> = {},
): CaseDef {
  return {
    case_id: id,
    office_id: office,
    service_code: service,
    submitted_at: at,
    status: 'open',
    ...extra,
  };
}

/** Multi-row INSERTs with bound values, 200 rows a statement (one statement per row is slow). */
async function insertMany(
  c: DuckDBConnection,
  target: string,
  timestampColumns: number[],
  rows: (string | null)[][],
): Promise<void> {
  for (let start = 0; start < rows.length; start += 200) {
    const chunk = rows.slice(start, start + 200);
    const params: Record<string, string | null> = {};
    const tuples = chunk.map((row, r) => {
      const cells = row.map((v, i) => {
        const name = `p${r}_${i}`;
        params[name] = v;
        return timestampColumns.includes(i) ? `$${name}::TIMESTAMPTZ` : `$${name}`;
      });
      return `(${cells.join(', ')})`;
    });
    await c.run(`INSERT INTO ${target} VALUES ${tuples.join(', ')}`, params);
  }
}

export async function makeDb(def: FixtureDef): Promise<Db> {
  const db = await Db.open(':memory:', { threads: 1 });
  await db.run(TEHRAN_DISTRICTS_SQL);
  await db.run('INSERT INTO dataset (id, city, as_of) VALUES (1, $city, $as_of::TIMESTAMPTZ)', {
    city: 'tehran',
    as_of: def.asOf,
  });
  await db.transaction(async (c) => {
    for (const o of def.offices) {
      await c.run('INSERT INTO offices (office_id, name, district) VALUES ($id, $name, $district)', {
        id: o.office_id,
        name: o.name ?? `Office ${o.office_id}`,
        district: o.district,
      });
    }
    for (const s of def.services) {
      await c.run('INSERT INTO services VALUES ($code, $name, $name_en, $category, $sla::INTEGER)', {
        code: s.service_code,
        name: s.name ?? `خدمت ${s.service_code}`,
        name_en: `Service ${s.service_code}`,
        category: s.category === undefined ? 'inquiry' : s.category,
        sla: s.sla_days ?? null,
      });
    }
    const cases = (def.cases ?? []).map((k) => [
      k.case_id,
      k.office_id,
      k.service_code,
      k.submitted_at,
      k.closed_at ?? null,
      k.status,
      k.channel === undefined ? 'in_person' : k.channel,
      k.due_at ?? null,
    ]);
    await insertMany(c, 'cases', [3, 4, 7], cases);
    const complaints = (def.complaints ?? []).map((k) => [
      k.complaint_id,
      k.office_id,
      k.case_id ?? null,
      k.received_at,
      k.category,
    ]);
    await insertMany(
      c,
      'complaints (complaint_id, office_id, case_id, received_at, category)',
      [3],
      complaints,
    );
  });
  return db;
}

/**
 * The app on the fixture, with a signed-in commissioner (whole city): `get` sends their session.
 * `caseOrder`: the in-memory case order is loaded first and answers every selection it can, however
 * small (api/metrics/case-order.ts), instead of only large ones.
 */
export async function makeApp(def: FixtureDef, opts: { caseOrder?: boolean } = {}) {
  const db = await makeDb(def);
  const cache = opts.caseOrder ? new DataCache(db, undefined, 0) : undefined;
  if (cache && !(await cache.caseOrder())) throw new Error('the case order did not load');
  const app = createApp({ db, geoPath: null, webRoot: null, log: () => {}, cache });
  const session = await signIn(app, db, 'commissioner');
  const get = async (path: string) => {
    const res = await session.request(path);
    return { status: res.status, body: (await res.json()) as Body };
  };
  return { db, app, get, session };
}
