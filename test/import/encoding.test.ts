/**
 * Issue 13: Excel's Persian "CSV" is Windows-1256 with Arabic ي/ك. It is read — by the mapping's `encoding`, or
 * detected — and the report says which it assumed; a UTF-8 file with a bad byte still fails with its line. The
 * bytes are written with iconv-lite, and checked against the WHATWG decoder (an independent implementation).
 */
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles, type Mapping } from '../../api/import/index.ts';
import { cleanup, freshDb, SERVICES, tempDir, writeExport } from './helpers.ts';

afterEach(cleanup);

// As Excel on Persian Windows writes them: Arabic yeh ي (Windows-1256 has no Persian ی), Arabic kaf ك in names
// (and Persian ک, which it has, in headers); Latin digits (it has no Persian ones)
const OFFICES_1256 =
  'کد دفتر,نام دفتر,منطقه\n210,دفتر خدمات الكترونيك ونك,منطقه 3\n305,دفتر خدمات الكترونيك تجريش,1\n';
const CASES_1256 =
  'شماره پرونده,کد دفتر,کد خدمت,تاريخ ثبت,وضعيت\n1402001,210,S1,1402/01/15 09:30,در حال بررسي\n1402002,305,S2,1402/13/01,در حال بررسي\n';

const MAPPING: Mapping = {
  status_values: { 'در حال بررسی': 'open' },
  files: {
    offices: {
      names: ['دفاتر*'],
      columns: { 'کد دفتر': 'office_id', 'نام دفتر': 'name', منطقه: 'district' },
    },
    cases: {
      names: ['پرونده*'],
      columns: {
        'شماره پرونده': 'case_id',
        'کد دفتر': 'office_id',
        'کد خدمت': 'service_code',
        'تاریخ ثبت': 'submitted_at',
        وضعیت: 'status',
      },
    },
  },
};

function export1256(root: string, name: string) {
  const offices = iconv.encode(OFFICES_1256, 'windows-1256');
  const cases = iconv.encode(CASES_1256, 'windows-1256');
  expect(new TextDecoder('windows-1256').decode(cases)).toBe(CASES_1256);
  // the Arabic forms are really in the bytes (ي 0xED, ك 0xDF), and the file is not UTF-8
  expect(offices.includes(0xed) && offices.includes(0xdf)).toBe(true);
  expect(new TextDecoder('windows-1256').decode(offices)).toBe(OFFICES_1256);
  expect(() => new TextDecoder('utf-8', { fatal: true }).decode(offices)).toThrow();
  return writeExport(root, name, { 'دفاتر.csv': offices, 'پرونده‌ها.csv': cases, 'services.csv': SERVICES });
}

describe('Windows-1256 CSV', () => {
  it.each([
    [
      'the mapping says so',
      { ...MAPPING, encoding: 'windows-1256' } as Mapping,
      /the mapping's "encoding" says so/,
      true,
    ],
    ['detected, and said', MAPPING, /^Not valid UTF-8 \(line 1\): read as Windows-1256 \(Arabic\)/, false],
  ])('%s: read, Arabic ي/ك folded, the report says how it was read', async (_, mapping, note, setting) => {
    const root = tempDir();
    const db = await freshDb(root);
    const r = await importFiles(db, [export1256(root, 'x')], { mapping });
    expect(r.status, r.message ?? '').toBe('ok');
    const offices = r.files.find((f) => f.kind === 'offices');
    expect(offices).toMatchObject({ encoding: 'windows-1256', inserted: 2 });
    expect(offices?.encoding_note?.en).toMatch(note);
    expect(offices?.encoding_note?.fa).toContain('Windows-1256 (عربی)');
    // services.csv is UTF-8: read so, and said so only when the mapping expected Windows-1256
    expect(r.notices.filter((n) => n.code === 'encoding').map((n) => n.file)).toEqual(
      setting ? ['services.csv', 'دفاتر.csv', 'پرونده‌ها.csv'] : ['دفاتر.csv', 'پرونده‌ها.csv'],
    );
    const services = r.files.find((f) => f.kind === 'services');
    expect(services?.encoding).toBe('utf-8');
    expect(services?.encoding_note?.en ?? null).toEqual(
      setting ? expect.stringMatching(/^read as UTF-8: the mapping says/) : null,
    );
    expect(await db.all('SELECT office_id, name, district FROM offices ORDER BY 1')).toEqual([
      { office_id: '210', name: 'دفتر خدمات الکترونیک ونک', district: 3 },
      { office_id: '305', name: 'دفتر خدمات الکترونیک تجریش', district: 1 },
    ]);
    // «در حال بررسي» (Arabic ي) is the mapping's «در حال بررسی»; line numbers and headers are the file's
    expect(await db.all('SELECT case_id, status FROM cases')).toEqual([
      { case_id: '1402001', status: 'open' },
    ]);
    expect(r.rejects.map((e) => [e.file, e.line, e.header, e.value])).toEqual([
      ['پرونده‌ها.csv', 3, 'تاريخ ثبت', '1402/13/01'],
    ]);
    db.close();
  });

  it('"encoding": "utf-8" turns detection off; a UTF-8 file with one bad byte fails with its line', async () => {
    const root = tempDir();
    const db = await freshDb(root);
    const off = await importFiles(db, [export1256(root, 'x')], {
      mapping: { ...MAPPING, encoding: 'utf-8' },
    });
    expect(off.status).toBe('failed');
    expect(off.message).toMatch(/دفاتر\.csv: not readable as CSV: invalid UTF-8 on line 1 /);

    const utf8 = Buffer.concat([
      Buffer.from('office_id,name,district\nU1,دفتر یک,1\nU2,دفتر دو,2\nU3,'),
      Buffer.from([0xcf, 0xdd, 0xca, 0xd1]), // «دفتر» in Windows-1256 inside a UTF-8 file
      Buffer.from(',3\n'),
    ]);
    const bad = await importFiles(db, [writeExport(root, 'y', { 'offices.csv': utf8 })]);
    expect(bad.status).toBe('failed');
    expect(bad.message).toBe(
      'offices.csv: invalid UTF-8 on line 4 in a file that is otherwise UTF-8 text: correct that line or export the file again as UTF-8 CSV',
    );
    expect(bad.message_fa).toContain('سطر ۴ این فایل UTF-8 معتبر نیست');

    // a UTF-8 file under a mapping that says windows-1256 is read as UTF-8, and the report says so
    const ok = await importFiles(
      db,
      [writeExport(root, 'z', { 'offices.csv': 'office_id,name,district\nU1,دفتر یک,1\n' })],
      {
        mapping: { encoding: 'windows-1256' },
      },
    );
    expect(ok.files[0]).toMatchObject({ encoding: 'utf-8', inserted: 1 });
    expect(ok.files[0].encoding_note?.en).toMatch(
      /^read as UTF-8: the mapping says "encoding": "windows-1256"/,
    );
    db.close();
  });
});
