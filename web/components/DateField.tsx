/**
 * The date box of the range picker. Persian users type and read Solar Hijri (۱۴۰۲/۰۷/۰۱);
 * the URL and the API get the ISO Gregorian day, so a link works in either language.
 * A button beside the box opens a month grid (lazily loaded) that commits the same ISO day.
 */
import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import { type Lang, localDigits } from '../lib/format.ts';
import { isoToJalali, parseDateInput } from '../lib/jalali.ts';
import { useUrlState } from '../router.tsx';

const loadCalendar = () => import('./JalaliCalendar.tsx');
const JalaliCalendar = lazy(loadCalendar);

export function displayDate(iso: string | undefined, lang: Lang): string {
  if (!iso) return '';
  if (lang === 'en') return iso;
  const j = isoToJalali(iso);
  return j ? localDigits(j, lang) : iso;
}

function CalendarIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect
        x="1.5"
        y="3"
        width="13"
        height="11.5"
        rx="1.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
      />
      <path d="M1.5 6.5h13M5 1.5v3M11 1.5v3" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

export function DateField({
  name,
  label,
  value,
  onCommit,
}: {
  name: 'from' | 'to';
  label: string;
  value: string | undefined;
  onCommit: (iso: string | undefined) => void;
}) {
  const { t, lang } = useT();
  const { filters } = useUrlState();
  const id = useId();
  const [text, setText] = useState(() => displayDate(value, lang));
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const boxRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    setText(displayDate(value, lang));
    setError(null);
  }, [value, lang]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!boxRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  const accept = (iso: string) => {
    setError(null);
    if (iso !== value) onCommit(iso);
    else setText(displayDate(value, lang));
  };

  const commit = () => {
    if (text.trim() === '') {
      setError(null);
      if (value) onCommit(undefined);
      return;
    }
    const r = parseDateInput(text);
    if (!r.ok) {
      setError(t.filters.dateErrors[r.reason]);
      return;
    }
    accept(r.iso);
  };

  const closeCalendar = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  return (
    <div className="field field-date" ref={boxRef}>
      <label htmlFor={id}>{label}</label>
      <div className="date-row">
        <input
          id={id}
          name={name}
          type="text"
          inputMode="numeric"
          dir="ltr"
          autoComplete="off"
          placeholder={t.filters.datePlaceholder}
          title={t.filters.dateHint}
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
          data-testid={`filter-${name}`}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
        />
        <button
          ref={buttonRef}
          type="button"
          className="btn date-pick no-print"
          aria-label={t.calendar.open(label)}
          title={t.calendar.open(label)}
          aria-haspopup="dialog"
          aria-expanded={open}
          data-testid={`filter-${name}-calendar`}
          onPointerEnter={loadCalendar}
          onFocus={loadCalendar}
          onClick={() => setOpen((o) => !o)}
        >
          <CalendarIcon />
        </button>
      </div>
      {error ? (
        <span id={`${id}-err`} className="field-error" role="alert">
          {error}
        </span>
      ) : null}
      {open ? (
        <Suspense fallback={null}>
          <JalaliCalendar
            label={label}
            value={value}
            initial={name === 'to' ? filters.from : filters.to}
            rangeFrom={filters.from}
            rangeTo={filters.to}
            onPick={(iso) => {
              accept(iso);
              closeCalendar();
            }}
            onClose={closeCalendar}
          />
        </Suspense>
      ) : null}
    </div>
  );
}
