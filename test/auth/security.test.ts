import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../api/db.ts';
import { buildApp, dbWithUsers, login, ORIGIN } from './helpers.ts';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe('security headers and size limits', () => {
  let db: Db;
  beforeEach(async () => {
    db = await dbWithUsers();
  });
  afterEach(() => db.close());

  it('sends a CSP without inline scripts, no framing, nosniff, no referrer, no-store on API answers', async () => {
    const res = await buildApp(db).request(`${ORIGIN}/api/health`);
    const csp = directives(res.headers.get('content-security-policy') ?? '');
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('puts the headers on error answers too', async () => {
    const res = await buildApp(db).request(`${ORIGIN}/api/processing`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('answers an oversized body with 413 JSON, by Content-Length or by counting a stream', async () => {
    const app = buildApp(db); // limits in the test app: 1 KiB, uploads 4 KiB
    const big = JSON.stringify({ username: 'x'.repeat(2000), password: 'y' });
    const res = await app.request(`${ORIGIN}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
      body: big,
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');

    const stream = new ReadableStream({
      start(ctrl) {
        for (let i = 0; i < 4; i++) ctrl.enqueue(new Uint8Array(400));
        ctrl.close();
      },
    });
    const chunked = await app.request(`${ORIGIN}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('gives upload routes their larger limit', async () => {
    const app = buildApp(db);
    const root = await login(app, 'root', 'root-pass-1');
    const send = (bytes: number) =>
      app.request(`${ORIGIN}/api/imports`, {
        method: 'POST',
        headers: { cookie: root.cookie, 'x-csrf-token': root.csrf, 'content-type': 'text/csv' },
        body: 'a'.repeat(bytes),
      });
    expect((await send(3000)).status).toBe(200);
    expect((await send(5000)).status).toBe(413);
  });
});
