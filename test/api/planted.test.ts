/**
 * The small demo city with its written ground truth: every required planted anomaly must be
 * flagged by /api/outliers with the right signal and scope, and unplanted flags must be few.
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
let app: ReturnType<typeof createApp>;
let session: Session;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shafaf-planted-'));
  const dbPath = join(dir, 'small.duckdb');
  await generateDemo({ dbPath, size: 'small', seed: 1 });
  truth = JSON.parse(readFileSync(groundTruthPath(dbPath), 'utf8'));
  db = await Db.open(dbPath);
  app = createApp({ db, geoPath: null, webRoot: null, log: () => {} });
  session = await signIn(app, db, 'commissioner', { username: 'planted-commissioner' });
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('planted anomalies in the small demo city', () => {
  test('every required flag is found with its signal and scope; unplanted flags are few', async () => {
    const res = await session.request('/api/outliers');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Body;
    const found = new Set<string>([
      ...body.flags.map((f: Body) => `office|${f.office_id}|${f.signal}|${f.scope}`),
      ...body.district_flags.map((f: Body) => `district|${f.district}|${f.signal}|${f.scope}`),
    ]);
    const required = truth.expected_flags.filter((e) => e.required);
    expect(required.length).toBeGreaterThan(0);
    const missed = required.filter((e) => !found.has(`${e.level}|${e.key}|${e.signal}|${e.scope}`));
    expect(missed).toEqual([]);

    const planted = new Set(truth.expected_flags.map((e) => `${e.level}|${e.key}|${e.signal}|${e.scope}`));
    const unplanted = [...found].filter((k) => !planted.has(k));
    console.log(
      `planted: ${required.length} required flags all found; ${found.size} flags in all, ${unplanted.length} unplanted: ${unplanted.join(', ')}`,
    );
    expect(unplanted.length).toBeLessThanOrEqual(Math.ceil(0.05 * truth.counts.offices));

    for (const f of body.flags) {
      expect(f.reason_en.length).toBeGreaterThan(40);
      expect(f.reason_fa).toMatch(/[۰-۹]/);
    }
  });

  test('the planted operator monopoly is found by /api/access (DESIGN 16)', async () => {
    const m = truth.anomalies.find((a) => a.kind === 'operator_monopoly')!;
    const res = await session.request('/api/access');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Body;
    // Common ownership shows as the gap between the HHI over operators and over offices: the planted
    // district has by far the largest (elsewhere no operator holds two offices of one district).
    const gaps = body.districts
      .map((d: Body) => ({ district: d.district, gap: d.hhi_operators - d.hhi_offices }))
      .sort((a: Body, b: Body) => b.gap - a.gap);
    expect(gaps[0].district).toBe(m.district);
    expect(gaps[0].gap).toBeGreaterThan(1800);
    expect(gaps[1].gap).toBeLessThan(1e-6);
    const d = body.districts.find((r: Body) => r.district === m.district);
    expect(d.largest_operator.operator).toBe(m.operator);
    expect(d.largest_operator_share).toBeGreaterThan(0.5);
    expect(d.hhi_operators).toBeGreaterThan(1800);
    expect(d.highly_concentrated).toBe(true);
    const op = body.operators.find((o: Body) => o.operator === m.operator);
    expect(op).toMatchObject({
      offices: m.office_ids!.length,
      districts: [m.district],
      largest_in: [m.district],
    });
  });

  test('the office scorecard carries the same flags', async () => {
    const golden = truth.expected_flags.find((e) => e.required && e.signal === 'suspiciously_fast')!;
    const res = await session.request(`/api/offices/${golden.key}`);
    const body = (await res.json()) as Body;
    expect(body.flags.map((f: Body) => `${f.signal}:${f.scope}`)).toContain(
      `suspiciously_fast:${golden.scope}`,
    );
    expect(body.service_mix.length).toBeGreaterThan(0);
    expect(body.trend.length).toBeGreaterThan(0);
  });
});
