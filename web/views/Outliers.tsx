/** The inspection list: every flag, most out of line first, with the reason in words. Exportable. */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { DistrictFlag, OfficeFlag } from '../api/types.ts';
import { type Column, DataTable } from '../components/DataTable.tsx';
import { formatSignalValue } from '../components/FlagValue.ts';
import { QueryView } from '../components/States.tsx';
import { useNames } from '../components/useNames.ts';
import { useT } from '../i18n/useT.ts';
import { flagCasesView } from '../lib/flags.ts';
import { formatNumber, formatP, formatZ } from '../lib/format.ts';
import { metaOptions } from '../queries/meta.ts';
import { outliersOptions } from '../queries/outliers.ts';
import { urlOf } from '../queries/query.ts';
import { Link, useNav } from '../router.tsx';

const SIGNALS = ['slow', 'suspiciously_fast', 'complaints', 'bribe_reports'];

export default function Outliers() {
  const { t, lang } = useT();
  const { state, setView, hrefTo } = useNav();
  const names = useNames();
  const meta = useQuery(metaOptions());
  // z and q are for those who ask how a flag is computed; the reason says it in words.
  const [showStats, setShowStats] = useState(false);
  const q = useQuery(outliersOptions(state.filters));
  // Flags are judged against the whole city; this choice only narrows the list that is shown.
  const district = state.view.flag_district;
  const signal = SIGNALS.includes(state.view.flag_signal ?? '') ? state.view.flag_signal : undefined;

  const shown = useCallback(
    (f: { district: number; signal: string }) =>
      (!district || String(f.district) === district) && (!signal || f.signal === signal),
    [district, signal],
  );
  // DESIGN 9: flags that are the office's own come first; the rest are listed under their district's flag
  const flags = useMemo(
    () =>
      (q.data?.flags ?? [])
        .filter((f) => f.attribution === 'office')
        .map((f, i) => ({ ...f, rank: i + 1 }))
        .filter(shown),
    [q.data, shown],
  );
  const underDistrict = useMemo(() => {
    const m = new Map<string, OfficeFlag[]>();
    for (const f of q.data?.flags ?? []) {
      if (f.attribution !== 'district') continue;
      const k = `${f.district}:${f.signal}:${f.scope}`;
      m.set(k, [...(m.get(k) ?? []), f]);
    }
    return m;
  }, [q.data]);
  const districtFlags = useMemo(() => (q.data?.district_flags ?? []).filter(shown), [q.data, shown]);
  const reason = (f: { reason_fa: string; reason_en: string }) => (lang === 'fa' ? f.reason_fa : f.reason_en);
  // The columns an office flag and a district flag share, so both tables read the same way.
  function flagColumns<F extends OfficeFlag | DistrictFlag>() {
    const col = (c: Column<F>) => c;
    return {
      district: col({
        key: 'district',
        header: t.outliers.district,
        value: (f) => f.district,
        render: (f) => names.district(f.district),
      }),
      signal: col({
        key: 'signal',
        header: t.outliers.signal,
        value: (f) => f.signal,
        render: (f) => t.signals[f.signal] ?? f.signal,
      }),
      scope: col({
        key: 'scope',
        header: t.outliers.scope,
        value: (f) => f.scope,
        render: (f) => names.category(f.scope),
      }),
      value: col({
        key: 'value',
        header: t.outliers.value,
        value: (f) => f.value,
        render: (f) => formatSignalValue(f.signal, f.value, lang),
        numeric: true,
      }),
      target: col({
        key: 'target',
        header: t.outliers.target,
        value: (f) => f.target,
        render: (f) => formatSignalValue(f.signal, f.target, lang),
        numeric: true,
      }),
      z: col({
        key: 'z',
        header: t.outliers.z,
        value: (f) => f.z,
        render: (f) => formatZ(f.z, lang),
        numeric: true,
      }),
      q: col({
        key: 'q',
        header: t.outliers.q,
        value: (f) => f.q,
        render: (f) => formatP(f.q, lang),
        numeric: true,
      }),
      n: col({
        key: 'n',
        header: t.outliers.n,
        value: (f) => f.n,
        render: (f) => formatNumber(f.n, lang),
        numeric: true,
      }),
      reason: col({ key: 'reason', header: t.outliers.reason, value: reason, sortable: false, wrap: true }),
    };
  }
  type Ranked = OfficeFlag & { rank: number };
  const office = flagColumns<Ranked>();
  const columns: Column<Ranked>[] = [
    {
      key: 'rank',
      header: t.outliers.rank,
      value: (f) => f.rank,
      render: (f) => formatNumber(f.rank, lang),
      numeric: true,
    },
    {
      key: 'office',
      header: t.outliers.office,
      value: (f) => f.office_name,
      render: (f) => (
        <Link
          href={hrefTo({ name: 'office', id: f.office_id })}
          data-testid="flagged-office-link"
          data-office={f.office_id}
        >
          {f.office_name}
        </Link>
      ),
    },
    { key: 'office_id', header: t.offices.id, value: (f) => f.office_id },
    office.district,
    office.signal,
    office.scope,
    office.value,
    office.target,
    ...(showStats ? [office.z, office.q] : []),
    {
      ...office.n,
      // one click from a flag to the cases that count toward it (their number is the flag's n)
      render: (f) => (
        <Link
          href={hrefTo({ name: 'office', id: f.office_id }, flagCasesView(f.signal, f.scope))}
          data-testid="flag-cases-link"
          data-n={f.n}
          data-office={f.office_id}
          data-flag={`${f.signal}:${f.scope}`}
        >
          {t.flagCases.count(formatNumber(f.n, lang))}
        </Link>
      ),
    },
    office.reason,
    {
      key: 'attribution',
      header: t.outliers.attribution,
      value: (f) => (lang === 'fa' ? f.attribution_fa : f.attribution_en) ?? '',
      sortable: false,
      wrap: true,
    },
  ];
  const dc = flagColumns<DistrictFlag>();
  const districtColumns: Column<DistrictFlag>[] = [
    dc.district,
    dc.signal,
    dc.scope,
    dc.value,
    ...(showStats ? [dc.z, dc.q] : []),
    dc.reason,
    {
      key: 'offices',
      header: t.outliers.attributedOffices,
      value: (f) => underDistrict.get(`${f.district}:${f.signal}:${f.scope}`)?.length ?? 0,
      render: (f) => {
        const list = underDistrict.get(`${f.district}:${f.signal}:${f.scope}`) ?? [];
        if (list.length === 0) return '—';
        return (
          <ul className="flag-offices" data-testid={`district-offices-${f.district}`}>
            {list.map((o) => (
              <li key={o.office_id}>
                <Link href={hrefTo({ name: 'office', id: o.office_id })} data-office={o.office_id}>
                  {o.office_name}
                </Link>
              </li>
            ))}
          </ul>
        );
      },
      wrap: true,
    },
  ];

  return (
    <div className="view" data-testid="view-outliers">
      <header className="view-head">
        <h1>{t.outliers.title}</h1>
        <div className="card-actions no-print">
          <label className="inline-field">
            <span>{t.outliers.filterDistrict}</span>
            <select
              value={district ?? ''}
              data-testid="outliers-district"
              onChange={(e) => setView({ flag_district: e.target.value || undefined })}
            >
              <option value="">{t.filters.all}</option>
              {(meta.data?.districts ?? []).map((d) => (
                <option key={d.district} value={String(d.district)}>
                  {names.district(d.district)}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span>{t.outliers.filterSignal}</span>
            <select
              value={signal ?? ''}
              data-testid="outliers-signal"
              onChange={(e) => setView({ flag_signal: e.target.value || undefined })}
            >
              <option value="">{t.filters.all}</option>
              {SIGNALS.map((s) => (
                <option key={s} value={s}>
                  {t.signals[s]}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      <p className="intro">{t.outliers.intro}</p>
      <label className="inline-field no-print">
        <input
          type="checkbox"
          checked={showStats}
          data-testid="outliers-stats"
          onChange={(e) => setShowStats(e.target.checked)}
        />
        <span>{t.how.details}</span>
      </label>
      {showStats ? <p className="muted small">{t.outliers.howFlag}</p> : null}
      <QueryView query={q} what={t.outliers.title} height={400}>
        {() => (
          <>
            <section className="card" aria-label={t.outliers.title}>
              {flags.length === 0 ? (
                <p className="muted" data-testid="outliers-none">
                  {t.outliers.none}
                </p>
              ) : (
                <DataTable
                  id="outliers"
                  xlsx={urlOf(outliersOptions(state.filters))}
                  caption={t.outliers.title}
                  columns={columns}
                  rows={flags}
                  rowKey={(f) => `${f.office_id}:${f.signal}:${f.scope}`}
                />
              )}
            </section>
            <section className="card" aria-labelledby="district-flags-title">
              <header className="card-head">
                <h2 id="district-flags-title">{t.outliers.districtTitle}</h2>
              </header>
              <p className="muted small">{t.outliers.districtIntro}</p>
              {districtFlags.length === 0 ? (
                <p className="muted">{t.outliers.noneDistrict}</p>
              ) : (
                <DataTable
                  id="district-flags"
                  xlsx={urlOf(outliersOptions(state.filters))}
                  caption={t.outliers.districtTitle}
                  columns={districtColumns}
                  rows={districtFlags}
                  rowKey={(f) => `${f.district}:${f.signal}:${f.scope}`}
                />
              )}
            </section>
          </>
        )}
      </QueryView>
    </div>
  );
}
