/**
 * Who is asking and over what: the client address (for rate limits and the audit log) and whether
 * the request came over https (for the cookie's Secure flag). Forwarded headers are spoofable, so
 * they are read only when the server is told it sits behind a reverse proxy (`trustProxy`).
 */
import type { Context } from 'hono';

export interface ClientOptions {
  trustProxy?: boolean;
}

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
  server?: NodeBindings;
}

export function clientIp(c: Context, opts: ClientOptions = {}): string {
  if (opts.trustProxy) {
    const first = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (first) return first.slice(0, 64);
  }
  // @hono/node-server puts the Node request in c.env; in-process tests (app.request) have no socket.
  const env = c.env as NodeBindings | undefined;
  const bindings = env?.server ?? env;
  return bindings?.incoming?.socket?.remoteAddress ?? 'unknown';
}

export function isHttps(c: Context, opts: ClientOptions = {}): boolean {
  if (opts.trustProxy) {
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
    if (proto) return proto === 'https';
  }
  return new URL(c.req.url).protocol === 'https:';
}

/** The origin the browser should be on: the request's own, or the proxy's public one. */
export function requestOrigin(c: Context, opts: ClientOptions = {}): string {
  const url = new URL(c.req.url);
  if (opts.trustProxy) {
    const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() ?? c.req.header('host');
    if (host) return `${isHttps(c, opts) ? 'https' : 'http'}://${host}`;
  }
  return url.origin;
}
