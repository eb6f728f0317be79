/**
 * GET /api/report (issue 15) on the small demo city (seed 1): the month it picks, its sentences'
 * numbers against the API's own endpoints for the same window (processing, outliers, cases), its
 * tests recomputed independently from the cases behind them, and an inspector's report covering
 * only their districts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../api/app.ts';
import { Db } from '../../api/db.ts';
import { generateDemo } from '../../data/demo/generate.ts';
import type { Report } from '../../web/api/types.ts';
import { formatDays, formatNumber, formatPer1000, formatPercent } from '../../web/lib/format.ts';
import { reportSentences } from '../../web/lib/reportSentences.ts';
import { simpsonTwoSided } from '../stats/normal-tail.ts';
import { type Body, closed, makeApp } from './fixture.ts';
import { type Session, signIn } from './session.ts';
import { type EventDef, makeStageApp } from './stage-fixture.ts';

let dir: string;
let db: Db;
let app: ReturnType<typeof createApp>;
let session: Session;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shafaf-report-'));
  const dbPath = join(dir, 'small.duckdb');
  await generateDemo({ dbPath, size: 'small', seed: 1 });
  db = await Db.open(dbPath);
  app = createApp({ db, geoPath: null, webRoot: null, log: () => {} });
  session = await signIn(app, db, 'commissioner', { username: 'report-commissioner' });
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function get(path: string, s: Session = session): Promise<Body> {
  const res = await s.request(path);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return res.json();
}

// Shahrivar (month 6) and Mordad (month 5) 1404, worked by hand: 1404/01/01 is 2025-03-21; months 1–6
// have 31 days, so 1404/05/01 = 2025-03-21 + 124 days = 2025-07-23, 1404/06/01 = 2025-08-23 and
// 1404/07/01 = 2025-09-23. Tehran is UTC+3:30 (no daylight saving since 2022), so each month starts
// at 20:30 UTC the day before.
const MORDAD = { from: '1404/05/01', to: '1404/05/31', start: '2025-07-22T20:30:00.000Z' };
const TIR = { from: '1404/04/01', to: '1404/04/31', start: '2025-06-21T20:30:00.000Z' };
const SHAHRIVAR_START = '2025-08-22T20:30:00.000Z';

describe('the monthly report', () => {
  test('defaults to the last month complete at the as-of time', async () => {
    // The demo's as-of time is 1404/06/31 23:59:59 Tehran (2025-09-22T20:29:59Z): Shahrivar is complete.
    const r = (await get('/api/report')) as Report;
    expect(r.as_of).toBe('2025-09-22T20:29:59.000Z');
    expect(r.month).toBe('1404-06');
    expect(r.previous_month).toBe('1404-05');
    expect(r.window).toEqual({ from: SHAHRIVAR_START, to: '2025-09-22T20:30:00.000Z' });
    expect(r.previous_window).toEqual({ from: MORDAD.start, to: SHAHRIVAR_START });
    expect(r.months[0]).toBe('1404-06');
    expect(r.scope).toEqual({ kind: 'city', districts: null, label: 'کل شهر', label_en: 'Whole city' });
    // Persian digits and a slash name the same month
    const again = (await get(`/api/report?month=${encodeURIComponent('۱۴۰۴/۰۶')}`)) as Report;
    expect(again.total).toEqual(r.total);
  });

  test("its sentences carry the API's own numbers for the month's window", async () => {
    const r = (await get('/api/report?month=1404-05')) as Report;
    expect(r.window.from).toBe(MORDAD.start);
    const w = (m: typeof MORDAD) => `from=${m.from}&to=${m.to}`;
    const cur = await get(`/api/processing?${w(MORDAD)}&by=category`);
    const prev = await get(`/api/processing?${w(TIR)}&by=category`);
    const byDistrict = await get(`/api/processing?${w(MORDAD)}&by=district`);
    const flags = await get(`/api/outliers?${w(MORDAD)}`);

    const sentences = Object.fromEntries(reportSentences(r, 'en').map((s) => [s.id, s.text]));
    const en = (x: number) => formatNumber(x, 'en');
    expect(sentences.volume).toContain(`In Mordad 1404, ${en(cur.total.n_cases)} cases were submitted`);
    expect(sentences.volume).toContain(`(Tir 1404: ${en(prev.total.n_cases)})`);
    expect(sentences.volume).toContain(
      `${en(cur.total.n_closed)} of them are closed and ${en(cur.total.n_open)}`,
    );
    expect(sentences.median).toContain(
      `from ${formatDays(prev.total.median_days, 'en')} to ${formatDays(cur.total.median_days, 'en')} days`,
    );
    expect(sentences.km).toContain(`the median is ${formatDays(cur.total.km_median_days, 'en')} days`);
    expect(sentences.breach).toContain(
      `missed in ${formatPercent(cur.total.breach_rate, 'en')} of decided cases (${formatPercent(prev.total.breach_rate, 'en')} last month)`,
    );

    // complaints received in the window, counted straight from the table
    const count = async (from: string, to: string) =>
      Number(
        (
          await db.one<{ n: number }>(
            'SELECT count(*)::INTEGER AS n FROM complaints WHERE received_at >= $a::TIMESTAMPTZ AND received_at < $b::TIMESTAMPTZ',
            { a: from, b: to },
          )
        )?.n,
      );
    const kCur = await count(MORDAD.start, SHAHRIVAR_START);
    const kPrev = await count(TIR.start, MORDAD.start);
    expect(r.total.complaints.complaints).toBe(kCur);
    expect(sentences.complaints).toContain(
      `${en(kCur)} complaints were received, ${formatPer1000(kCur / cur.total.n_cases, 'en')} per 1,000 cases (${formatPer1000(kPrev / prev.total.n_cases, 'en')} last month)`,
    );

    // the slowest district: the highest median among districts with at least 20 closed cases
    const eligible = (rows: Body[]) => rows.filter((d) => d.n_closed >= 20 && d.median_days !== null);
    const slowest = eligible(byDistrict.rows).reduce((a: Body, b: Body) =>
      b.median_days > a.median_days ? b : a,
    );
    expect(r.slowest?.district).toBe(Number(slowest.key));
    expect(sentences.slowest).toContain(`${slowest.label_en} is the slowest district`);
    expect(sentences.slowest).toContain(
      `median ${formatDays(slowest.median_days, 'en')} days over ${en(slowest.n_closed)} closed cases`,
    );
    // months running: walk back month by month through /api/processing
    let running = 0;
    for (let m = 5; m >= 1; m--) {
      // months 1–6 have 31 days
      const rows = eligible(
        (await get(`/api/processing?from=1404/0${m}/01&to=1404/0${m}/31&by=district`)).rows,
      );
      const top = rows.reduce((a: Body, b: Body) => (b.median_days > a.median_days ? b : a));
      if (top.key !== slowest.key) break;
      running++;
    }
    expect(r.slowest?.months_running).toBe(running);

    // the twelve-month trend: the trends endpoint's monthly medians and complaint counts for the same months
    const months = (
      await get(`/api/trends?metric=processing&by=city&calendar=jalali&from=1403/06/01&to=${MORDAD.to}`)
    ).series[0].points;
    const kMonths = (
      await get(`/api/trends?metric=complaints&by=city&calendar=jalali&from=1403/06/01&to=${MORDAD.to}`)
    ).series[0].points;
    expect(r.trend.map((p) => p.month)).toEqual(months.map((p: Body) => p.month));
    r.trend.forEach((p, i) => {
      expect(p.median_days).toBeCloseTo(months[i].value, 9);
      expect(p.n_closed).toBe(months[i].n);
      expect(p.provisional).toBe(months[i].provisional);
      expect(p.complaints).toBe(kMonths[i].count);
      expect(p.n_cases).toBe(kMonths[i].n);
    });

    // the flags are the outliers endpoint's for the same window
    expect(r.flags).toEqual(flags);
    const nFlags = flags.flags.length + flags.district_flags.length;
    if (nFlags > 0) expect(sentences.flags).toContain(`In Mordad 1404, ${en(flags.flags.length)} office`);
    else expect(sentences.flags).toMatch(/No office or district/);

    // categories and districts carry the processing endpoint's figures
    for (const row of cur.rows) {
      const c = r.categories.find((x) => x.key === row.key);
      expect(c?.current.median_days).toBe(row.median_days);
      expect(c?.current.n_closed).toBe(row.n_closed);
    }
    for (const row of byDistrict.rows) {
      const d = r.districts.find((x) => x.key === row.key);
      expect(d?.current.median_days).toBe(row.median_days);
      expect(d?.current.breach_rate).toBe(row.breach_rate);
    }
    // Persian sentences carry the same figures in Persian digits
    const fa = Object.fromEntries(reportSentences(r, 'fa').map((s) => [s.id, s.text]));
    expect(fa.median).toContain(
      `از ${formatDays(prev.total.median_days, 'fa')} به ${formatDays(cur.total.median_days, 'fa')} روز`,
    );
  });

  test("the change of the median is the rank-sum test of the two months' closed cases, recomputed from /api/cases", async () => {
    const r = (await get('/api/report?month=1404-05')) as Report;
    const durations = async (m: typeof MORDAD) => {
      const out: number[] = [];
      for (let page = 1; ; page++) {
        const body = await get(`/api/cases?from=${m.from}&to=${m.to}&page_size=500&page=${page}`);
        for (const c of body.rows) if (c.duration_days !== null) out.push(c.duration_days);
        if (page * 500 >= body.total) break;
      }
      return out;
    };
    const x = await durations(MORDAD);
    const y = await durations(TIR);
    // U by counting pairs; the variance's tie term from the tie groups; the normal tail by Simpson's rule
    let u = 0;
    for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
    const counts = new Map<number, number>();
    for (const v of [...x, ...y]) counts.set(v, (counts.get(v) ?? 0) + 1);
    let ties = 0;
    for (const t of counts.values()) ties += t ** 3 - t;
    const n = x.length + y.length;
    const sd = Math.sqrt(((x.length * y.length) / 12) * (n + 1 - ties / (n * (n - 1))));
    const d = u - (x.length * y.length) / 2;
    const z = (d - 0.5 * Math.sign(d)) / sd;
    const change = r.changes.find((c) => c.kind === 'median' && c.group === 'scope');
    expect(change?.test).toBe('rank_sum');
    expect(change?.n_after).toBe(x.length);
    expect(change?.n_before).toBe(y.length);
    expect(change?.statistic).toBeCloseTo(z, 9);
    expect(change?.p).toBeCloseTo(simpsonTwoSided(z), 9);

    // complaint rate: counts and rates of both months, exposure = the months' cases
    const k = r.changes.find((c) => c.kind === 'complaint_rate' && c.group === 'scope');
    expect(k?.test).toBe('poisson');
    expect(k?.n_after).toBe(r.total.complaints.complaints);
    expect(k?.after).toBeCloseTo(r.total.complaints.complaints / r.total.current.n_cases, 12);

    // Benjamini–Hochberg over every test of the report
    const ps = r.changes.map((c) => c.p);
    const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
    const qs = new Array<number>(ps.length);
    let running = 1;
    for (let rank = order.length; rank >= 1; rank--) {
      running = Math.min(running, (order[rank - 1][0] * ps.length) / rank);
      qs[order[rank - 1][1]] = running;
    }
    r.changes.forEach((c, i) => {
      expect(c.q).toBeCloseTo(qs[i], 12);
      expect(c.beyond_chance).toBe(qs[i] < 0.05);
    });
  });

  test("an inspector's report covers their districts and says so", async () => {
    const inspector = await signIn(app, db, 'inspector', { username: 'report-inspector', districts: [3, 5] });
    const r = (await get('/api/report?month=1404-05', inspector)) as Report;
    expect(r.scope.kind).toBe('user_districts');
    expect(r.scope.districts).toEqual([3, 5]);
    expect(r.scope.label_en).toBe('District 3, District 5');
    expect(reportSentences(r, 'en')[0].text).toContain('cases were submitted in districts 3, 5');
    const city = await get(`/api/processing?from=${MORDAD.from}&to=${MORDAD.to}&by=district`);
    const sum = city.rows
      .filter((d: Body) => d.key === '3' || d.key === '5')
      .reduce((s: number, d: Body) => s + d.n_cases, 0);
    expect(r.total.current.n_cases).toBe(sum);
    expect(r.districts.map((d) => d.district)).toEqual([3, 5]);
    for (const f of [...r.flags.flags, ...r.flags.district_flags]) expect([3, 5]).toContain(f.district);
    expect((await inspector.request('/api/report?month=1404-05&district=7')).status).toBe(404);
    const one = (await get('/api/report?month=1404-05&district=5', inspector)) as Report;
    expect(one.scope).toMatchObject({ kind: 'district', districts: [5] });
  });

  test("the stage bottlenecks are GET /api/stages?by=district's for the month's window, and its sentence carries them", async () => {
    const r = (await get('/api/report?month=1404-05')) as Report;
    const w = `from=${MORDAD.from}&to=${MORDAD.to}`;
    const st = await get(`/api/stages?by=district&${w}`);
    const actors = await get(`/api/stages/actors?by=district&${w}`);
    const stages = r.stages;
    expect(stages).not.toBeNull();
    if (!stages) return;
    expect(st.bottlenecks.length).toBeGreaterThan(1);
    // one row per district with events, in district order, each the stages endpoint's bottleneck
    const expected = [...st.bottlenecks].sort((a: Body, b: Body) => Number(a.key) - Number(b.key));
    expect(stages.bottlenecks.map((b) => b.district)).toEqual(expected.map((b: Body) => Number(b.key)));
    for (const [i, b] of stages.bottlenecks.entries()) {
      const e = expected[i];
      expect(b).toMatchObject({
        label_en: e.label_en,
        stage: e.stage,
        stage_name: e.stage_name,
        stage_name_en: e.stage_name_en,
        actor: e.actor,
      });
      expect(b.total_days).toBeCloseTo(e.total_days, 9);
      expect(b.share).toBeCloseTo(e.share, 12);
      // the bottleneck is the district's stage with the largest Σ step time, its share of the district's
      const rows = st.rows.filter((x: Body) => x.key === e.key);
      const total = rows.reduce((sum: number, x: Body) => sum + x.total_days, 0);
      const max = rows.reduce((a: Body, x: Body) => (x.total_days > a.total_days ? x : a));
      expect(b.stage).toBe(max.stage);
      expect(b.share).toBeCloseTo(max.total_days / total, 12);
      expect(b.n_cases).toBe(actors.rows.find((x: Body) => x.key === e.key).n_cases);
    }
    // the scope's days by actor: the districts' days summed
    const sum = (a: string) => actors.rows.reduce((t: number, x: Body) => t + x.days[a], 0);
    const allDays = ['office', 'municipality', 'citizen', 'other'].reduce((t, a) => t + sum(a), 0);
    expect(stages.actors.total_days).toBeCloseTo(allDays, 6);
    expect(stages.actors.shares.municipality).toBeCloseTo(sum('municipality') / allDays, 12);
    expect(stages.actors.shares.office).toBeCloseTo(sum('office') / allDays, 12);
    expect(stages.n_cases).toBe(actors.rows.reduce((t: number, x: Body) => t + x.n_cases, 0));
    // the summary's bottleneck: the largest share among districts with at least 20 cases with events
    const eligible = stages.bottlenecks.filter((b) => b.n_cases >= 20);
    expect(eligible.length).toBeGreaterThan(0);
    const heaviest = eligible.reduce((a, b) => ((b.share ?? 0) > (a.share ?? 0) ? b : a));
    expect(stages.top?.district).toBe(heaviest.district);
    const en = Object.fromEntries(reportSentences(r, 'en').map((x) => [x.id, x.text]));
    const e = expected.find((x: Body) => Number(x.key) === heaviest.district);
    expect(en.stages).toContain(`is in ${e.label_en}: ${formatPercent(e.share, 'en')} of its cases`);
    expect(en.stages).toContain(`"${e.stage_name_en}"`);
    const fa = Object.fromEntries(reportSentences(r, 'fa').map((x) => [x.id, x.text]));
    expect(fa.stages).toContain(`در ${e.label} است: ${formatPercent(e.share, 'fa')} از زمان مراحل`);
    expect(fa.stages).toContain(`«${e.stage_name}»`);

    // an inspector's report has only their districts' bottlenecks
    const inspector = await signIn(app, db, 'inspector', {
      username: 'report-stage-inspector',
      districts: [3, 5],
    });
    const mine = (await get('/api/report?month=1404-05', inspector)) as Report;
    expect(mine.stages?.bottlenecks.map((b) => b.district)).toEqual(
      stages.bottlenecks.filter((b) => b.district === 3 || b.district === 5).map((b) => b.district),
    );
    for (const b of mine.stages?.bottlenecks ?? [])
      expect(b.share).toBeCloseTo(stages.bottlenecks.find((x) => x.district === b.district)?.share ?? -1, 12);
  });

  test('a bad month is a 400 naming month', async () => {
    for (const [q, msg] of [
      ['month=1404-13', /not a Solar Hijri month/],
      ['month=next', /not a Solar Hijri month/],
      ['month=1404-07', /not complete in the data \(the last complete month is 1404-06\)/],
      ['month=1390-01', /before the data begins \(1400-01\)/],
    ] as const) {
      const res = await session.request(`/api/report?${q}`);
      expect(res.status, q).toBe(400);
      const body = await res.json();
      expect(body.error.parameter).toBe('month');
      expect(body.error.message).toMatch(msg);
    }
    const res = await session.request('/api/report?from=1404/01/01');
    expect(res.status).toBe(400);
    expect((await res.json()).error.parameter).toBe('from');
  });
});

/**
 * The stage section on a hand-worked event log (the cases of test/api/stages.test.ts): Dey 1402 runs
 * from 2023-12-22 to 2024-01-20 (1402/01/01 = 2023-03-21, + 6·31 + 3·30 days = 2023-12-22; Dey has 30
 * days). In it, district 1 holds A and B, district 2 holds D, district 3 holds G (no events).
 *   A: intake 1 (office), visit 2 (municipality), design 0 (citizen), issue 7 (office)
 *   B: intake 0.5, review 3.5 (start 01-03, complete 01-05), design 3, review 4, issue 9
 *   D: issue 1.5, with the event's actor (municipality) over the stage's (office)
 * District 1: intake 1.5, visit 2, design 3, review 7.5, issue 16 of 30 days → bottleneck issue, 16/30,
 * office. District 2: issue 1.5 of 1.5 → 100%, municipality. Scope by actor: office 1.5 + 16 = 17.5,
 * municipality 2 + 7.5 + 1.5 = 11, citizen 3, other 0; 31.5 days over 3 cases.
 */
