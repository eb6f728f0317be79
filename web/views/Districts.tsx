/** Districts compared for one service: box plots, the Kruskal–Wallis verdict in words, slow_share funnel. */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { FunnelRow, VarianceDistrict } from '../api/types.ts';
import { buildBoxplotOption } from '../charts/boxplot.ts';
import { ChartCard } from '../components/ChartCard.tsx';
import { FunnelCard } from '../components/FunnelCard.tsx';
import { useNames } from '../components/useNames.ts';
import { useT } from '../i18n/useT.ts';
import { formatDays, formatNumber, type Lang } from '../lib/format.ts';
import type { Names } from '../lib/names.ts';
import { varianceSentence, varianceStats } from '../lib/varianceWords.ts';
import { metaOptions } from '../queries/meta.ts';
import { urlOf } from '../queries/query.ts';
import { defaultService, districtsQueries } from '../queries/views.ts';
import { useNav } from '../router.tsx';

const BOX_HEIGHT = 420;
const FUNNEL_HEIGHT = 420;

export default function Districts() {
  const { t, lang } = useT();
  const { state, setFilters } = useNav();
  const names = useNames();
  const meta = useQuery(metaOptions());
  // Comparing districts within one district is meaningless, so this view drops the place filters.
  const { district: _d, office: _o, ...filters } = state.filters;
  const service = filters.service ?? defaultService(meta.data);
  const queries = districtsQueries(filters, service);
  const variance = useQuery({ ...queries.variance, enabled: !!service });
  const slow = useQuery(queries.slowShare);
  const serviceName = service ? names.service(service) : '';
  const collator = new Intl.Collator(lang);
  const services = [...(meta.data?.services ?? [])].sort((a, b) =>
    collator.compare(names.service(a.service_code), names.service(b.service_code)),
  );

  const boxOption = useMemo(
    () =>
      variance.data
        ? buildBoxplotOption({ districts: variance.data.districts, districtName: names.district, lang })
        : undefined,
    [variance.data, names, lang],
  );
  const districtLabel = useCallback((r: FunnelRow) => names.district(r.key), [names]);
  const noCases = variance.data ? variance.data.districts.every((d) => d.n === 0) : false;

  return (
    <div className="view" data-testid="view-districts">
      <header className="view-head">
        <h1>{t.districts.title}</h1>
        <label className="inline-field no-print">
          <span>{t.districts.chooseService}</span>
          <select
            value={service ?? ''}
            data-testid="districts-service"
            onChange={(e) => setFilters({ service: e.target.value || undefined })}
          >
            {services.map((s) => (
              <option key={s.service_code} value={s.service_code}>
                {names.service(s.service_code)}
              </option>
            ))}
          </select>
        </label>
      </header>
      {state.filters.district || state.filters.office ? (
        <p className="note">{t.districts.placeFiltersIgnored}</p>
      ) : null}

      <section className="card verdict" aria-labelledby="kw-title" data-testid="kw-verdict">
        <h2 id="kw-title">{t.districts.kwTitle}</h2>
        {variance.data ? (
          <>
            <p
              className="verdict-sentence"
              data-testid="kw-sentence"
              data-p={variance.data.kruskal_wallis?.p_value ?? ''}
            >
              {varianceSentence(variance.data, names.district, lang)}
            </p>
            <p className="muted small">{varianceStats(variance.data, lang)}</p>
          </>
        ) : (
          <p className="muted" style={{ minHeight: 48 }}>
            {variance.error ? (variance.error as Error).message : t.states.loading}
          </p>
        )}
      </section>

      <ChartCard<VarianceDistrict>
        id="district-boxplot"
        xlsx={service ? urlOf(queries.variance) : undefined}
        title={t.districts.boxTitle(serviceName)}
        height={BOX_HEIGHT}
        pending={variance.isPending}
        error={variance.error}
        onRetry={() => variance.refetch()}
        empty={noCases}
        option={boxOption}
        columns={boxColumns(names, lang, t)}
        rows={variance.data?.districts ?? []}
        rowKey={(r) => String(r.district)}
        footer={<span className="muted small">{t.districts.whiskers}</span>}
      />

      <FunnelCard
        id="district-slow-funnel"
        xlsx={urlOf(queries.slowShare)}
        title={t.districts.slowFunnel}
        query={slow}
        labelOf={districtLabel}
        keyHeader={t.filters.district}
        lang={lang}
        height={FUNNEL_HEIGHT}
      />
    </div>
  );
}

function boxColumns(names: Names, lang: Lang, t: ReturnType<typeof useT>['t']) {
  const d = (v: number | null) => formatDays(v, lang);
  return [
    {
      key: 'district',
      header: t.filters.district,
      value: (r: VarianceDistrict) => r.district,
      render: (r: VarianceDistrict) => names.district(r.district),
    },
    {
      key: 'n',
      header: t.districts.n,
      value: (r: VarianceDistrict) => r.n,
      render: (r: VarianceDistrict) => formatNumber(r.n, lang),
      numeric: true,
    },
    {
      key: 'p10',
      header: t.districts.p10,
      value: (r: VarianceDistrict) => r.p10_days,
      render: (r: VarianceDistrict) => d(r.p10_days),
      numeric: true,
    },
    {
      key: 'q1',
      header: t.districts.q1,
      value: (r: VarianceDistrict) => r.q1_days,
      render: (r: VarianceDistrict) => d(r.q1_days),
      numeric: true,
    },
    {
      key: 'median',
      header: t.metrics.median_days,
      value: (r: VarianceDistrict) => r.median_days,
      render: (r: VarianceDistrict) => d(r.median_days),
      numeric: true,
    },
    {
      key: 'q3',
      header: t.districts.q3,
      value: (r: VarianceDistrict) => r.q3_days,
      render: (r: VarianceDistrict) => d(r.q3_days),
      numeric: true,
    },
    {
      key: 'p90',
      header: t.districts.p90,
      value: (r: VarianceDistrict) => r.p90_days,
      render: (r: VarianceDistrict) => d(r.p90_days),
      numeric: true,
    },
    {
      key: 'tested',
      header: t.districts.tested,
      value: (r: VarianceDistrict) => r.tested,
      render: (r: VarianceDistrict) => (r.tested ? t.cases.yes : t.districts.notTested),
    },
  ];
}
