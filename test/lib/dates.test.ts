/**
 * api/lib/dates.ts, jalali.ts and text.ts against independent sources: ICU's Persian calendar day by day, published
 * date pairs, and Iran's UTC offsets (+04:30 in summer until 2022, +03:30 otherwise).
 */
import { describe, expect, it } from 'vitest';
import { parseTimestamp, zonedLocalToUtcMs } from '../../api/lib/dates.ts';
import { gregorianToJalali, isValidJalali, jalaliToGregorian } from '../../api/lib/jalali.ts';
import { normalizeId, normalizeText } from '../../api/lib/text.ts';

const icu = new Intl.DateTimeFormat('en-u-ca-persian', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

function icuJalali(ms: number): [number, number, number] {
  const p: Record<string, number> = {};
  for (const part of icu.formatToParts(new Date(ms))) {
    if (part.type === 'year' || part.type === 'month' || part.type === 'day')
      p[part.type] = Number.parseInt(part.value, 10);
  }
  return [p.year, p.month, p.day];
}

const iso = (raw: string, opts = {}) => {
  const r = parseTimestamp(raw, opts);
  return r.ok ? new Date(r.ms).toISOString() : r.reason;
};

describe('Jalali conversion', () => {
  it('agrees with ICU for every day 1990-01-01 … 2040-12-31, both ways', () => {
    const day = 86_400_000;
    let bad = 0;
    for (let ms = Date.UTC(1990, 0, 1); ms <= Date.UTC(2040, 11, 31); ms += day) {
      const d = new Date(ms);
      const g: [number, number, number] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
      const j = icuJalali(ms);
      const toJ = gregorianToJalali(...g);
      const toG = jalaliToGregorian(...j);
      if (toJ.join('/') !== j.join('/') || toG.join('-') !== g.join('-')) bad++;
    }
    expect(bad).toBe(0);
  });

  it('matches published pairs and month ends', () => {
    expect(jalaliToGregorian(1401, 5, 2)).toEqual([2022, 7, 24]);
    expect(jalaliToGregorian(1400, 1, 1)).toEqual([2021, 3, 21]);
    expect(jalaliToGregorian(1402, 1, 1)).toEqual([2023, 3, 21]);
    expect(jalaliToGregorian(1403, 12, 30)).toEqual([2025, 3, 20]);
    expect(isValidJalali(1403, 12, 30)).toBe(true); // 1403 is a leap year
    expect(isValidJalali(1402, 12, 30)).toBe(false);
    expect(isValidJalali(1403, 13, 1)).toBe(false);
    expect(isValidJalali(1403, 7, 31)).toBe(false); // months 7–11 have 30 days
  });
});

describe('parseTimestamp', () => {
  it('reads the contract forms in Latin, Persian and Arabic-Indic digits', () => {
    // 1401/05/02 10:03 Tehran = 2022-07-24 10:03 at +04:30 = 05:33Z
    const expected = '2022-07-24T05:33:00.000Z';
    for (const raw of [
      '1401/05/02 10:03',
      '1401-05-02 10:03',
      '۱۴۰۱/۰۵/۰۲ ۱۰:۰۳',
      '١٤٠١/٠٥/٠٢ ١٠:٠٣',
      '2022-07-24 10:03',
      '2022-07-24T10:03:00',
      '2022-07-24T10:03:00+04:30',
      '2022-07-24T05:33:00Z',
      ' 2022-07-24 10:03:00 ',
    ]) {
      expect(iso(raw), raw).toBe(expected);
    }
    expect(iso('1401/05/02')).toBe('2022-07-23T19:30:00.000Z');
  });

  it('rejects dates that do not exist and forms it does not know', () => {
    for (const raw of [
      '1403/13/40',
      '2024-02-30',
      '1403/07/32',
      '1402/12/30',
      '2023-02-29',
      '2022-07-24 24:00',
    ]) {
      expect(iso(raw), raw).toBe('invalid_date');
    }
    for (const raw of ['24/07/2022', 'yesterday', '2022-7', '07/24/2022'])
      expect(iso(raw), raw).toBe('format');
    expect(iso('')).toBe('empty');
  });

  it('knows Tehran daylight saving before 2022 and its absence after', () => {
    expect(iso('2021-07-01 10:00')).toBe('2021-07-01T05:30:00.000Z'); // +04:30
    expect(iso('2023-07-01 10:00')).toBe('2023-07-01T06:30:00.000Z'); // +03:30
    expect(iso('2022-01-15 10:00')).toBe('2022-01-15T06:30:00.000Z'); // winter +03:30
    // 2022-09-22 00:00 the clocks went back: 2022-09-21 23:30 still +04:30
    expect(iso('2022-09-21 23:30')).toBe('2022-09-21T19:00:00.000Z');
    expect(iso('2022-09-22 12:00')).toBe('2022-09-22T08:30:00.000Z');
  });

  it('reads US dates only with a declared order, and other zones when given', () => {
    expect(iso('05/01/2022 12:00:03 AM', { order: 'mdy', timeZone: 'America/New_York' })).toBe(
      '2022-05-01T04:00:03.000Z',
    );
    expect(iso('05/01/2022 01:30:00 PM', { order: 'mdy', timeZone: 'America/New_York' })).toBe(
      '2022-05-01T17:30:00.000Z',
    );
    expect(iso('05/01/2022 10:00', { order: 'dmy', timeZone: 'Europe/London' })).toBe(
      '2022-01-05T10:00:00.000Z',
    );
    expect(iso('2024-04-16T03:03:15.000', { timeZone: 'America/New_York' })).toBe('2024-04-16T07:03:15.000Z');
    expect(iso('2024-01-16T03:03:15.250', { timeZone: 'America/New_York' })).toBe('2024-01-16T08:03:15.250Z');
    // a New York wall-clock time skipped by spring-forward (02:30 on 2024-03-10) reads as if before the jump
    expect(new Date(zonedLocalToUtcMs('America/New_York', 2024, 3, 10, 2, 30)).toISOString()).toBe(
      '2024-03-10T07:30:00.000Z',
    );
  });

  it('the quick path and the general path agree', () => {
    for (const [a, b] of [
      ['2021-03-22 01:30', '2021-03-22T01:30:00+04:30'],
      // 00:30 did not exist that night (00:00 → 01:00): read as if the clock had not jumped yet, at +03:30
      ['2021-03-22 00:30', '2021-03-22T00:30:00+03:30'],
      // 1399/06/31 = 2020-09-21: summer time had ended at its start (tzdata: Rule Iran 2020 Sep 20 24:00)
      ['1399/06/31 23:59:59', '2020-09-21T23:59:59+03:30'],
      ['1399/06/30 12:00', '2020-09-20T12:00:00+04:30'],
      ['1400/06/31 12:00', '2021-09-22T12:00:00+03:30'],
    ]) {
      expect(iso(a), a).toBe(iso(b));
    }
  });
});

describe('text normalisation', () => {
  it('folds Arabic letters, trims and collapses spaces, keeps ZWNJ consistent', () => {
    expect(normalizeText('كيك')).toBe('کیک');
    expect(normalizeText('  دفتر   يك \n')).toBe('دفتر یک');
    expect(normalizeText('می\u200Cخواهم')).toBe(normalizeText('می \u200C خواهم'));
    expect(normalizeText('می\u200D\u200Cخواهم')).toBe('می\u200Cخواهم');
    expect(normalizeText('\u200Cنام\u200C')).toBe('نام');
    expect(normalizeText('\u202Bمتن\u202C')).toBe('متن');
    expect(normalizeId(' ۱۲۳٤ ')).toBe('1234');
    expect(normalizeText('Plain ASCII id')).toBe('Plain ASCII id');
  });
});
