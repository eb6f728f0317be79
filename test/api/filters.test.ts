/**
 * The common filters and the error contract: filters change results the way they should, an empty
 * window gives zeros, and every bad parameter is a 400 naming it (never a 500, never a stack trace).
 */
import { describe, expect, test } from 'vitest';
import { Db } from '../../api/db.ts';
import { jalaliMonthKey } from '../../api/lib/dates.ts';
import { jalaliToGregorian } from '../../api/lib/jalali.ts';
import { jalaliYearSql, monthKeyDays, monthKeySql } from '../../api/lib/month-key-sql.ts';
import { setPublication } from '../../api/public/publication.ts';
import { type Body, type CaseDef, closed, makeApp, open } from './fixture.ts';
import { signIn } from './session.ts';

const AS_OF = '2024-06-01T00:00:00Z';

function cityCases(): CaseDef[] {
  const out: CaseDef[] = [];
  const offices = ['A1', 'A2', 'B1', 'C1'];
  for (let i = 0; i < 48; i++) {
    const office = offices[i % 4];
    const day = 1 + (i % 28);
    const at = `2024-0${1 + (i % 3)}-${String(day).padStart(2, '0')}T08:00:00Z`;
    const c =
      i % 7 === 0
        ? open(`c${i}`, office, i % 2 ? 'S1' : 'S2', at)
        : closed(`c${i}`, office, i % 2 ? 'S1' : 'S2', at, 0.5 + ((i * 37) % 23), {
            channel: i % 3 ? 'online' : 'in_person',
          });
    out.push(c);
  }
  return out;
}

const fixture = () =>
  makeApp({
    asOf: AS_OF,
    offices: [
      { office_id: 'A1', district: 1 },
      { office_id: 'A2', district: 1 },
      { office_id: 'B1', district: 2 },
      { office_id: 'C1', district: 3 },
    ],
    services: [
      { service_code: 'S1', sla_days: 7, category: 'building_permit' },
      { service_code: 'S2', sla_days: 3, category: 'inquiry' },
    ],
    cases: cityCases(),
    complaints: [
      {
        complaint_id: 'k1',
        office_id: 'A1',
        case_id: 'c1',
        received_at: '2024-01-15T08:00:00Z',
        category: 'delay',
      },
      { complaint_id: 'k2', office_id: 'B1', received_at: '2024-02-15T08:00:00Z', category: 'bribe_request' },
    ],
  });

describe('filters', () => {
  test("a district filter equals that district's row of the by-district result", async () => {
    const { get } = await fixture();
    const byDistrict = await get('/api/processing?by=district');
    for (const d of [1, 2, 3]) {
      const filtered = await get(`/api/processing?by=district&district=${d}`);
      const {
        key: _k,
        label: _l,
        label_en: _e,
        ...row
      } = byDistrict.body.rows.find((r: Body) => r.key === String(d));
      const { key: _k2, label: _l2, label_en: _e2, ...total } = filtered.body.total;
      expect(total).toEqual(row);
    }
    // the same holds for service and channel filters against by=service
    const byService = await get('/api/processing?by=service');
    const s1 = await get('/api/processing?service=S1');
    expect(s1.body.total.n_cases).toBe(byService.body.rows.find((r: Body) => r.key === 'S1').n_cases);
    const online = await get('/api/cases?channel=online&page_size=500');
    expect(online.body.rows.every((r: Body) => r.channel === 'online')).toBe(true);
  });

  test('date windows: ISO and Jalali, Persian digits, `to` inclusive of its Tehran day', async () => {
    const { get } = await fixture();
    // January 2024 = 1402/10/11 … 1402/11/11
    const iso = await get('/api/processing?from=2024-01-01&to=2024-01-31');
    const jal = await get('/api/processing?from=1402/10/11&to=۱۴۰۲-۱۱-۱۱');
    const cases = cityCases().filter((c) => c.submitted_at.startsWith('2024-01'));
    expect(iso.body.total.n_cases).toBe(cases.length);
    expect(jal.body.total).toEqual(iso.body.total);
    // a case at 08:00 UTC on 2024-01-28 is inside to=2024-01-28 (the whole Tehran day)
    const day = await get('/api/cases?from=2024-01-28&to=2024-01-28');
    expect(day.body.rows.map((r: Body) => r.submitted_at)).toEqual(['2024-01-28T08:00:00Z']);
  });

  test('an empty window gives zeros and nulls, not errors', async () => {
    const { get } = await fixture();
    const q = 'from=2030-01-01&to=2030-02-01';
    const p = await get(`/api/processing?by=district&${q}`);
    expect(p.status).toBe(200);
    expect(p.body.rows).toEqual([]);
    expect(p.body.total).toMatchObject({
      n_cases: 0,
      n_closed: 0,
      median_days: null,
      km_median_days: null,
      breach_rate: null,
    });
    for (const path of [
      '/api/variance?service=S1',
      '/api/funnel?metric=slow_share',
      '/api/funnel?metric=complaints',
      '/api/outliers',
      '/api/offices',
      '/api/offices/A1',
      '/api/trends?metric=complaints',
      '/api/trends?metric=processing&by=office',
      '/api/cases',
      '/api/access',
    ]) {
      const r = await get(`${path}${path.includes('?') ? '&' : '?'}${q}`);
      expect(r.status, path).toBe(200);
    }
    const offices = await get(`/api/offices?${q}`);
    expect(offices.body.rows.every((r: Body) => r.n_cases === 0 && r.complaint_rate === null)).toBe(true);
    const cases = await get(`/api/cases?${q}`);
    expect(cases.body.total).toBe(0);
  });
});

