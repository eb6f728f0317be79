/**
 * A file that is not the contract's shape fails the whole import: the message names the file and the problem, the
 * previous data stays identical (table fingerprints), and the failure is logged.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../api/import/index.ts';
import { cleanup, fingerprint, freshDb, OFFICES, SERVICES, tempDir, writeExport } from './helpers.ts';

afterEach(cleanup);

const GOOD_CASES = 'case_id,office_id,service_code,submitted_at,status\nC1,O1,S1,2023-01-01,open\n';

const BROKEN: [string, string, string | Buffer, RegExp][] = [
  [
    'wrong header',
    'cases.csv',
    'id,when,what\n1,2,3\n',
    /cases\.csv: not a cases file: missing required column\(s\) case_id/,
  ],
  [
    'binary junk',
    'cases.csv',
    Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x42]),
    /cases\.csv: is not UTF-8 text/,
  ],
  ['empty file', 'cases.csv', '', /cases\.csv: the file is empty/],
  ['BOM only', 'cases.csv', '\uFEFF', /cases\.csv: the file is empty/],
  ['unreadable xlsx', 'cases.xlsx', 'this is not a zip archive', /cases\.xlsx: not readable as \.xlsx/],
  ['unreadable parquet', 'cases.parquet', 'PAR1 garbage', /cases\.parquet: not readable as Parquet/],
  [
    'unclosed quote',
    'cases.csv',
    `${GOOD_CASES}C2,O1,S1,2023-01-02,"open\n`,
    /cases\.csv: .*line 3 is never closed/,
  ],
];

describe('broken files', () => {
  it.each(BROKEN)(
    '%s: fails, names the file, leaves the data as it was, logs it',
    async (_, name, content, message) => {
      const root = tempDir();
      const db = await freshDb(root);
      const good = writeExport(root, 'good', {
        'offices.csv': OFFICES,
        'services.csv': SERVICES,
        'cases.csv': GOOD_CASES,
      });
      expect((await importFiles(db, [good])).status).toBe('ok');
      const before = await fingerprint(db);

      // a newer export whose cases would change the data, plus the broken file
      const bad = writeExport(root, 'bad', { 'offices.csv': `${OFFICES}O3,سه,3\n` });
      writeFileSync(join(bad, name), content);
      const r = await importFiles(db, [bad]);
      expect(r.status).toBe('failed');
      expect(r.message).toMatch(message);
      expect(await fingerprint(db)).toEqual(before);
      const log = await db.all<{ status: string; message: string }>(
        'SELECT status, message FROM import_log ORDER BY import_id',
      );
      expect(log.map((l) => l.status)).toEqual(['ok', 'failed']);
      expect(log[1].message).toMatch(message);
      db.close();
    },
  );

  it('a dataset of another city cannot be mixed into a Tehran database', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    await importFiles(db, [writeExport(root, 'a', { 'offices.csv': OFFICES })]);
    const before = await fingerprint(db);
    const r = await importFiles(
      db,
      [writeExport(root, 'b', { 'offices.csv': 'office_id,name,district\nX,x,Queens\n' })],
      {
        mapping: { city: 'New York' },
      },
    );
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/holds the tehran dataset/);
    expect(await fingerprint(db)).toEqual(before);
    db.close();
  });
});
