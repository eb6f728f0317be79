/**
 * Bad input to the importer (issue 4, "Proof"): random bytes, wrong encodings, huge cells, random unicode, dates
 * and digits, and spreadsheet formulas in names. Whatever comes in, the import never throws; it either fails
 * cleanly (message names the file, every data table byte-identical) or succeeds with every bad row in `rejects`
 * with a reason, and every row read accounted for. Formula-looking names are stored as plain text, and the CSV
 * export (web/lib/csv.ts) neutralises them.
 */
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../api/db.ts';
import { type ImportReport, importFiles } from '../../api/import/index.ts';
import { REASONS } from '../../api/import/reasons.ts';
import { csvCell, toCsv } from '../../web/lib/csv.ts';
import { cleanup, copyDb, fingerprint, seededDbFile, tempDir, writeExport } from './helpers.ts';

const SEED = 20240404;
const KNOWN_REASONS = new Set(Object.keys(REASONS));

type Kind = 'offices' | 'services' | 'cases' | 'complaints';
const TABLE_KEY: Record<Kind, string> = {
  offices: 'office_id',
  services: 'service_code',
  cases: 'case_id',
  complaints: 'complaint_id',
};

const COLUMNS: Record<Kind, string[]> = {
  offices: ['office_id', 'name', 'district', 'opened_on', 'status'],
  services: ['service_code', 'name', 'category', 'sla_days'],
  cases: ['case_id', 'office_id', 'service_code', 'submitted_at', 'closed_at', 'status', 'channel'],
  complaints: [
    'complaint_id',
    'office_id',
    'case_id',
    'received_at',
    'category',
    'source',
    'resolved_at',
    'substantiated',
  ],
};

/** A row every rule accepts, against the seed data (offices O1/O2, services S1/S2, cases C1..C5). */
function validRow(kind: Kind, id: string): Record<string, string> {
  switch (kind) {
    case 'offices':
      return { office_id: id, name: `دفتر ${id}`, district: '3', opened_on: '1399/01/15', status: 'active' };
    case 'services':
      return { service_code: id, name: `خدمت ${id}`, category: 'inquiry', sla_days: '7' };
    case 'cases':
      return {
        case_id: id,
        office_id: 'O1',
        service_code: 'S2',
        submitted_at: '2023-03-01 10:00',
        closed_at: '2023-03-04 12:00',
        status: 'completed',
        channel: 'online',
      };
    case 'complaints':
      return {
        complaint_id: id,
        office_id: 'O2',
        case_id: 'C3',
        received_at: '1401/12/01',
        category: 'delay',
        source: '137',
        resolved_at: '',
        substantiated: 'false',
      };
  }
}

const FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", '-1+1', '@SUM(A1)', '=1+2', '\t=cmd'];

const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC = '٠١٢٣٤٥٦٧٨٩';
const inScript = (s: string, digits: string) => s.replace(/[0-9]/g, (d) => digits[Number(d)]);

/** Dates in every form the contract names, many of them impossible (month 13, day 40, year 0). */
const dateText = fc
  .tuple(
    fc.boolean(),
    fc.integer({ min: 0, max: 2100 }),
    fc.integer({ min: 0, max: 14 }),
    fc.integer({ min: 0, max: 40 }),
    fc.option(fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }))),
    fc.constantFrom('-', '/'),
    fc.constantFrom('', PERSIAN, ARABIC),
  )
  .map(([jalali, y0, m, d, time, sep, digits]) => {
    const y = jalali ? 1390 + (y0 % 20) : y0;
    const pad = (n: number) => String(n).padStart(2, '0');
    let s = `${y}${sep}${pad(m)}${sep}${pad(d)}`;
    if (time) s += ` ${pad(time[0])}:${pad(time[1])}`;
    return digits ? inScript(s, digits) : s;
  });

