/** All offices: a searchable, sortable table and a funnel plot for the chosen signal. */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { FunnelMetric, FunnelRow, OfficeRow } from '../api/types.ts';
import { type Column, DataTable, type SortState } from '../components/DataTable.tsx';
import { FunnelCard } from '../components/FunnelCard.tsx';
import { QueryView } from '../components/States.tsx';
import { useNames } from '../components/useNames.ts';
import { useT } from '../i18n/useT.ts';
import { flagCasesView, flagLabel, parseFlag } from '../lib/flags.ts';
import { formatDays, formatNumber, formatPercent } from '../lib/format.ts';
import { normaliseSearch } from '../lib/sort.ts';
import { metaOptions } from '../queries/meta.ts';
import { urlOf } from '../queries/query.ts';
import { OFFICE_SIGNALS, officesQueries } from '../queries/views.ts';
import { Link, navigate, useNav } from '../router.tsx';

export default function Offices() {
  const { t, lang } = useT();
  const { state, setView, hrefTo } = useNav();
  const names = useNames();
  const meta = useQuery(metaOptions());
  const filters = state.filters;
  const signal: FunnelMetric = OFFICE_SIGNALS.includes(state.view.signal as FunnelMetric)
    ? (state.view.signal as FunnelMetric)
    : OFFICE_SIGNALS[0];
  const scope = state.view.scope ?? 'all';
  const queries = officesQueries(filters, signal, scope);
  const offices = useQuery(queries.offices);
  const funnel = useQuery(queries.funnel);
  const search = state.view.q ?? '';
  const sort: SortState = {
    key: state.view.sort ?? 'n_cases',
    dir: state.view.dir === 'asc' ? 'asc' : 'desc',
  };

  const rows = useMemo(() => {
    const all = offices.data?.rows ?? [];
    const q = normaliseSearch(search);
    if (!q) return all;
    return all.filter((o) => normaliseSearch(`${o.name} ${o.office_id}`).includes(q));
  }, [offices.data, search]);

  const officeLabel = useCallback((r: FunnelRow) => r.label || names.office(r.key), [names]);
  const signalName = (s: string) => t.signals[s] ?? s;
  const columns: Column<OfficeRow>[] = [
    {
      key: 'name',
      header: t.offices.office,
      value: (o) => o.name,
      render: (o) => (
        <Link
          href={hrefTo({ name: 'office', id: o.office_id })}
          data-testid="office-link"
          data-office={o.office_id}
        >
          {o.name}
        </Link>
      ),
    },
    { key: 'office_id', header: t.offices.id, value: (o) => o.office_id },
    {
      key: 'flags',
      header: t.offices.flags,
      value: (o) => o.flags.join(' '),
      wrap: true,
      render: (o) =>
        o.flags.length ? (
          <span className="flag-list">
            {o.flags.map((f) => (
              <Link
                key={f}
                className="flag-chip"
                data-testid="office-flag"
                data-flag={f}
                href={hrefTo(
                  { name: 'office', id: o.office_id },
                  flagCasesView(parseFlag(f).signal, parseFlag(f).scope),
                )}
              >
                {flagLabel(f, signalName, names.category)}
              </Link>
            ))}
          </span>
        ) : (
          <span className="muted">{t.offices.none}</span>
        ),
    },
    {
      key: 'district',
      header: t.offices.district,
      value: (o) => o.district,
      render: (o) => names.district(o.district),
    },
    {
      key: 'n_cases',
      header: t.metrics.n_cases,
      value: (o) => o.n_cases,
      render: (o) => formatNumber(o.n_cases, lang),
      numeric: true,
    },
    {
      key: 'median_days',
      header: t.metrics.median_days,
      value: (o) => o.median_days,
      render: (o) => formatDays(o.median_days, lang),
      numeric: true,
    },
    {
      key: 'km_median_days',
      header: t.metrics.km_median_days,
      value: (o) => o.km_median_days,
      render: (o) => formatDays(o.km_median_days, lang),
      numeric: true,
    },
    {
      key: 'breach_rate',
      header: t.metrics.breach_rate,
      value: (o) => o.breach_rate,
      render: (o) => formatPercent(o.breach_rate, lang),
      numeric: true,
    },
    {
      key: 'slow_share',
      header: t.metrics.slow_share,
      value: (o) => o.slow_share,
      render: (o) => formatPercent(o.slow_share, lang),
      numeric: true,
    },
    {
      key: 'complaint_rate',
      header: t.metrics.complaint_rate,
      value: (o) => o.complaint_rate,
      render: (o) => formatNumber(o.complaint_rate, lang, 1),
      numeric: true,
    },
    {
      key: 'bribe_rate',
      header: t.metrics.bribe_rate,
      value: (o) => o.bribe_rate,
      render: (o) => formatNumber(o.bribe_rate, lang, 2),
      numeric: true,
    },
  ];

  return (
    <div className="view" data-testid="view-offices">
      <header className="view-head">
        <h1>{t.offices.title}</h1>
      </header>
      <FunnelCard
        id="office-funnel"
        xlsx={urlOf(queries.funnel)}
        title={t.funnel.title(t.signals[signal])}
        query={funnel}
        labelOf={officeLabel}
        keyHeader={t.offices.office}
        lang={lang}
        height={440}
        onPoint={(key) => navigate(hrefTo({ name: 'office', id: key }))}
        controls={
          <>
            <fieldset className="segmented plain-fieldset" data-testid="signal-switch">
              <legend className="sr-only">{t.offices.signal}</legend>
              {OFFICE_SIGNALS.map((s) => (
                <button
                  key={s}
                  type="button"
                  className="btn btn-small"
                  aria-pressed={s === signal}
                  data-testid={`signal-${s}`}
                  onClick={() =>
                    setView({ signal: s === OFFICE_SIGNALS[0] ? undefined : s, scope: undefined })
                  }
                >
                  {t.signals[s]}
                </button>
              ))}
            </fieldset>
            {signal === 'slow_share' ? (
              <label className="inline-field">
                <span>{t.offices.scope}</span>
                <select
                  value={scope}
                  data-testid="funnel-scope"
                  onChange={(e) => setView({ scope: e.target.value === 'all' ? undefined : e.target.value })}
                >
                  <option value="all">{t.scopes.all}</option>
                  {(meta.data?.categories ?? []).map((c) => (
                    <option key={c.category} value={c.category}>
                      {names.category(c.category)}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
          </>
        }
      />
      <section className="card" aria-labelledby="offices-table-title">
        <header className="card-head">
          <h2 id="offices-table-title">{t.offices.title}</h2>
          <input
            type="search"
            className="search no-print"
            placeholder={t.offices.search}
            aria-label={t.offices.search}
            defaultValue={search}
            data-testid="offices-search"
            onChange={(e) => setView({ q: e.target.value || undefined }, { replace: true })}
          />
        </header>
        <QueryView query={offices} what={t.offices.title} height={400} isEmpty={(d) => d.rows.length === 0}>
          {(d) => (
            <>
              <p className="muted small">
                {t.offices.count(formatNumber(rows.length, lang), formatNumber(d.rows.length, lang))}
              </p>
              <DataTable
                id="offices"
                xlsx={urlOf(queries.offices)}
                caption={t.offices.title}
                columns={columns}
                rows={rows}
                rowKey={(o) => o.office_id}
                sort={sort}
                onSort={(s) => setView({ sort: s.key, dir: s.dir })}
                maxHeight={640}
              />
            </>
          )}
        </QueryView>
      </section>
    </div>
  );
}
