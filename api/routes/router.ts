/**
 * What every resource router shares: the validation hook (a failed zod check is a 400 naming the
 * parameter, an unknown parameter included), the error responses for the OpenAPI description, the
 * user's district scope, and the request context every metric takes.
 */
import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type AuthEnv, districtScope } from '../auth/middleware.ts';
import { type RequestContext, requestContext } from '../context.ts';
import type { Db } from '../db.ts';
import { ErrorSchema } from '../errors.ts';
import type { FilterInput } from '../filters.ts';

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

/**
 * The districts the signed-in user may see (null = the whole city). No user only happens on public
 * routes or in the in-process app that computes the stored city-wide answers.
 */
export function scopeOf(c: Context<AuthEnv>): number[] | null {
  const user = c.get('user');
  return user ? districtScope(user) : null;
}

/** The request context for a metric: the query's filters resolved within the user's scope. */
export function contextOf(deps: Deps, c: Context<AuthEnv>, q: FilterInput): Promise<RequestContext> {
  return requestContext(deps.db, q, scopeOf(c));
}
