/**
 * Districts compared for one service: box plots, the Kruskal–Wallis verdict in words, slow_share
 * funnel. One service picker (grouped by category, with search); with none chosen, the busiest
 * building-permit service, and the page says so (lib/viewFilters.ts keeps the filter line in step).
 *
 * An inspector sees only their own districts (the API's rule: nothing outside them is revealed, a
 * district outside reads like one that does not exist). So for them this view compares their
 * districts with the whole city (the variance answer's city-wide `city` summary, a reference like the
 * funnel's target) and says plainly why other districts are not shown, instead of a test that cannot
 * run on one district.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { FunnelRow, VarianceDistrict } from '../api/types.ts';
import { useUser } from '../auth/session.ts';
import { buildBoxplotOption } from '../charts/boxplot.ts';
import { ChartCard } from '../components/ChartCard.tsx';
import { FunnelCard } from '../components/FunnelCard.tsx';
import { HowComputed } from '../components/HowComputed.tsx';
import { ServicePicker } from '../components/ServicePicker.tsx';
import { ErrorState } from '../components/States.tsx';
import { useNames } from '../components/useNames.ts';
import { useT } from '../i18n/useT.ts';
import { formatDays, formatNumber, type Lang } from '../lib/format.ts';
import type { Names } from '../lib/names.ts';
import { scopedSentence, varianceSentence, varianceStats } from '../lib/varianceWords.ts';
import { viewFilters } from '../lib/viewFilters.ts';
import { metaOptions } from '../queries/meta.ts';
import { urlOf } from '../queries/query.ts';
import { districtsQueries } from '../queries/views.ts';
import { useNav } from '../router.tsx';

const BOX_HEIGHT = 420;
const FUNNEL_HEIGHT = 420;

export default function Districts() {
  const { t, lang } = useT();
  const { state, setFilters } = useNav();
  const names = useNames();
  const user = useUser();
  const scoped = user?.role === 'inspector';
  const meta = useQuery(metaOptions());
  const { filters, defaulted } = viewFilters('districts', state.filters, meta.data);
  const service = filters.service;
  const queries = districtsQueries(filters, service);
  const variance = useQuery({ ...queries.variance, enabled: !!service });
  const slow = useQuery(queries.slowShare);
  const serviceName = service ? names.service(service) : '';

  const boxOption = useMemo(
    () =>
      variance.data
        ? buildBoxplotOption({
            districts: variance.data.districts,
            districtName: names.district,
            lang,
            reference: scoped ? { label: t.districts.cityBox, summary: variance.data.city } : undefined,
          })
        : undefined,
    [variance.data, names, lang, scoped, t],
  );
  const districtLabel = useCallback((r: FunnelRow) => names.district(r.key), [names]);
  const noCases = variance.data ? variance.data.districts.every((d) => d.n === 0) : false;
  const stats = variance.data && !scoped ? varianceStats(variance.data, lang) : null;

  return (
    <div className="view" data-testid="view-districts">
      <header className="view-head">
        <h1>{t.districts.title}</h1>
        <ServicePicker
          value={service}
          onChange={(code) => setFilters({ service: code })}
          note={
            defaulted.includes('service') && service ? t.districts.defaultService(serviceName) : undefined
          }
        />
      </header>

      <section className="card verdict" aria-labelledby="kw-title" data-testid="kw-verdict">
        <h2 id="kw-title">{scoped ? t.districts.scopedTitle : t.districts.kwTitle}</h2>
        {variance.data ? (
          <>
            <p
              className="verdict-sentence"
              data-testid="kw-sentence"
              data-p={variance.data.kruskal_wallis?.p_value ?? ''}
            >
              {scoped
                ? scopedSentence(variance.data, names.district, lang)
                : varianceSentence(variance.data, names.district, lang)}
            </p>
            {scoped ? (
              <p className="muted small" data-testid="scoped-policy">
                {t.districts.scopedPolicy}
              </p>
            ) : stats ? (
              <HowComputed testId="kw-how">
                <p className="muted small">{stats}</p>
              </HowComputed>
            ) : null}
          </>
        ) : variance.error ? (
          <ErrorState what={t.districts.kwTitle} error={variance.error} onRetry={() => variance.refetch()} />
        ) : (
          <p className="muted" style={{ minHeight: 48 }}>
            {t.states.loading}
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
        rows={
          variance.data
            ? scoped
              ? [...variance.data.districts, cityRow(variance.data.city)]
              : variance.data.districts
            : []
        }
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

/** The city summary as a table row (district 0: no district has that number). */
function cityRow(city: {
  n: number;
  median_days: number | null;
  q1_days: number | null;
  q3_days: number | null;
  p10_days: number | null;
  p90_days: number | null;
}): VarianceDistrict {
  return { district: 0, label: '', label_en: '', tested: true, ...city };
}

function boxColumns(names: Names, lang: Lang, t: ReturnType<typeof useT>['t']) {
  const d = (v: number | null) => formatDays(v, lang);
  return [
    {
      key: 'district',
      header: t.filters.district,
      value: (r: VarianceDistrict) => r.district,
      render: (r: VarianceDistrict) => (r.district === 0 ? t.districts.cityBox : names.district(r.district)),
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
