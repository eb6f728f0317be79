/**
 * Month-grid construction for the date picker. Expected values are published calendar facts,
 * written here by hand, not the code's output:
 * - Nowruz (1 Farvardin) 1402 = Tuesday 21 March 2023; 1403 = Wednesday 20 March 2024;
 *   1404 = Friday 21 March 2025 (Iran's official calendar).
 * - 1403 is a leap year (Esfand has 30 days, 30 Esfand 1403 = 20 March 2025); 1402 is not (29 days).
 *   So 1 Esfand 1402 = 20 March 2024 − 29 days = 20 February 2024 (a Tuesday),
 *   and 1 Esfand 1403 = 21 March 2025 − 30 days = 19 February 2025 (a Wednesday).
 * - 1 Mehr 1402 = Saturday 23 September 2023 (the school year's first day).
 * - 1 March 2024 was a Friday; 2024 is a Gregorian leap year.
 */
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  monthGrid,
  moveFor,
  rangeRole,
  tehranDay,
  weekdayColumns,
  withYear,
  yearChoices,
} from '../../web/lib/calendar.ts';

const days = (grid: ReturnType<typeof monthGrid>) => grid.flat().filter((c) => c !== null);
/** Column (0-based) of the first day and row count. */
const shape = (grid: ReturnType<typeof monthGrid>) => ({
  firstColumn: grid[0].findIndex((c) => c !== null),
  rows: grid.length,
});

describe('Solar Hijri month grid (Saturday-first week)', () => {
  it('starts the week on Saturday and ends it on Friday', () => {
    // JavaScript weekdays: 6 = Saturday … 5 = Friday.
    expect(weekdayColumns('jalali')).toEqual([6, 0, 1, 2, 3, 4, 5]);
  });

  it('puts 1 Farvardin 1403 (Wednesday 2024-03-20) in the 5th column', () => {
    const grid = monthGrid('jalali', 1403, 1);
    // ش ی د س چ → Wednesday (چهارشنبه) is the fifth column.
    expect(shape(grid).firstColumn).toBe(4);
    expect(grid[0][4]).toMatchObject({ iso: '2024-03-20', day: 1, weekday: 3, weekend: false });
    // 4 blanks + 31 days = 35 cells = 5 weeks.
    expect(shape(grid).rows).toBe(5);
    expect(days(grid)).toHaveLength(31);
    expect(days(grid).at(-1)?.iso).toBe('2024-04-19'); // 31 Farvardin = 20 March + 30 days
  });

  it('gives Esfand 1402 29 days and Esfand 1403 30 days', () => {
    const e1402 = monthGrid('jalali', 1402, 12);
    expect(days(e1402)).toHaveLength(29);
    expect(days(e1402)[0].iso).toBe('2024-02-20');
    expect(shape(e1402).firstColumn).toBe(3); // Tuesday: ش ی د س
    expect(days(e1402).at(-1)?.iso).toBe('2024-03-19'); // the eve of Nowruz 1403

    const e1403 = monthGrid('jalali', 1403, 12);
    expect(days(e1403)).toHaveLength(30);
    expect(days(e1403)[0].iso).toBe('2025-02-19');
    expect(shape(e1403).firstColumn).toBe(4); // Wednesday
    expect(days(e1403).at(-1)?.iso).toBe('2025-03-20');
  });

  it('fills the first column when the month starts on Saturday (1 Mehr 1402)', () => {
    const grid = monthGrid('jalali', 1402, 7);
    expect(grid[0][0]).toMatchObject({ iso: '2023-09-23', day: 1, weekday: 6 });
    expect(days(grid)).toHaveLength(30); // months 7–11 have 30 days
    expect(shape(grid).rows).toBe(5);
  });

  it('marks Friday, the last column, as the weekend', () => {
    const grid = monthGrid('jalali', 1404, 1);
    // Nowruz 1404 is a Friday: first day in the last column, alone in its week.
    expect(shape(grid).firstColumn).toBe(6);
    expect(grid[0][6]).toMatchObject({ iso: '2025-03-21', weekend: true });
    for (const week of grid) {
      week.forEach((c, col) => {
        if (c) expect(c.weekend).toBe(col === 6);
      });
    }
    // 6 blanks + 31 days = 37 cells → 6 weeks.
    expect(shape(grid).rows).toBe(6);
  });

  it('runs consecutive days with no gaps or repeats across a year', () => {
    // Independent walk: every Jalali month of 1403 laid end to end must cover 2024-03-20 … 2025-03-20.
    let expected = Date.UTC(2024, 2, 20);
    for (let m = 1; m <= 12; m++) {
      for (const c of days(monthGrid('jalali', 1403, m))) {
        expect(c.iso).toBe(new Date(expected).toISOString().slice(0, 10));
        expected += 86_400_000;
      }
    }
    expect(new Date(expected).toISOString().slice(0, 10)).toBe('2025-03-21');
  });
});

