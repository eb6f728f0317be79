/**
 * Access control on the real app: every route enumerated from the router is checked for sign-in and
 * role, and an inspector bound to district 3 cannot see district 5 by any endpoint or parameter,
 * while the city-wide references they compare against equal the commissioner's. Also: upload as
 * manager (and refused for an inspector or without the CSRF token), and the audit trail.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../api/app.ts';
import { policyFor } from '../../api/auth/policy.ts';
import { ROLES, type Role } from '../../api/auth/users.ts';
import type { Db } from '../../api/db.ts';
import { type Body, type CaseDef, type ComplaintDef, closed, makeDb, open } from './fixture.ts';
import { type Session, signIn, TEST_ORIGIN } from './session.ts';
import { type EventDef, insertEvents } from './stage-fixture.ts';

const D3 = ['D3-ALPHA', 'D3-BRAVO'];
const D5 = ['D5-XRAY', 'D5-YANKEE'];
const D7 = ['D7-ZULU'];
const START = Date.parse('2024-01-01T06:00:00Z');
const at = (day: number) => new Date(START + day * 86_400_000).toISOString();

/** Offices in districts 3, 5 and 7; D5 is slower and has more complaints, so it differs from D3. */
function fixtureDef() {
  const cases: CaseDef[] = [];
  const complaints: ComplaintDef[] = [];
  const offices = [...D3, ...D5, ...D7];
  offices.forEach((office, o) => {
    const slow = office.startsWith('D5') ? 6 : office.startsWith('D7') ? 3 : 0;
    for (let j = 0; j < 40; j++) {
      const service = j % 2 === 0 ? 'S1' : 'S2';
      const id = `${office}-C${j}`;
      cases.push(closed(id, office, service, at(j * 3), 1 + slow + ((j * 7 + o) % 9)));
      if (j % 8 === 0) {
        complaints.push({
          complaint_id: `${id}-K`,
          office_id: office,
          case_id: id,
          received_at: at(j * 3 + 1),
          category: office.startsWith('D5') ? 'bribe_request' : 'delay',
        });
      }
    }
    cases.push(open(`${office}-OPEN`, office, 'S2', at(100)));
  });
  return {
    asOf: '2024-06-30T00:00:00Z',
    offices: [
      ...D3.map((id) => ({ office_id: id, district: 3 })),
      ...D5.map((id) => ({ office_id: id, district: 5 })),
      ...D7.map((id) => ({ office_id: id, district: 7 })),
    ],
    services: [
      { service_code: 'S1', category: 'inquiry', sla_days: 5 },
      { service_code: 'S2', category: 'building_permit', sla_days: 8 },
    ],
    cases,
    complaints,
  };
}

type App = ReturnType<typeof createApp>;
let db: Db;
let app: App;
const sessions = {} as Record<Role, Session>;
let inspector: Session;

/** An event log for every closed case (issue 11); district 5 passes an extra inquiry and repeats review. */
function eventsOf(cases: CaseDef[]): EventDef[] {
  const out: EventDef[] = [];
  for (const k of cases) {
    if (!k.closed_at) continue;
    const sub = Date.parse(k.submitted_at);
    const mid = new Date((sub + Date.parse(k.closed_at)) / 2).toISOString();
    out.push({ case_id: k.case_id, stage: 'intake', at: new Date(sub + 3_600_000).toISOString() });
    if (k.office_id.startsWith('D5')) out.push({ case_id: k.case_id, stage: 'inquiry', at: mid });
    out.push({ case_id: k.case_id, stage: 'review', at: mid });
    if (k.office_id.startsWith('D5')) out.push({ case_id: k.case_id, stage: 'review', at: mid });
    out.push({ case_id: k.case_id, stage: 'issue', at: k.closed_at });
  }
  return out;
}

beforeAll(async () => {
  const def = fixtureDef();
  db = await makeDb(def);
  await insertEvents(
    db,
    [
      { stage: 'intake', actor: 'office' },
      { stage: 'review', actor: 'municipality' },
      { stage: 'issue', actor: 'office' },
    ],
    eventsOf(def.cases),
  );
  app = createApp({ db, geoPath: null, webRoot: null, log: () => {} });
  for (const role of ROLES) {
    sessions[role] = await signIn(app, db, role, role === 'inspector' ? { districts: [3] } : {});
  }
  inspector = sessions.inspector;
});

