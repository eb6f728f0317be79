/** The CSV reader: quoting, line numbers, BOM, CRLF, chunk boundaries, and how a file's header is matched. */
import { afterEach, describe, expect, it } from 'vitest';
import { CsvParser, UnclosedQuoteError } from '../../api/import/csv.ts';
import { importFiles } from '../../api/import/index.ts';
import { cleanup, freshDb, OFFICES, SERVICES, tempDir, writeExport } from './helpers.ts';

afterEach(cleanup);

function parseAll(text: string, pieces = 1): { line: number; values: string[] }[] {
  const p = new CsvParser();
  const out = [];
  const size = Math.ceil(text.length / pieces);
  for (let i = 0; i < text.length; i += size) out.push(...p.push(text.slice(i, i + size)));
  out.push(...p.end());
  return out;
}

const TEXT = 'a,b,c\r\n1,"x, y","he said ""hi"""\r\n\r\n2,"multi\nline\nvalue",z\n3,,\n"4",q,"r"';

describe('CsvParser', () => {
  it('reads quoted commas, doubled quotes, newlines in fields, CRLF, and skips empty lines', () => {
    expect(parseAll(TEXT)).toEqual([
      { line: 1, values: ['a', 'b', 'c'] },
      { line: 2, values: ['1', 'x, y', 'he said "hi"'] },
      // line 3 is empty; the quoted value spans lines 4–6
      { line: 4, values: ['2', 'multi\nline\nvalue', 'z'] },
      { line: 7, values: ['3', '', ''] },
      { line: 8, values: ['4', 'q', 'r'] },
    ]);
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const whole = parseAll(TEXT);
    for (const pieces of [2, 3, 7, TEXT.length]) expect(parseAll(TEXT, pieces)).toEqual(whole);
  });

  it('fails on a quote left open at the end of the file, naming its line', () => {
    expect(() => parseAll('a,b\n1,"open\n2,3\n')).toThrow(UnclosedQuoteError);
    expect(() => parseAll('a,b\n1,"open\n2,3\n')).toThrow(/line 2/);
  });

  it('keeps a stray quote inside an unquoted field as text', () => {
    expect(parseAll('a,b\n5" pipe,x\n')[1].values).toEqual(['5" pipe', 'x']);
  });
});

describe('CSV files', () => {
  it('loads a file with a BOM, columns in another order, extra columns reported and ignored', async () => {
    const root = tempDir();
    const cases =
      '\uFEFFstatus,note,submitted_at,case_id,service_code,office_id,closed_at,comment\r\n' +
      'completed,"a note, with comma",2023-01-01 09:00,C1,S1,O1,2023-01-05 10:00,"two\r\nlines"\r\n' +
      'open,,2023-02-01,C2,S2,O2,,\r\n';
    const dir = writeExport(root, 'x', {
      'offices.csv': OFFICES,
      'services.csv': SERVICES,
      'cases.csv': cases,
    });
    const db = await freshDb(root);
    const r = await importFiles(db, [dir]);
    const f = r.files.find((x) => x.file === 'cases.csv')!;
    expect(f).toMatchObject({ rows_read: 2, inserted: 2, rejected: 0, unknown_columns: ['note', 'comment'] });
    expect(await db.all('SELECT case_id, office_id, status FROM cases ORDER BY 1')).toEqual([
      { case_id: 'C1', office_id: 'O1', status: 'completed' },
      { case_id: 'C2', office_id: 'O2', status: 'open' },
    ]);
    db.close();
  });

  it('normalises names and ids: Arabic ی/ک, Persian digits, spacing', async () => {
    const root = tempDir();
    const dir = writeExport(root, 'x', {
      'offices.csv': 'office_id,name,district\n" ۱۲ ","  دفتر   خدمات الكترونيك  ",۵\n',
    });
    const db = await freshDb(root);
    await importFiles(db, [dir]);
    expect(await db.all('SELECT office_id, name, district FROM offices')).toEqual([
      { office_id: '12', name: 'دفتر خدمات الکترونیک', district: 5 },
    ]);
    db.close();
  });
});
