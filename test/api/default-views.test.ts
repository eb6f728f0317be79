/**
 * The default views the server precomputes are the dashboard's own requests: the list comes from the
 * web's query factories (web/queries/views.ts), each of them is a request the API accepts, and the
 * server stores exactly those answers at start-up.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { meta } from '../../api/metrics/meta.ts';
import { type RunningServer, startServer } from '../../api/serve.ts';
import type { Meta } from '../../web/api/types.ts';
import { defaultViewUrls } from '../../web/queries/views.ts';
import { closed, makeDb } from './fixture.ts';
import { signIn } from './session.ts';

const fixture = () =>
  makeDb({
    asOf: '2024-03-01T00:00:00Z',
    offices: [
      { office_id: 'A', district: 1 },
      { office_id: 'B', district: 2 },
    ],
    services: [
      { service_code: 'INQ', sla_days: 3, category: 'inquiry' },
      { service_code: 'BP1', sla_days: 15, category: 'building_permit' },
    ],
    cases: [
      closed('a1', 'A', 'BP1', '2024-01-02T06:00:00Z', 4),
      closed('b1', 'B', 'INQ', '2024-01-03T06:00:00Z', 1),
    ],
  });

let server: RunningServer;
let urls: string[];
let stored: string[];

beforeAll(async () => {
  const db = await fixture();
  urls = defaultViewUrls((await meta(db)) as Meta);
  server = await startServer({ dbPath: ':memory: fixture', db, port: 0, webRoot: null, geoPath: null });
  await server.warmed;
  stored = (await db.all<{ k: string }>('SELECT cache_key AS k FROM api_precomputed ORDER BY 1')).map(
    (r) => r.k,
  );
});

afterAll(async () => {
  await server?.close();
});

describe('default views', () => {
  test("hold the overview's, offices', districts', outliers' and report's requests in both languages", () => {
    // read off the views: the overview in Persian (Solar Hijri months) and English (Gregorian), the
    // offices view's three funnel signals, the districts view on its default service (the first
    // building-permit one), the outliers view
    expect(urls).toEqual(
      expect.arrayContaining([
        '/api/meta',
        '/api/processing?by=district',
        '/api/funnel?metric=complaints&by=district',
        '/api/funnel?metric=slow_share&by=district',
        '/api/outliers',
        '/api/trends?metric=complaints&by=city&calendar=jalali',
        '/api/trends?metric=processing&by=city&calendar=jalali',
        '/api/trends?metric=complaints&by=city&calendar=gregorian',
        '/api/trends?metric=processing&by=city&calendar=gregorian',
        '/api/offices',
        '/api/funnel?metric=complaints&by=office',
        '/api/funnel?metric=slow_share&by=office&scope=all',
        '/api/funnel?metric=bribe_reports&by=office',
        '/api/variance?service=BP1',
        '/api/funnel?service=BP1&metric=slow_share&by=district',
        '/api/access',
        '/api/report',
      ]),
    );
    expect(new Set(urls).size).toBe(urls.length);
  });

  test('are requests the API accepts: no unknown or bad parameter among them', async () => {
    const db = await fixture();
    const { createApp } = await import('../../api/app.ts');
    const app = createApp({ db, geoPath: null, webRoot: null });
    const session = await signIn(app, db, 'commissioner');
    for (const url of urls) expect([url, (await session.request(url)).status]).toEqual([url, 200]);
    db.close();
  });

  test('are what the server stores at start-up, one answer each', () => {
    expect(stored).toHaveLength(urls.length);
    const keyOf = (k: string) => k.slice(k.indexOf(' ') + 1);
    // keys hold the query with its defaults, so `calendar=gregorian` given or not is one answer
    expect(stored.map(keyOf)).toEqual(
      expect.arrayContaining([
        '/api/funnel?by=district&method=multiplicative&metric=complaints&min_n=30&scope=all&time=total #city',
        '/api/stages/map?all=false&service=BP1 #city',
        '/api/trends?by=city&calendar=gregorian&metric=complaints #city',
        '/api/trends?by=city&calendar=gregorian&metric=processing #city',
      ]),
    );
  });
});
