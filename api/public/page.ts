/**
 * The public page's HTML (`/public`, `/public/...`): the separate, sign-in-free entry of the built web
 * app (dist/public.html), served only while published; otherwise a 404 page that says nothing else.
 * Never cached, so switching off is seen at once.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context, Hono } from 'hono';
import type { Db } from '../db.ts';
import { currentPublication } from './publication.ts';

const NOT_PUBLISHED = `<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>یافت نشد · Not found</title></head>
<body><main><h1>این صفحه یافت نشد</h1><p lang="en" dir="ltr">Not found.</p></main></body></html>`;

// biome-ignore lint/suspicious/noExplicitAny: mounted on the app whatever its env and schema
export function mountPublicPage(app: Hono<any, any, any>, db: Db, webRoot: string): void {
  const file = join(webRoot, 'public.html');
  const page = async (c: Context) => {
    const pub = await currentPublication(db);
    c.header('Cache-Control', 'no-store');
    if (!pub.published) return c.html(NOT_PUBLISHED, 404);
    if (!existsSync(file))
      return c.text('The public page is not built yet: run `npm run build`, then restart.', 503);
    return c.html(await readFile(file, 'utf8'));
  };
  app.get('/public', page);
  app.get('/public/*', page);
  app.get('/public.html', page);
}
