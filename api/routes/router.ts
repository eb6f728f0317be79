/**
 * What every resource router shares: the validation hook (a failed zod check is a 400 naming the
 * parameter), the error schema for the OpenAPI description, and per-request setup (filters, as-of
 * time, labels).
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type AuthEnv, districtScope } from '../auth/middleware.ts';
import type { Db } from '../db.ts';
import { type FilterInput, type Filters, resolveFilters } from '../filters.ts';
import { loadAsOf } from '../metrics/base.ts';
import { ensureFacts } from '../metrics/facts.ts';
import { type Labels, loadLabels } from '../metrics/labels.ts';

export interface Deps {
  db: Db;
  geoPath: string | null;
}

export function newRouter() {
  return new OpenAPIHono<AuthEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      // an unknown parameter (query() schemas are strict) has no path: the issue lists its name
      const parameter =
        issue?.code === 'unrecognized_keys'
          ? String(issue.keys[0])
          : issue?.path?.length
            ? String(issue.path[0])
            : String(result.target);
      const message = issue ? `${parameter}: ${issue.message}` : `${parameter} is not valid`;
      return c.json({ error: { code: 'bad_parameter' as const, parameter, message } }, 400);
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum([
        'bad_parameter',
        'not_found',
        'not_configured',
        'unauthorized',
        'forbidden',
        'payload_too_large',
        'too_many_requests',
        'internal',
      ]),
      parameter: z.string().optional(),
      message: z.string(),
    }),
  })
  .openapi('Error');

const errorContent = { 'application/json': { schema: ErrorSchema } };
export const errorResponses = {
  400: { content: errorContent, description: 'A parameter is not valid; `parameter` names it' },
  401: { content: errorContent, description: 'No valid session: sign in at /api/auth/login' },
  403: {
    content: errorContent,
    description: "The user's role may not call this route (or CSRF check failed)",
  },
  404: {
    content: errorContent,
    description: 'An id, district or office that does not exist or lies outside your districts',
  },
  500: { content: errorContent, description: 'Unexpected server error (details are logged, not returned)' },
};

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  200: { content: { 'application/json': { schema } }, description },
});

export interface RequestContext {
  f: Filters;
  asOfS: number | null;
  labels: Labels;
}

/** Labels and the as-of time change only with the data: kept per dataset signature. */
const dims = new WeakMap<Db, { sig: string; asOfS: number | null; labels: Labels }>();

/**
 * The districts the signed-in user may see (null = the whole city). No user only happens on public
 * routes or in the in-process app that computes the stored city-wide answers.
 */
export function scopeOf(c: Context<AuthEnv>): number[] | null {
  const user = c.get('user');
  return user ? districtScope(user) : null;
}

export async function prepare(db: Db, q: FilterInput, scope: number[] | null): Promise<RequestContext> {
  const [f, sig] = await Promise.all([resolveFilters(db, q, scope), ensureFacts(db)]);
  let d = dims.get(db);
  if (!d || d.sig !== sig) {
    const [asOfS, labels] = await Promise.all([loadAsOf(db), loadLabels(db)]);
    d = { sig, asOfS, labels };
    dims.set(db, d);
  }
  return { f, asOfS: d.asOfS, labels: d.labels };
}

export const nullableNumber = z.number().nullable();
