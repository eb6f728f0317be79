/**
 * The common filters; each change is a new URL (same parameter names as the API). A view that has
 * its own control for a filter, or ignores it, hides it here (lib/viewFilters.ts). On a narrow screen
 * the filters fold behind one button that says how many are set.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import { formatNumber } from '../lib/format.ts';
import type { FilterKey } from '../lib/url.ts';
import { metaOptions } from '../queries/meta.ts';
import { useNav } from '../router.tsx';
import { DateField } from './DateField.tsx';
import { useNames } from './useNames.ts';

function Select({
  name,
  label,
  value,
  options,
  onChange,
  disabled,
}: {
  name: FilterKey;
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  onChange: (v: string | undefined) => void;
  disabled?: boolean;
}) {
  const { t } = useT();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value ?? ''}
        disabled={disabled}
        data-testid={`filter-${name}`}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        <option value="">{t.filters.all}</option>
        {value && !options.some((o) => o.value === value) ? <option value={value}>{value}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Filters({ hidden = [] }: { hidden?: readonly FilterKey[] }) {
  const { t, lang } = useT();
  const [open, setOpen] = useState(false);
  const formId = useId();
  const shown = (k: FilterKey) => !hidden.includes(k);
  const { state, setFilters } = useNav();
  const meta = useQuery(metaOptions());
  const names = useNames();
  const f = state.filters;
  const m = meta.data;
  const collator = new Intl.Collator(lang);
  const services = (m?.services ?? [])
    .filter((s) => !f.category || s.category === f.category)
    .map((s) => ({ value: s.service_code, label: names.service(s.service_code) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  const offices = (m?.offices ?? [])
    .filter((o) => !f.district || String(o.district) === f.district)
    .map((o) => ({ value: o.office_id, label: `${o.name} (${o.office_id})` }))
    .sort((a, b) => collator.compare(a.label, b.label));
  const rangeBad = f.from && f.to && f.from > f.to;
  const any = Object.values(f).some(Boolean);
  const active = Object.entries(f).filter(([k, v]) => v && shown(k as FilterKey)).length;

  return (
    <>
      <button
        type="button"
        className="btn filters-toggle no-print"
        aria-expanded={open}
        aria-controls={formId}
        data-testid="filters-toggle"
        onClick={() => setOpen((v) => !v)}
      >
        {t.filters.toggle(active ? formatNumber(active, lang) : '')}
      </button>
      <form
        id={formId}
        className={`filters no-print${open ? ' filters-open' : ''}`}
        aria-label={t.filters.label}
        data-testid="filters"
        onSubmit={(e) => e.preventDefault()}
      >
        <DateField
          name="from"
          label={t.filters.from}
          value={f.from}
          onCommit={(v) => setFilters({ from: v })}
        />
        <DateField name="to" label={t.filters.to} value={f.to} onCommit={(v) => setFilters({ to: v })} />
        {shown('district') ? (
          <Select
            name="district"
            label={t.filters.district}
            value={f.district}
            options={(m?.districts ?? []).map((d) => ({
              value: String(d.district),
              label: names.district(d.district),
            }))}
            onChange={(v) => setFilters({ district: v, office: undefined })}
          />
        ) : null}
        {shown('category') ? (
          <Select
            name="category"
            label={t.filters.category}
            value={f.category}
            options={(m?.categories ?? []).map((c) => ({
              value: c.category,
              label: names.category(c.category),
            }))}
            onChange={(v) => setFilters({ category: v, service: undefined })}
          />
        ) : null}
        {shown('service') ? (
          <Select
            name="service"
            label={t.filters.service}
            value={f.service}
            options={services}
            onChange={(v) => setFilters({ service: v })}
          />
        ) : null}
        {shown('office') ? (
          <Select
            name="office"
            label={t.filters.office}
            value={f.office}
            options={offices}
            onChange={(v) => setFilters({ office: v })}
          />
        ) : null}
        <Select
          name="channel"
          label={t.filters.channel}
          value={f.channel}
          options={(m?.channels ?? ['in_person', 'online']).map((c) => ({
            value: c,
            label: t.channels[c] ?? c,
          }))}
          onChange={(v) => setFilters({ channel: v })}
        />
        <div className="field field-actions">
          <button
            type="button"
            className="btn"
            data-testid="filter-clear"
            disabled={!any}
            onClick={() =>
              setFilters({
                from: undefined,
                to: undefined,
                district: undefined,
                category: undefined,
                service: undefined,
                office: undefined,
                channel: undefined,
              })
            }
          >
            {t.filters.clear}
          </button>
        </div>
        {rangeBad ? (
          <p className="field-error filters-error" role="alert">
            {t.filters.rangeError}
          </p>
        ) : null}
      </form>
    </>
  );
}
