/** Overview: headline figures, the district map, flagged offices and monthly trends for the filter. */
import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { TrendPoint, Trends } from '../api/types.ts';
import { buildControlChartOption, controlScale, monthStyle } from '../charts/controlChart.ts';
import { buildDistrictMapOption, DISTRICT_MAP_NAME, prepareDistrictGeo } from '../charts/districtMap.ts';
import { AccessHeadline } from '../components/AccessHeadline.tsx';
import { ChartCard } from '../components/ChartCard.tsx';
import { Headline, HeadlineSkeleton } from '../components/Headline.tsx';
import { HowComputed } from '../components/HowComputed.tsx';
import { ErrorState } from '../components/States.tsx';
import { TileMap } from '../components/TileMap.tsx';
import { useNames } from '../components/useNames.ts';
import { useT } from '../i18n/useT.ts';
import {
  calendarOf,
  formatDays,
  formatMonth,
  formatNumber,
  formatPercent,
  type Lang,
} from '../lib/format.ts';
import {
  districtValues,
  formatMapValue,
  isMapMetric,
  MAP_METRICS,
  mapMetricSource,
} from '../lib/mapMetrics.ts';
import { districtGeoOptions } from '../queries/geo.ts';
import { urlOf } from '../queries/query.ts';
import { overviewQueries } from '../queries/views.ts';
import { Link, useNav } from '../router.tsx';

const MAP_HEIGHT = 460;
const TREND_HEIGHT = 300;

