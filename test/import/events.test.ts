/**
 * Event logs as files (issue 11): `events` and `stages` in CSV, Parquet and xlsx, through the same rules and the
 * same one-transaction merge as the other files. Expected instants are worked by hand (Solar Hijri → Gregorian from
 * 1 Farvardin 1402 = 21 March 2023; Tehran has kept +03:30 since 2023).
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { Db } from '../../api/db.ts';
import { importFiles, parseMapping } from '../../api/import/index.ts';
import { cleanup, fingerprint, freshDb, OFFICES, SERVICES, tempDir, writeExport } from './helpers.ts';

afterEach(cleanup);

// 1402/08/10 = 2023-11-01 (1 Mehr = 23 Sep, 1 Aban = 23 Oct); 09:00 at +03:30 = 05:30Z
const CASES =
  'case_id,office_id,service_code,submitted_at,status\nC1,O1,S1,1402/08/10 09:00,open\nC2,O2,S2,1402/08/11,open\n';

const SHIFT = 2 ** 32;

interface EventRow {
  case_id: string;
  stage: string;
  at: string;
  lifecycle: string;
  actor: string | null;
  resource: string | null;
  stage_name: string | null;
  seq: number;
}

async function events(db: Db): Promise<EventRow[]> {
  return db.all<EventRow>(
    `SELECT case_id, stage, strftime("at" AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS at, lifecycle, actor, resource,
       stage_name, seq::DOUBLE AS seq
     FROM events ORDER BY case_id, "at", seq`,
  );
}

describe('events and stages files', () => {
  it('Persian file names and headers, Jalali dates in Persian digits, Persian lifecycle and actor words', async () => {
    const root = tempDir();
    const dir = writeExport(root, 'fa', {
      'offices.csv': OFFICES,
      'services.csv': SERVICES,
      'cases.csv': CASES,
      'رویدادها.csv':
        'شماره پرونده,مرحله,زمان,چرخه,نقش,کارشناس,نام مرحله\n' +
        'C1,file_open,۱۴۰۲/۰۸/۱۰ ۰۹:۳۰,پایان,دفتر,D-01,افتتاح پرونده\n' +
        'C1,site_visit,1402/08/12 10:00,شروع,شهرداری,M-04,بازدید\n' +
        'C1,site_visit,۱۴۰۲-۰۸-۱۲ ۱۲:۳۰,,شهرداری,M-04,بازدید\n' +
        'C2,file_open,2023-11-02T08:00:00+03:30,complete,office,D-02,\n',
      'مراحل.csv': 'کد مرحله,عنوان,نقش\nfile_open,افتتاح پرونده,دفتر\nsite_visit,بازدید محل,شهرداری\n',
    });
    const mapping = parseMapping({
      files: {
        events: {
          columns: {
            'شماره پرونده': 'case_id',
            مرحله: 'stage',
            زمان: 'at',
            چرخه: 'lifecycle',
            نقش: 'actor',
            کارشناس: 'resource',
            'نام مرحله': 'stage_name',
          },
        },
        stages: { columns: { 'کد مرحله': 'stage', عنوان: 'name', نقش: 'actor' } },
      },
      lifecycle_values: { شروع: 'start', پایان: 'complete' },
      actor_values: { دفتر: 'office', شهرداری: 'municipality' },
    });
    const db = await freshDb(root);
    const r = await importFiles(db, [dir], { mapping });
    expect(r.status).toBe('ok');
    expect(r.files.map((f) => [f.file, f.kind, f.rows_read, f.inserted, f.rejected])).toEqual([
      ['cases.csv', 'cases', 2, 2, 0],
      ['offices.csv', 'offices', 2, 2, 0],
      ['services.csv', 'services', 2, 2, 0],
      ['رویدادها.csv', 'events', 4, 4, 0],
      ['مراحل.csv', 'stages', 2, 2, 0],
    ]);
    expect(r.events).toEqual({ cases: 2, removed: 0 });
    // 1402/08/12 = 2023-11-03: 10:00 → 06:30Z, 12:30 → 09:00Z; ۰۹:۳۰ on 1402/08/10 → 06:00Z
    expect(await events(db)).toEqual([
      {
        case_id: 'C1',
        stage: 'file_open',
        at: '2023-11-01T06:00:00Z',
        lifecycle: 'complete',
        actor: 'office',
        resource: 'D-01',
        stage_name: 'افتتاح پرونده',
        seq: 2,
      },
      {
        case_id: 'C1',
        stage: 'site_visit',
        at: '2023-11-03T06:30:00Z',
        lifecycle: 'start',
        actor: 'municipality',
        resource: 'M-04',
        stage_name: 'بازدید',
        seq: 3,
      },
      {
        case_id: 'C1',
        stage: 'site_visit',
        at: '2023-11-03T09:00:00Z',
        lifecycle: 'complete',
        actor: 'municipality',
        resource: 'M-04',
        stage_name: 'بازدید',
        seq: 4,
      },
      {
        case_id: 'C2',
        stage: 'file_open',
        at: '2023-11-02T04:30:00Z',
        lifecycle: 'complete',
        actor: 'office',
        resource: 'D-02',
        stage_name: null,
        seq: 5,
      },
    ]);
    expect(await db.all('SELECT stage, name, name_en, actor FROM stages ORDER BY stage')).toEqual([
      { stage: 'file_open', name: 'افتتاح پرونده', name_en: null, actor: 'office' },
      { stage: 'site_visit', name: 'بازدید محل', name_en: null, actor: 'municipality' },
    ]);
    db.close();
  });

  it('rejects each bad row with file, line, column and reason; unknown_case and event_before_submitted', async () => {
    const root = tempDir();
    const dir = writeExport(root, 'bad', {
      'offices.csv': OFFICES,
      'services.csv': SERVICES,
      'cases.csv': CASES,
      'events.csv':
        'case_id,stage,at,lifecycle,actor,resource,stage_name\n' +
        'C1,a,2023-11-02 10:00,complete,office,R1,\n' + // 2 loads
        'C404,a,2023-11-02 10:00,,,,\n' + // 3 unknown_case
        'C1,b,2023-10-01 10:00,,,,\n' + // 4 before C1's submitted_at (2023-11-01 09:00)
        'C1,c,2023-11-02 10:00,finished,,,\n' + // 5 bad lifecycle
        'C1,d,2023-11-02 10:00,,alien,,\n' + // 6 bad actor
        'C1,,2023-11-02 10:00,,,,\n' + // 7 no stage
        'C1,e,1402/13/40,,,,\n' + // 8 no such Jalali date
        'C2,f,2023-11-03 10:00,complete,office,R1,\n' + // 9 and 10: same event, different resource
        'C2,f,2023-11-03 10:00,complete,office,R2,\n' +
        'C2,g,2023-11-03 11:00,,,,\n' + // 11 loads
        'C2,g,2023-11-03 11:00,,,,\n' + // 12 an exact repeat of 11: folded
        ',h,2023-11-03 11:00,,,,\n', // 13 no case id
      'stages.csv': 'stage,name,actor\na,الف,office\nb,ب,boss\n',
    });
    const db = await freshDb(root);
    const r = await importFiles(db, [dir]);
    expect(r.status).toBe('ok');
    const ev = r.files.find((f) => f.file === 'events.csv');
    expect(ev).toMatchObject({ rows_read: 12, inserted: 2, rejected: 9, duplicates: 1, ignored: 0 });
    expect(
      await db.all<{ file: string; line: number; column_name: string; reason: string }>(
        'SELECT file, line, column_name, reason FROM rejects ORDER BY file, line, column_name',
      ),
    ).toEqual([
      { file: 'events.csv', line: 3, column_name: 'case_id', reason: 'unknown_case' },
      { file: 'events.csv', line: 4, column_name: 'at', reason: 'event_before_submitted' },
      { file: 'events.csv', line: 5, column_name: 'lifecycle', reason: 'bad_value' },
      { file: 'events.csv', line: 6, column_name: 'actor', reason: 'bad_value' },
      { file: 'events.csv', line: 7, column_name: 'stage', reason: 'missing_required' },
      { file: 'events.csv', line: 8, column_name: 'at', reason: 'bad_date' },
      { file: 'events.csv', line: 9, column_name: 'stage', reason: 'duplicate_conflict' },
      { file: 'events.csv', line: 10, column_name: 'stage', reason: 'duplicate_conflict' },
      { file: 'events.csv', line: 13, column_name: 'case_id', reason: 'missing_required' },
      { file: 'stages.csv', line: 3, column_name: 'actor', reason: 'bad_value' },
    ]);
    const detail = async (line: number) =>
      (
        await db.one<{ d: string }>(
          `SELECT detail AS d FROM rejects WHERE file = 'events.csv' AND line = ${line}`,
        )
      )?.d;
    // 2023-10-01 10:00 Tehran = 06:30Z; C1 submitted 2023-11-01 09:00 = 05:30Z
    expect(await detail(4)).toBe(
      "at 2023-10-01T06:30:00Z (stage «b») is before case «C1»'s submitted_at 2023-11-01T05:30:00Z",
    );
    expect(await detail(5)).toBe('"finished" is not one of start, complete (map it in lifecycle_values)');
    expect(await detail(6)).toBe(
      '"alien" is not one of office, municipality, citizen, other (map it in actor_values)',
    );
    expect(await detail(9)).toMatch(
      /appears 2 times with different actor, resource or stage_name \(events\.csv:9, events\.csv:10\)/,
    );
    expect(await events(db)).toMatchObject([
      { case_id: 'C1', stage: 'a', resource: 'R1' },
      { case_id: 'C2', stage: 'g', seq: 11 },
    ]);
    db.close();
  });

  it("the report's rejects name the file's headers and the case number, with fa/en sentences and Tehran/Jalali times", async () => {
    const root = tempDir();
    const dir = writeExport(root, 'fa-bad', {
      'offices.csv': OFFICES,
      'services.csv': SERVICES,
      'cases.csv': CASES,
      'رویدادها.csv':
        'شماره پرونده,مرحله,زمان,چرخه,کارشناس\n' +
        'C404,file_open,1402/08/12 10:00,,\n' + // 2 unknown_case
        'C1,file_open,۱۴۰۲/۰۸/۰۹ ۱۰:۰۰,,\n' + // 3 a day before C1's submitted_at (1402/08/10 09:00)
        'C1,site_visit,1402/08/12 10:00,تمام,\n' + // 4 a lifecycle word not mapped
        'C2,x,1402/08/12 10:00,,R1\n' + // 5 and 6: the same event, two resources
        'C2,x,1402/08/12 10:00,,R2\n',
    });
    const mapping = parseMapping({
      files: {
        events: {
          columns: {
            'شماره پرونده': 'case_id',
            مرحله: 'stage',
            زمان: 'at',
            چرخه: 'lifecycle',
            کارشناس: 'resource',
          },
        },
      },
      lifecycle_values: { شروع: 'start', پایان: 'complete' },
    });
    const db = await freshDb(root);
    const r = await importFiles(db, [dir], { mapping });
    expect(r.status).toBe('ok');
    expect(r.lang).toBe('fa');
    const byLine = (line: number) => r.rejects.find((e) => e.file === 'رویدادها.csv' && e.line === line);
    const same = { file: 'رویدادها.csv', record_header: 'شماره پرونده' };

    expect(byLine(2)).toMatchObject({
      ...same,
      record_id: 'C404',
      column: 'case_id',
      header: 'شماره پرونده',
      value: 'C404',
      reason: 'unknown_case',
      times: [],
    });
    expect(byLine(2)?.en).toContain('“C404” (“شماره پرونده”) that this event belongs to');
    expect(byLine(2)?.fa).toContain('«C404»');

    // 1402/08/09 10:00 Tehran (+03:30) = 2023-10-31 06:30Z (1 Aban 1402 = 23 Oct 2023);
    // C1 submitted 1402/08/10 09:00 = 2023-11-01 05:30Z
    const early = byLine(3);
    expect(early).toMatchObject({ ...same, record_id: 'C1', column: 'at', header: 'زمان' });
    expect(early?.reason).toBe('event_before_submitted');
    expect(early?.times).toEqual([
      {
        column: 'at',
        header: 'زمان',
        value: '2023-10-31T06:30:00Z',
        iso: '2023-10-31T06:30:00Z',
        tehran: '2023-10-31 10:00',
        jalali: '1402/08/09 10:00',
      },
      {
        column: 'submitted_at',
        header: 'submitted_at',
        value: '2023-11-01T05:30:00Z',
        iso: '2023-11-01T05:30:00Z',
        tehran: '2023-11-01 09:00',
        jalali: '1402/08/10 09:00',
      },
    ]);
    expect(early?.fa).toContain('«file_open»');
    expect(early?.fa).toContain('۱۴۰۲/۰۸/۰۹ ساعت ۱۰:۰۰');
    expect(early?.fa).toContain('۱۴۰۲/۰۸/۱۰ ساعت ۰۹:۰۰');
    expect(early?.en).toContain('1402/08/09 10:00, 2023-10-31 10:00 Tehran time');
    expect(early?.en).toContain(
      'before the case was submitted (1402/08/10 09:00, 2023-11-01 09:00 Tehran time)',
    );

    expect(byLine(4)).toMatchObject({
      ...same,
      record_id: 'C1',
      header: 'چرخه',
      value: 'تمام',
      reason: 'bad_value',
    });
    expect(byLine(4)?.fa).toContain('lifecycle_values');
    expect(byLine(4)?.en).toContain('“تمام” in “چرخه” is not accepted: a lifecycle is start or complete');

    // 1402/08/12 10:00 = 2023-11-03 06:30Z
    for (const line of [5, 6]) {
      const dup = byLine(line);
      expect(dup).toMatchObject({ ...same, record_id: 'C2', header: 'مرحله', value: 'x' });
      expect(dup?.reason).toBe('duplicate_conflict');
      expect(dup?.times.map((t) => [t.column, t.header, t.jalali])).toEqual([
        ['at', 'زمان', '1402/08/12 10:00'],
      ]);
      expect(dup?.en).toContain('appears 2 times');
      expect(dup?.en).toContain('(رویدادها.csv:5, رویدادها.csv:6)');
      expect(dup?.fa).toContain('۲ بار');
    }
    expect(r.rejects_total).toBe(5);
    db.close();
  });

  it('an event may belong to a case stored by an earlier import; a file named otherwise is told by its header', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    await importFiles(db, [
      writeExport(root, 'a', { 'offices.csv': OFFICES, 'services.csv': SERVICES, 'cases.csv': CASES }),
    ]);
    const r = await importFiles(db, [
      writeExport(root, 'b', {
        'log.csv': 'case_id,stage,at\nC2,file_open,2023-11-02 08:00\nC3,file_open,2023-11-02 08:00\n',
      }),
    ]);
    expect(r.files[0]).toMatchObject({ kind: 'events', inserted: 1, rejected: 1 });
    expect(await db.all('SELECT line, reason FROM rejects')).toEqual([{ line: 3, reason: 'unknown_case' }]);
    db.close();
  });

  it('re-importing changes nothing; a newer export replaces the event lists of the cases it carries', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const HEAD = 'case_id,stage,at,lifecycle,resource\n';
    const v1 = writeExport(root, 'v1', {
      'offices.csv': OFFICES,
      'services.csv': SERVICES,
      'cases.csv': CASES,
      'events.csv': `${HEAD}C1,open,2023-11-01 10:00,,R1\nC1,visit,2023-11-02 10:00,,R2\nC1,review,2023-11-03 10:00,,R3\nC2,open,2023-11-02 10:00,,R1\n`,
    });
    const first = await importFiles(db, [v1]);
    expect(first.files.find((f) => f.kind === 'events')).toMatchObject({ inserted: 4 });
    const fp = await fingerprint(db);
    const [{ updated_at: before }] = await db.all<{ updated_at: string }>(
      'SELECT updated_at::VARCHAR AS updated_at FROM dataset',
    );

    const again = await importFiles(db, [v1]);
    expect(again.files.find((f) => f.kind === 'events')).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 4,
    });
    expect(again.events).toEqual({ cases: 2, removed: 0 });
    expect(await fingerprint(db)).toEqual(fp);

    const v2 = writeExport(root, 'v2', {
      'events.csv': `${HEAD}C1,open,2023-11-01 10:00,,R1\nC1,visit,2023-11-02 10:00,,R9\nC1,permit,2023-11-04 10:00,,R4\n`,
    });
    const second = await importFiles(db, [v2]);
    expect(second.files[0]).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
    expect(second.events).toEqual({ cases: 1, removed: 1 });
    expect((await events(db)).map((e) => [e.case_id, e.stage, e.resource, e.seq])).toEqual([
      ['C1', 'open', 'R1', 2],
      ['C1', 'visit', 'R9', 3],
      ['C1', 'permit', 'R4', 4],
      ['C2', 'open', 'R1', 5],
    ]);
    // a change: the dataset's updated_at moves (the dashboard's facts are rebuilt)
    const [{ updated_at: after }] = await db.all<{ updated_at: string }>(
      'SELECT updated_at::VARCHAR AS updated_at FROM dataset',
    );
    expect(after).not.toBe(before);
    db.close();
  });

  it('seq is the export order: the row in its file, files in the order given; ties in time keep it', async () => {
    const root = tempDir();
    const dir = writeExport(root, 'x', {
      'offices.csv': OFFICES,
      'services.csv': SERVICES,
      'cases.csv': CASES,
      'events_1.csv': 'case_id,stage,at\nC1,b,2023-11-02 10:00\nC1,a,2023-11-02 10:00\n',
      'events_2.csv': 'case_id,stage,at\nC1,c,2023-11-02 10:00\n',
    });
    const db = await freshDb(root);
    await importFiles(db, [dir]);
    // the folder's files in name order: events_1 is the first events file (0), events_2 the second (1)
    expect((await events(db)).map((e) => [e.stage, e.seq])).toEqual([
      ['b', 2],
      ['a', 3],
      ['c', SHIFT + 2],
    ]);
    const again = await importFiles(db, [dir]);
    expect(again.totals).toMatchObject({ inserted: 0, updated: 0 });
    // named one by one in the other order, events_2 comes first
    const r = await importFiles(db, [join(dir, 'events_2.csv'), join(dir, 'events_1.csv')]);
    expect(r.totals).toMatchObject({ inserted: 0, updated: 3 });
    expect((await events(db)).map((e) => [e.stage, e.seq])).toEqual([
      ['c', 2],
      ['b', SHIFT + 2],
      ['a', SHIFT + 3],
    ]);
    db.close();
  });

  it('events and stages in xlsx and Parquet', async () => {
    const root = tempDir();
    const dir = writeExport(root, 'x', {
      'offices.csv': OFFICES,
      'services.csv': SERVICES,
      'cases.csv': CASES,
    });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('رویدادها');
    ws.addRow(['case_id', 'stage', 'at', 'lifecycle']);
    // Excel keeps wall-clock times: 2023-11-02 10:00 Tehran = 06:30Z
    ws.addRow(['C1', 'visit', new Date(Date.UTC(2023, 10, 2, 10, 0)), 'start']);
    ws.addRow(['C1', 'visit', '۱۴۰۲/۰۸/۱۱ ۱۲:۰۰', 'complete']);
    ws.addRow(['C1', 'visit', 'soon', 'complete']);
    await wb.xlsx.writeFile(join(dir, 'events.xlsx'));
    const mem = await Db.open(':memory:');
    await mem.run(
      `COPY (SELECT * FROM (VALUES ('visit', 'بازدید', 'Site visit', 'municipality'), ('open', 'افتتاح', NULL, 'office'))
         AS t(stage, name, name_en, actor)) TO $out (FORMAT parquet)`,
      { out: join(dir, 'stages.parquet') },
    );
    mem.close();
    const db = await freshDb(root);
    const r = await importFiles(db, [dir]);
    expect(r.files.find((f) => f.file === 'events.xlsx')).toMatchObject({
      format: 'xlsx',
      kind: 'events',
      rows_read: 3,
      inserted: 2,
      rejected: 1,
    });
    expect(r.files.find((f) => f.file === 'stages.parquet')).toMatchObject({
      format: 'parquet',
      inserted: 2,
    });
    expect(await db.all('SELECT line, column_name, reason FROM rejects')).toEqual([
      { line: 4, column_name: 'at', reason: 'bad_date' },
    ]);
    // 1402/08/11 12:00 = 2023-11-02 08:30Z; the sheet rows are the lines (header = 1)
    expect((await events(db)).map((e) => [e.at, e.lifecycle, e.seq])).toEqual([
      ['2023-11-02T06:30:00Z', 'start', 2],
      ['2023-11-02T08:30:00Z', 'complete', 3],
    ]);
    db.close();
  });
});