/** Concrete method and path of every handler the app serves (middleware shows up as ALL). */
function servedRoutes(): { method: string; path: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const r of app.routes) {
    if (r.method === 'ALL') continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, path: r.path });
  }
  return out;
}

const concrete = (path: string) => path.replace(/:[a-z_]+/g, 'X');

function call(s: Session | null, method: string, path: string, body = '{}') {
  const init: RequestInit =
    method === 'GET' ? {} : { method, headers: { 'content-type': 'application/json' }, body };
  return s ? s.request(path, init) : app.request(`${TEST_ORIGIN}${path}`, init);
}

describe('every route from the router', () => {
  test('has a policy, and without a session only health and login answer (everything else 401)', async () => {
    const routes = servedRoutes();
    expect(routes.length).toBeGreaterThan(15);
    for (const r of routes) {
      const policy = policyFor(r.method, r.path);
      expect(policy, `${r.method} ${r.path} has no policy`).toBeDefined();
      const res = await call(null, r.method, concrete(r.path));
      if (policy === 'public') expect(res.status, `${r.method} ${r.path}`).not.toBe(401);
      else {
        expect(res.status, `${r.method} ${r.path}`).toBe(401);
        expect(((await res.json()) as Body).error.code).toBe('unauthorized');
      }
    }
  });

  test('answers 403 exactly for the roles its policy leaves out', async () => {
    // Logout last: it ends the session the other checks use.
    const routes = servedRoutes().sort(
      (a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')),
    );
    for (const role of ROLES) {
      for (const r of routes) {
        const policy = policyFor(r.method, r.path);
        if (policy === 'public' || policy === undefined) continue;
        const res = await call(sessions[role], r.method, concrete(r.path));
        const label = `${role}: ${r.method} ${r.path} → ${res.status}`;
        if (policy.includes(role)) expect(res.status, label).not.toBe(403);
        else {
          expect(res.status, label).toBe(403);
          expect(((await res.json()) as Body).error.code).toBe('forbidden');
        }
      }
    }
    // Sign the roles back in for the tests below (logout ended their sessions).
    for (const role of ROLES) {
      sessions[role] = await signIn(app, db, role, {
        username: `again-${role}`,
        ...(role === 'inspector' ? { districts: [3] } : {}),
      });
    }
    inspector = sessions.inspector;
  });
});

/**
 * Query variants per GET route. Every GET route the router serves must be listed, so a new endpoint
 * fails this test until its district scope has been checked here.
 */
const GET_VARIANTS: Record<string, string[]> = {
  '/api/health': [''],
  '/api/openapi.json': [''],
  '/api/meta': [''],
  '/api/auth/me': [''],
  '/api/processing': [
    'by=district',
    'by=office',
    'by=service',
    'by=category',
    'by=month',
    'by=month&calendar=jalali',
  ],
  '/api/variance': ['service=S1&min_n=0', 'service=S2&min_n=5'],
  '/api/funnel': [
    'metric=slow_share&by=office&min_n=0',
    'metric=slow_share&by=district&min_n=0',
    'metric=slow_share&by=office&scope=building_permit&min_n=0',
    'metric=complaints&by=office&min_n=0',
    'metric=bribe_reports&by=district&min_n=0',
  ],
  '/api/outliers': ['min_n=0', 'level=district&min_n=0'],
  '/api/offices': ['min_n=0'],
  '/api/offices/:id': [],
  '/api/trends': [
    'metric=complaints&by=city',
    'metric=complaints&by=district',
    'metric=processing&by=office',
    'metric=complaints&by=office&calendar=jalali',
  ],
  '/api/cases': [
    '',
    'page_size=500',
    'status=open&page_size=500',
    'sort=duration_days&order=desc&page_size=500',
  ],
  '/api/cases/:id': [],
  '/api/stages': ['', 'by=district&min_n=0', 'by=office&stage=review', 'service=S1&min_n=0'],
  '/api/stages/actors': ['by=district', 'by=office', 'by=city', 'by=service'],
  '/api/stages/variants': ['min_n=0', 'service=S2&min_n=0'],
  '/api/stages/extra': ['min_n=0', 'service=S1&min_n=0'],
  '/api/stages/map': ['', 'all=true'],
  '/api/geo': [''],
  '/api/geo/districts': [''],
  '/api/access': ['', 'from=2024-01-10&to=2024-02-10', 'channel=online'],
  // the monthly report: the last complete month (1403-03) and one further back
  '/api/report': ['', 'month=1402-11'],
  '/api/imports': [''],
  '/api/rejects': [''],
  '/api/audit': [''],
  '/api/users': [''],
  '/api/publication': [''],
  // The public scorecards are everyone's once published (city-wide by design, no scope); this fixture
  // has not published them, so they must answer 404 and nothing else, to an inspector as to anyone.
  '/api/public/offices': [''],
  '/api/public/offices/:id': [''],
  '/api/public/districts': [''],
  '/api/public/districts/:district': [''],
  '/api/public/services': [''],
  '/api/public/services/:code': [''],
};

/** Any trace of district 5 in an answer: its offices, its name, or a row that says district 5. */
function d5Traces(text: string): string[] {
  const found: string[] = [];
  for (const id of D5) if (text.includes(id)) found.push(id);
  if (/District 5\b/.test(text) || text.includes('منطقه ۵')) found.push('district 5 name');
  const walk = (v: unknown, parentKey: string) => {
    if (Array.isArray(v)) for (const x of v) walk(x, parentKey);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.district === 5 || o.district === '5') found.push(`a row of district 5 under ${parentKey}`);
      if (o.key === '5' && (parentKey === 'rows' || parentKey === 'series'))
        found.push(`key "5" under ${parentKey}`);
      for (const [k, x] of Object.entries(o)) walk(x, k);
    }
  };
  try {
    walk(JSON.parse(text), '');
  } catch {
    // not JSON: the text checks above suffice
  }
  return found;
}

