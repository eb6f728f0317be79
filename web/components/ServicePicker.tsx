/**
 * One service picker: a search box over a list grouped by category (optgroups), each service with its
 * number of cases, so the 128 services are found by typing a part of the name or by browsing a group.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import { formatNumber } from '../lib/format.ts';
import { groupServices } from '../lib/services.ts';
import { metaOptions } from '../queries/meta.ts';
import { useNames } from './useNames.ts';

export function ServicePicker({
  value,
  onChange,
  note,
}: {
  value: string | undefined;
  onChange: (code: string) => void;
  /** Under the picker, e.g. that the view chose the service itself. */
  note?: string;
}) {
  const { t, lang } = useT();
  const names = useNames();
  const meta = useQuery(metaOptions());
  const [search, setSearch] = useState('');
  const ids = { search: useId(), select: useId() };
  const groups = groupServices(meta.data?.services ?? [], names.service, names.category, search, lang);
  const count = groups.reduce((s, g) => s + g.services.length, 0);
  const listed = groups.some((g) => g.services.some((s) => s.code === value));
  return (
    <div className="service-picker no-print" data-testid="service-picker">
      <div className="field">
        <label htmlFor={ids.search}>{t.districts.searchService}</label>
        <input
          id={ids.search}
          type="search"
          value={search}
          data-testid="service-search"
          placeholder={t.districts.searchPlaceholder}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.select}>
          {t.districts.chooseService}{' '}
          <span className="muted small">({t.districts.servicesListed(formatNumber(count, lang))})</span>
        </label>
        <select
          id={ids.select}
          value={value ?? ''}
          data-testid="districts-service"
          onChange={(e) => e.target.value && onChange(e.target.value)}
        >
          {value && !listed ? <option value={value}>{names.service(value)}</option> : null}
          {groups.map((g) => (
            <optgroup key={g.category ?? ''} label={g.label || t.districts.noCategory}>
              {g.services.map((s) => (
                <option key={s.code} value={s.code}>
                  {t.districts.serviceOption(s.label, formatNumber(s.n_cases, lang))}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      {note ? (
        <p className="muted small service-note" data-testid="service-note">
          {note}
        </p>
      ) : null}
    </div>
  );
}
