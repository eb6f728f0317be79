/**
 * The SQL date parser (api/import/sql-dates.ts) against the TypeScript one (api/lib/dates.ts parseTimestamp), which
 * the API's filters keep using: the same instant, the same "has a time", the same reason and message, on 100,000
 * random strings of every shape the contract accepts or rejects — ISO and Solar Hijri dates in Latin, Persian and
 * Arabic-Indic digits, times with seconds, fractions, AM/PM and offsets, the daylight-saving years before 2022 and
 * the hours the clocks skipped or repeated, 29/30 Esfand in leap and common years, NN/NN/YYYY with and without a
 * declared order, other time zones, and garbage.
 */
import { DuckDBInstance, VARCHAR } from '@duckdb/node-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyLayers,
  dateFlagColumns,
  dateKeyTable,
  installDateSql,
  keyedDateLayers,
} from '../../api/import/sql-dates.ts';
import { type DateOrder, type ParseOptions, parseTimestamp } from '../../api/lib/dates.ts';
import { jalaliMonthLength } from '../../api/lib/jalali.ts';

const SEED = 1401_05_02;

const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC = '٠١٢٣٤٥٦٧٨٩';
const script = (s: string, digits: string) => s.replace(/[0-9]/g, (d) => digits[Number(d)]);
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

const digitsOf = fc.constantFrom('', '', '', PERSIAN, ARABIC);
const spaces = fc.constantFrom('', '', ' ', '  ', '\t', '\u00a0', '\n', '\u2009');

const timeText = fc
  .tuple(
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.option(fc.integer({ min: 0, max: 61 })),
    fc.option(fc.stringMatching(/^[.,][0-9]{1,10}$/)),
    fc.option(fc.constantFrom(' AM', 'PM', ' p.m.', ' a.M', 'pm.', ' Am')),
    fc.option(
      fc.constantFrom('Z', '+04:30', '+0330', '-05:00', '+14', '+15:00', '-0459', '+03:75', ' +02:00'),
    ),
    fc.boolean(),
  )
  .map(([h, mi, s, frac, ap, off, short]) => {
    let t = `${short ? String(h) : pad(h)}:${pad(mi)}`;
    if (s !== null) t += `:${pad(s)}${frac ?? ''}`;
    return t + (ap ?? '') + (off ?? '');
  });

/** Tehran's clock changes (tzdata: 00:00 → 01:00 around 21/22 March, 24:00 → 23:00 around 21/22 September). */
const dstEdge = fc
  .tuple(
    fc.integer({ min: 1977, max: 2024 }),
    fc.constantFrom([3, 20], [3, 21], [3, 22], [3, 23], [9, 20], [9, 21], [9, 22], [9, 23]),
    fc.integer({ min: 0, max: 23 }),
    fc.constantFrom(0, 15, 30, 59),
  )
  .map(([y, [m, d], h, mi]) => `${y}-${pad(m)}-${pad(d)} ${pad(h)}:${pad(mi)}`);

/** 29 and 30 Esfand, and the first and last days of months, in leap and common years. */
const jalaliEdge = fc
  .tuple(
    fc.integer({ min: 1300, max: 1500 }),
    fc.constantFrom(1, 6, 7, 11, 12, 12, 12),
    fc.constantFrom(1, 29, 30, 31, 32),
    fc.constantFrom('/', '-'),
    fc.option(timeText),
  )
  .map(([y, m, d, sep, t]) => `${y}${sep}${pad(m)}${sep}${pad(d)}${t ? ` ${t}` : ''}`);

const isoLike = fc
  .tuple(
    fc.oneof(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 0, max: 9999 })),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.constantFrom('-', '/', '.'),
    fc.boolean(),
    fc.option(timeText),
    fc.constantFrom('T', ' ', '  ', '\t'),
  )
  .map(([y, m, d, sep, short, t, tsep]) => {
    const ds = short ? `${pad(y, 4)}${sep}${m}${sep}${d}` : `${pad(y, 4)}${sep}${pad(m)}${sep}${pad(d)}`;
    return t ? `${ds}${tsep}${t}` : ds;
  });

