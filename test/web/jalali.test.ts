import { describe, expect, it } from 'vitest';
import {
  isLeapJalaliYear,
  isoToJalali,
  jalaliMonthLength,
  parseDateInput,
  toGregorian,
  toJalali,
} from '../../web/lib/jalali.ts';

/** Second, independent implementation: ICU's Persian calendar through Intl. */
const ICU = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

function icuJalali(d: Date): { jy: number; jm: number; jd: number } {
  const parts = ICU.formatToParts(d);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { jy: get('year'), jm: get('month'), jd: get('day') };
}

describe('Jalali ↔ Gregorian', () => {
  it('agrees with ICU on every day from 2000 to 2030', () => {
    const start = Date.UTC(2000, 0, 1);
    const end = Date.UTC(2030, 11, 31);
    let mismatches = 0;
    for (let t = start; t <= end; t += 86_400_000) {
      const d = new Date(t);
      const mine = toJalali(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
      const icu = icuJalali(d);
      if (mine.jy !== icu.jy || mine.jm !== icu.jm || mine.jd !== icu.jd) mismatches++;
      const back = toGregorian(mine.jy, mine.jm, mine.jd);
      expect([back.gy, back.gm, back.gd]).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]);
    }
    expect(mismatches).toBe(0);
  });

  it('knows published Nowruz dates and leap years', () => {
    // Nowruz (1 Farvardin): 1402 → 21 March 2023, 1403 → 20 March 2024, 1404 → 21 March 2025
    expect(toGregorian(1402, 1, 1)).toEqual({ gy: 2023, gm: 3, gd: 21 });
    expect(toGregorian(1403, 1, 1)).toEqual({ gy: 2024, gm: 3, gd: 20 });
    expect(toGregorian(1404, 1, 1)).toEqual({ gy: 2025, gm: 3, gd: 21 });
    // 1399 and 1403 have an Esfand 30; 1402 does not
    expect(isLeapJalaliYear(1399)).toBe(true);
    expect(isLeapJalaliYear(1403)).toBe(true);
    expect(isLeapJalaliYear(1402)).toBe(false);
    expect(jalaliMonthLength(1402, 12)).toBe(29);
    expect(jalaliMonthLength(1403, 12)).toBe(30);
    expect(jalaliMonthLength(1402, 6)).toBe(31);
    expect(jalaliMonthLength(1402, 7)).toBe(30);
  });

  it('formats ISO days as Jalali', () => {
    expect(isoToJalali('2023-09-23')).toBe('1402/07/01');
    expect(isoToJalali('not a date')).toBeNull();
  });
});

describe('parseDateInput (the picker box)', () => {
  it('reads Jalali in Latin, Persian and Arabic-Indic digits, with / or -', () => {
    expect(parseDateInput('1402/07/01')).toEqual({ ok: true, iso: '2023-09-23' });
    expect(parseDateInput('۱۴۰۲/۰۷/۰۱')).toEqual({ ok: true, iso: '2023-09-23' });
    expect(parseDateInput('١٤٠٢-٧-١')).toEqual({ ok: true, iso: '2023-09-23' });
    expect(parseDateInput(' 1403/12/30 ')).toEqual({ ok: true, iso: '2025-03-20' });
  });

  it('passes ISO Gregorian days through', () => {
    expect(parseDateInput('2024-01-31')).toEqual({ ok: true, iso: '2024-01-31' });
  });

  it('says what is wrong', () => {
    expect(parseDateInput('yesterday')).toEqual({ ok: false, reason: 'format' });
    expect(parseDateInput('1402/13/01')).toEqual({ ok: false, reason: 'month' });
    expect(parseDateInput('1402/12/30')).toEqual({ ok: false, reason: 'day' });
    expect(parseDateInput('1402/07/31')).toEqual({ ok: false, reason: 'day' });
    expect(parseDateInput('2023-02-29')).toEqual({ ok: false, reason: 'day' });
    expect(parseDateInput('1250/01/01')).toEqual({ ok: false, reason: 'year' });
  });
});
