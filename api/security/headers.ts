/**
 * Response headers that make the browser refuse what the dashboard never does: run inline or foreign
 * scripts, be framed, sniff content types, leak URLs (with filters in them) as referrers.
 *
 * Styles: the dashboard's CSS is a file, but ECharts builds tooltip markup with `style="…"`
 * attributes (tooltipMarkup.js), which CSP treats as inline style. So inline style *attributes* are
 * allowed (style-src-attr) while <style> elements and scripts stay 'self' only.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  styleSrcAttr: ["'unsafe-inline'"],
  // ECharts' "save as image" and canvas exports use data: and blob: URLs.
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function securityHeaders(): MiddlewareHandler {
  const base = secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    // No includeSubDomains: the server may share a municipal domain with sites this must not govern.
    strictTransportSecurity: 'max-age=15552000',
  });
  return async (c, next) => {
    await base(c, next);
    // API answers hold office data: no shared cache or back/forward cache should keep them.
    if (c.req.path.startsWith('/api/') && !c.res.headers.has('Cache-Control'))
      c.res.headers.set('Cache-Control', 'no-store');
  };
}