const yearLast = fc
  .tuple(
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: 0, max: 40 }),
    fc.oneof(fc.integer({ min: 1990, max: 2030 }), fc.integer({ min: 0, max: 9999 })),
    fc.constantFrom('/', '.', '-'),
    fc.option(timeText),
  )
  .map(([a, b, y, sep, t]) => `${a}${sep}${b}${sep}${pad(y, 4)}${t ? ` ${t}` : ''}`);

const garbage = fc.oneof(
  fc.string({ maxLength: 25 }),
  fc.string({ unit: 'grapheme', maxLength: 90 }),
  fc.constantFrom(
    '',
    ' ',
    '\u00a0',
    'null',
    '2022-07-24T',
    '2022-07-24 ',
    '۱۴۰۱/۰۵/۰۲',
    '1401/5/2',
    '٢٠٢٢-٠٧-٢٤',
  ),
  fc.string({ unit: fc.constantFrom(...'0123456789-/: T.+Z۰۱۴٠٢'), maxLength: 24 }),
);

const anyDate = fc
  .tuple(
    fc.oneof(
      { arbitrary: isoLike, weight: 4 },
      { arbitrary: jalaliEdge, weight: 3 },
      { arbitrary: dstEdge, weight: 2 },
      { arbitrary: yearLast, weight: 1 },
      { arbitrary: garbage, weight: 2 },
    ),
    digitsOf,
    spaces,
    spaces,
  )
  .map(([s, digits, before, after]) => before + (digits ? script(s, digits) : s) + after);

interface SqlResult {
  ms: number | null;
  ht: boolean | null;
  e: string | null;
  reason: string | null;
}

