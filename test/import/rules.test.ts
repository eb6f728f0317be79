/**
 * Every row rule: a hand-made export where each bad row is known by line, checked for its reason code, column and
 * line in `rejects`, while the good rows of the same file still load.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../api/import/index.ts';
import { cleanup, fingerprint, freshDb, OFFICES, SERVICES, tempDir, utc, writeExport } from './helpers.ts';

afterEach(cleanup);

// line 1 is the header; the multi-line quoted field of C2 spans lines 3–4, so C3 starts on line 5 (18 data rows)
const CASES = [
  'case_id,office_id,service_code,submitted_at,closed_at,status,channel',
  'C1,O1,S1,2022-07-24 10:03,2022-07-30 12:00,completed,online', // 2 ok
  'C2,O1,S1,2022-07-24,,open,"in', // 3 ok: a quoted value across lines; "in\nperson" reads as in_person
  'person"',
  'C3,,S1,2022-07-24,,open,', // 5 missing_required office_id
  'C4,O1,S1,1403/13/40,,open,', // 6 bad_date
  'C5,O1,S1,2024-02-30,,open,', // 7 bad_date
  'C6,O1,S1,2022-07-24 10:00,2022-07-20 09:00,completed,', // 8 closed_before_submitted
  'C7,O9,S1,2022-07-24,,open,', // 9 unknown_office
  'C8,O1,S9,2022-07-24,,open,', // 10 unknown_service
  'C9,O1,S1,2022-07-24,,Closed,', // 11 unknown_status
  'C10,O1,S1,2022-07-24,,open,fax', // 12 bad_value channel
  'C11,O1,S1,2022-07-24,,open,', // 13 duplicate_conflict (with 14)
  'C11,O2,S1,2022-07-24,,open,', // 14 duplicate_conflict
  'C1,O1,S1,2022-07-24 10:03,2022-07-30 12:00,completed,online', // 15 exact duplicate of line 2: not an error
  'C12,O1,S1,2022-07-24,2022-07-25,open,', // 16 status_closed_mismatch (open with closed_at)
  'C13,O1,S1,2022-07-24,,rejected,', // 17 status_closed_mismatch (rejected without closed_at)
  'C14,O1,S1,1403/07/32,,open,', // 18 bad_date
  'C15,O1,S1,2022-07-24,,withdrawn,in_person', // 19 ok (withdrawn may lack closed_at)
  'C16,O1,S1,2022-07-24,,open', // 20 malformed_row (6 fields)
].join('\n');

const COMPLAINTS = [
  'complaint_id,office_id,case_id,received_at,category,source,resolved_at,substantiated',
  'K1,O1,C1,2022-08-01,delay,137,2022-08-03,true', // 2 ok
  'K2,O1,C404,2022-08-01,delay,137,,', // 3 unknown_case
  'K3,O1,,2022-08-01,gossip,137,,', // 4 bad_value category
  'K4,O1,,2022-08-01,delay,radio,,', // 5 bad_value source
  'K5,O1,,2022-08-05,delay,1888,2022-08-01,', // 6 closed_before_submitted (resolved before received)
  'K6,O3,,2022-08-01,other,office,,', // 7 unknown_office
  'K7,O1,C15,2022-08-01,bribe_request,online,,no', // 8 ok, refers to a case of the same import
].join('\n');

interface Rej {
  file: string;
  line: number;
  column_name: string | null;
  raw_value: string | null;
  reason: string;
  detail: string;
}

describe('row rules', () => {
  it('rejects each bad row with its reason, column and line, and loads the good ones', async () => {
    const root = tempDir();
    const dir = writeExport(root, 'export', {
      'offices.csv': `${OFFICES}O3,بد,23\n`,
      'services.csv': `${SERVICES}S3,بد,inquiry,soon\n`,
      'cases.csv': CASES,
      'complaints.csv': COMPLAINTS,
    });
    const db = await freshDb(root);
    const report = await importFiles(db, [dir]);
    expect(report.status).toBe('ok');

    const rejects = await db.all<Rej>(
      'SELECT file, line, column_name, raw_value, reason, detail FROM rejects ORDER BY file, line, reason',
    );
    const key = (r: Rej) => `${r.file}:${r.line}:${r.reason}:${r.column_name ?? ''}`;
    expect(rejects.map(key)).toEqual([
      'cases.csv:5:missing_required:office_id',
      'cases.csv:6:bad_date:submitted_at',
      'cases.csv:7:bad_date:submitted_at',
      'cases.csv:8:closed_before_submitted:closed_at',
      'cases.csv:9:unknown_office:office_id',
      'cases.csv:10:unknown_service:service_code',
      'cases.csv:11:unknown_status:status',
      'cases.csv:12:bad_value:channel',
      'cases.csv:13:duplicate_conflict:case_id',
      'cases.csv:14:duplicate_conflict:case_id',
      'cases.csv:16:status_closed_mismatch:closed_at',
      'cases.csv:17:status_closed_mismatch:closed_at',
      'cases.csv:18:bad_date:submitted_at',
      'cases.csv:20:malformed_row:',
      'complaints.csv:3:unknown_case:case_id',
      'complaints.csv:4:bad_value:category',
      'complaints.csv:5:bad_value:source',
      'complaints.csv:6:closed_before_submitted:resolved_at',
      'complaints.csv:7:unknown_office:office_id',
      'offices.csv:4:bad_value:district',
      'services.csv:4:bad_value:sla_days',
    ]);
    const byLine = (file: string, line: number) => rejects.find((r) => r.file === file && r.line === line)!;
    // both timestamps are shown: 2022-07-20 09:00 +04:30 = 04:30Z; 2022-07-24 10:00 +04:30 = 05:30Z
    expect(byLine('cases.csv', 8).detail).toContain('2022-07-20T04:30:00Z');
    expect(byLine('cases.csv', 8).detail).toContain('2022-07-24T05:30:00Z');
    expect(byLine('cases.csv', 13).detail).toContain('cases.csv:14');
    expect(byLine('cases.csv', 6).raw_value).toBe('1403/13/40');

    const cases = await db.all<{ case_id: string; s: string }>(
      `SELECT case_id, ${utc('submitted_at')} AS s FROM cases ORDER BY case_id`,
    );
    expect(cases.map((c) => c.case_id)).toEqual(['C1', 'C15', 'C2']);
    expect(await db.one('SELECT channel FROM cases WHERE case_id = $id', { id: 'C2' })).toEqual({
      channel: 'in_person',
    });
    // 2022-07-24 10:03 Tehran (+04:30 in 2022's summer) = 05:33 UTC
    expect(cases[0].s).toBe('2022-07-24T05:33:00Z');
    const complaints = await db.all<{ complaint_id: string }>(
      'SELECT complaint_id FROM complaints ORDER BY 1',
    );
    expect(complaints.map((c) => c.complaint_id)).toEqual(['K1', 'K7']);

    const file = report.files.find((f) => f.file === 'cases.csv')!;
    expect(file).toMatchObject({ rows_read: 18, inserted: 3, duplicates: 1, rejected: 14 });
    expect(file.unmapped_statuses).toEqual([{ value: 'Closed', count: 1 }]);
    const log = await db.one<{
      status: string;
      rows_rejected: number;
      rows_inserted: number;
      source: string;
    }>('SELECT status, rows_rejected, rows_inserted, source FROM import_log');
    // rejected: 14 cases + 5 complaints + 1 office + 1 service; inserted: 3 + 2 + 2 + 2
    expect(log).toEqual({ status: 'ok', rows_rejected: 21, rows_inserted: 9, source: 'cli' });
    db.close();
  });

  it('takes offices and services already in the database as known', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    await importFiles(db, [writeExport(root, 'a', { 'offices.csv': OFFICES, 'services.csv': SERVICES })]);
    const r = await importFiles(db, [
      writeExport(root, 'b', {
        'cases.csv': 'case_id,office_id,service_code,submitted_at,status\nX,O2,S2,2023-01-01,open\n',
      }),
    ]);
    expect(r.totals).toMatchObject({ inserted: 1, rejected: 0 });
    db.close();
  });

  it('counts a row with two problems once but records both', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const r = await importFiles(db, [
      writeExport(root, 'a', {
        'offices.csv': OFFICES,
        'services.csv': SERVICES,
        'cases.csv': 'case_id,office_id,service_code,submitted_at,status\nX,O8,S8,2023-01-01,open\n',
      }),
    ]);
    const f = r.files.find((x) => x.file === 'cases.csv')!;
    expect(f.rejected).toBe(1);
    expect(f.reasons.map((x) => x.reason).sort()).toEqual(['unknown_office', 'unknown_service']);
    const before = await fingerprint(db);
    expect(before.rejects.startsWith('2:')).toBe(true);
    db.close();
  });

  it('words every reject alike, whether a file has a few of them or thousands', async () => {
    // index.ts hands the rejected lines to the rejects' SQL as a list up to 5,000 of them, and a subquery above
    const file = (bad: number) => {
      const rows = ['case_id,office_id,service_code,submitted_at,status'];
      for (let i = 0; i < 3 * bad + 3; i++) {
        // every third row (from the fourth) is bad, in one of three ways, until `bad` of them
        const k = Math.floor(i / 3);
        const which = i % 3 === 0 && i > 0 && k <= bad ? k % 3 : -1;
        const date = which === 0 ? '1403/13/40' : '2023-01-01';
        const status = which === 1 ? 'Closed' : 'open';
        const office = which === 2 ? 'O9' : 'O1';
        rows.push(`K${i},${office},S1,${date},${status}`);
      }
      return `${rows.join('\n')}\n`;
    };
    const reasons = async (bad: number) => {
      const root = tempDir();
      const db = await freshDb(root);
      const dir = writeExport(root, 'e', {
        'offices.csv': OFFICES,
        'services.csv': SERVICES,
        'cases.csv': file(bad),
      });
      const r = await importFiles(db, [dir]);
      const got = await db.all<{ line: number; reason: string; detail: string }>(
        'SELECT line, reason, detail FROM rejects ORDER BY line',
      );
      db.close();
      expect(r.files.find((x) => x.file === 'cases.csv')?.rejected).toBe(bad);
      return got;
    };
    const few = await reasons(9);
    const many = await reasons(6001);
    expect(many).toHaveLength(6001);
    // the first nine rejects of the long file are the short file's, word for word
    expect(many.slice(0, 9)).toEqual(few);
    expect(new Set(many.map((x) => x.reason))).toEqual(
      new Set(['bad_date', 'unknown_status', 'unknown_office']),
    );
    // lines 5, 8, 11 (rows K3, K6, K9): a status word not in the list, an office not known, a Solar Hijri month 13
    expect(few.slice(0, 3).map((x) => [x.line, x.reason])).toEqual([
      [5, 'unknown_status'],
      [8, 'unknown_office'],
      [11, 'bad_date'],
    ]);
    expect(few[0].detail).toContain('Closed');
    expect(few[2].detail).toContain('1403/13/40');
  }, 60_000);
});
