/**
 * The date picker's month grid, loaded on first use (a separate chunk). Solar Hijri with a
 * Saturday-first week in Persian, Gregorian with a Monday-first week in English; keyboard as in
 * the WAI-ARIA date-picker dialog pattern. It only reports the ISO day picked: DateField commits it.
 */
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import {
  addMonths,
  isWeekend,
  monthGrid,
  moveFor,
  partsOf,
  rangeRole,
  tehranDay,
  weekdayColumns,
  withYear,
  yearChoices,
} from '../lib/calendar.ts';
import { calendarOf, localDigits } from '../lib/format.ts';

export interface CalendarProps {
  label: string;
  value: string | undefined;
  /** Day to show when the field is empty (the other end of the range, if any). */
  initial: string | undefined;
  rangeFrom: string | undefined;
  rangeTo: string | undefined;
  onPick: (iso: string) => void;
  onClose: () => void;
}

export default function JalaliCalendar({
  label,
  value,
  initial,
  rangeFrom,
  rangeTo,
  onPick,
  onClose,
}: CalendarProps) {
  const { t, lang } = useT();
  const cal = calendarOf(lang);
  const rtl = t.dir === 'rtl';
  const titleId = useId();
  const hintId = useId();
  const [today] = useState(() => tehranDay(new Date()));
  const [focus, setFocus] = useState(() => value ?? initial ?? today);
  // Moving DOM focus only after a key or on opening: the month buttons keep their own focus.
  const moveFocus = useRef(true);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    rootRef.current?.querySelector<HTMLButtonElement>(`[data-iso="${focus}"]`)?.focus();
  }, [focus]);

  const shown = partsOf(cal, focus);
  const monthName = t.calendar.months[shown.m - 1];
  const digits = (n: number) => localDigits(n, lang);
  const columns = weekdayColumns(cal);

  const onGridKey = (e: KeyboardEvent) => {
    const next = moveFor(e.key, { cal, rtl, shift: e.shiftKey }, focus);
    if (!next) return;
    e.preventDefault();
    moveFocus.current = true;
    setFocus(next);
  };

  const onDialogKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    } else if (e.key === 'Tab') {
      // Modal: Tab cycles inside the dialog.
      const stops = [...(rootRef.current?.querySelectorAll<HTMLElement>('button, select') ?? [])].filter(
        (el) => el.tabIndex >= 0,
      );
      const first = stops[0];
      const last = stops[stops.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last?.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first?.focus();
      }
    }
  };

  return (
    <div
      ref={rootRef}
      className="cal no-print"
      role="dialog"
      aria-modal="true"
      aria-label={t.calendar.dialog(label)}
      aria-describedby={hintId}
      data-testid="calendar"
      onKeyDown={onDialogKey}
    >
      <div className="cal-head">
        <button
          type="button"
          className="btn btn-small cal-nav"
          aria-label={t.calendar.prevMonth}
          onClick={() => setFocus(addMonths(cal, focus, -1))}
        >
          <span aria-hidden="true">{rtl ? '›' : '‹'}</span>
        </button>
        {/* The year shows in the select beside it; screen readers still hear it with the month. */}
        <span id={titleId} className="cal-title" aria-live="polite">
          {monthName} <span className="sr-only">{digits(shown.y)}</span>
        </span>
        <select
          className="cal-year"
          aria-label={t.calendar.year}
          value={shown.y}
          onChange={(e) => setFocus(withYear(cal, focus, Number(e.target.value)))}
        >
          {yearChoices(shown.y, partsOf(cal, today).y).map((y) => (
            <option key={y} value={y}>
              {digits(y)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn-small cal-nav"
          aria-label={t.calendar.nextMonth}
          onClick={() => setFocus(addMonths(cal, focus, 1))}
        >
          <span aria-hidden="true">{rtl ? '‹' : '›'}</span>
        </button>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA date-picker pattern is a grid table; the role tells screen readers the arrow keys belong to it */}
      <table className="cal-grid" role="grid" aria-labelledby={titleId} onKeyDown={onGridKey}>
        <thead>
          <tr>
            {columns.map((w) => (
              <th
                key={w}
                scope="col"
                abbr={t.calendar.weekdays[w]}
                className={isWeekend(w) ? 'cal-weekend' : undefined}
              >
                {t.calendar.weekdaysShort[w]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {monthGrid(cal, shown.y, shown.m).map((week) => (
            <tr key={week.find((c) => c)?.iso}>
              {columns.map((w, col) => {
                const c = week[col];
                if (!c) return <td key={w} />;
                const role = rangeRole(c.iso, rangeFrom, rangeTo);
                const name = t.calendar.day(
                  t.calendar.weekdays[c.weekday],
                  digits(c.day),
                  monthName,
                  digits(shown.y),
                );
                const notes = [c.iso === today ? t.calendar.today : '', role ? t.calendar.inRange : '']
                  .filter(Boolean)
                  .join(lang === 'fa' ? '، ' : ', ');
                return (
                  <td
                    key={w}
                    className={[role ? `cal-range cal-range-${role}` : '', c.weekend ? 'cal-weekend' : '']
                      .filter(Boolean)
                      .join(' ')}
                  >
                    <button
                      type="button"
                      className="cal-day"
                      data-iso={c.iso}
                      tabIndex={c.iso === focus ? 0 : -1}
                      aria-pressed={c.iso === value}
                      aria-label={notes ? `${name} (${notes})` : name}
                      aria-current={c.iso === today ? 'date' : undefined}
                      onClick={() => onPick(c.iso)}
                    >
                      {digits(c.day)}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p id={hintId} className="cal-keys">
        {t.calendar.keys}
      </p>
    </div>
  );
}