describe('bad parameters', () => {
  const cases: [string, string][] = [
    ['/api/processing?by=weekday', 'by'],
    ['/api/processing?from=1403/13/40', 'from'],
    ['/api/processing?to=2024-02-30', 'to'],
    ['/api/processing?from=yesterday', 'from'],
    ['/api/funnel?metric=slow_share&min_n=-1', 'min_n'],
    ['/api/funnel?metric=slow_share&min_n=abc', 'min_n'],
    ['/api/funnel?metric=bribes', 'metric'],
    ['/api/funnel?metric=slow_share&scope=nonsense', 'scope'],
    [`/api/processing?service=${encodeURIComponent('1; DROP TABLE cases')}`, 'service'],
    [`/api/processing?district=${encodeURIComponent('1 OR 1=1')}`, 'district'],
    ['/api/processing?district=99', 'district'],
    ['/api/processing?office=NOPE', 'office'],
    ['/api/processing?category=nope', 'category'],
    ['/api/processing?channel=fax', 'channel'],
    [`/api/processing?office=${'x'.repeat(10_000)}`, 'office'],
    [`/api/cases?sort=${encodeURIComponent('case_id; DROP TABLE cases')}`, 'sort'],
    ['/api/cases?page=0', 'page'],
    ['/api/cases?page_size=100000', 'page_size'],
    ['/api/processing?from=2024-03-01&to=2024-01-01', 'to'],
    // a typo must not answer with the whole city's numbers, which a reader would take for district 5's
    ['/api/processing?by=district&distrcit=5', 'distrcit'],
    ['/api/outliers?nonsense=1', 'nonsense'],
  ];
  test.each(cases)('%s → 400 naming %s', async (path, parameter) => {
    const { get } = await fixture();
    const r = await get(path);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('bad_parameter');
    expect(r.body.error.parameter).toBe(parameter);
    expect(r.body.error.message).toContain(parameter);
    expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts|SELECT|stack/);
    expect(JSON.stringify(r.body).length).toBeLessThan(600);
  });

  test('an unknown parameter is a 400 naming it on every GET route, with the nearest known name', async () => {
    const { app, db, get } = await fixture();
    const typo = await get('/api/processing?by=district&distrcit=5');
    expect(typo.body.error.message).toMatch(
      /"distrcit" is not a parameter of this endpoint; did you mean district\?/,
    );
    const paths = [
      ...new Set(
        app.routes
          .filter(
            (r) =>
              r.method === 'GET' &&
              r.path.startsWith('/api/') &&
              !r.path.startsWith('/api/auth/') &&
              r.path !== '/api/openapi.json',
          )
          .map((r) => r.path.replace(/:\w+/g, (name) => (name === ':district' ? '1' : 'A1'))),
      ),
    ];
    expect(paths.length).toBeGreaterThan(12);
    // the admin may call every GET route, the import log and the audit log included; the public
    // routes answer (rather than 404) once published
    const admin = await signIn(app, db, 'admin');
    await setPublication(db, { published: true, licence: 'CC BY 4.0', username: null, via: 'cli' });
    for (const path of paths) {
      const required = { '/api/variance': 'service=S1&', '/api/funnel': 'metric=slow_share&' }[path] ?? '';
      const res = await admin.request(`${path}?${required}zzz_unknown=1`);
      const body = (await res.json()) as Body;
      expect([path, res.status, body.error?.parameter]).toEqual([path, 400, 'zzz_unknown']);
      expect(body.error.message).toContain('zzz_unknown');
    }
  });

  test('the cases table survives SQL-looking text', async () => {
    const { get } = await fixture();
    await get(`/api/cases?office=${encodeURIComponent("A1'; DROP TABLE cases; --")}`);
    expect((await get('/api/health')).body.counts.cases).toBe(48);
  });

  test('unknown office → 404, unknown endpoint → 403 JSON, geo not configured → 404', async () => {
    const { get } = await fixture();
    const o = await get('/api/offices/NOPE');
    expect(o.status).toBe(404);
    expect(o.body.error.code).toBe('not_found');
    // No route policy covers an unknown path, so the access layer refuses it before routing (fails closed).
    const nothing = await get('/api/nothing');
    expect(nothing.status).toBe(403);
    expect(nothing.body.error.code).toBe('forbidden');
    const g = await get('/api/geo/districts');
    expect(g.status).toBe(404);
    expect(g.body.error.code).toBe('not_configured');
  });
});