describe('Gregorian month grid (Monday-first week)', () => {
  it('starts on Monday and lays out March 2024 from Friday the 1st', () => {
    expect(weekdayColumns('gregorian')).toEqual([1, 2, 3, 4, 5, 6, 0]);
    const grid = monthGrid('gregorian', 2024, 3);
    expect(shape(grid)).toEqual({ firstColumn: 4, rows: 5 });
    expect(days(grid)).toHaveLength(31);
  });

  it('knows February 2024 has 29 days and February 2023 28', () => {
    expect(days(monthGrid('gregorian', 2024, 2))).toHaveLength(29);
    expect(days(monthGrid('gregorian', 2023, 2))).toHaveLength(28);
  });
});

describe('moving the focused day', () => {
  it('reads arrows by direction: in a right-to-left grid the left arrow is the next day', () => {
    const rtl = { cal: 'jalali' as const, rtl: true };
    const ltr = { cal: 'gregorian' as const, rtl: false };
    expect(moveFor('ArrowLeft', rtl, '2024-03-20')).toBe('2024-03-21');
    expect(moveFor('ArrowRight', rtl, '2024-03-20')).toBe('2024-03-19');
    expect(moveFor('ArrowRight', ltr, '2024-03-20')).toBe('2024-03-21');
    expect(moveFor('ArrowDown', ltr, '2024-02-26')).toBe('2024-03-04');
    expect(moveFor('ArrowUp', rtl, '2024-03-01')).toBe('2024-02-23');
    expect(moveFor('Enter', rtl, '2024-03-01')).toBeNull();
  });

  it('moves by month in the shown calendar, clamping the day', () => {
    // 31 Shahrivar 1402 (2023-09-22) + 1 month → 30 Mehr 1402 = 23 Sep + 29 days = 2023-10-22.
    expect(moveFor('PageDown', { cal: 'jalali', rtl: true }, '2023-09-22')).toBe('2023-10-22');
    // 1 Farvardin 1403 − 1 month → 1 Esfand 1402 = 2024-02-20.
    expect(moveFor('PageUp', { cal: 'jalali', rtl: true }, '2024-03-20')).toBe('2024-02-20');
    // 31 January 2024 + 1 month → 29 February 2024 (leap year).
    expect(addMonths('gregorian', '2024-01-31', 1)).toBe('2024-02-29');
    // Shift+PageUp: a year back. 31 Dec 2024 → 31 Dec 2023.
    expect(moveFor('PageUp', { cal: 'gregorian', rtl: false, shift: true }, '2024-12-31')).toBe('2023-12-31');
  });

  it('goes to the ends of the week with Home and End', () => {
    // 2024-03-20 (Wednesday): Persian week Sat 16 … Fri 22 March; English week Mon 18 … Sun 24.
    expect(moveFor('Home', { cal: 'jalali', rtl: true }, '2024-03-20')).toBe('2024-03-16');
    expect(moveFor('End', { cal: 'jalali', rtl: true }, '2024-03-20')).toBe('2024-03-22');
    expect(moveFor('Home', { cal: 'gregorian', rtl: false }, '2024-03-20')).toBe('2024-03-18');
    expect(moveFor('End', { cal: 'gregorian', rtl: false }, '2024-03-20')).toBe('2024-03-24');
  });

  it('changes the year keeping the month, clamping 30 Esfand in a common year', () => {
    // 30 Esfand 1403 (2025-03-20) → 1402 has only 29 Esfand = 2024-03-19.
    expect(withYear('jalali', '2025-03-20', 1402)).toBe('2024-03-19');
    // 29 Feb 2024 → 28 Feb 2023.
    expect(withYear('gregorian', '2024-02-29', 2023)).toBe('2023-02-28');
  });
});

describe('range and helpers', () => {
  it('marks the ends and the inside of From–To', () => {
    expect(rangeRole('2024-03-01', '2024-03-01', '2024-03-10')).toBe('start');
    expect(rangeRole('2024-03-10', '2024-03-01', '2024-03-10')).toBe('end');
    expect(rangeRole('2024-03-05', '2024-03-01', '2024-03-10')).toBe('inside');
    expect(rangeRole('2024-03-11', '2024-03-01', '2024-03-10')).toBeNull();
    // An open-ended range highlights only the end that exists.
    expect(rangeRole('2024-03-05', '2024-03-01', undefined)).toBeNull();
    expect(rangeRole('2024-03-01', '2024-03-01', undefined)).toBe('start');
  });

  it('offers the shown year even far from the current one', () => {
    expect(yearChoices(1403, 1404)).toEqual([
      1394, 1395, 1396, 1397, 1398, 1399, 1400, 1401, 1402, 1403, 1404, 1405,
    ]);
    expect(yearChoices(1380, 1404)[0]).toBe(1380);
    expect(yearChoices(1410, 1404).at(-1)).toBe(1410);
  });

  it("takes today's day in Tehran, not on the machine's clock zone", () => {
    // 2024-03-19 21:00 UTC is 00:30 on 20 March in Tehran (UTC+3:30).
    expect(tehranDay(new Date(Date.UTC(2024, 2, 19, 21, 0)))).toBe('2024-03-20');
    expect(tehranDay(new Date(Date.UTC(2024, 2, 19, 20, 0)))).toBe('2024-03-19');
  });
});