describe('an inspector for district 3', () => {
  test('gets nothing of district 5 from any GET route with any parameter', async () => {
    const gets = servedRoutes().filter((r) => r.method === 'GET');
    const unlisted = gets.filter((r) => !(r.path in GET_VARIANTS)).map((r) => r.path);
    expect(unlisted, 'GET routes without a scope check here').toEqual([]);
    let checked = 0;
    for (const r of gets) {
      const caseIds = [...D3, ...D5].flatMap((o) => [`${o}-C0`, `${o}-OPEN`]);
      const paths =
        r.path === '/api/offices/:id'
          ? [...D3, ...D5, 'NOPE'].map((id) => `/api/offices/${id}`)
          : r.path === '/api/cases/:id'
            ? [...caseIds, 'NOPE'].map((id) => `/api/cases/${id}`)
            : [r.path];
      const variants =
        r.path === '/api/offices/:id'
          ? ['', 'min_n=0&calendar=jalali']
          : r.path === '/api/cases/:id'
            ? ['']
            : GET_VARIANTS[r.path];
      for (const p of paths) {
        for (const v of variants) {
          const overrides = [
            '',
            'district=5',
            `office=${D5[0]}`,
            'district=3',
            `office=${D3[0]}`,
            'district=99',
          ];
          for (const o of overrides) {
            const qs = [v, o].filter(Boolean).join('&');
            const url = qs ? `${p}?${qs}` : p;
            const res = await inspector.request(url);
            const text = await res.text();
            checked++;
            // An error may echo the id that was sent; that is the caller's own text, not data.
            let seen = text;
            if (res.status >= 400) for (const id of D5) seen = seen.replaceAll(id, '<sent>');
            if (r.path.startsWith('/api/public/')) expect(res.status, `${url} while unpublished`).toBe(404);
            expect(d5Traces(seen), `${url} → ${res.status}`).toEqual([]);
            expect(res.status, `${url}: ${text.slice(0, 200)}`).toBeLessThan(500);
            // Out of scope reads like not there at all.
            if (
              r.path.startsWith('/api/') &&
              (o === 'district=5' || o === `office=${D5[0]}` || o === 'district=99')
            ) {
              const usesFilters = ![
                '/api/health',
                '/api/openapi.json',
                '/api/meta',
                '/api/auth/me',
                '/api/geo',
                '/api/geo/districts',
                '/api/imports',
                '/api/rejects',
                '/api/audit',
                '/api/users',
                '/api/publication',
              ].includes(r.path);
              if (usesFilters && res.status !== 400) expect(res.status, url).toBe(404);
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  test('an office, district or unknown id outside the scope is a 404 that reveals nothing', async () => {
    const d5 = await inspector.request(`/api/offices/${D5[0]}`);
    const nope = await inspector.request('/api/offices/NOPE');
    expect(d5.status).toBe(404);
    expect(nope.status).toBe(404);
    const m5 = ((await d5.json()) as Body).error.message.replace(D5[0], 'ID');
    const mNope = ((await nope.json()) as Body).error.message.replace('NOPE', 'ID');
    expect(m5).toBe(mNope);
    const f5 = (await (await inspector.request(`/api/processing?office=${D5[0]}`)).json()) as Body;
    const fNope = (await (await inspector.request('/api/processing?office=NOPE')).json()) as Body;
    expect(f5.error.message.replace(D5[0], 'ID')).toBe(fNope.error.message.replace('NOPE', 'ID'));
    expect((await inspector.request('/api/processing?district=5')).status).toBe(404);
    expect((await inspector.request('/api/processing?district=99')).status).toBe(404);
  });

  test('sees only district 3 in meta (services all) and in the rows; the numbers are theirs', async () => {
    const meta = (await (await inspector.request('/api/meta')).json()) as Body;
    expect(meta.districts.map((d: Body) => d.district)).toEqual([3]);
    expect(meta.offices.map((o: Body) => o.office_id).sort()).toEqual([...D3].sort());
    expect(meta.services.map((s: Body) => s.service_code).sort()).toEqual(['S1', 'S2']);
    const cases = (await (await inspector.request('/api/cases?page_size=500')).json()) as Body;
    // 2 offices × (40 closed + 1 open), counted from the fixture definition.
    expect(cases.total).toBe(82);
    const mine = (await (await inspector.request('/api/processing?by=district')).json()) as Body;
    const city = (await (
      await sessions.commissioner.request('/api/processing?by=district&district=3')
    ).json()) as Body;
    expect(mine.rows.map((r: Body) => r.key)).toEqual(['3']);
    expect(mine.total.n_cases).toBe(city.total.n_cases);
    expect(mine.total.median_days).toBe(city.total.median_days);
  });

  test('compares with the same city-wide references as the commissioner', async () => {
    const both = async (path: string) => {
      const a = (await (await inspector.request(path)).json()) as Body;
      const b = (await (await sessions.commissioner.request(path)).json()) as Body;
      return [a, b];
    };
    for (const q of [
      'metric=slow_share&by=office&min_n=0',
      'metric=complaints&by=office&min_n=0',
      'metric=bribe_reports&by=district&min_n=0',
    ]) {
      const [a, b] = await both(`/api/funnel?${q}`);
      expect(a.target, q).toBe(b.target);
      expect(a.phi, q).toBe(b.phi);
      // The inspector's rows are exactly the commissioner's rows for district 3.
      expect(a.rows).toEqual(b.rows.filter((r: Body) => r.district === 3));
    }
    const [ia, ib] = await both('/api/offices?min_n=0');
    expect(ia.rows).toEqual(ib.rows.filter((r: Body) => r.district === 3));
    const [sa, sb] = await both(`/api/offices/${D3[0]}`);
    expect(sa.metrics.city).toEqual(sb.metrics.city);
    expect(sa.metrics.office).toEqual(sb.metrics.office);
    expect(sa.service_mix).toEqual(sb.service_mix);
    // The city column really is the whole city: 5 offices × 41 cases.
    expect(sa.metrics.city.n_cases).toBe(205);
    // Access (DESIGN 16): the inspector's districts are the commissioner's rows for district 3, the total is
    // theirs (2 offices × 41 cases), the city reference is the same city, only without naming its largest
    // operator (which may sit in a district they cannot see).
    const [aa, ab] = await both('/api/access');
    expect(aa.districts).toEqual(ab.districts.filter((r: Body) => r.district === 3));
    expect(aa.total).toMatchObject({ scope: 'selection', n_cases: 82, active_offices: 2 });
    expect(ab.total.n_cases).toBe(205);
    const { largest_operator: la, ...cityA } = aa.city;
    const { largest_operator: lb, ...cityB } = ab.city;
    expect(cityA).toEqual(cityB);
    expect(cityA).toMatchObject({ scope: 'city', n_cases: 205, active_offices: 5 });
    expect(la).toBeNull();
    expect(lb).not.toBeNull();
  });
});

function uploadForm(files: Record<string, string>, extra: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, text] of Object.entries(files))
    form.append('files', new File([text], name, { type: 'text/csv' }));
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  return form;
}

const NEW_OFFICE = 'office_id,name,district\nD3-CHARLIE,Office Charlie,3\n';
const NEW_CASES =
  'case_id,office_id,service_code,submitted_at,closed_at,status,channel\n' +
  'UP-1,D3-CHARLIE,S1,2024-05-01 10:00,2024-05-03 10:00,completed,online\n' +
  'UP-2,D3-CHARLIE,S1,2024-05-02 10:00,,open,in_person\n' +
  'UP-3,D3-CHARLIE,S1,not a date,,open,in_person\n';

describe('upload', () => {
  test('an inspector is refused (403), and a manager without the CSRF token too', async () => {
    const asInspector = await inspector.request('/api/imports', {
      method: 'POST',
      body: uploadForm({ 'offices.csv': NEW_OFFICE }),
    });
    expect(asInspector.status).toBe(403);
    const noToken = await app.request(`${TEST_ORIGIN}/api/imports`, {
      method: 'POST',
      headers: { cookie: sessions.manager.cookie },
      body: uploadForm({ 'offices.csv': NEW_OFFICE }),
    });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as Body).error.message).toMatch(/X-CSRF-Token/);
  });

  test('a manager imports; the report is the CLI report; reads go on meanwhile and then see the new data', async () => {
    const before = (await (await sessions.commissioner.request('/api/health')).json()) as Body;
    const cachedMeta = (await (await sessions.commissioner.request('/api/meta')).json()) as Body;
    expect(cachedMeta.offices).toHaveLength(5);
    const upload = sessions.manager.request('/api/imports', {
      method: 'POST',
      body: uploadForm({ 'offices.csv': NEW_OFFICE, 'cases.csv': NEW_CASES }),
    });
    const during = await sessions.commissioner.request('/api/processing?by=office');
    expect(during.status).toBe(200);
    const res = await upload;
    const report = (await res.json()) as Body;
    expect(res.status, JSON.stringify(report)).toBe(200);
    expect(report.status).toBe('ok');
    const cases = report.files.find((f: Body) => f.file === 'cases.csv');
    expect(cases).toMatchObject({ kind: 'cases', inserted: 2, rejected: 1, path: 'cases.csv' });
    expect(cases.reasons.length).toBeGreaterThan(0);
    const after = (await (await sessions.commissioner.request('/api/health')).json()) as Body;
    expect(after.counts.cases).toBe(before.counts.cases + 2);
    const meta = (await (await sessions.commissioner.request('/api/meta')).json()) as Body;
    expect(meta.offices).toHaveLength(6);
    const log = (await (await sessions.manager.request('/api/imports')).json()) as Body;
    expect(log.imports[0]).toMatchObject({ username: 'again-manager', source: 'upload' });
  });

  test('a bad upload is a clear 400', async () => {
    const res = await sessions.admin.request('/api/imports', { method: 'POST', body: new FormData() });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Body).error.parameter).toBe('files');
    const badMapping = await sessions.admin.request('/api/imports', {
      method: 'POST',
      body: uploadForm({ 'offices.csv': NEW_OFFICE }, { mapping: '{not json' }),
    });
    expect(badMapping.status).toBe(400);
    expect(((await badMapping.json()) as Body).error.parameter).toBe('mapping');
  });
});

describe('audit trail', () => {
  test('records sign-ins, imports and exports; only admins read it', async () => {
    const exp = await inspector.request('/api/audit/export', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ view: 'outliers', filters: { district: '3' }, rows: 4 }),
    });
    expect(exp.status).toBe(200);
    const bad = await inspector.request('/api/audit/export', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ view: '', rows: -1 }),
    });
    expect(bad.status).toBe(400);
    expect((await sessions.manager.request('/api/audit')).status).toBe(403);
    const log = (await (await sessions.admin.request('/api/audit?page_size=500')).json()) as Body;
    const actions = new Set(log.rows.map((r: Body) => r.action));
    for (const a of ['login', 'import', 'export']) expect(actions).toContain(a);
    const e = log.rows.find((r: Body) => r.action === 'export');
    expect(e).toMatchObject({
      username: 'again-inspector',
      detail: { view: 'outliers', filters: { district: '3' }, rows: 4 },
    });
    const i = log.rows.find((r: Body) => r.action === 'import' && r.detail.status === 'ok');
    expect(i).toMatchObject({ username: 'again-manager', detail: { files: ['offices.csv', 'cases.csv'] } });
  });
});
