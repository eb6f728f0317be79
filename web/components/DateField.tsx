/**
 * The date box of the range picker. Persian users type and read Solar Hijri (۱۴۰۲/۰۷/۰۱);
 * the URL and the API get the ISO Gregorian day, so a link works in either language.
 */
import { useEffect, useId, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import { type Lang, localDigits } from '../lib/format.ts';
import { isoToJalali, parseDateInput } from '../lib/jalali.ts';

export function displayDate(iso: string | undefined, lang: Lang): string {
  if (!iso) return '';
  if (lang === 'en') return iso;
  const j = isoToJalali(iso);
  return j ? localDigits(j, lang) : iso;
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
  const id = useId();
  const [text, setText] = useState(() => displayDate(value, lang));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(displayDate(value, lang));
    setError(null);
  }, [value, lang]);

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
    setError(null);
    if (r.iso !== value) onCommit(r.iso);
    else setText(displayDate(value, lang));
  };

  return (
    <div className="field field-date">
      <label htmlFor={id}>{label}</label>
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
      {error ? (
        <span id={`${id}-err`} className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
