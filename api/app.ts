/**
 * The API: one OpenAPIHono sub-app per resource (api/routes/<resource>.ts) mounted under /api,
 * the OpenAPI description generated from the same zod schemas, and the error contract:
 * 400 bad_parameter naming the parameter, 401/403/413/429 from the access layer, 404 JSON, and a
 * generic 500 (details only in the log).
 *
 * Order matters: security headers on everything; then for /api/* the body size limit, then
 * `authorize` (session, role from the route policy, CSRF). Data answers go through the one data
 * cache (api/cache.ts) inside their routes, keyed with the user's district scope so an inspector's
 * answer is never served to anyone else.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { type AuthEnv, type AuthOptions, authorize } from './auth/middleware.ts';
import { authRoutes } from './auth/routes.ts';
import { DataCache } from './cache.ts';
import type { Db } from './db.ts';
import { ApiError } from './errors.ts';
import { xlsxDownloads } from './export/xlsx.ts';
import { publicationRoutes } from './public/admin.ts';
import { mountPublicPage } from './public/page.ts';
import { PublicRateLimiter } from './public/rate-limit.ts';
import { publicRoutes } from './public/routes.ts';
import { accessRoutes } from './routes/access.ts';
import { auditRoutes } from './routes/audit.ts';
import { caseTimelineRoutes } from './routes/case-timeline.ts';
import { casesRoutes } from './routes/cases.ts';
import { funnelRoutes } from './routes/funnel.ts';
import { geoRoutes } from './routes/geo.ts';
import { healthRoutes, metaRoutes } from './routes/health.ts';
import { importsRoutes, rejectsRoutes } from './routes/imports.ts';
import { officesRoutes } from './routes/offices.ts';
import { outliersRoutes } from './routes/outliers.ts';
import { processingRoutes } from './routes/processing.ts';
import { reportRoutes } from './routes/report.ts';
import { answeredBefore, type Deps } from './routes/router.ts';
import { stagesRoutes } from './routes/stages.ts';
import { trendsRoutes } from './routes/trends.ts';
import { uploadRoutes } from './routes/upload.ts';
import { usersRoutes } from './routes/users.ts';
import { varianceRoutes } from './routes/variance.ts';
import { requestSizeLimit } from './security/body-limit.ts';
import { securityHeaders } from './security/headers.ts';
import { LoginRateLimiter } from './security/rate-limit.ts';

export interface AppOptions {
  db: Db;
  /** GeoJSON of the districts served at /api/geo/districts; null disables it. */
  geoPath?: string | null;
  /** Built dashboard (dist/) served for non-/api paths; null serves the API only. */
  webRoot?: string | null;
  log?: (line: string) => void;
  /** The data cache; a new one for this app when not given (the server shares one between its apps). */
  cache?: DataCache;
  /**
   * Keep whole-city answers in the database too, to survive a restart: only for the in-process app
   * that computes the dashboard's default views (serve.ts).
   */
  storeAnswers?: boolean;
  /**
   * Session, proxy and origin options for the access layer. `false` builds an app with no access
   * layer at all: only for the in-process app that computes the stored city-wide default views
   * (serve.ts) and for tests that are not about access. Never serve such an app.
   */
  auth?: AuthOptions | false;
  /** The login limiter (one per server; tests pass one with a fake clock). */
  limiter?: LoginRateLimiter;
  /** The per-address limiter of the public endpoints (default: 300 requests a minute). */
  publicLimiter?: PublicRateLimiter;
}

const UPLOAD_ROUTES = [{ method: 'POST', path: '/api/imports' }];

const HTTP_CODES: Record<number, string> = {
  400: 'bad_parameter',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  429: 'too_many_requests',
};

export function createApp(opts: AppOptions) {
  const deps: Deps = {
    db: opts.db,
    cache: opts.cache ?? new DataCache(opts.db),
    geoPath: opts.geoPath ?? null,
    storeAnswers: opts.storeAnswers ?? false,
  };
  const log = opts.log ?? ((line: string) => console.error(line));
  const ao: AuthOptions | false = opts.auth === undefined ? {} : opts.auth;
  const base = new OpenAPIHono<AuthEnv>();
  base.use('*', securityHeaders());
  base.use('/api/*', requestSizeLimit({ uploads: UPLOAD_ROUTES }));
  if (ao) base.use('/api/*', authorize(opts.db, ao));
  // ?format=xlsx on the table endpoints: the route's own answer, converted and recorded on the way out
  base.use('/api/*', xlsxDownloads(deps.cache, ao || {}));
  base.use('/api/*', answeredBefore(deps.cache));
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
    .route('/api/cases', caseTimelineRoutes(deps))
    .route('/api/stages', stagesRoutes(deps))
    .route('/api/imports', importsRoutes(deps))
    .route('/api/imports', uploadRoutes(deps, ao || {}))
    .route('/api/rejects', rejectsRoutes(deps))
    .route('/api/audit', auditRoutes(deps, ao || {}))
    .route('/api/users', usersRoutes(deps, ao || {}))
    .route('/api/geo', geoRoutes(deps))
    .route('/api/access', accessRoutes(deps))
    .route('/api/report', reportRoutes(deps))
    .route('/api/publication', publicationRoutes(deps, ao || {}))
    .route(
      '/api/public',
      publicRoutes(deps, {
        trustProxy: ao ? ao.trustProxy : false,
        limiter: opts.publicLimiter ?? new PublicRateLimiter(),
      }),
    );
  if (ao)
    app.route(
      '/api/auth',
      authRoutes(opts.db, { ...ao, limiter: opts.limiter ?? new LoginRateLimiter({ store: opts.db }) }),
    );

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

  if (opts.webRoot) {
    mountPublicPage(app, opts.db, opts.webRoot);
    mountDashboard(app, opts.webRoot);
  }

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `No such endpoint: ${c.req.path}` } }, 404),
  );
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.toJSON(), err.status);
    if (err instanceof HTTPException && err.status < 500) {
      // e.g. a malformed multipart body or JSON: the status and a short message, never a stack.
      const code = HTTP_CODES[err.status] ?? 'bad_parameter';
      const message = err.message || `The request was refused (HTTP ${err.status}).`;
      return c.json({ error: { code, message } }, err.status);
    }
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
function mountDashboard(app: OpenAPIHono<AuthEnv>, webRoot: string): void {
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
  // Vite names built assets by content hash, so a browser may keep them for good; index.html is never cached.
  const staticFiles = serveStatic({
    root: webRoot,
    onFound: (_path, c) => {
      if (c.req.path.startsWith('/assets/')) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    },
  });
  app.use('*', async (c, next) => (c.req.path.startsWith('/api/') ? next() : staticFiles(c, next)));
  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/api/') || c.req.path === '/api') return next();
    return c.html(await readFile(index, 'utf8'));
  });
}

export type AppType = ReturnType<typeof createApp>;
