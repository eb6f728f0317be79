/**
 * XES event logs (issue 11) on logs written by hand in test/fixtures/import/xes: a minimal log, the same cases
 * with nested attributes, lists, containers and globals, the same log gzipped and on one line, and broken logs
 * that fail naming the file and the line and leave the database as it was. Expected values are read off the
 * fixtures by hand (offsets written in the log: 2023-03-01T09:00+03:30 = 05:30Z).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import type { Db } from '../../api/db.ts';
import {
  type ImportProgress,
  importFiles,
  loadMapping,
  MappingError,
  parseMapping,
} from '../../api/import/index.ts';
import { signIn } from '../api/session.ts';
import { cleanup, FIXTURES, fingerprint, freshDb, OFFICES, tempDir, writeExport } from './helpers.ts';

afterEach(cleanup);

const XES = join(FIXTURES, 'xes');
const MAPPING = loadMapping(join(XES, 'mapping.json'));
const SETUP = {
  'offices.csv': `${OFFICES}O7,دفتر هفت,7\n`,
  'services.csv': 'service_code,name\nS1,صدور پروانه ساختمانی\n',
};

async function seeded(root: string): Promise<Db> {
  const db = await freshDb(root, `${Math.random().toString(36).slice(2)}.duckdb`);
  expect((await importFiles(db, [writeExport(root, 'setup', SETUP)])).status).toBe('ok');
  return db;
}

const CASES_SQL = `SELECT case_id, office_id, service_code, epoch_ms(submitted_at)::DOUBLE AS sub,
    epoch_ms(closed_at)::DOUBLE AS closed, status FROM cases ORDER BY case_id`;
const EVENTS_SQL = `SELECT case_id, stage, epoch_ms("at")::DOUBLE AS at, lifecycle, actor, resource, stage_name,
    seq::DOUBLE AS seq FROM events ORDER BY case_id, "at", seq`;

const MINIMAL_CASES = [
  {
    case_id: 'P-1001',
    office_id: 'O7',
    service_code: 'S1',
    sub: Date.UTC(2023, 2, 1, 5, 30),
    // the last event: permit_issue 2023-03-20T11:00:00.250+03:30
    closed: Date.UTC(2023, 2, 20, 7, 30, 0, 250),
    status: 'completed',
  },
  {
    case_id: 'P-1002',
    office_id: 'O7',
    service_code: 'S1',
    // the first event of any lifecycle: the ignored schedule at 08:00+03:30
    sub: Date.UTC(2023, 2, 2, 4, 30),
    closed: null,
    status: 'open',
  },
];

// seq: the event's number in the log (the schedule event is number 5)
const MINIMAL_EVENTS = [
  ['P-1001', 'file_open', Date.UTC(2023, 2, 1, 5, 30), 'complete', 'office', 'D7-01', null, 1],
  ['P-1001', 'site_visit', Date.UTC(2023, 2, 5, 6, 30), 'start', 'municipality', 'M7-04', null, 2],
  ['P-1001', 'site_visit', Date.UTC(2023, 2, 5, 9, 0), 'complete', 'municipality', 'M7-04', null, 3],
  ['P-1001', 'permit_issue', Date.UTC(2023, 2, 20, 7, 30, 0, 250), 'complete', 'office', null, null, 4],
  ['P-1002', 'file_open', Date.UTC(2023, 2, 2, 4, 45), 'complete', 'office', 'D7-02', null, 6],
  ['P-1002', 'site_visit', Date.UTC(2023, 2, 9, 9, 45), 'complete', 'municipality', 'M7-04', null, 7],
].map(([case_id, stage, at, lifecycle, actor, resource, stage_name, seq]) => ({
  case_id,
  stage,
  at,
  lifecycle,
  actor,
  resource,
  stage_name,
  seq,
}));

describe('XES logs', () => {
  it('a minimal log: traces become cases, events become events, schedule ignored and counted', async () => {
    const root = tempDir();
    const db = await seeded(root);
    const progress: ImportProgress[] = [];
    const r = await importFiles(db, [join(XES, 'minimal.xes')], {
      mapping: MAPPING,
      onProgress: (p) => progress.push(p),
    });
    expect(r.status).toBe('ok');
    expect(
      r.files.map((f) => [f.file, f.kind, f.format, f.rows_read, f.inserted, f.rejected, f.ignored]),
    ).toEqual([
      ['minimal.xes (traces)', 'cases', 'xes', 2, 2, 0, 0],
      ['minimal.xes (events)', 'events', 'xes', 7, 6, 0, 1],
    ]);
    expect(r.files[1].duplicates).toBe(0);
    expect(await db.all(CASES_SQL)).toEqual(MINIMAL_CASES);
    expect(await db.all(EVENTS_SQL)).toEqual(MINIMAL_EVENTS);
    expect(await db.all('SELECT * FROM rejects')).toEqual([]);
    // progress reaches the end of both parts, under their own names
    expect(progress.filter((p) => p.done).map((p) => p.file)).toEqual([
      'minimal.xes (traces)',
      'minimal.xes (events)',
    ]);
    // the same log again: nothing changes
    const fp = await fingerprint(db);
    const again = await importFiles(db, [join(XES, 'minimal.xes')], { mapping: MAPPING });
    expect(again.totals).toMatchObject({ inserted: 0, updated: 0, unchanged: 8 });
    expect(await fingerprint(db)).toEqual(fp);
    db.close();
  });

  it('nested attributes, lists, containers and globals do not change what is read; gzip and one-line logs read the same', async () => {
    const root = tempDir();
    const oneLine = join(root, 'one-line.xes');
    writeFileSync(oneLine, readFileSync(join(XES, 'minimal.xes'), 'utf8').replace(/\n\s*/g, ''));
    for (const [file, unknown] of [
      ['nested.xes', [['applicants'], ['cost:total', 'checklist', 'photos']]],
      ['minimal.xes.gz', [[], []]],
      [oneLine, [[], []]],
    ] as const) {
      const db = await seeded(root);
      const r = await importFiles(db, [file.startsWith('/') ? file : join(XES, file)], { mapping: MAPPING });
      expect(r.status, `${file}: ${r.message}`).toBe('ok');
      expect(r.files.map((f) => f.unknown_columns)).toEqual(unknown);
      expect(await db.all(CASES_SQL)).toEqual(MINIMAL_CASES);
      expect(await db.all(EVENTS_SQL)).toEqual(MINIMAL_EVENTS);
      if (file === oneLine) {
        // every element on line 1: rows are told apart (and named in rejects) by their number in the log
        expect(r.files.map((f) => f.file)).toEqual([
          'one-line.xes (traces, by number)',
          'one-line.xes (events, by number)',
        ]);
      }
      db.close();
    }
  });

  it('offices and services a log needs are derived from constants, as a flat export derives them', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const mapping = parseMapping({
      lifecycle_values: { schedule: 'ignore' },
      xes: {
        case: {
          office_id: { attribute: 'office' },
          office_name: { value: 'دفتر خدمات الكترونيك هفت' },
          district: { value: 'منطقه ۷' },
          service_code: { value: 'S1' },
          service_name: { value: 'صدور پروانه ساختمانی' },
          category: { value: 'building_permit' },
          status: { outcome: { permit_issue: 'completed' }, otherwise: 'open' },
          closed_at: { last_event: true, when_status: ['completed'] },
        },
      },
    });
    const r = await importFiles(db, [join(XES, 'minimal.xes')], { mapping });
    expect(r.status).toBe('ok');
    expect(r.mode).toBe('flat');
    expect(r.derived).toEqual({ offices: 1, services: 1 });
    expect(r.files[0]).toMatchObject({ kind: 'flat', inserted: 2 });
    // Arabic ك folded to Persian ک; «منطقه ۷» is district 7
    expect(await db.all('SELECT office_id, name, district FROM offices')).toEqual([
      { office_id: 'O7', name: 'دفتر خدمات الکترونیک هفت', district: 7 },
    ]);
    expect(await db.all('SELECT service_code, name, category FROM services')).toEqual([
      { service_code: 'S1', name: 'صدور پروانه ساختمانی', category: 'building_permit' },
    ]);
    expect(await db.all(CASES_SQL)).toEqual(MINIMAL_CASES);
    db.close();
  });

  it('an imported log is explorable: the stage API and a case timeline answer with the step times of DESIGN 11', async () => {
    const root = tempDir();
    const db = await seeded(root);
    expect((await importFiles(db, [join(XES, 'minimal.xes')], { mapping: MAPPING })).status).toBe('ok');
    const app = createApp({ db, geoPath: null, webRoot: null, log: () => {} });
    const session = await signIn(app, db, 'commissioner');
    const get = async (path: string) => {
      const res = await session.request(path);
      expect(res.status, path).toBe(200);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const H = 1 / 24;
    // P-1001 (submitted 03-01 05:30Z): file_open at submission → 0; site_visit started 03-05 06:30, completed
    // 09:00 → waiting 4 d 1 h, processing 2.5 h; permit_issue 03-20 07:30:00.250 → 14 d 22.5 h + 0.25 s.
    const timeline = (await get('/api/cases/P-1001')) as {
      steps: {
        stage: string;
        waiting_days: number | null;
        processing_days: number | null;
        step_days: number;
      }[];
      throughput_days: number;
    };
    const steps = timeline.steps.map((s) => [s.stage, s.waiting_days, s.processing_days, s.step_days]);
    const want = [
      ['file_open', null, null, 0],
      ['site_visit', 4 + H, 2.5 * H, 4 + 3.5 * H],
      ['permit_issue', null, null, 14 + 22.5 * H + 0.25 / 86400],
    ];
    expect(steps.map((s) => s[0])).toEqual(want.map((s) => s[0]));
    steps.forEach((s, i) => {
      for (const k of [1, 2, 3]) {
        if (want[i][k] === null) expect(s[k], `${s[0]} [${k}]`).toBeNull();
        else expect(s[k] as number, `${s[0]} [${k}]`).toBeCloseTo(want[i][k] as number, 9);
      }
    });
    expect(timeline.throughput_days).toBeCloseTo(19 + 2 * H + 0.25 / 86400, 9);
    // per stage over both cases (P-1002, open: submitted at its ignored schedule event 04:30, file_open 04:45
    // → 0.25 h; site_visit 03-09 09:45 → 7 d 5 h): medians of two values are their midpoints
    const stages = (await get('/api/stages?service=S1')) as {
      rows: { stage: string; n: number; median_days: number }[];
    };
    const rows = Object.fromEntries(stages.rows.map((r) => [r.stage, r]));
    expect(Object.keys(rows).sort()).toEqual(['file_open', 'permit_issue', 'site_visit']);
    expect([rows.file_open.n, rows.site_visit.n, rows.permit_issue.n]).toEqual([2, 2, 1]);
    expect(rows.file_open.median_days).toBeCloseTo(0.125 * H, 9);
    expect(rows.site_visit.median_days).toBeCloseTo((4 + 3.5 * H + 7 + 5 * H) / 2, 9);
    expect(rows.permit_issue.median_days).toBeCloseTo(14 + 22.5 * H + 0.25 / 86400, 9);
    db.close();
  });

  it('a case the office of which is not there is rejected with the trace line; its events then too', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    await importFiles(db, [writeExport(root, 's', { 'services.csv': SETUP['services.csv'] })]);
    const r = await importFiles(db, [join(XES, 'minimal.xes')], { mapping: MAPPING });
    expect(r.status).toBe('ok');
    // <trace> of P-1001 starts on line 17, of P-1002 on line 44; their events on 20, 26, 32, 38 and 47 (schedule: ignored), 52, 58
    expect(await db.all('SELECT file, line, column_name, reason FROM rejects ORDER BY file, line')).toEqual([
      { file: 'minimal.xes (events)', line: 20, column_name: 'case_id', reason: 'unknown_case' },
      { file: 'minimal.xes (events)', line: 26, column_name: 'case_id', reason: 'unknown_case' },
      { file: 'minimal.xes (events)', line: 32, column_name: 'case_id', reason: 'unknown_case' },
      { file: 'minimal.xes (events)', line: 38, column_name: 'case_id', reason: 'unknown_case' },
      { file: 'minimal.xes (events)', line: 52, column_name: 'case_id', reason: 'unknown_case' },
      { file: 'minimal.xes (events)', line: 58, column_name: 'case_id', reason: 'unknown_case' },
      { file: 'minimal.xes (traces)', line: 17, column_name: 'office_id', reason: 'unknown_office' },
      { file: 'minimal.xes (traces)', line: 44, column_name: 'office_id', reason: 'unknown_office' },
    ]);
    // the report's list (issue 13's shape) names the log's own keys as the headers, and the case number
    const office = r.rejects.find((e) => e.file === 'minimal.xes (traces)' && e.line === 17);
    expect(office).toMatchObject({
      record_id: 'P-1001',
      record_header: 'trace concept:name',
      column: 'office_id',
      header: 'office',
      value: 'O7',
      reason: 'unknown_office',
    });
    const event = r.rejects.find((e) => e.file === 'minimal.xes (events)' && e.line === 20);
    expect(event).toMatchObject({
      record_id: 'P-1001',
      record_header: 'trace concept:name',
      header: 'trace concept:name',
      value: 'P-1001',
    });
    expect(event?.en).toContain('this event belongs to');
    expect(event?.fa).toContain('رویداد');
    db.close();
  });

  const gz = gzipSync(readFileSync(join(XES, 'minimal.xes')));
  const BROKEN: [string, string, string | Buffer | null, RegExp][] = [
    [
      'an event never closed',
      'broken-unclosed.xes',
      null,
      /^broken-unclosed\.xes: malformed XML at line 63, column \d+: unexpected close tag/,
    ],
    [
      'a trace without concept:name',
      'broken-no-id.xes',
      null,
      /^broken-no-id\.xes: line 44: a trace without concept:name/,
    ],
    [
      'a truncated gzip stream',
      'cut.xes.gz',
      gz.subarray(0, Math.floor(gz.length * 0.6)),
      /^cut\.xes\.gz: the gzip data is truncated or damaged \(unexpected end of file\); the log was read up to line \d+/,
    ],
    [
      'a log cut off in the middle',
      'cut.xes',
      readFileSync(join(XES, 'minimal.xes')).subarray(0, 1500),
      /^cut\.xes: malformed XML at line \d+, column \d+: unclosed tag/,
    ],
    [
      'not XML at all',
      'notes.xes',
      'case_id,stage,at\nC1,a,2023-01-01\n',
      /^notes\.xes: malformed XML at line \d+, column \d+: text data outside of root node/,
    ],
    [
      'another XML document',
      'other.xes',
      '<?xml version="1.0"?>\n<html><body/></html>\n',
      /^other\.xes: not an XES log: the root element is <html>, not <log>/,
    ],
    ['an empty file', 'empty.xes', '', /^empty\.xes: the file is empty/],
    [
      'a log without traces',
      'none.xes',
      '<log xes.version="1.0"><string key="concept:name" value="x"/></log>',
      /^none\.xes: the log has no traces/,
    ],
    [
      'an event outside any trace',
      'loose.xes',
      '<log>\n<trace><string key="concept:name" value="A"/></trace>\n<event><string key="concept:name" value="x"/></event>\n</log>',
      /^loose\.xes: line 3: an event outside any trace/,
    ],
    [
      'another encoding',
      'latin.xes',
      '<?xml version="1.0" encoding="ISO-8859-1"?>\n<log/>',
      /^latin\.xes: the XML declares encoding ISO-8859-1; save the log as UTF-8/,
    ],
  ];

  describe('broken logs', () => {
    // one database for all of them: each failed import must leave it exactly as the good import left it
    let shared: string;
    let db: Db;
    let before: Record<string, string>;
    beforeAll(async () => {
      shared = mkdtempSync(join(tmpdir(), 'shafaf-xes-broken-'));
      db = await seeded(shared);
      expect((await importFiles(db, [join(XES, 'minimal.xes')], { mapping: MAPPING })).status).toBe('ok');
      before = await fingerprint(db);
    });
    afterAll(() => {
      db.close();
      rmSync(shared, { recursive: true, force: true });
    });

    it.each(BROKEN)(
      '%s: the import fails naming the file and the place, and the data stays as it was',
      async (_, name, content, message) => {
        const root = tempDir();
        const path = content === null ? join(XES, name) : join(root, name);
        if (content !== null) writeFileSync(path, content);
        // with a newer events file that would change the data, in the same import
        const more = writeExport(root, 'more', {
          'events.csv': 'case_id,stage,at\nP-1002,permit_issue,2023-03-25T10:00:00Z\n',
        });
        const r = await importFiles(db, [join(more, 'events.csv'), path], { mapping: MAPPING });
        expect(r.status).toBe('failed');
        expect(r.message).toMatch(message);
        expect(await fingerprint(db)).toEqual(before);
        const [last] = await db.all<{ status: string; message: string }>(
          'SELECT status, message FROM import_log ORDER BY import_id DESC LIMIT 1',
        );
        expect(last.status).toBe('failed');
        expect(last.message).toMatch(message);
      },
    );
  });

  it('an XES log without an xes mapping, and xes mappings that cannot work, are refused with the key at fault', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    await expect(importFiles(db, [join(XES, 'minimal.xes')])).rejects.toThrow(
      /minimal\.xes: an XES log needs a mapping file with an "xes" section/,
    );
    db.close();
    const bad: [unknown, RegExp][] = [
      [
        { case: { case_id: { attribute: 'id' } } },
        /xes\.case\.case_id: a case's id is always its trace's concept:name/,
      ],
      [{ case: { amount: { attribute: 'x' } } }, /xes\.case: "amount" is not a case column/],
      [
        { case: { office_id: { value: 'O7' }, service_code: { value: 'S1' } } },
        /xes\.case\.status: say where a case's status comes from/,
      ],
      [
        {
          case: {
            office_id: { first_event: true },
            service_code: { value: 'S1' },
            status: { value: 'open' },
          },
        },
        /xes\.case\.office_id: first_event gives a time; office_id is not a time column/,
      ],
      [
        {
          case: {
            office_id: { value: 'O7' },
            service_code: { value: 'S1' },
            status: { outcome: { A: 'approved' } },
          },
        },
        /xes\.case\.status\.outcome: "A" maps to "approved", which is not a case status/,
      ],
      [
        {
          case: {
            office_id: { value: 'O7' },
            service_code: { value: 'S1' },
            status: { value: 'open' },
            closed_at: { last_event: true, when_status: ['done'] },
          },
        },
        /xes\.case\.closed_at\.when_status: "done" is not a case status/,
      ],
      [
        { case: { service_code: { value: 'S1' }, status: { value: 'open' } } },
        /xes\.case\.office_id: every case needs its office_id/,
      ],
      [
        { case: { office_name: { value: 'x' }, service_code: { value: 'S1' }, status: { value: 'open' } } },
        /xes\.case\.district: office_name and service_name derive offices and services/,
      ],
      [
        {
          case: {
            office_id: { by_stage: { a: 'b' } },
            service_code: { value: 'S1' },
            status: { value: 'open' },
          },
        },
        /xes\.case\.office_id: .* is not a source/,
      ],
      [
        {
          case: { office_id: { value: 'O7' }, service_code: { value: 'S1' }, status: { value: 'open' } },
          event: { stage: { attribute: 'x' } },
        },
        /xes\.event: "stage" is not an event column the mapping can set/,
      ],
      [{ case: {}, extra: 1 }, /xes: Unrecognized key/],
    ];
    for (const [xes, message] of bad) {
      expect(() => parseMapping({ xes }, 'm.json'), JSON.stringify(xes)).toThrow(MappingError);
      expect(() => parseMapping({ xes }, 'm.json')).toThrow(message);
    }
    expect(() => parseMapping({ lifecycle_values: { begun: 'begin' } })).toThrow(
      /lifecycle_values: "begun" maps to "begin", which is not one of start, complete, ignore/,
    );
    expect(() => parseMapping({ actor_values: { x: 'boss' } })).toThrow(
      /actor_values: "x" maps to "boss", which is not one of office, municipality, citizen, other/,
    );
  });
});
