/**
 * `/api/public/*`: the open data behind the public scorecards — no sign-in, no cookie either way,
 * read-only. In front of every route, in this order:
 *
 * 1. the per-address rate limit (429 with Retry-After);
 * 2. publication: while the admin has it off, every public URL is a 404 (checked on every request,
 *    before any stored answer, so switching off is immediate);
 * 3. the data cache (api/cache.ts): each distinct URL is rendered once per dataset signature and
 *    publication (figures.ts computes the numbers once per signature), kept as bytes — and gzipped
 *    once, for the clients that accept it (every browser) — with an ETag, and sent with
 *    `Cache-Control: public, max-age=60`; If-None-Match gets a 304. The key holds the publication's
 *    version; the data signature drops these answers with every other one.
 *
 * Only 200 answers are stored; a 400 or 404 is computed each time (cheap, and never stale).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Db } from '../db.ts';
import { query } from '../params.ts';
import { type Deps, errorResponses, newRouter } from '../routes/router.ts';
import { type ClientOptions, clientIp, requestOrigin } from '../security/client.ts';
import { districtsCsv, officesCsv, servicesCsv } from './csv.ts';
import { publicSnapshot } from './figures.ts';
import { currentPublication } from './publication.ts';
import { PublicRateLimiter } from './rate-limit.ts';
import {
  DistrictParams,
  DistrictResponse,
  DistrictsQuery,
  DistrictsResponse,
  OfficeParams,
  OfficeResponse,
  OfficesQuery,
  OfficesResponse,
  ServiceParams,
  ServiceQuery,
  ServiceResponse,
  ServicesQuery,
  ServicesResponse,
} from './schemas.ts';
import { districtsView, districtView, officesView, officeView, servicesView, serviceView } from './views.ts';

export const PUBLIC_MAX_AGE_S = 60;

export interface PublicOptions extends ClientOptions {
  limiter?: PublicRateLimiter;
  /** Seconds browsers and proxies may reuse an answer without asking (default 60). */
  maxAgeS?: number;
}

interface Rendered {
  body: Uint8Array<ArrayBuffer>;
  /** The body gzipped (null when it is too small to gain from it). */
  gzip: Uint8Array<ArrayBuffer> | null;
  type: string;
  disposition: string | null;
  etag: string;
}

/** Below this, gzip saves too little to be worth a header. */
const GZIP_MIN_BYTES = 1024;

function render(body: Uint8Array<ArrayBuffer>, type: string, disposition: string | null): Rendered {
  const gz = body.byteLength >= GZIP_MIN_BYTES ? gzipSync(body) : null;
  return {
    body,
    gzip: gz ? new Uint8Array(gz.buffer as ArrayBuffer, gz.byteOffset, gz.byteLength) : null,
    type,
    disposition,
    etag: etagOf(body),
  };
}

const size = (r: Rendered) => r.body.byteLength + (r.gzip?.byteLength ?? 0);

/** The store key: origin (the answers name the definitions' full address), path and sorted query. */
function storeKey(c: Context, opts: ClientOptions): string {
  const u = new URL(c.req.url);
  const params = [...u.searchParams.entries()].sort(([a, x], [b, y]) =>
    a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1,
  );
  return `${requestOrigin(c, opts)}${u.pathname.replace(/\/+$/, '')}?${new URLSearchParams(params)}`;
}

function etagOf(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Weak comparison (RFC 9110 §13.1.2): either encoding's tag, with or without W/, matches. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const gz = gzipTag(etag);
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === gz || t === '*');
}

const gzipTag = (etag: string) => `${etag.slice(0, -1)}-gz"`;

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  const m = /(?:^|,)\s*gzip\s*(?:;\s*q\s*=\s*([\d.]+))?/i.exec(header);
  return m !== null && (m[1] === undefined || Number(m[1]) > 0);
}

const CORS = { 'Access-Control-Allow-Origin': '*' };

function respond(c: Context, r: Rendered, maxAgeS: number): Response {
  const gzip = r.gzip !== null && acceptsGzip(c.req.header('accept-encoding'));
  const headers: Record<string, string> = {
    ...CORS,
    ETag: gzip ? gzipTag(r.etag) : r.etag,
    'Cache-Control': `public, max-age=${maxAgeS}`,
    Vary: 'Accept-Encoding',
  };
  if (matches(c.req.header('if-none-match'), r.etag)) return new Response(null, { status: 304, headers });
  headers['Content-Type'] = r.type;
  if (r.disposition) headers['Content-Disposition'] = r.disposition;
  if (gzip) headers['Content-Encoding'] = 'gzip';
  return new Response(gzip ? r.gzip : r.body, { status: 200, headers });
}

async function publicationOf(db: Db): Promise<{ version: string; published: boolean }> {
  const pub = await currentPublication(db);
  return { version: `${pub.published_at}|${pub.licence}`, published: pub.published };
}

async function inputs(c: Context, deps: Deps, opts: ClientOptions) {
  const [s, pub] = await Promise.all([publicSnapshot(deps.cache), currentPublication(deps.db)]);
  return { s, pub, origin: requestOrigin(c, opts) };
}

