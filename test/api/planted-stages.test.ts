/**
 * The small demo city's planted stage truth (ground truth `stage_truth`, issue 11) found through the
 * API: the slow district's days sit in its municipality stage, not in its offices' own stages; the
 * slow offices are slow on their own time; the district with the extra inquiry and the district with
 * much rework are flagged, and few others are.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../api/app.ts';
import { Db } from '../../api/db.ts';
import { type GroundTruth, generateDemo, groundTruthPath } from '../../data/demo/generate.ts';
import type { Body } from './fixture.ts';
import { type Session, signIn } from './session.ts';

let dir: string;
let db: Db;
let truth: GroundTruth;
let session: Session;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shafaf-planted-stages-'));
  const dbPath = join(dir, 'small.duckdb');
  await generateDemo({ dbPath, size: 'small', seed: 1 });
  truth = JSON.parse(readFileSync(groundTruthPath(dbPath), 'utf8'));
  db = await Db.open(dbPath);
  const app = createApp({ db, geoPath: null, webRoot: null, log: () => {} });
  session = await signIn(app, db, 'commissioner', { username: 'planted-stages' });
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function get(path: string): Promise<Body> {
  const res = await session.request(path);
  expect(res.status, path).toBe(200);
  return res.json();
}

const planted = (kind: string) => truth.stage_truth.filter((s) => s.kind === kind);

describe('planted stage truth in the small demo city', () => {
  test('the event log: every closed case has steps, and they add up to its duration', async () => {
    await get('/api/health'); // builds the facts
    await get('/api/stages');
    // case_step_facts carries each case's dur: every closed case has steps adding up to it
    const row = await db.one<Record<string, number>>(
      `SELECT (SELECT count(*) FROM case_facts WHERE dur IS NOT NULL)::INTEGER AS closed,
         count(*) FILTER (WHERE dur IS NOT NULL AND n_steps > 0)::INTEGER AS closed_with_steps,
         max(abs(step_days - dur))::DOUBLE AS worst
       FROM case_step_facts`,
    );
    expect(row?.closed).toBeGreaterThan(50_000);
    expect(row?.closed_with_steps).toBe(row?.closed);
    expect(row?.worst).toBeLessThan(1e-6);
    expect(truth.counts.events).toBe(
      (await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM events'))?.n,
    );
    expect(truth.stage_truth.map((s) => s.kind).sort()).toEqual([
      'extra_step',
      'rework',
      'slow_office_stages',
      'slow_office_stages',
      'slow_office_stages',
      'slow_stage',
      'slow_stage',
    ]);
  });

  test("a slow district's days sit in one municipality stage, not in its offices' stages", async () => {
    for (const s of planted('slow_stage')) {
      const body = await get(`/api/stages?by=district&category=${s.category}`);
      const rows = body.rows.filter((r: Body) => r.key === String(s.district));
      const bn = body.bottlenecks.find((b: Body) => b.key === String(s.district));
      expect(bn.stage, `district ${s.district}`).toBe(s.stage);
      const city = (stage: string) => body.city.rows.find((r: Body) => r.stage === stage);
      const mine = (stage: string) => rows.find((r: Body) => r.stage === stage);
      // The planted stage is far slower than the city's; the office's own file opening is not.
      expect(mine(s.stage as string).median_days).toBeGreaterThan(2 * city(s.stage as string).median_days);
      expect(mine('intake').median_days).toBeLessThan(1.35 * city('intake').median_days);
      expect(mine('intake').median_days).toBeGreaterThan(0.75 * city('intake').median_days);
      // The stage test across districts points at the same thing.
      const across = await get(`/api/stages?category=${s.category}&stage=${s.stage}`);
      expect(across.across_districts.kruskal_wallis.p_value).toBeLessThan(1e-6);
      const d = across.across_districts.districts;
      const slowest = [...d].sort((a: Body, b: Body) => b.median_days - a.median_days)[0];
      expect(slowest.district).toBe(s.district);
    }
  });

  test('on office time the slow offices are flagged and the slow district’s offices are not', async () => {
    const office = await get('/api/outliers?time=office&level=office');
    const flagged = new Set(office.flags.map((f: Body) => `${f.office_id}|${f.signal}|${f.scope}`));
    for (const s of planted('slow_office_stages'))
      expect(flagged, s.office_id).toContain(`${s.office_id}|slow|all`);

    const total = await get('/api/outliers?level=office');
    const totalFlagged = new Set(total.flags.map((f: Body) => `${f.office_id}|${f.signal}|${f.scope}`));
    const permitDistrict = planted('slow_stage').find((s) => s.category === 'building_permit')!;
    const offices = (await get(`/api/offices?district=${permitDistrict.district}`)).rows.map(
      (r: Body) => r.office_id,
    );
    const onTotal = offices.filter((o: string) => totalFlagged.has(`${o}|slow|building_permit`));
    const onOffice = offices.filter((o: string) => flagged.has(`${o}|slow|building_permit`));
    console.log(
      `district ${permitDistrict.district}: ${onTotal.length} of ${offices.length} offices flagged slow on permits on total time, ${onOffice.length} on office time`,
    );
    expect(onTotal.length).toBeGreaterThan(0);
    expect(onOffice).toEqual([]);
  });

  test('the extra inquiry is flagged in its district, with few other extra-step flags', async () => {
    const [s] = planted('extra_step');
    const body = await get('/api/stages/extra');
    const mine = body.flags.filter((f: Body) => f.district === s.district && f.stage === s.stage);
    expect(mine.length).toBeGreaterThan(0);
    for (const f of mine) {
      expect(f.share).toBeGreaterThan(f.other_share * 5);
      expect(f.q).toBeLessThan(0.05);
    }
    const others = body.flags.filter((f: Body) => !(f.district === s.district && f.stage === s.stage));
    console.log(
      `extra steps: ${mine.length} planted flags, ${others.length} others of ${body.tested_pairs} tested pairs`,
    );
    expect(others.length).toBeLessThanOrEqual(3);
  });

  test('the rework district is flagged on the rework funnel, at its review loop', async () => {
    const [s] = planted('rework');
    const body = await get(`/api/stages/variants?category=${s.category}`);
    const rows = body.rework.districts.rows;
    const mine = rows.find((r: Body) => r.key === String(s.district));
    expect(mine.flag).toBe('above');
    expect(['technical_review', 'engineer_design']).toContain(mine.top_stage.stage);
    expect(mine.top_stage.rate).toBeGreaterThan(2 * mine.top_stage.other_rate);
    const others = rows.filter((r: Body) => r.flag === 'above' && r.key !== String(s.district));
    expect(others.length).toBeLessThanOrEqual(1);
  });
});
