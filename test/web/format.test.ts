import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDays,
  formatMonth,
  formatNumber,
  formatP,
  formatPClause,
  formatPercent,
  localDigits,
} from '../../web/lib/format.ts';

describe('numbers', () => {
  it('uses Persian digits and separators in Persian', () => {
    // Persian: ٬ (U+066C) groups thousands, ٫ (U+066B) is the decimal separator
    expect(formatNumber(1234567, 'fa')).toBe('۱٬۲۳۴٬۵۶۷');
    expect(formatDays(12.345, 'fa')).toBe('۱۲٫۳');
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatDays(12.345, 'en')).toBe('12.3');
  });

  it('shows missing values as a dash', () => {
    expect(formatNumber(null, 'fa')).toBe('—');
    expect(formatPercent(undefined, 'en')).toBe('—');
  });

  it('formats shares as percentages', () => {
    expect(formatPercent(0.1234, 'en')).toBe('12.3%');
    expect(formatPercent(0.1234, 'fa')).toBe('۱۲٫۳٪');
  });

  it('floors tiny p-values and keeps the relation with the number', () => {
    expect(formatP(1e-12, 'en')).toBe('< 0.001');
    expect(formatP(0.0312, 'en')).toBe('0.031');
    expect(formatPClause('p', 1e-9, 'en')).toBe('p < 0.001');
    expect(formatPClause('p', 0.2, 'en')).toBe('p = 0.200');
  });

  it('localises digits only in Persian', () => {
    expect(localDigits('1402/07/01', 'fa')).toBe('۱۴۰۲/۰۷/۰۱');
    expect(localDigits(22, 'en')).toBe('22');
  });
});

describe('dates', () => {
  it('shows the Tehran-local day, Solar Hijri in Persian', () => {
    // 2023-09-22T21:00Z is 00:30 on 23 Sep in Tehran (UTC+03:30, no DST in 2023) = 1 Mehr 1402
    expect(formatDate('2023-09-22T21:00:00Z', 'fa')).toBe('۱۴۰۲/۰۷/۰۱');
    expect(formatDate('2023-09-22T21:00:00Z', 'en')).toBe('2023-09-23');
    expect(formatDate(null, 'en')).toBe('—');
  });

  it('names months in either calendar', () => {
    expect(formatMonth('1402-07', 'jalali', 'fa')).toBe('مهر ۱۴۰۲');
    expect(formatMonth('1402-01', 'jalali', 'en')).toBe('Farvardin 1402');
    expect(formatMonth('2023-10', 'gregorian', 'en')).toBe('Oct 2023');
    expect(formatMonth('2023-10', 'gregorian', 'fa')).toBe('اکتبر ۲۰۲۳');
    expect(formatMonth('weird', 'jalali', 'fa')).toBe('weird');
  });
});