function csvAnswer(c: Context, text: string, name: string, asOf: string | null) {
  const day = asOf ? asOf.slice(0, 10) : 'no-data';
  return c.body(text, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="shafaf-${name}-${day}.csv"`,
  });
}

const listResponses = (
  schema: typeof OfficesResponse | typeof DistrictsResponse | typeof ServicesResponse,
) => ({
  200: {
    content: {
      'application/json': { schema },
      'text/csv': { schema: z.string().openapi({ description: 'UTF-8 CSV with BOM (format=csv)' }) },
    },
    description: 'The figures (JSON, or CSV with format=csv); ETag and Cache-Control: public',
  },
  304: { description: 'Not modified (If-None-Match matched the ETag)' },
  400: errorResponses[400],
  404: { ...errorResponses[404], description: 'Not published (the admin has turned the public pages off)' },
  429: { ...errorResponses[404], description: 'Too many requests from this address; Retry-After says when' },
});

const detailResponses = (
  schema: typeof OfficeResponse | typeof DistrictResponse | typeof ServiceResponse,
) => ({
  200: {
    content: { 'application/json': { schema } },
    description: 'The figures; ETag and Cache-Control: public',
  },
  304: { description: 'Not modified (If-None-Match matched the ETag)' },
  400: errorResponses[400],
  404: { ...errorResponses[404], description: 'Unknown id, or not published' },
  429: { ...errorResponses[404], description: 'Too many requests from this address' },
});

export function publicRoutes(deps: Deps, opts: PublicOptions = {}) {
  const limiter = opts.limiter ?? new PublicRateLimiter();
  const maxAgeS = opts.maxAgeS ?? PUBLIC_MAX_AGE_S;
  const db = deps.db;

  const router = newRouter();
  router.use('*', async (c, next) => {
    const wait = limiter.take(clientIp(c, opts));
    if (wait !== null)
      return c.json(
        {
          error: {
            code: 'too_many_requests' as const,
            message: `Too many requests from your address (more than ${limiter.perMinute} a minute): try again in ${wait} s.`,
          },
        },
        429,
        { ...CORS, 'Retry-After': String(wait) },
      );
    const { version, published } = await publicationOf(db);
    if (!published)
      return c.json(
        { error: { code: 'not_found' as const, message: 'Nothing is published here.' } },
        404,
        CORS,
      );
    const key = `public ${version} ${storeKey(c, opts)}`;
    const hit = await deps.cache.peek<Rendered>(key);
    if (hit) return respond(c, hit, maxAgeS);
    await next();
    if (c.res.status !== 200) {
      for (const [k, v] of Object.entries(CORS)) c.res.headers.set(k, v);
      return;
    }
    const rendered = render(
      new Uint8Array(await c.res.arrayBuffer()),
      c.res.headers.get('content-type') ?? 'application/json',
      c.res.headers.get('content-disposition'),
    );
    await deps.cache.put(key, rendered, size(rendered));
    c.res = undefined;
    c.res = respond(c, rendered, maxAgeS);
  });
  return router
    .openapi(
      createRoute({
        method: 'get',
        path: '/offices',
        summary: 'Public: offices with their figures per service (365 days up to the as-of time)',
        request: { query: OfficesQuery },
        responses: listResponses(OfficesResponse),
      }),
      async (c) => {
        const q = c.req.valid('query');
        const { s, pub, origin } = await inputs(c, deps, opts);
        const v = officesView(s, pub, origin, q);
        return q.format === 'csv' ? csvAnswer(c, officesCsv(v), 'offices', v.as_of) : c.json(v, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/offices/{id}',
        summary: "Public: one office's figures per service, beside its district's and the city's",
        request: { params: OfficeParams, query: query({}) },
        responses: detailResponses(OfficeResponse),
      }),
      async (c) => {
        const { s, pub, origin } = await inputs(c, deps, opts);
        return c.json(officeView(s, pub, origin, c.req.valid('param').id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/districts',
        summary: 'Public: districts with their figures per service',
        request: { query: DistrictsQuery },
        responses: listResponses(DistrictsResponse),
      }),
      async (c) => {
        const q = c.req.valid('query');
        const { s, pub, origin } = await inputs(c, deps, opts);
        const v = districtsView(s, pub, origin, q);
        return q.format === 'csv' ? csvAnswer(c, districtsCsv(v), 'districts', v.as_of) : c.json(v, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/districts/{district}',
        summary: "Public: one district's figures per service beside the city's, and its offices",
        request: { params: DistrictParams, query: query({}) },
        responses: detailResponses(DistrictResponse),
      }),
      async (c) => {
        const { s, pub, origin } = await inputs(c, deps, opts);
        return c.json(districtView(s, pub, origin, c.req.valid('param').district), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/services',
        summary: "Public: services with the city's figures",
        request: { query: ServicesQuery },
        responses: listResponses(ServicesResponse),
      }),
      async (c) => {
        const q = c.req.valid('query');
        const { s, pub, origin } = await inputs(c, deps, opts);
        const v = servicesView(s, pub, origin, q);
        return q.format === 'csv' ? csvAnswer(c, servicesCsv(v), 'services', v.as_of) : c.json(v, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/services/{code}',
        summary: 'Public: one service — the quickest offices (optionally in one district), districts, city',
        request: { params: ServiceParams, query: ServiceQuery },
        responses: detailResponses(ServiceResponse),
      }),
      async (c) => {
        const { s, pub, origin } = await inputs(c, deps, opts);
        return c.json(serviceView(s, pub, origin, c.req.valid('param').code, c.req.valid('query')), 200);
      },
    );
}
