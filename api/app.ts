/**
 * The API: one OpenAPIHono sub-app per resource (api/routes/<resource>.ts) mounted under /api,
 * the OpenAPI description generated from the same zod schemas, and the error contract:
 * 400 bad_parameter naming the parameter, 404 JSON, and a generic 500 (details only in the log).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import { DEFAULT_VIEWS, isDefaultView, ResponseCache, StoredAnswers } from './cache.ts';
import type { Db } from './db.ts';
import { ApiError } from './errors.ts';
import { ensureFacts } from './metrics/facts.ts';
import { casesRoutes } from './routes/cases.ts';
import { funnelRoutes } from './routes/funnel.ts';
import { geoRoutes } from './routes/geo.ts';
import { healthRoutes, metaRoutes } from './routes/health.ts';
import { importsRoutes, rejectsRoutes } from './routes/imports.ts';
import { officesRoutes } from './routes/offices.ts';
import { outliersRoutes } from './routes/outliers.ts';
import { processingRoutes } from './routes/processing.ts';
import type { Deps } from './routes/router.ts';
import { trendsRoutes } from './routes/trends.ts';
import { varianceRoutes } from './routes/variance.ts';

export interface AppOptions {
  db: Db;
  /** GeoJSON of the districts served at /api/geo/districts; null disables it. */
  geoPath?: string | null;
  /** Built dashboard (dist/) served for non-/api paths; null serves the API only. */
  webRoot?: string | null;
  log?: (line: string) => void;
  /** Cache whole JSON answers per dataset version (default true; the benchmark turns it off to measure SQL). */
  cache?: boolean;
}

/** Answers that do not depend on the case data, or are cheap and must always be live. */
const UNCACHED = new Set(['/api/health', '/api/openapi.json', '/api/imports', '/api/rejects']);

export function createApp(opts: AppOptions) {
  const deps: Deps = { db: opts.db, geoPath: opts.geoPath ?? null };
  const log = opts.log ?? ((line: string) => console.error(line));
  const base = new OpenAPIHono();
  if (opts.cache !== false) {
    const cache = new ResponseCache();
    const stored = new StoredAnswers(opts.db);
    base.use('/api/*', async (c, next) => {
      if (c.req.method !== 'GET' || UNCACHED.has(c.req.path) || c.req.path.startsWith('/api/geo'))
        return next();
      const key = ResponseCache.key(await ensureFacts(opts.db), c.req.url);
      const persistent = isDefaultView(key);
      // `Cache-Control: no-cache` recomputes (the benchmark uses it to time the SQL behind an answer).
      const bypass = c.req.header('cache-control')?.includes('no-cache');
      let hit = bypass ? undefined : cache.get(key);
      if (hit === undefined && !bypass && persistent) {
        hit = await stored.get(key).catch(() => undefined);
        if (hit !== undefined) cache.set(key, hit);
      }
      if (hit !== undefined)
        return c.body(hit, 200, { 'content-type': 'application/json', 'x-cache': 'hit' });
      await next();
      if (c.res.status === 200) {
        const body = await c.res.clone().text();
        cache.set(key, body);
        if (persistent) await stored.put(key, body).catch((err) => log(`[api] cannot store ${key}: ${err}`));
      }
    });
  }
  const app = base
    .route('/api/health', healthRoutes(deps))
    .route('/api/meta', metaRoutes(deps))
    .route('/api/processing', processingRoutes(deps))
    .route('/api/variance', varianceRoutes(deps))
    .route('/api/funnel', funnelRoutes(deps))
    .route('/api/outliers', outliersRoutes(deps))
    .route('/api/offices', officesRoutes(deps))
    .route('/api/trends', trendsRoutes(deps))
    .route('/api/cases', casesRoutes(deps))
    .route('/api/imports', importsRoutes(deps))
    .route('/api/rejects', rejectsRoutes(deps))
    .route('/api/geo', geoRoutes(deps));

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Shafaf API',
      version: '0.1.0',
      description:
        "Metrics on Tehran's City Electronic Services Offices, as defined in the design brief's metric definitions. " +
        'Every endpoint takes the common filters from, to (ISO or Jalali; to is inclusive of its Tehran-local day), ' +
        'district, service, category, office, channel.',
    },
  });

  if (opts.webRoot) mountDashboard(app, opts.webRoot);

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `No such endpoint: ${c.req.path}` } }, 404),
  );
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.toJSON(), err.status);
    log(
      `[api] ${c.req.method} ${c.req.path} failed: ${err instanceof Error ? (err.stack ?? err.message) : err}`,
    );
    return c.json(
      { error: { code: 'internal', message: 'Internal error; the server log has the details.' } },
      500,
    );
  });
  return app;
}

/** Serves the built dashboard: static files, and index.html for any other non-API path (SPA routes). */
function mountDashboard(app: OpenAPIHono, webRoot: string): void {
  const index = join(webRoot, 'index.html');
  if (!existsSync(index)) {
    app.get('/', (c) =>
      c.text(
        'The dashboard is not built yet: run `npm run build` (or `npm start`), then restart. The API is at /api.',
        503,
      ),
    );
    return;
  }
  app.use('*', async (c, next) =>
    c.req.path.startsWith('/api/') ? next() : serveStatic({ root: webRoot })(c, next),
  );
  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/api/') || c.req.path === '/api') return next();
    return c.html(await readFile(index, 'utf8'));
  });
}

/**
 * Computes the dashboard's default views once for the current data (stored in the database, so they
 * survive restarts). Run after an import, or in the background when the server starts.
 */
export async function warmDefaultViews(app: { request: (path: string) => Response | Promise<Response> }) {
  for (const path of DEFAULT_VIEWS) await (await app.request(path)).arrayBuffer();
}

export type AppType = ReturnType<typeof createApp>;
