/**
 * Hostile query parameters (issue 4, "Proof"): every GET route the app serves (enumerated from the router, so a
 * new route is fuzzed without editing this file), each fed random and hostile values for every parameter its
 * OpenAPI description names plus the common filters and an unknown one: long strings, SQL-looking text, unicode,
 * NaN, negative numbers, impossible Jalali/ISO dates, repeated keys. Every answer is 200, or a 400/404 in the
 * JSON error shape (400s name the parameter); never a 500, a stack trace or a database error text.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../api/db.ts';
import { XLSX_TYPE } from '../../api/export/xlsx.ts';
import { importFiles } from '../../api/import/index.ts';
import { cleanup, clientFor, SMALL_EXPORT, type TestClient, tempDir, writeExport } from './helpers.ts';

const SEED = 4_0_4;
const COMMON = ['from', 'to', 'district', 'service', 'category', 'office', 'channel'];
/** What a leaked internal error looks like: DuckDB's error classes, stack frames, source paths. */
const LEAK =
  /(Binder|Parser|Catalog|Conversion|Invalid Input|Out of Range|Constraint|Dependency|Internal|INTERNAL) Error|duckdb|node_modules|\.ts:\d+|^\s+at .+[:(]/im;

const hostile = fc.oneof(
  fc.constantFrom(
    "' OR 1=1 --",
    '1; DROP TABLE cases; --',
    '1) UNION SELECT username, password_hash FROM users --',
    '$1',
    '%',
    '_',
    '\\',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '-1',
    '0',
    '-0',
    '2147483648',
    '99999999999999999999',
    '3.5',
    '0x10',
    ' 3 ',
    '۳',
    '٣',
    '',
    'null',
    'undefined',
    'true',
    '[]',
    '{}',
    '\u0000',
    '\u200c',
    '\u202e',
    '1401/13/01',
    '1401/12/30',
    '1403/12/30',
    '1400/00/00',
    '۱۴۰۱/۰۵/۰۲',
    '2023-02-29',
    '2024-02-29',
    '0000-01-01',
    '9999-12-31',
    '2023-01-01T25:00',
    '2023-13-45',
    '1970-01-01T00:00:00Z',
    '-271821-04-20',
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.double().map(String),
  fc.integer({ min: 1000, max: 10_000 }).map((n) => 'ی'.repeat(n)),
  fc.integer({ min: 1000, max: 10_000 }).map((n) => '9'.repeat(n)),
);

interface RouteParams {
  path: string;
  pathParams: string[];
  query: string[];
  /** Values the OpenAPI description lists (enums), so fuzzing also reaches past the first check. */
  valid: Record<string, string[]>;
}

let db: Db;
let client: TestClient;
let routes: RouteParams[];

beforeAll(async () => {
  process.env.SHAFAF_SCRYPT_LOG_N = '10';
  const dir = tempDir();
  db = await Db.open(':memory:');
  const r = await importFiles(db, [writeExport(`${dir}/export`, SMALL_EXPORT)]);
  if (r.status !== 'ok') throw new Error(r.message ?? 'seed import failed');
  client = await clientFor(db);
  routes = await enumerateRoutes(client);
});
afterAll(() => {
  db?.close();
  cleanup();
});

type OpenApiParam = { name: string; in: string; schema?: { enum?: unknown[] } };

async function enumerateRoutes(c: TestClient): Promise<RouteParams[]> {
  const doc = (await (await c.get('/api/openapi.json')).json()) as {
    paths: Record<string, Record<string, { parameters?: OpenApiParam[] }>>;
  };
  const paths = [
    ...new Set(
      c.routes
        .filter((r) => r.method === 'GET' && r.path.startsWith('/api/') && !r.path.includes('*'))
        .map((r) => r.path),
    ),
  ].sort();
  return paths.map((path) => {
    const openapiPath = path.replace(/:(\w+)/g, '{$1}');
    const params = doc.paths[openapiPath]?.get?.parameters ?? [];
    const valid: Record<string, string[]> = {
      district: ['1', '7', '۷'],
      service: ['S1', 'S2'],
      office: ['O1', 'O2'],
      from: ['2023-01-01', '1401/10/11'],
      to: ['2023-12-31', '1402/01/01'],
    };
    for (const p of params) if (p.schema?.enum) valid[p.name] = p.schema.enum.map(String);
    const query = [
      ...new Set([...params.filter((p) => p.in === 'query').map((p) => p.name), ...COMMON, 'unknown_param']),
    ];
    const pathParams = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    return { path, pathParams, query, valid };
  });
}

function requestFor(route: RouteParams) {
  const valid = (name: string) => fc.constantFrom(...(route.valid[name] ?? ['1']));
  const value = (name: string) =>
    route.valid[name]
      ? fc.oneof({ arbitrary: valid(name), weight: 2 }, { arbitrary: hostile, weight: 3 })
      : hostile;
  const pathValue = fc.oneof(fc.constantFrom('O1', 'O2', 'NOPE'), hostile);
  // half the requests start from valid values of the enumerated parameters and a service (funnel's metric and
  // variance's service are required), so the hostile
  // value that follows is checked past the first required-parameter error
  const enums = Object.keys(route.valid).filter(
    (n) => route.query.includes(n) && (n === 'service' || !COMMON.includes(n)),
  );
  const base = fc.option(fc.tuple(...enums.map((n) => valid(n).map((v) => [n, v] as const))), { nil: [] });
  return fc
    .tuple(
      fc.array(pathValue, { minLength: route.pathParams.length, maxLength: route.pathParams.length }),
      base.map((b) => [b]),
      fc.array(
        fc.constantFrom(...route.query).chain((name) =>
          // a repeated key is how a client sends an array
          fc
            .array(value(name), { minLength: 1, maxLength: 3 })
            .map((vs) => vs.map((v) => [name, v] as const)),
        ),
        { minLength: 0, maxLength: 4 },
      ),
    )
    .map(([pathVals, baseQuery, pairs]) => {
      let path = route.path;
      for (const [i, name] of route.pathParams.entries()) {
        path = path.replace(`:${name}`, encodeURIComponent(pathVals[i] || 'x'));
      }
      const all = [...baseQuery.flat(), ...pairs.flat()] as [string, string][];
      const qs = new URLSearchParams(all).toString();
      return qs ? `${path}?${qs}` : path;
    });
}

async function checkAnswer(url: string): Promise<number> {
  const res = await client.get(url);
  const text = await res.text();
  const where = `${res.status} ${url.slice(0, 300)}\n${text.slice(0, 500)}`;
  expect([200, 400, 404], where).toContain(res.status);
  // `format=xlsx` on a table endpoint answers a workbook (a zip), not JSON
  if (res.status === 200 && new URL(url, 'http://x').searchParams.get('format') === 'xlsx') {
    expect(res.headers.get('content-type'), where).toBe(XLSX_TYPE);
    expect(text.startsWith('PK'), where).toBe(true);
    return res.status;
  }
  expect(res.headers.get('content-type') ?? '', where).toMatch(/application\/json/);
  expect(text, where).not.toMatch(LEAK);
  const body = JSON.parse(text);
  if (res.status !== 200) {
    expect(typeof body.error?.code, where).toBe('string');
    expect(typeof body.error?.message, where).toBe('string');
    expect(body.error.message.length, where).toBeGreaterThan(0);
    if (res.status === 400) {
      expect(typeof body.error.parameter, where).toBe('string');
      expect(body.error.parameter.length, where).toBeGreaterThan(0);
    }
  }
  return res.status;
}

describe('hostile query parameters on every GET route', () => {
  it('enumerates the routes from the router and can call each one', async () => {
    const paths = routes.map((r) => r.path);
    for (const p of ['/api/meta', '/api/processing', '/api/cases', '/api/offices/:id', '/api/outliers']) {
      expect(paths).toContain(p);
    }
    // without parameters: answered, or a 400 naming the required one (funnel's metric, variance's service)
    for (const r of routes) await checkAnswer(r.path.replace(/:(\w+)/g, 'O1'));
  });

  it('answers 200, or 400/404 in the error shape; never 500, a stack trace or SQL error text', async () => {
    const statuses: Record<string, Record<number, number>> = {};
    for (const route of routes) {
      const seen: Record<number, number> = {};
      statuses[route.path] = seen;
      await fc.assert(
        fc.asyncProperty(requestFor(route), async (url) => {
          const status = await checkAnswer(url);
          seen[status] = (seen[status] ?? 0) + 1;
        }),
        { seed: SEED, numRuns: 30 },
      );
    }
    console.log(
      `params-fuzz (signed in: ${client.signedIn}) statuses per route: ${JSON.stringify(statuses)}`,
    );
    // the fuzz gets past validation too: most routes answer some requests with data
    const answered = Object.values(statuses).filter((s) => (s[200] ?? 0) > 0).length;
    expect(answered).toBeGreaterThanOrEqual(routes.length / 2);
  });

  it('a parameter given twice with two valid values is a clear 400 or answered, never a 500', async () => {
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, 'O1');
      for (const name of route.query) {
        const vs = route.valid[name] ?? ['1', '2'];
        await checkAnswer(
          `${path}?${name}=${encodeURIComponent(vs[0])}&${name}=${encodeURIComponent(vs.at(-1) ?? '')}`,
        );
      }
    }
  });
});
