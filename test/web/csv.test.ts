import { describe, expect, it } from 'vitest';
import { csvCell, csvFileName, toCsv } from '../../web/lib/csv.ts';

describe('CSV export', () => {
  it('starts with a UTF-8 BOM and uses CRLF rows', () => {
    const csv = toCsv(
      [
        { header: 'منطقه', value: (r: { d: number; m: number | null }) => r.d },
        { header: 'میانه', value: (r) => r.m },
      ],
      [
        { d: 7, m: 12.5 },
        { d: 1, m: null },
      ],
    );
    expect(csv).toBe('\uFEFFمنطقه,میانه\r\n7,12.5\r\n1,\r\n');
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('neutralises formula injection in text cells', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
  });

  it('keeps numbers numeric, negatives included', () => {
    expect(csvCell(-2.5)).toBe('-2.5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(undefined)).toBe('');
  });

  it('names files safely', () => {
    expect(csvFileName('office funnel/طرح', new Date('2024-03-20T10:00:00Z'))).toBe(
      'shafaf-office-funnel-2024-03-20.csv',
    );
  });
});