describe('the stage section on a hand-worked event log', () => {
  const STAGES = [
    { stage: 'intake', name: 'تشکیل پرونده', name_en: 'Intake', actor: 'office' },
    { stage: 'visit', name: 'بازدید', name_en: 'Visit', actor: 'municipality' },
    { stage: 'design', name: 'طراحی', name_en: 'Design', actor: 'citizen' },
    { stage: 'review', name: 'بررسی فنی', name_en: 'Review', actor: 'municipality' },
    { stage: 'issue', name: 'صدور', name_en: 'Issue', actor: 'office' },
  ];
  const ev = (case_id: string, stage: string, at: string, extra: Partial<EventDef> = {}): EventDef => ({
    case_id,
    stage,
    at,
    ...extra,
  });
  const EVENTS: EventDef[] = [
    ev('A', 'intake', '2024-01-02T00:00:00Z'),
    ev('A', 'visit', '2024-01-04T00:00:00Z'),
    ev('A', 'design', '2024-01-04T00:00:00Z'),
    ev('A', 'issue', '2024-01-11T00:00:00Z'),
    ev('B', 'intake', '2024-01-01T12:00:00Z'),
    ev('B', 'review', '2024-01-03T00:00:00Z', { lifecycle: 'start' }),
    ev('B', 'review', '2024-01-05T00:00:00Z'),
    ev('B', 'design', '2024-01-08T00:00:00Z'),
    ev('B', 'review', '2024-01-10T00:00:00Z', { lifecycle: 'start' }),
    ev('B', 'review', '2024-01-12T00:00:00Z'),
    ev('B', 'issue', '2024-01-21T00:00:00Z'),
    ev('D', 'issue', '2024-01-11T12:00:00Z', { actor: 'municipality' }),
  ];
  const DEF = {
    asOf: '2024-06-01T00:00:00Z',
    offices: [
      { office_id: 'O1', district: 1 },
      { office_id: 'O2', district: 2 },
      { office_id: 'O3', district: 3 },
    ],
    services: [{ service_code: 'S1', category: 'building_permit', sla_days: 15 }],
    cases: [
      closed('A', 'O1', 'S1', '2024-01-01T00:00:00Z', 10),
      closed('B', 'O1', 'S1', '2024-01-01T00:00:00Z', 20),
      closed('D', 'O2', 'S1', '2024-01-10T00:00:00Z', 1.5),
      closed('G', 'O3', 'S1', '2024-01-05T00:00:00Z', 6),
      // Bahman 1402 (from 2024-01-21): a case without events
      closed('K', 'O3', 'S1', '2024-02-01T00:00:00Z', 3),
    ],
  };

  test("each district's bottleneck, its share and the scope's days by actor, worked by hand", async () => {
    const { get, db } = await makeStageApp({ ...DEF, stages: STAGES, events: EVENTS });
    try {
      const { status, body } = await get('/api/report?month=1402-10');
      expect(status).toBe(200);
      const s = (body as Report).stages;
      expect(s?.n_cases).toBe(3);
      expect(s?.bottlenecks).toHaveLength(2);
      const [d1, d2] = s?.bottlenecks ?? [];
      expect(d1).toMatchObject({
        district: 1,
        stage: 'issue',
        stage_name: 'صدور',
        actor: 'office',
        n_cases: 2,
      });
      expect(d1.total_days).toBeCloseTo(16, 9);
      expect(d1.share).toBeCloseTo(16 / 30, 12);
      expect(d2).toMatchObject({ district: 2, stage: 'issue', actor: 'municipality', n_cases: 1 });
      expect(d2.share).toBeCloseTo(1, 12);
      expect(s?.actors.total_days).toBeCloseTo(31.5, 9);
      expect(s?.actors.days.office).toBeCloseTo(17.5, 9);
      expect(s?.actors.days.municipality).toBeCloseTo(11, 9);
      expect(s?.actors.days.citizen).toBeCloseTo(3, 9);
      expect(s?.actors.shares.municipality).toBeCloseTo(11 / 31.5, 12);
      expect(s?.actors.shares.other).toBe(0);
      // no district has 20 cases with events: no summary sentence, never a guess
      expect(s?.top).toBeNull();
      expect(reportSentences(body as Report, 'en').find((x) => x.id === 'stages')).toBeUndefined();

      // a month whose cases have no events: an empty section, not a missing one
      const feb = (await get('/api/report?month=1402-11')).body as Report;
      expect(feb.stages).toMatchObject({ n_cases: 0, bottlenecks: [], top: null });
    } finally {
      db.close();
    }
  });

  test('a dataset without events has no stage section (null): the page says no event data is loaded', async () => {
    const { get, db } = await makeApp(DEF);
    try {
      const { status, body } = await get('/api/report?month=1402-10');
      expect(status).toBe(200);
      expect((body as Report).stages).toBeNull();
      expect((body as Report).total.current.n_cases).toBe(4);
      expect(reportSentences(body as Report, 'fa').find((x) => x.id === 'stages')).toBeUndefined();
    } finally {
      db.close();
    }
  });
});
