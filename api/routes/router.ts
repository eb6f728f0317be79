/**
 * What every resource router shares: the validation hook (a failed zod check is a 400 naming the
 * parameter, an unknown parameter included), the error responses for the OpenAPI description, the
 * user's district scope, the request context every metric takes, and answers through the data cache.
 */
import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import { type AuthEnv, districtScope } from '../auth/middleware.ts';
import type { DataCache } from '../cache.ts';
import { type RequestContext, requestContext } from '../context.ts';
import type { Db } from '../db.ts';
import { ErrorSchema } from '../errors.ts';
import type { FilterInput } from '../filters.ts';

export interface Deps {
  db: Db;
  cache: DataCache;
  geoPath: string | null;
  /** Keep whole-city answers in the database too: only the in-process app that computes the default views. */
  storeAnswers: boolean;
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
  return requestContext(deps.cache, q, scopeOf(c));
}

const byName = ([a]: [string, string], [b]: [string, string]) => (a < b ? -1 : a > b ? 1 : 0);
const scopeKey = (c: Context<AuthEnv>) => scopeOf(c)?.join(',') ?? 'city';

/** The request as sent: path, parameters in name order, and the user's district scope. */
function urlKey(c: Context<AuthEnv>): string {
  const params = [...new URL(c.req.url).searchParams.entries()].sort(byName);
  return `url ${c.req.path}?${new URLSearchParams(params)} #${scopeKey(c)}`;
}

/**
 * Middleware after the access layer: a GET whose URL (within the user's scope) was answered before
 * under the current data is answered from the cache at once, before routing and validation. The
 * cache holds, for each URL answered, the key of its answer (`cachedAnswer`).
 */
export function answeredBefore(cache: DataCache) {
  return async (c: Context<AuthEnv>, next: () => Promise<void>) => {
    if (c.req.method !== 'GET') return next();
    const key = await cache.peek<string>(urlKey(c));
    const body = key === undefined ? undefined : await cache.peek<string>(key);
    if (body === undefined) return next();
    return c.body(body, 200, { 'content-type': 'application/json', 'x-cache': 'hit' });
  };
}

/**
 * A GET answer through the data cache. The key is the path, the validated query (defaults applied,
 * so `calendar=gregorian` and no calendar are one answer) and the user's district scope, so an
 * inspector's answer is never anyone else's. `compute` must produce the route's response `schema`.
 */
export async function cachedAnswer<S extends z.ZodType>(
  deps: Deps,
  c: Context<AuthEnv>,
  _schema: S,
  q: Record<string, unknown>,
  compute: () => Promise<z.input<S>>,
): Promise<Response & TypedResponse<JSONParsed<z.output<S>>, 200, 'json'>> {
  // `format` only changes how the answer is sent (api/export/xlsx.ts), not the answer
  const query = Object.entries(q)
    .filter(([k, v]) => v !== undefined && k !== 'format')
    .map(([k, v]): [string, string] => [k, String(v)])
    .sort(byName);
  const key = `${c.req.path}?${new URLSearchParams(query)} #${scopeKey(c)}`;
  const json = async () => JSON.stringify(await compute());
  const body = await (deps.storeAnswers && !scopeOf(c)
    ? deps.cache.stored(key, json)
    : deps.cache.get(key, json));
  // the next request for this URL is answered by answeredBefore
  const url = urlKey(c);
  await deps.cache.put(url, key, url.length + key.length);
  // the cached text is exactly what c.json would have sent for the value compute returned
  return c.body(body, 200, { 'content-type': 'application/json' }) as unknown as Response &
    TypedResponse<JSONParsed<z.output<S>>, 200, 'json'>;
}
