/** Re-imports: the same export changes nothing; a newer one updates by id and adds; as-of default and given. */
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../api/import/index.ts';
import { cleanup, fingerprint, freshDb, OFFICES, SERVICES, tempDir, utc, writeExport } from './helpers.ts';

afterEach(cleanup);

const HEAD = 'case_id,office_id,service_code,submitted_at,closed_at,status\n';
const V1 = `${HEAD}C1,O1,S1,2023-01-01 09:00,,open\nC2,O1,S2,2023-01-02 09:00,2023-01-03 09:00,completed\n`;
const V2 = `${HEAD}C1,O1,S1,2023-01-01 09:00,2023-01-20 09:00,completed\nC2,O1,S2,2023-01-02 09:00,2023-01-03 09:00,completed\nC3,O2,S1,2023-01-25 09:00,,open\n`;

describe('merge by id', () => {
  it('re-importing the same export changes nothing; a newer one updates and adds', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const v1 = writeExport(root, 'v1', { 'offices.csv': OFFICES, 'services.csv': SERVICES, 'cases.csv': V1 });
    const first = await importFiles(db, [v1]);
    expect(first.totals).toMatchObject({ inserted: 6, updated: 0, unchanged: 0 });
    const fp = await fingerprint(db);

    const again = await importFiles(db, [v1]);
    expect(again.totals).toMatchObject({ inserted: 0, updated: 0, unchanged: 6, rejected: 0 });
    expect(await fingerprint(db)).toEqual(fp);

    const v2 = writeExport(root, 'v2', { 'cases.csv': V2 });
    const second = await importFiles(db, [v2]);
    expect(second.files[0]).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
    const rows = await db.all<{ case_id: string; status: string; c: string | null }>(
      `SELECT case_id, status, ${utc('closed_at')} AS c FROM cases ORDER BY 1`,
    );
    // 2023-01-20 09:00 Tehran: no DST after 2022, +03:30 → 05:30Z
    expect(rows).toEqual([
      { case_id: 'C1', status: 'completed', c: '2023-01-20T05:30:00Z' },
      { case_id: 'C2', status: 'completed', c: '2023-01-03T05:30:00Z' },
      { case_id: 'C3', status: 'open', c: null },
    ]);
    const log = await db.all<{ rows_inserted: number; rows_updated: number; rows_unchanged: number }>(
      'SELECT rows_inserted, rows_updated, rows_unchanged FROM import_log ORDER BY import_id',
    );
    expect(log).toEqual([
      { rows_inserted: 6, rows_updated: 0, rows_unchanged: 0 },
      { rows_inserted: 0, rows_updated: 0, rows_unchanged: 6 },
      { rows_inserted: 1, rows_updated: 1, rows_unchanged: 1 },
    ]);
    db.close();
  });

  it('two cases files in one import: the rejects of each stay out, an exact repeat across them folds into the first', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const dir = writeExport(root, 'two', {
      'offices.csv': OFFICES,
      'services.csv': SERVICES,
      // line 3: not a status; line 4 is repeated word for word in the second file
      'cases_a.csv': `${HEAD}C1,O1,S1,2023-01-01 09:00,,open\nC2,O1,S1,2023-01-02 09:00,,bogus\nC3,O2,S2,2023-01-03 09:00,2023-01-04 09:00,completed\n`,
      // line 3: no such date
      'cases_b.csv': `${HEAD}C3,O2,S2,2023-01-03 09:00,2023-01-04 09:00,completed\nC5,O1,S2,2023-02-30 09:00,,open\nC4,O2,S1,2023-01-05 09:00,,open\n`,
    });
    const r = await importFiles(db, [dir]);
    const ids = await db.all<{ case_id: string; file: string }>('SELECT case_id FROM cases ORDER BY 1');
    expect(ids.map((x) => x.case_id)).toEqual(['C1', 'C3', 'C4']);
    expect(r.rejects.map((x) => [x.file, x.line, x.column, x.reason])).toEqual([
      ['cases_a.csv', 3, 'status', 'unknown_status'],
      ['cases_b.csv', 3, 'submitted_at', 'bad_date'],
    ]);
    const byFile = Object.fromEntries(r.files.map((f) => [f.file, [f.inserted, f.rejected]]));
    expect(byFile['cases_a.csv']).toEqual([2, 1]);
    expect(byFile['cases_b.csv']).toEqual([1, 1]);
    db.close();
  });

  it('as-of defaults to the latest stored timestamp and can be given in any contract form', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const v2 = writeExport(root, 'v2', { 'offices.csv': OFFICES, 'services.csv': SERVICES, 'cases.csv': V2 });
    const r = await importFiles(db, [v2]);
    // latest: C3 submitted 2023-01-25 09:00 Tehran = 05:30Z
    expect(r.as_of).toBe('2023-01-25T05:30:00.000Z');
    // 1401/11/10 = 2023-01-30 (1401/11/01 = 2023-01-21); 12:00 at +03:30 = 08:30Z
    const given = await importFiles(db, [v2], { asOf: '۱۴۰۱/۱۱/۱۰ ۱۲:۰۰' });
    expect(given.as_of).toBe('2023-01-30T08:30:00.000Z');
    const stored = await db.one(`SELECT ${utc('as_of')} AS a, city FROM dataset WHERE id = 1`);
    expect(stored).toEqual({ a: '2023-01-30T08:30:00Z', city: 'tehran' });
    const logged = await db.one(
      `SELECT ${utc('as_of')} AS a FROM import_log ORDER BY import_id DESC LIMIT 1`,
    );
    expect(logged).toEqual({ a: '2023-01-30T08:30:00Z' });
    db.close();
  });
});