async function sqlParse(inputs: string[], opts: ParseOptions): Promise<SqlResult[]> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const c = await instance.connect();
  try {
    await c.run("SET TimeZone = 'Asia/Tehran'");
    await installDateSql(c, opts.timeZone ?? 'Asia/Tehran');
    await c.run('CREATE TABLE inp (i INTEGER, s VARCHAR)');
    const app = await c.createAppender('inp');
    for (const [i, s] of inputs.entries()) {
      app.appendInteger(i);
      app.appendValue(s, VARCHAR);
      app.endRow();
    }
    app.closeSync();
    // the import's path: each cell's shape flags stored with it, date parts parsed once per distinct value,
    // then joined to each row
    await c.run(
      `CREATE TABLE cells AS SELECT *, ${dateFlagColumns('x').join(', ')} FROM (SELECT i, s AS x__r FROM inp)`,
    );
    await c.run(dateKeyTable('keys', 'x', 'cells', { order: opts.order }));
    const sql = applyLayers('SELECT * FROM cells', [keyedDateLayers('x', 'keys')]);
    const reader = await c.runAndReadAll(
      `SELECT x__ms::DOUBLE AS ms, x__ht AS ht, x__e AS e, x__reason AS reason FROM (${sql}) ORDER BY i`,
    );
    return reader.getRowObjectsJson() as unknown as SqlResult[];
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

function tsParse(s: string, opts: ParseOptions): SqlResult {
  const p = parseTimestamp(s, opts);
  return p.ok
    ? { ms: p.ms, ht: p.hasTime, e: null, reason: null }
    : { ms: null, ht: null, e: p.message, reason: p.reason };
}

/** Strings DuckDB can hold: no lone surrogates. */
const wellFormed = (s: string) =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

async function compare(inputs: string[], opts: ParseOptions): Promise<void> {
  const sql = await sqlParse(inputs, opts);
  const mismatches: string[] = [];
  for (const [i, s] of inputs.entries()) {
    const want = tsParse(s, opts);
    if (JSON.stringify(sql[i]) !== JSON.stringify(want)) {
      mismatches.push(`${JSON.stringify(s)}: sql ${JSON.stringify(sql[i])} ts ${JSON.stringify(want)}`);
    }
  }
  expect(mismatches.slice(0, 10), `${mismatches.length} of ${inputs.length} differ`).toEqual([]);
}

const sample = (n: number, seed: number) => fc.sample(anyDate, { numRuns: n, seed }).filter(wellFormed);

describe('SQL date parser = parseTimestamp', () => {
  it('100,000 random strings, Tehran time, no declared order', async () => {
    await compare(sample(100_000, SEED), {});
  }, 120_000);

  it.each<[string, ParseOptions]>([
    ['mdy', { order: 'mdy' }],
    ['dmy', { order: 'dmy' }],
    ['mdy, America/New_York', { order: 'mdy' as DateOrder, timeZone: 'America/New_York' }],
    ['Europe/London', { timeZone: 'Europe/London' }],
  ])(
    '5,000 random strings, %s',
    async (_, opts) => {
      await compare(sample(5_000, SEED + 1), opts);
    },
    60_000,
  );

  it('times with a fraction of a second, with and without an offset (event logs), in every digit system', async () => {
    // the keyed path cuts these at fixed places (the date part a key, the fraction and offset per row)
    const inputs: string[] = [];
    for (const frac of ['.5', '.546', ',25', '.000', '.9995', '.99999', '.123456789', '.1234567890']) {
      for (const off of ['', 'Z', '+02:00', '+0330', '-05:00', '+03:75']) {
        for (const base of [
          '2011-10-01T00:38:44',
          '2011-10-01 23:59:59',
          '1390/07/09 10:03:00',
          '2022-03-22T00:30:00',
          // .99999 rounds up to the next midnight: a Tehran clock change (2021-03-22 00:00 → 01:00, 1400/06/31
          // 00:00 → 1400/06/30 23:00), and Amsterdam's 2021-03-28 02:00
          '2021-03-21 23:59:59',
          '1400/06/30 23:59:59',
          '2021-03-28 01:59:59',
        ]) {
          if (off !== '' && base.includes('/')) continue;
          const s = `${base}${frac}${off}`;
          inputs.push(s, script(s, PERSIAN), script(s, ARABIC));
        }
      }
    }
    await compare(inputs, {});
    await compare(inputs, { timeZone: 'Europe/Amsterdam' });
    // hand-checked: BPIC 2012's first event, 00:38:44.546 at +02:00
    const [first] = await sqlParse(['2011-10-01T00:38:44.546+02:00'], {});
    expect(first.ms).toBe(Date.UTC(2011, 8, 30, 22, 38, 44, 546));
  }, 60_000);

  it('every local half-hour of every Tehran clock-change day, 1977–2022', async () => {
    const inputs: string[] = [];
    for (let y = 1977; y <= 2022; y++) {
      for (const [m, d0] of [
        [3, 19],
        [9, 19],
      ]) {
        for (let d = d0; d <= d0 + 4; d++) {
          for (let h = 0; h < 24; h++)
            for (const mi of [0, 29, 30, 59]) inputs.push(`${y}-${pad(m)}-${pad(d)} ${pad(h)}:${pad(mi)}`);
        }
      }
    }
    await compare(inputs, {});
  }, 60_000);

  it('every day of Jalali years 1300–1500 (and the day after each month), with the reference calendar', async () => {
    const inputs: string[] = [];
    for (let y = 1300; y <= 1500; y++) {
      for (let m = 1; m <= 12; m++) {
        for (let d = 1; d <= jalaliMonthLength(y, m) + 1; d++) inputs.push(`${y}/${pad(m)}/${pad(d)}`);
      }
    }
    await compare(inputs, {});
    // a hand-checked anchor (independent of both parsers): 1 Farvardin 1403 was Wednesday 20 March 2024
    const [anchor] = await sqlParse(['۱۴۰۳/۰۱/۰۱ 12:00Z'], {});
    expect(anchor.ms).toBe(Date.UTC(2024, 2, 20, 12));
  }, 60_000);
});