export default function Overview() {
  const { t, lang } = useT();
  const { state, setView, setFilters, hrefTo } = useNav();
  const names = useNames();
  const filters = state.filters;
  const calendar = calendarOf(lang);
  const metric = isMapMetric(state.view.map) ? state.view.map : 'median_days';

  const queries = overviewQueries(filters, calendar);
  const processing = useQuery(queries.processing);
  const complaints = useQuery(queries.complaints);
  const slow = useQuery({ ...queries.slowShare, enabled: metric === 'slow_share' });
  const outliers = useQuery(queries.outliers);
  const geo = useQuery(districtGeoOptions());
  const trendC = useQuery(queries.trendComplaints);
  const trendP = useQuery(queries.trendProcessing);

  const total = processing.data?.total;
  const empty = total?.n_cases === 0;
  const flaggedOffices = useMemo(() => {
    const seen = new Map<
      string,
      { office_id: string; office_name: string; district: number; signals: string[] }
    >();
    // offices to inspect: flags that are the office's own (DESIGN 9), not its district's
    for (const f of outliers.data?.flags ?? []) {
      if (f.attribution !== 'office') continue;
      const e = seen.get(f.office_id) ?? {
        office_id: f.office_id,
        office_name: f.office_name,
        district: f.district,
        signals: [],
      };
      const label = t.signals[f.signal] ?? f.signal;
      if (!e.signals.includes(label)) e.signals.push(label);
      seen.set(f.office_id, e);
    }
    return [...seen.values()];
  }, [outliers.data, t]);

  const source = mapMetricSource(metric);
  const mapQuery = source === 'processing' ? processing : source === 'complaints' ? complaints : slow;
  const mapUrl = urlOf(
    source === 'processing'
      ? queries.processing
      : source === 'complaints'
        ? queries.complaints
        : queries.slowShare,
  );
  const values = useMemo(
    () =>
      districtValues(
        metric,
        processing.data?.rows,
        source === 'complaints'
          ? complaints.data?.rows
          : source === 'slow_share'
            ? slow.data?.rows
            : undefined,
      ),
    [metric, source, processing.data, complaints.data, slow.data],
  );
  const fmt = useCallback((v: number | null) => formatMapValue(metric, v, lang), [metric, lang]);
  const metricLabel = t.metrics[metric] ?? metric;
  const geoData = useMemo(() => (geo.data ? prepareDistrictGeo(geo.data) : null), [geo.data]);
  const mapOption = useMemo(
    () =>
      geoData
        ? buildDistrictMapOption({ values, districtName: names.district, metricLabel, format: fmt, lang })
        : undefined,
    [geoData, values, names, metricLabel, fmt, lang],
  );
  const selectedDistrict = filters.district ? Number(filters.district) : undefined;
  const toggleDistrict = (d: number) =>
    setFilters({ district: selectedDistrict === d ? undefined : String(d), office: undefined });

  return (
    <div className="view view-overview" data-testid="view-overview">
      <section className="headlines" aria-label={t.headline.label}>
        {processing.error ? (
          <ErrorState
            what={t.headline.label}
            error={processing.error}
            onRetry={() => processing.refetch()}
            height={110}
          />
        ) : total ? (
          <>
            <p className="headline-covers small muted" data-testid="headline-covers">
              {t.headline.covers(lang === 'fa' ? total.label : total.label_en)}
            </p>
            <Headline
              id="n_cases"
              label={t.metrics.n_cases}
              value={total.n_cases}
              display={formatNumber(total.n_cases, lang)}
            />
            <Headline
              id="median_days"
              label={t.metrics.median_days}
              value={total.median_days}
              display={formatDays(total.median_days, lang)}
              note={t.headline.kmNote(formatDays(total.km_median_days, lang))}
            />
            <Headline
              id="p90_days"
              label={t.metrics.p90_days}
              value={total.p90_days}
              display={formatDays(total.p90_days, lang)}
              note={t.headline.closedNote(formatNumber(total.n_closed, lang))}
            />
            <Headline
              id="breach_rate"
              label={t.metrics.breach_rate}
              value={total.breach_rate}
              display={formatPercent(total.breach_rate, lang)}
              note={t.headline.breachNote}
            />
          </>
        ) : (
          ['n_cases', 'median_days', 'p90_days', 'breach_rate'].map((k) => (
            <HeadlineSkeleton key={k} label={t.metrics[k]} />
          ))
        )}
        {complaints.data ? (
          <Headline
            id="complaints_per_1000"
            label={t.metrics.complaints_per_1000}
            // no cases selected: no rate (—), not a rate of zero
            value={
              empty || complaints.data.selection.value == null ? null : complaints.data.selection.value * 1000
            }
            display={formatNumber(
              empty || complaints.data.selection.value == null
                ? null
                : complaints.data.selection.value * 1000,
              lang,
              1,
            )}
            note={t.headline.cityRateNote(
              lang === 'fa' ? complaints.data.selection.label : complaints.data.selection.label_en,
              formatNumber(complaints.data.target * 1000, lang, 1),
            )}
          />
        ) : complaints.error ? (
          <ErrorState what={t.metrics.complaints_per_1000} error={complaints.error} height={110} />
        ) : (
          <HeadlineSkeleton label={t.metrics.complaints_per_1000} />
        )}
        {outliers.data ? (
          <Headline
            id="flagged_offices"
            label={t.metrics.flagged_offices}
            value={flaggedOffices.length}
            display={formatNumber(flaggedOffices.length, lang)}
            note={t.headline.flaggedNote}
          />
        ) : outliers.error ? (
          <ErrorState what={t.metrics.flagged_offices} error={outliers.error} height={110} />
        ) : (
          <HeadlineSkeleton label={t.metrics.flagged_offices} />
        )}
        <AccessHeadline query={queries.access} />
      </section>

      <div className="grid-2 grid-map">
        <ChartCard
          id="district-map"
          title={`${t.map.title}: ${metricLabel}`}
          height={MAP_HEIGHT}
          pending={mapQuery.isPending || geo.isPending}
          error={mapQuery.error}
          onRetry={() => mapQuery.refetch()}
          empty={empty}
          option={mapOption}
          maps={geoData ? { [DISTRICT_MAP_NAME]: geoData } : undefined}
          onClick={(e) => e.name && toggleDistrict(Number(e.name))}
          xlsx={mapUrl}
          columns={[
            {
              key: 'district',
              header: t.filters.district,
              value: (r) => r[0],
              render: (r) => names.district(r[0]),
            },
            {
              key: 'value',
              header: metricLabel,
              value: (r) => r[1],
              render: (r) => fmt(r[1]),
              numeric: true,
            },
          ]}
          rows={[...values].sort((a, b) => a[0] - b[0])}
          rowKey={(r) => String(r[0])}
          controls={
            <label className="inline-field">
              <span>{t.map.metric}</span>
              <select
                value={metric}
                data-testid="map-metric"
                onChange={(e) =>
                  setView({ map: e.target.value === 'median_days' ? undefined : e.target.value })
                }
              >
                {MAP_METRICS.map((m) => (
                  <option key={m} value={m}>
                    {t.metrics[m]}
                  </option>
                ))}
              </select>
            </label>
          }
          custom={
            geoData ? undefined : (
              <TileMap
                values={values}
                format={fmt}
                districtName={names.district}
                metricLabel={metricLabel}
                selected={selectedDistrict}
                onSelect={toggleDistrict}
                height={MAP_HEIGHT}
              />
            )
          }
          footer={
            <>
              <span className="muted small">{t.map.clickHint}</span>
              {geoData ? (
                <span className="attribution" data-testid="map-attribution" dir="ltr">
                  {t.map.attribution}
                </span>
              ) : null}
            </>
          }
        />
        <section className="card" aria-labelledby="flagged-title" data-testid="card-flagged-offices">
          <header className="card-head">
            <h2 id="flagged-title">{t.metrics.flagged_offices}</h2>
            <Link href={hrefTo({ name: 'outliers' })} className="btn btn-small no-print">
              {t.nav.outliers}
            </Link>
          </header>
          <div className="card-body flagged-list" style={{ minHeight: MAP_HEIGHT }}>
            {outliers.isPending ? null : outliers.error ? (
              // a failed request never reads as "no office out of bounds"
              <ErrorState
                what={t.metrics.flagged_offices}
                error={outliers.error}
                onRetry={() => outliers.refetch()}
              />
            ) : flaggedOffices.length === 0 ? (
              <p className="muted" data-testid="flagged-none">
                {t.outliers.none}
              </p>
            ) : (
              <ol data-testid="flagged-offices">
                {flaggedOffices.slice(0, 15).map((o) => (
                  <li key={o.office_id}>
                    <Link
                      href={hrefTo({ name: 'office', id: o.office_id })}
                      data-testid="flagged-office-link"
                      data-office={o.office_id}
                    >
                      {o.office_name}
                    </Link>
                    <span className="muted small">
                      {' '}
                      {names.district(o.district)} · {o.signals.join('، ')}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </div>
        </section>
      </div>

      <div className="grid-2">
        <TrendCard
          id="trend-complaints"
          title={t.trends.complaints}
          kind="complaints"
          query={trendC}
          xlsx={urlOf(queries.trendComplaints)}
          lang={lang}
        />
        <TrendCard
          id="trend-processing"
          title={t.trends.processing}
          kind="processing"
          query={trendP}
          xlsx={urlOf(queries.trendProcessing)}
          lang={lang}
        />
      </div>
    </div>
  );
}

function TrendCard({
  id,
  title,
  kind,
  query,
  lang,
  xlsx,
}: {
  id: string;
  title: string;
  kind: 'complaints' | 'processing';
  query: UseQueryResult<Trends>;
  lang: Lang;
  xlsx: string;
}) {
  const { t } = useT();
  const calendar = calendarOf(lang);
  const points = query.data?.series[0]?.points ?? [];
  const option = useMemo(
    () => (points.length ? buildControlChartOption({ points, kind, calendar, lang }) : undefined),
    [points, kind, calendar, lang],
  );
  const k = controlScale(kind);
  const scaled = (v: number | null) => (v == null ? null : v * k);
  const d = kind === 'complaints' ? 2 : 1;
  return (
    <ChartCard<TrendPoint>
      id={id}
      title={title}
      height={TREND_HEIGHT}
      pending={query.isPending}
      error={query.error}
      onRetry={() => query.refetch()}
      empty={!query.isPending && !query.error && points.length === 0}
      option={option}
      xlsx={xlsx}
      columns={[
        {
          key: 'month',
          header: t.trends.month,
          value: (p) => p.month,
          render: (p) => formatMonth(p.month, calendar, lang),
        },
        {
          key: 'n',
          header: t.trends.n,
          value: (p) => p.n,
          render: (p) => formatNumber(p.n, lang),
          numeric: true,
        },
        {
          key: 'value',
          header: t.trends.value,
          value: (p) => scaled(p.value),
          render: (p) => formatNumber(scaled(p.value), lang, d),
          numeric: true,
        },
        ...(kind === 'processing'
          ? [
              {
                key: 'km_median',
                header: t.trends.kmMedian,
                value: (p: TrendPoint) => p.km_median,
                render: (p: TrendPoint) => formatNumber(p.km_median, lang, d),
                numeric: true,
              },
              {
                key: 'open_share',
                header: t.trends.openShare,
                value: (p: TrendPoint) => p.open_share,
                render: (p: TrendPoint) => formatPercent(p.open_share, lang),
                numeric: true,
              },
            ]
          : []),
        {
          key: 'center',
          header: t.trends.center,
          value: (p) => scaled(p.center),
          render: (p) => formatNumber(scaled(p.center), lang, d),
          numeric: true,
        },
        {
          key: 'lcl',
          header: t.trends.lcl,
          value: (p) => scaled(p.lcl),
          render: (p) => formatNumber(scaled(p.lcl), lang, d),
          numeric: true,
        },
        {
          key: 'ucl',
          header: t.trends.ucl,
          value: (p) => scaled(p.ucl),
          render: (p) => formatNumber(scaled(p.ucl), lang, d),
          numeric: true,
        },
        {
          key: 'status',
          header: t.trends.status,
          value: (p) => monthStyle(p) ?? '',
          render: (p) => {
            const st = monthStyle(p);
            if (st === null) return '';
            const word = st === 'flagged' ? t.trends.flagged : t.trends[st];
            const note =
              st === 'partial'
                ? t.trends.partialNote
                : st === 'provisional'
                  ? t.trends.provisionalNote
                  : undefined;
            return (
              <span className={`month-status month-${st}`} title={note} data-testid={`month-${st}`}>
                {word}
              </span>
            );
          },
        },
      ]}
      rows={points}
      rowKey={(p) => p.month}
      footer={
        <HowComputed>
          <p className="muted small">
            {kind === 'complaints' ? t.trends.howComplaints : t.trends.howProcessing}
          </p>
        </HowComputed>
      }
    />
  );
}
