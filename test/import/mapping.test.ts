/** The shipped Persian-header mapping and its fixture export: names, words and Jalali dates as a person would read them. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles, loadMapping, MappingError, parseMapping } from '../../api/import/index.ts';
import { cleanup, FIXTURES, freshDb, MAPPINGS, tempDir, utc } from './helpers.ts';

afterEach(cleanup);

describe('fa-example mapping', () => {
  it('loads the Persian-header export with Jalali dates in Persian digits', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const mapping = loadMapping(join(MAPPINGS, 'fa-example.json'));
    const r = await importFiles(db, [join(FIXTURES, 'fa-export')], { mapping });
    expect(r.status).toBe('ok');
    expect(Object.fromEntries(r.files.map((f) => [f.kind, [f.inserted, f.rejected]]))).toEqual({
      offices: [3, 0],
      services: [2, 0],
      cases: [4, 1],
      complaints: [2, 0],
    });
    // 1402 is not a leap year: 1402/12/30 does not exist (line 6)
    expect(await db.all('SELECT file, line, reason FROM rejects')).toEqual([
      { file: 'پرونده‌ها.csv', line: 6, reason: 'bad_date' },
    ]);
    expect(await db.all('SELECT office_id, name, district FROM offices ORDER BY 1')).toEqual([
      { office_id: '101', name: 'دفتر خدمات الکترونیک ونک', district: 3 },
      { office_id: '102', name: 'دفتر خدمات الکترونیک تجریش', district: 1 },
      { office_id: '103', name: 'دفتر خدمات الکترونیک نارمک', district: 8 },
    ]);
    const cases = await db.all(
      `SELECT case_id, status, channel, ${utc('submitted_at')} AS s, ${utc('closed_at')} AS c FROM cases ORDER BY 1`,
    );
    // Independent instants: 1401/05/02 = 2022-07-24, Tehran +04:30 (DST until 2022) → 10:03 = 05:33Z;
    // 1401/05/10 = 2022-08-01 → 12:00 = 07:30Z; 1 Farvardin 1400 = 2021-03-21, DST began only at
    // 2 Farvardin 00:00 (tzdata: Rule Iran 2021 Mar 22 0:00) → 09:00 at +03:30 = 05:30Z, 3 Farvardin 09:00 at +04:30 = 04:30Z;
    // 1402/12/20 = 2024-03-10, +03:30 (no DST since 2022) → 08:30 = 05:00Z; 1403/12/30 = 2025-03-20 → 11:00 = 07:30Z.
    expect(cases).toEqual([
      {
        case_id: '9001',
        status: 'completed',
        channel: 'in_person',
        s: '2022-07-24T05:33:00Z',
        c: '2022-08-01T07:30:00Z',
      },
      {
        case_id: '9002',
        status: 'completed',
        channel: 'online',
        s: '2021-03-21T05:30:00Z',
        c: '2021-03-23T04:30:00Z',
      },
      { case_id: '9003', status: 'open', channel: 'in_person', s: '2024-03-10T05:00:00Z', c: null },
      { case_id: '9004', status: 'open', channel: null, s: '2025-03-20T07:30:00Z', c: null },
    ]);
    expect(
      await db.all(
        'SELECT complaint_id, case_id, category, source, substantiated FROM complaints ORDER BY 1',
      ),
    ).toEqual([
      { complaint_id: 'K1', case_id: '9001', category: 'delay', source: '137', substantiated: null },
      { complaint_id: 'K2', case_id: null, category: 'bribe_request', source: '1888', substantiated: true },
    ]);
    db.close();
  });

  it('rejects a mapping that maps onto a column or word the contract does not have', () => {
    expect(() => parseMapping({ files: { cases: { columns: { x: 'nonsense' } } } })).toThrow(MappingError);
    expect(() => parseMapping({ status_values: { Closed: 'done' } })).toThrow(/not one of open/);
    expect(() => parseMapping({ timezone: 'Mars/Olympus' })).toThrow(/IANA/);
    expect(() => parseMapping({ extra: 1 })).toThrow(MappingError);
  });
});