describe('openapi', () => {
  test('lists every route', async () => {
    const { get } = await fixture();
    const r = await get('/api/openapi.json');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.paths).sort()).toEqual(
      [
        '/api/health',
        '/api/meta',
        '/api/processing',
        '/api/variance',
        '/api/funnel',
        '/api/outliers',
        '/api/offices',
        '/api/offices/{id}',
        '/api/trends',
        '/api/cases',
        '/api/cases/{id}',
        '/api/stages',
        '/api/stages/actors',
        '/api/stages/variants',
        '/api/stages/extra',
        '/api/stages/map',
        '/api/imports',
        '/api/rejects',
        '/api/geo',
        '/api/geo/districts',
        '/api/audit',
        '/api/audit/export',
        '/api/auth/login',
        '/api/auth/logout',
        '/api/auth/me',
        '/api/auth/password',
        '/api/users',
        '/api/users/{username}',
        '/api/access',
        '/api/report',
        '/api/publication',
        '/api/public/offices',
        '/api/public/offices/{id}',
        '/api/public/districts',
        '/api/public/districts/{district}',
        '/api/public/services',
        '/api/public/services/{code}',
      ].sort(),
    );
    const params = r.body.paths['/api/processing'].get.parameters.map((p: Body) => p.name);
    expect(params).toEqual(
      expect.arrayContaining(['from', 'to', 'district', 'service', 'category', 'office', 'channel', 'by']),
    );
  });
});

describe('Jalali month keys in SQL', () => {
  test('agree with the TypeScript calendar for every day from 2015 to 2035', async () => {
    const db = await Db.open(':memory:');
    const rows = await db.all<{ d: string; k: string }>(
      `SELECT strftime(d, '%Y-%m-%d') AS d, ${monthKeySql('d', 'jalali')} AS k
       FROM (SELECT unnest(generate_series(DATE '2015-01-01', DATE '2035-12-31', INTERVAL 1 DAY))::DATE AS d)`,
    );
    expect(rows.length).toBe(7670);
    for (const r of rows) {
      // noon Tehran time on that day (UTC+3:30 or +4:30) is still the same local day
      expect(r.k).toBe(jalaliMonthKey(Date.parse(`${r.d}T08:00:00Z`)));
    }
    db.close();
  });

  test('looked up by day (monthKeyDays), inside the listed days and outside them, as the TypeScript calendar', async () => {
    const db = await Db.open(':memory:');
    const c = await db.connect();
    const [, m, d] = jalaliToGregorian(1359, 1, 1);
    const nowruz1980 = `1980-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    // a short span, and one past the 20,000 listed days (1960 to 2045: listed up to October 2014)
    for (const [from, to] of [
      ['2019-03-01', '2021-03-25'],
      ['1960-01-01', '2045-01-01'],
    ]) {
      const key = await monthKeyDays(c, `DATE '${from}'`, `DATE '${to}'`);
      const rows = (
        await c.runAndReadAll(
          `SELECT strftime(d, '%Y-%m-%d') AS d, ${key('d', 'jalali')} AS j, ${key('d', 'gregorian')} AS g
           FROM (SELECT unnest(generate_series(DATE '1975-01-01', DATE '2065-12-31', INTERVAL 1 DAY))::DATE AS d)`,
        )
      ).getRowObjects() as { d: string; j: string | null; g: string }[];
      expect(rows.length).toBe(33_238);
      for (const r of rows) {
        const outside = r.d < nowruz1980 || r.d > '2060-12-31';
        expect(r.j, r.d).toBe(outside ? null : jalaliMonthKey(Date.parse(`${r.d}T08:00:00Z`)));
        expect(r.g, r.d).toBe(r.d.slice(0, 7));
      }
    }
    c.closeSync();
    db.close();
  });

  test("the year alone is the key's year; both are NULL outside 1980–2060, as documented (every day, 1975–2065)", async () => {
    const db = await Db.open(':memory:');
    const rows = await db.all<{ d: string; k: string | null; y: number | null }>(
      `SELECT strftime(d, '%Y-%m-%d') AS d, ${monthKeySql('d', 'jalali')} AS k, (${jalaliYearSql('d')})::INTEGER AS y
       FROM (SELECT unnest(generate_series(DATE '1975-01-01', DATE '2065-12-31', INTERVAL 1 DAY))::DATE AS d)`,
    );
    // the keys are exact for Gregorian 1980–2060 and NULL outside (and before Nowruz 1980, which needs 1979's)
    const [, m, d] = jalaliToGregorian(1359, 1, 1);
    const nowruz1980 = `1980-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    for (const r of rows) {
      const outside = r.d < nowruz1980 || r.d > '2060-12-31';
      expect(r.k === null, r.d).toBe(outside);
    }
    for (const r of rows) expect(r.y, r.d).toBe(r.k === null ? null : Number(r.k.slice(0, 4)));
    // and inside the exact range, the TypeScript calendar's year
    for (const r of rows
      .filter((x) => x.d >= '1980-06-01' && x.d <= '2060-01-01')
      .filter((_, i) => i % 97 === 0)) {
      expect(r.y, r.d).toBe(Number(jalaliMonthKey(Date.parse(`${r.d}T08:00:00Z`)).slice(0, 4)));
    }
    db.close();
  });
});
