/**
 * Which roles may call which route. Every route the app serves must match a rule here, and every rule
 * a route the app serves: a test enumerates the router's routes both ways, and `authorize` refuses a
 * route without a rule at run time, so a new endpoint cannot be reachable by accident, nor a rule wait
 * for an endpoint nobody has written.
 *
 * commissioner and manager see the whole city; inspector sees their districts (enforced in the
 * metric queries through districtScope); admin manages users and imports and may read what they
 * imported. Imports and their rejects (raw values from the files) are for managers and admins.
 */
import { ROLES, type Role } from './users.ts';

export type Policy = 'public' | readonly Role[];

export interface RouteRule {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Hono-style path; `:name` matches one path segment. */
  path: string;
  allow: Policy;
}

const EVERYONE = ROLES;
const IMPORTERS: readonly Role[] = ['manager', 'admin'];
const ADMINS: readonly Role[] = ['admin'];

export const ROUTE_POLICY: readonly RouteRule[] = [
  { method: 'POST', path: '/api/auth/login', allow: 'public' },
  // Liveness for monitors and load balancers: status, as-of time and row counts, no office data.
  { method: 'GET', path: '/api/health', allow: 'public' },
  { method: 'GET', path: '/api/auth/me', allow: EVERYONE },
  { method: 'POST', path: '/api/auth/logout', allow: EVERYONE },
  // Everyone changes their own password (the current one is required).
  { method: 'POST', path: '/api/auth/password', allow: EVERYONE },
  { method: 'GET', path: '/api/openapi.json', allow: EVERYONE },
  { method: 'GET', path: '/api/meta', allow: EVERYONE },
  { method: 'GET', path: '/api/processing', allow: EVERYONE },
  { method: 'GET', path: '/api/variance', allow: EVERYONE },
  { method: 'GET', path: '/api/funnel', allow: EVERYONE },
  { method: 'GET', path: '/api/outliers', allow: EVERYONE },
  { method: 'GET', path: '/api/offices', allow: EVERYONE },
  { method: 'GET', path: '/api/offices/:id', allow: EVERYONE },
  { method: 'GET', path: '/api/trends', allow: EVERYONE },
  { method: 'GET', path: '/api/cases', allow: EVERYONE },
  // A case's timeline: stages, times and actors, never the event's resource code (issue 11).
  { method: 'GET', path: '/api/cases/:id', allow: EVERYONE },
  { method: 'GET', path: '/api/stages', allow: EVERYONE },
  { method: 'GET', path: '/api/stages/actors', allow: EVERYONE },
  { method: 'GET', path: '/api/stages/variants', allow: EVERYONE },
  { method: 'GET', path: '/api/stages/extra', allow: EVERYONE },
  { method: 'GET', path: '/api/stages/map', allow: EVERYONE },
  // Access and capacity (DESIGN 16): scoped to an inspector's districts like every metric.
  { method: 'GET', path: '/api/access', allow: EVERYONE },
  // The monthly report (issue 15): an inspector's covers their districts.
  { method: 'GET', path: '/api/report', allow: EVERYONE },
  { method: 'GET', path: '/api/geo', allow: EVERYONE },
  { method: 'GET', path: '/api/geo/districts', allow: EVERYONE },
  { method: 'GET', path: '/api/imports', allow: IMPORTERS },
  { method: 'POST', path: '/api/imports', allow: IMPORTERS },
  { method: 'GET', path: '/api/rejects', allow: IMPORTERS },
  { method: 'GET', path: '/api/audit', allow: ADMINS },
  // Every role may download what it sees; the download itself is recorded.
  { method: 'POST', path: '/api/audit/export', allow: EVERYONE },
  { method: 'GET', path: '/api/users', allow: ADMINS },
  { method: 'POST', path: '/api/users', allow: ADMINS },
  { method: 'PATCH', path: '/api/users/:username', allow: ADMINS },
  { method: 'DELETE', path: '/api/users/:username', allow: ADMINS },
  // The public scorecards (issue 16): published aggregates only, no cookie either way (api/public/).
  { method: 'GET', path: '/api/public/offices', allow: 'public' },
  { method: 'GET', path: '/api/public/offices/:id', allow: 'public' },
  { method: 'GET', path: '/api/public/districts', allow: 'public' },
  { method: 'GET', path: '/api/public/districts/:district', allow: 'public' },
  { method: 'GET', path: '/api/public/services', allow: 'public' },
  { method: 'GET', path: '/api/public/services/:code', allow: 'public' },
  { method: 'GET', path: '/api/publication', allow: ADMINS },
  { method: 'POST', path: '/api/publication', allow: ADMINS },
];

function segments(path: string): string[] {
  return path.replace(/\/+$/, '').split('/').filter(Boolean);
}

/** The rules' path patterns split once, not on every request. */
const COMPILED = ROUTE_POLICY.map((r) => ({ ...r, segments: segments(r.path) }));

function matches(p: string[], s: string[]): boolean {
  return p.length === s.length && p.every((seg, i) => seg.startsWith(':') || seg === s[i]);
}

/**
 * The roles allowed for a request (or a router path such as `/api/offices/:id`); undefined when no
 * rule covers an API route. Paths outside /api (the dashboard's files and pages) are public: the
 * sign-in page must load before anyone is signed in, and it holds no data.
 */
export function policyFor(method: string, path: string): Policy | undefined {
  if (path !== '/api' && !path.startsWith('/api/')) return 'public';
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const s = segments(path);
  return COMPILED.find((r) => r.method === m && matches(r.segments, s))?.allow;
}