const hostileCell = fc.oneof(
  fc.constantFrom(...FORMULAS),
  fc.constantFrom(
    "'; DROP TABLE cases; --",
    'NULL',
    'null',
    'N/A',
    '\u200c',
    '   ',
    'ي ك',
    '"',
    'a"b',
    'NaN',
    '-1',
    '1e309',
    '0x1F',
    '<script>alert(1)</script>',
    '\u202eRTL override',
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => s.replace(/\0/g, '')),
  dateText,
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.constant(''),
  fc.integer({ min: 1001, max: 3000 }).map((n) => 'x'.repeat(n)),
);

/** RFC 4180 quoting, written here independently of the importer's reader. */
const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

interface Structured {
  kind: Kind;
  header: string[];
  rows: string[][];
  /** Ids of rows left valid (each appears once, or repeated identically). */
  validIds: string[];
}

const structured: fc.Arbitrary<Structured> = fc
  .tuple(
    fc.constantFrom<Kind>('offices', 'services', 'cases', 'complaints'),
    fc.array(
      fc.tuple(
        fc.constantFrom('valid', 'repeat', 'mutated'),
        fc.array(fc.tuple(fc.nat(), hostileCell), { minLength: 1, maxLength: 4 }),
      ),
      { minLength: 1, maxLength: 12 },
    ),
    fc.boolean(),
    fc.nat(),
  )
  .map(([kind, specs, extraColumn, shuffle]) => {
    const cols = [...COLUMNS[kind]];
    // column order is free in the contract
    for (let i = cols.length - 1; i > 0; i--) {
      const j = (shuffle + i * 7) % (i + 1);
      [cols[i], cols[j]] = [cols[j], cols[i]];
    }
    const header = extraColumn ? [...cols, 'notes'] : cols;
    const rows: string[][] = [];
    const validIds: string[] = [];
    for (const [i, [how, mutations]] of specs.entries()) {
      const id = `F${i}`;
      const row = validRow(kind, id);
      if (how === 'mutated') for (const [c, v] of mutations) row[cols[c % cols.length]] = v;
      const cells = header.map((h) => (h === 'notes' ? (mutations[0]?.[1] ?? '') : row[h]));
      rows.push(cells);
      if (how !== 'mutated') validIds.push(id);
      if (how === 'repeat') rows.push(cells);
    }
    return { kind, header, rows, validIds };
  });

function csvText(header: string[], rows: string[][]): string {
  return `${[header, ...rows].map((r) => r.map(quote).join(',')).join('\n')}\n`;
}

/** Windows-1256 bytes of Arabic letters (0xC1–0xD6, 0xD8–0xDF): never valid UTF-8 next to ASCII. */
const win1256Text = fc
  .array(
    fc.integer({ min: 0xc1, max: 0xdf }).filter((b) => b !== 0xd7),
    { minLength: 2, maxLength: 20 },
  )
  .map((bytes) =>
    Buffer.concat([Buffer.from('office_id,name,district\nW1,'), Buffer.from(bytes), Buffer.from(',3\n')]),
  );

const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);

const anyFile: fc.Arbitrary<{ name: string; content: Buffer }> = fc.record({
  name: fc.constantFrom('offices.csv', 'services.csv', 'cases.csv', 'complaints.csv', 'export.csv'),
  content: fc.oneof(
    fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
    fc.string({ unit: 'grapheme', maxLength: 400 }).map((s) => Buffer.from(s)),
    structured.map((s) => utf16(csvText(s.header, s.rows))),
    win1256Text,
    structured.map((s) => Buffer.from(csvText(s.header, s.rows).slice(0, 60))),
  ),
});

let dir: string;
let seed: string;
let runs = 0;

beforeAll(async () => {
  dir = tempDir();
  seed = await seededDbFile(dir);
});
afterAll(cleanup);

async function withSeededDb<T>(fn: (db: Db, work: string) => Promise<T>): Promise<T> {
  const work = join(dir, `run-${++runs}`);
  const db = await Db.open(copyDb(seed, `${work}.duckdb`));
  try {
    return await fn(db, work);
  } finally {
    db.close();
  }
}

