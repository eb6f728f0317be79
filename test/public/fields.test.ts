/**
 * Nothing internal reaches the public: every public route the app serves (enumerated from its routes, so
 * a new one without an entry here fails) answers with exactly the fields on this allow-list — written
 * out by hand, not taken from the schemas — and its CSV with exactly the listed columns. No case ids,
 * no flags, no statistics of the inspection side, no cookie.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../../api/db.ts';
import { publicApp } from './fixture.ts';

const HEAD = [
  'as_of',
  'published_at',
  'licence',
  'window.from',
  'window.to',
  'window.days',
  'min_n',
  'definitions_url',
  ...['window', 'median_days', 'on_time_share', 'complaints_per_1000', 'too_few', 'levels'].flatMap((k) => [
    `definitions.${k}.fa`,
    `definitions.${k}.en`,
  ]),
];

const figures = (at: string) => [
  `${at}.n_cases`,
  ...['median_days', 'on_time_share', 'complaints_per_1000'].flatMap((k) => [
    `${at}.${k}.value`,
    `${at}.${k}.n`,
  ]),
];

const service = (at: string) =>
  ['service_code', 'name', 'name_en', 'category', 'category_name.fa', 'category_name.en', 'sla_days'].map(
    (k) => `${at}.${k}`,
  );

const name = (at: string) => [`${at}.fa`, `${at}.en`];

/** The allowed fields of each public route; arrays appear as `[]`. */
const ALLOWED: Record<string, { path: string; fields: string[] }> = {
  '/api/public/offices': {
    path: '/api/public/offices',
    fields: [
      ...HEAD,
      'filters.district',
      'filters.service',
      'filters.q',
      'filters.top',
      'offices[].office_id',
      'offices[].name',
      'offices[].district',
      ...name('offices[].district_name'),
      ...figures('offices[].all_services'),
      ...service('offices[].services[].service'),
      ...figures('offices[].services[].figures'),
    ],
  },
  '/api/public/offices/:id': {
    path: '/api/public/offices/P30',
    fields: [
      ...HEAD,
      'office.office_id',
      'office.name',
      'office.district',
      ...name('office.district_name'),
      ...figures('all_services.office'),
      ...figures('all_services.district'),
      ...figures('all_services.city'),
      ...service('services[].service'),
      ...figures('services[].office'),
      ...figures('services[].district'),
      ...figures('services[].city'),
    ],
  },
  '/api/public/districts': {
    path: '/api/public/districts',
    fields: [
      ...HEAD,
      'filters.service',
      'filters.top',
      ...figures('city'),
      'districts[].district',
      ...name('districts[].name'),
      'districts[].n_offices',
      ...figures('districts[].all_services'),
      ...service('districts[].services[].service'),
      ...figures('districts[].services[].figures'),
    ],
  },
  '/api/public/districts/:district': {
    path: '/api/public/districts/3',
    fields: [
      ...HEAD,
      'district.district',
      ...name('district.name'),
      'n_offices',
      ...figures('all_services.district'),
      ...figures('all_services.city'),
      ...service('services[].service'),
      ...figures('services[].district'),
      ...figures('services[].city'),
      'offices[].office_id',
      'offices[].name',
      ...figures('offices[].all_services'),
      'offices[].main_services[].service_code',
      'offices[].main_services[].name',
      'offices[].main_services[].name_en',
    ],
  },
  '/api/public/services': {
    path: '/api/public/services',
    fields: [
      ...HEAD,
      'filters.category',
      'filters.q',
      ...figures('all_services'),
      ...service('services[].service'),
      'services[].n_offices',
      ...figures('services[].city'),
    ],
  },
  '/api/public/services/:code': {
    path: '/api/public/services/S1?district=3',
    fields: [
      ...HEAD,
      ...service('service'),
      'district.district',
      ...name('district.name'),
      ...figures('city'),
      ...figures('district_figures'),
      'districts[].district',
      ...name('districts[].name'),
      ...figures('districts[].figures'),
      'limit',
      ...['quickest[]', 'too_few[]'].flatMap((at) => [
        `${at}.office_id`,
        `${at}.name`,
        `${at}.district`,
        ...figures(`${at}.figures`),
      ]),
      'quickest[].rank',
      'n_ranked',
    ],
  },
};

const FIGURE_COLUMNS = [
  'n_cases',
  'median_days',
  'median_days_n',
  'on_time_share',
  'on_time_share_n',
  'complaints_per_1000',
  'complaints_per_1000_n',
];
const SERVICE_COLUMNS = ['row', 'service_code', 'service_name', 'service_name_en', 'category', 'sla_days'];
const META_COLUMNS = ['window_from', 'window_to', 'as_of', 'published_at', 'licence', 'definitions_url'];
const CSV_COLUMNS: Record<string, string[]> = {
  '/api/public/offices': [
    'office_id',
    'office_name',
    'district',
    'district_name',
    'district_name_en',
    ...SERVICE_COLUMNS,
    ...FIGURE_COLUMNS,
    ...META_COLUMNS,
  ],
  '/api/public/districts': [
    'district',
    'district_name',
    'district_name_en',
    'n_offices',
    ...SERVICE_COLUMNS,
    ...FIGURE_COLUMNS,
    ...META_COLUMNS,
  ],
  '/api/public/services': [...SERVICE_COLUMNS, 'n_offices', ...FIGURE_COLUMNS, ...META_COLUMNS],
};

/** Every key path of a JSON value; array elements collapse to `[]`. */
function paths(v: unknown, at = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) paths(x, `${at}[]`, out);
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) paths(x, at ? `${at}.${k}` : k, out);
  else out.add(at);
  return out;
}

let db: Db;
let app: Awaited<ReturnType<typeof publicApp>>['app'];
let get: Awaited<ReturnType<typeof publicApp>>['get'];

beforeAll(async () => {
  ({ db, app, get } = await publicApp());
});
afterAll(() => db.close());

describe('public field allow-list', () => {
  const routes = () => [
    ...new Set(
      app.routes.filter((r) => r.path.startsWith('/api/public/') && r.method !== 'ALL').map((r) => r.path),
    ),
  ];

  test('the app serves exactly the listed public routes, all GET', () => {
    expect(routes().sort()).toEqual(Object.keys(ALLOWED).sort());
    expect(
      app.routes.filter((r) => r.path.startsWith('/api/public/') && !['GET', 'ALL'].includes(r.method)),
    ).toEqual([]);
  });

  test('each public route answers with exactly its allowed fields, and sets no cookie', async () => {
    for (const route of routes()) {
      const { path, fields } = ALLOWED[route];
      const res = await get(path, { cookie: 'shafaf_session=whatever' });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('set-cookie'), path).toBeNull();
      const text = await res.text();
      expect([...paths(JSON.parse(text))].sort(), path).toEqual([...new Set(fields)].sort());
      // no case-level data: not one case id of the fixture appears anywhere in the answer
      expect(text, path).not.toMatch(/"(p30|p29|q)-[a-z0-9]+"/);
    }
  });

  test('each CSV has exactly its allowed columns', async () => {
    for (const [route, columns] of Object.entries(CSV_COLUMNS)) {
      const res = await get(`${route}?format=csv`);
      expect(res.status, route).toBe(200);
      const header = (await res.text()).replace(/^\uFEFF/, '').split('\r\n')[0];
      expect(header.split(','), route).toEqual(columns);
    }
  });
});
