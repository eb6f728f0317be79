/**
 * The SQL text rules (api/import/sql-text.ts) against api/lib/text.ts, which the rest of the app keeps using:
 * normalizeText and normalizeId give the same string on random text made of the characters the rules touch
 * (Arabic and Persian letters and digits, ZWNJ, ZWJ, ¬, bidi marks, BOM, soft hyphens, JavaScript's white space),
 * and the cell reading (trim only when an end is a control character or space) is validate.ts's.
 */
import { DuckDBInstance, VARCHAR } from '@duckdb/node-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { installDateSql } from '../../api/import/sql-dates.ts';
import { installTextSql } from '../../api/import/sql-text.ts';
import { normalizeId, normalizeText } from '../../api/lib/text.ts';

const CHARS = [
  ...'abc XYZ019-_/.,',
  ...'یيىکكه‌۰۱۹٠١٩',
  '\u200C',
  '\u200D',
  '\u00AC',
  '\u200E',
  '\u200F',
  '\u202B',
  '\u2067',
  '\uFEFF',
  '\u00AD',
  '\u00A0',
  '\t',
  '\n',
  '\r',
  '\u2009',
  '\u3000',
  'e\u0301',
  '\u00E9',
];
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

describe('SQL text rules = api/lib/text.ts', () => {
  it('normalizeText, normalizeId and the cell trim on 20,000 random strings', async () => {
    const inputs = fc.sample(text, { numRuns: 20_000, seed: 1402 });
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const c = await instance.connect();
    try {
      await c.run("SET TimeZone = 'Asia/Tehran'");
      await installDateSql(c);
      await installTextSql(c);
      await c.run('CREATE TABLE inp (i INTEGER, s VARCHAR)');
      const app = await c.createAppender('inp');
      for (const [i, s] of inputs.entries()) {
        app.appendInteger(i);
        app.appendValue(s, VARCHAR);
        app.endRow();
      }
      app.closeSync();
      const rows = (
        await c.runAndReadAll(
          // prefixed: the conversion to a JavaScript string would drop a leading BOM
          "SELECT '|' || sh_norm_text(s) AS t, '|' || sh_norm_id(s) AS d, '|' || sh_cell(s) AS c FROM inp ORDER BY i",
        )
      ).getRowObjectsJson() as { t: string; d: string; c: string | null }[];
      const bad: string[] = [];
      for (const [i, s] of inputs.entries()) {
        // validate.ts's cell: empty → null; trimmed only when an end is a control character or space
        const t = s === '' ? '' : s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32 ? s.trim() : s;
        const want = { t: `|${normalizeText(s)}`, d: `|${normalizeId(s)}`, c: t === '' ? null : `|${t}` };
        if (JSON.stringify(rows[i]) !== JSON.stringify(want)) {
          bad.push(`${JSON.stringify(s)}: sql ${JSON.stringify(rows[i])} ts ${JSON.stringify(want)}`);
        }
      }
      expect(bad.slice(0, 10), `${bad.length} differ`).toEqual([]);
    } finally {
      c.closeSync();
      instance.closeSync();
    }
  }, 60_000);
});