async function tableCount(db: Db, kind: Kind): Promise<number> {
  return (await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${kind}`))?.n ?? 0;
}

/**
 * The outcome contract: a clean failure (file named, data identical) or a success where every row read is
 * loaded, updated, unchanged, a duplicate or rejected, and each rejected line is in `rejects` with a reason.
 */
async function checkOutcome(
  db: Db,
  r: ImportReport,
  file: string,
  before: { fp: Record<string, string>; counts: Record<Kind, number> },
): Promise<void> {
  if (r.status === 'failed') {
    expect(r.message).toContain(file);
    expect(await fingerprint(db)).toEqual(before.fp);
    return;
  }
  expect(r.message).toBeNull();
  const [f] = r.files;
  for (const k of ['rows_read', 'inserted', 'updated', 'unchanged', 'duplicates', 'rejected'] as const) {
    expect(f[k], k).toBeGreaterThanOrEqual(0);
  }
  expect(f.rows_read).toBe(f.inserted + f.updated + f.unchanged + f.duplicates + f.rejected);
  const rejected = await db.all<{ line: number; reason: string; n: number }>(
    `SELECT line, reason, count(*)::INTEGER AS n FROM rejects WHERE import_id = $id GROUP BY ALL`,
    { id: r.import_id },
  );
  expect(new Set(rejected.map((x) => x.line)).size).toBe(f.rejected);
  for (const x of rejected) expect(KNOWN_REASONS.has(x.reason), x.reason).toBe(true);
  expect(rejected.reduce((s, x) => s + x.n, 0)).toBe(f.reasons.reduce((s, x) => s + x.count, 0));
  if (f.kind && f.kind in TABLE_KEY) {
    const kind = f.kind as Kind;
    expect(await tableCount(db, kind)).toBe(before.counts[kind] + f.inserted);
  }
}

async function importOne(db: Db, work: string, name: string, content: string | Buffer) {
  const path = join(writeExport(work, { [name]: content }), name);
  const counts = {} as Record<Kind, number>;
  for (const k of Object.keys(TABLE_KEY) as Kind[]) counts[k] = await tableCount(db, k);
  const before = { fp: await fingerprint(db), counts };
  let r: ImportReport;
  try {
    r = await importFiles(db, [path]);
  } catch (err) {
    throw new Error(`importFiles threw instead of reporting: ${(err as Error).stack}`);
  }
  await checkOutcome(db, r, name, before);
  return r;
}

describe('the importer under hostile files', () => {
  it('random bytes, random text, UTF-16, Windows-1256 and cut-off files: clean failure or full account', async () => {
    await fc.assert(
      fc.asyncProperty(anyFile, ({ name, content }) =>
        withSeededDb(async (db, work) => {
          await importOne(db, work, name, content);
        }),
      ),
      { seed: SEED, numRuns: 12 },
    );
  });

  it('well-formed files with hostile cells: every row loaded or rejected with a reason, valid rows kept', async () => {
    await fc.assert(
      fc.asyncProperty(structured, (s) =>
        withSeededDb(async (db, work) => {
          const name = `${s.kind}.csv`;
          const r = await importOne(db, work, name, csvText(s.header, s.rows));
          expect(r.status, r.message ?? '').toBe('ok');
          // counted by construction, independently of the importer's reader
          expect(r.files[0].rows_read).toBe(s.rows.length);
          const key = TABLE_KEY[s.kind];
          const ids = [...new Set(s.validIds)];
          const found = await db.all<{ id: string }>(
            `SELECT ${key} AS id FROM ${s.kind} WHERE list_contains(CAST($ids AS VARCHAR[]), ${key})`,
            { ids: JSON.stringify(ids) },
          );
          expect(found.map((x) => x.id).sort()).toEqual(ids.sort());
        }),
      ),
      { seed: SEED, numRuns: 15 },
    );
  });

  it('UTF-16LE with a BOM fails the file with a message that names it and the encoding', async () => {
    await withSeededDb(async (db, work) => {
      const r = await importOne(db, work, 'offices.csv', utf16('office_id,name,district\nU1,دفتر,3\n'));
      expect(r.status).toBe('failed');
      expect(r.message).toMatch(/offices\.csv: .*UTF-8/);
    });
  });

  it('Windows-1256 text is read as such and said; a Windows-1256 word in a UTF-8 file after 64 KB fails with its line', async () => {
    // 0xCF 0xDD 0xCA 0xD1 is «دفتر» in Windows-1256 (checked with the WHATWG decoder, an independent source)
    const word = Buffer.from([0xcf, 0xdd, 0xca, 0xd1]);
    expect(new TextDecoder('windows-1256').decode(word)).toBe('دفتر');
    await withSeededDb(async (db, work) => {
      const whole = Buffer.concat([Buffer.from('office_id,name,district\nW1,'), word, Buffer.from(',3\n')]);
      const r = await importOne(db, work, 'offices.csv', whole);
      expect(r.status, r.message ?? '').toBe('ok');
      expect(r.files[0]).toMatchObject({ encoding: 'windows-1256', inserted: 1 });
      expect(r.files[0].encoding_note?.en).toMatch(/Not valid UTF-8 \(line 2\): read as Windows-1256/);
      expect(await db.all("SELECT name FROM offices WHERE office_id = 'W1'")).toEqual([{ name: 'دفتر' }]);
    });
    const good = Array.from({ length: 3000 }, (_, i) => `G${i},دفتر ${i},${1 + (i % 22)}`).join('\n');
    const late = Buffer.concat([
      Buffer.from(`office_id,name,district\n${good}\nW1,`),
      word,
      Buffer.from(',3\n'),
    ]);
    expect(late.length).toBeGreaterThan(64 * 1024);
    await withSeededDb(async (db, work) => {
      const r = await importOne(db, work, 'offices.csv', late);
      expect(r.status).toBe('failed');
      expect(r.message).toMatch(/offices\.csv: invalid UTF-8 on line 3002 in a file that is otherwise UTF-8/);
    });
  });

  // Each cell holds 1.5 M two-byte characters: over DuckDB's 2 MB CSV line limit if it reached the staging files.
  const huge = 'ع'.repeat(1_500_000);
  const HUGE: [string, string, string, string][] = [
    ['office name', 'offices.csv', `office_id,name,district\nH1,${huge},3\nH2,دفتر سالم,4\n`, 'H'],
    ['district', 'offices.csv', `office_id,name,district\nH1,x,${huge}\nH2,دفتر سالم,4\n`, 'H'],
    [
      'status word',
      'cases.csv',
      `case_id,office_id,service_code,submitted_at,status\nH1,O1,S1,2023-01-01,${huge}\nH2,O1,S1,2023-01-01,open\n`,
      'H',
    ],
    [
      'date',
      'cases.csv',
      `case_id,office_id,service_code,submitted_at,status\nH1,O1,S1,${huge},open\nH2,O1,S1,2023-01-01,open\n`,
      'H',
    ],
    [
      'case id',
      'cases.csv',
      `case_id,office_id,service_code,submitted_at,status\n${huge},O1,S1,2023-01-01,open\nH2,O1,S1,2023-01-01,open\n`,
      'H',
    ],
  ];

  it.each(HUGE)(
    'a megabyte %s is one rejected row (short excerpt kept), and the other row loads',
    async (_, name, text) => {
      await withSeededDb(async (db, work) => {
        const r = await importOne(db, work, name, text);
        expect(r.status, r.message ?? '').toBe('ok');
        expect(r.files[0]).toMatchObject({ rows_read: 2, inserted: 1, rejected: 1 });
        const kind = name.replace('.csv', '') as Kind;
        const stored = await db.all<{ id: string }>(
          `SELECT ${TABLE_KEY[kind]} AS id FROM ${kind} WHERE ${TABLE_KEY[kind]} IN ('H1', 'H2')`,
        );
        expect(stored).toEqual([{ id: 'H2' }]);
        const sizes = await db.one<{ raw: number; detail: number }>(
          `SELECT max(length(raw_value))::INTEGER AS raw, max(length(detail))::INTEGER AS detail
         FROM rejects WHERE import_id = $id`,
          { id: r.import_id },
        );
        expect(sizes?.raw).toBeLessThanOrEqual(200);
        expect(sizes?.detail).toBeLessThanOrEqual(501);
      });
    },
  );
});

describe('formula injection', () => {
  it('formula-looking office and service names are stored as text, unchanged, and exported neutralised', async () => {
    // the tab-led one is trimmed by the contract's text rule (surrounding whitespace), so it is stored as "=cmd"
    const stored = FORMULAS.map((f) => f.trim());
    await withSeededDb(async (db, work) => {
      const offices = `office_id,name,district\n${FORMULAS.map((f, i) => `X${i},${quote(f)},5`).join('\n')}\n`;
      const services = `service_code,name,category,sla_days\n${FORMULAS.map((f, i) => `Y${i},${quote(f)},fees,3`).join('\n')}\n`;
      const path = writeExport(work, { 'offices.csv': offices, 'services.csv': services });
      const r = await importFiles(db, [path]);
      expect(r.status).toBe('ok');
      expect(r.totals).toMatchObject({ inserted: 2 * FORMULAS.length, rejected: 0 });
      const names = await db.all<{ o: string; s: string }>(
        `SELECT o.name AS o, s.name AS s FROM offices o JOIN services s
           ON s.service_code = 'Y' || substr(o.office_id, 2) WHERE o.office_id LIKE 'X%' ORDER BY o.office_id`,
      );
      expect(names.map((n) => n.o)).toEqual(stored);
      expect(names.map((n) => n.s)).toEqual(stored);

      const csv = toCsv(
        [
          { header: 'office', value: (n: { o: string; s: string }) => n.o },
          { header: 'service', value: (n: { o: string; s: string }) => n.s },
        ],
        names,
      );
      const back: string[][] = parse(csv, { bom: true, relax_column_count: false });
      for (const [o, s] of back.slice(1)) {
        expect(o.startsWith("'")).toBe(true);
        expect(s.startsWith("'")).toBe(true);
      }
      expect(back.slice(1).map(([o]) => o.slice(1))).toEqual(stored);
    });
  });

  it('toCsv: any text starting with = + - @ TAB or CR comes back guarded by one quote mark; all else unchanged', () => {
    const risky = fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string({ unit: 'grapheme' }));
    const text = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      risky.map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 5 }), (rows) => {
        const csv = toCsv(
          [
            { header: 'a', value: (r: [string, string]) => r[0] },
            { header: 'b', value: (r: [string, string]) => r[1] },
          ],
          rows,
        );
        const back: string[][] = parse(csv, { bom: true });
        expect(back[0]).toEqual(['a', 'b']);
        expect(back.length).toBe(rows.length + 1);
        for (const [i, row] of rows.entries()) {
          for (const [j, original] of row.entries()) {
            const out = back[i + 1][j];
            // the independent rule (OWASP CSV injection): a dangerous first character means a leading '
            const dangerous = /^[=+\-@\t\r]/.test(original);
            expect(out).toBe(dangerous ? `'${original}` : original);
            expect(/^[=+\-@\t\r]/.test(out)).toBe(false);
          }
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('numbers stay numbers (a negative z-score is not a formula)', () => {
    expect(csvCell(-2.3)).toBe('-2.3');
    expect(csvCell('-2.3')).toBe("'-2.3");
  });
});
