/**
 * Access (دسترسی), DESIGN 16: are there too few offices, and are they held by few licensees? The
 * district map coloured by a chosen access figure, the districts and operators tables, and a plainly
 * labelled "what if" of adding offices to a district. All of it for the filters in the URL.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type {
  AccessAggregate,
  AccessDistrict,
  AccessOperator,
  AccessResponse,
} from '../../api/metrics/access.ts';
import { buildDistrictMapOption, DISTRICT_MAP_NAME, prepareDistrictGeo } from '../charts/districtMap.ts';
import { ChartCard } from '../components/ChartCard.tsx';
import { type Column, DataTable, type SortState } from '../components/DataTable.tsx';
import { Headline, HeadlineSkeleton } from '../components/Headline.tsx';
import { QueryView } from '../components/States.tsx';
import { TileMap } from '../components/TileMap.tsx';
import { useNames } from '../components/useNames.ts';
import { useT } from '../i18n/useT.ts';
import {
  ACCESS_MAP_METRICS,
  type AccessMapMetric,
  accessMapValues,
  formatAccess,
  isAccessMapMetric,
  mostResidentsPerOffice,
  PER_RESIDENT,
  parseAdd,
  whatIf,
} from '../lib/access.ts';
import { formatDate, formatNumber, formatPercent, type Lang, localDigits } from '../lib/format.ts';
import type { Names } from '../lib/names.ts';
import { accessOptions } from '../queries/access.ts';
import { districtGeoOptions } from '../queries/geo.ts';
import { urlOf } from '../queries/query.ts';
import { useNav } from '../router.tsx';

const MAP_HEIGHT = 440;
type T = ReturnType<typeof useT>['t'];

export default function Access() {
  const { t, lang } = useT();
  const { state, setView, setFilters } = useNav();
  const names = useNames();
  const filters = state.filters;
  const query = useQuery(accessOptions(filters));
  const xlsx = urlOf(accessOptions(filters));
  const geo = useQuery(districtGeoOptions());
  const data = query.data;
  const popLoaded = data?.population.loaded ?? false;

  const fallbackMetric: AccessMapMetric = popLoaded ? 'offices_per_100k' : 'cases_per_office_day';
  const chosen = isAccessMapMetric(state.view.map) ? state.view.map : fallbackMetric;
  // Without a population, offices per 100,000 residents would colour every district "no data".
  const metric: AccessMapMetric = !popLoaded && chosen === 'offices_per_100k' ? fallbackMetric : chosen;
  const metricLabel = t.access.metrics[metric];
  const values = useMemo(() => accessMapValues(data?.districts, metric), [data, metric]);
  const fmt = useCallback((v: number | null) => formatAccess(metric, v, lang), [metric, lang]);
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

  const sort: SortState = {
    key: state.view.sort ?? (popLoaded ? 'residents_per_office' : 'cases_per_office_day'),
    dir: state.view.dir === 'asc' ? 'asc' : 'desc',
  };

  return (
    <div className="view view-access" data-testid="view-access">
      <header className="view-head">
        <h1>{t.access.title}</h1>
      </header>
      <p className="intro">{t.access.intro}</p>
      {data ? <Notes data={data} lang={lang} t={t} /> : null}

      <section className="headlines" aria-label={t.access.title}>
        {data ? (
          <AccessHeadlines total={data.total} city={data.city} popLoaded={popLoaded} lang={lang} t={t} />
        ) : (
          ['active_offices', 'residents_per_office', 'cases_per_office_day', 'hhi_operators'].map((k) => (
            <HeadlineSkeleton key={k} label={t.access.metrics[k]} />
          ))
        )}
      </section>

      <div className="grid-2 grid-map">
        <ChartCard
          id="access-map"
          xlsx={xlsx}
          title={`${t.access.mapTitle}: ${metricLabel}`}
          height={MAP_HEIGHT}
          pending={query.isPending || geo.isPending}
          error={query.error}
          onRetry={() => query.refetch()}
          empty={data?.total.n_cases === 0}
          option={mapOption}
          maps={geoData ? { [DISTRICT_MAP_NAME]: geoData } : undefined}
          onClick={(e) => e.name && toggleDistrict(Number(e.name))}
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
                data-testid="access-map-metric"
                onChange={(e) => setView({ map: e.target.value })}
              >
                {ACCESS_MAP_METRICS.map((m) => (
                  <option key={m} value={m} disabled={!popLoaded && PER_RESIDENT.has(m)}>
                    {t.access.metrics[m]}
                    {!popLoaded && PER_RESIDENT.has(m) ? ` (${t.access.populationNotLoaded})` : ''}
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
                <span className="attribution" dir="ltr">
                  {t.map.attribution}
                </span>
              ) : null}
            </>
          }
        />
        <section className="card" aria-labelledby="whatif-title" data-testid="card-whatif">
          <header className="card-head">
            <h2 id="whatif-title">{t.access.whatIfTitle}</h2>
          </header>
          <div className="card-body" style={{ minHeight: MAP_HEIGHT }}>
            <QueryView query={query} what={t.access.whatIfTitle} height={MAP_HEIGHT}>
              {(d) => <WhatIfPanel data={d} names={names} lang={lang} t={t} />}
            </QueryView>
          </div>
        </section>
      </div>

      <section className="card" aria-labelledby="access-districts-title">
        <header className="card-head">
          <h2 id="access-districts-title">{t.access.districtsTitle}</h2>
        </header>
        <QueryView query={query} what={t.access.districtsTitle} height={300}>
          {(d) => (
            <DataTable
              id="access-districts"
              xlsx={xlsx}
              caption={t.access.districtsTitle}
              columns={districtColumns(t, lang, names, d.population.loaded)}
              rows={d.districts}
              rowKey={(r) => String(r.district)}
              sort={sort}
              onSort={(s) => setView({ sort: s.key, dir: s.dir }, { replace: true })}
            />
          )}
        </QueryView>
      </section>

      <section className="card" aria-labelledby="access-operators-title">
        <header className="card-head">
          <h2 id="access-operators-title">{t.access.operatorsTitle}</h2>
        </header>
        <QueryView query={query} what={t.access.operatorsTitle} height={300}>
          {(d) => (
            <DataTable
              id="access-operators"
              xlsx={xlsx}
              caption={t.access.operatorsTitle}
              columns={operatorColumns(t, lang, names)}
              rows={d.operators}
              rowKey={(r) => r.key}
              defaultSort={{ key: 'n_cases', dir: 'desc' }}
              maxHeight={520}
            />
          )}
        </QueryView>
      </section>
    </div>
  );
}

function Notes({ data, lang, t }: { data: AccessResponse; lang: Lang; t: T }) {
  const w = data.window;
  // `to` is the window's exclusive end (a midnight, or the as-of instant): show the last day inside it.
  const lastDay = w.to ? new Date(Date.parse(w.to) - 1000).toISOString() : null;
  const p = data.population;
  return (
    <div className="access-notes" data-testid="access-notes">
      <p className="note" data-testid="access-window" data-days={w.days ?? ''}>
        {t.access.window(formatDate(w.from, lang), formatDate(lastDay, lang), formatNumber(w.days, lang, 1))}
        {w.from_basis === 'data_start' ? ` ${t.access.windowFromData}` : ''}
        {w.to_basis === 'as_of' ? ` ${t.access.windowToAsOf}` : ''}
      </p>
      {!p.loaded ? (
        <p className="note note-warn" role="note" data-testid="access-population-missing">
          {t.access.populationMissing}
        </p>
      ) : p.districts_with_population < p.districts ? (
        <p className="note note-warn" role="note">
          {t.access.populationPartial(
            formatNumber(p.districts_with_population, lang),
            formatNumber(p.districts, lang),
          )}
        </p>
      ) : null}
      {p.loaded && p.sources.length > 0 ? (
        <p className="note small" data-testid="access-population-source">
          {t.access.populationSource(
            p.sources.join('؛ '),
            p.years.map((y) => localDigits(y, lang)).join('، ') || '—',
          )}
        </p>
      ) : null}
      {!data.operators_loaded ? <p className="note small">{t.access.operatorsMissing}</p> : null}
    </div>
  );
}

function AccessHeadlines({
  total,
  city,
  popLoaded,
  lang,
  t,
}: {
  total: AccessAggregate;
  city: AccessAggregate;
  popLoaded: boolean;
  lang: Lang;
  t: T;
}) {
  // DESIGN 10: the selection's figure, and the city-wide one labelled as such.
  const item = (key: keyof AccessAggregate & string, note?: string) => {
    const v = total[key] as number | null;
    const missing = PER_RESIDENT.has(key) && total.population === null;
    const cityV = city[key] as number | null;
    return (
      <Headline
        key={key}
        id={`access-${key}`}
        label={t.access.metrics[key]}
        value={missing ? null : v}
        display={missing ? t.access.populationNotLoaded : formatAccess(key, v, lang)}
        note={
          note ??
          (PER_RESIDENT.has(key) && city.population === null
            ? t.access.cityNote(t.access.populationNotLoaded)
            : t.access.cityNote(formatAccess(key, cityV, lang)))
        }
      />
    );
  };
  return (
    <>
      {item('active_offices', t.access.activeNote)}
      {item('residents_per_office')}
      {popLoaded ? item('offices_per_100k') : null}
      {item('cases_per_office_day')}
      {item('hhi_operators', t.access.hhiNote(formatPercent(total.largest_operator_share, lang)))}
      <Headline
        id="access-online_share"
        label={t.access.metrics.online_share}
        value={total.online_share}
        display={formatPercent(total.online_share, lang)}
        note={t.access.cityNote(formatPercent(city.online_share, lang))}
      />
    </>
  );
}

function WhatIfPanel({ data, names, lang, t }: { data: AccessResponse; names: Names; lang: Lang; t: T }) {
  const { state, setView } = useNav();
  const rows = data.districts;
  const fallback = mostResidentsPerOffice(rows)?.district ?? rows[0]?.district;
  const asked = Number(state.view.whatif);
  const district = rows.some((r) => r.district === asked) ? asked : fallback;
  const add = parseAdd(state.view.add);
  const row = rows.find((r) => r.district === district);
  if (!row) return <p className="muted">{t.states.empty}</p>;
  const w = whatIf(row, data.window.days, add);
  const residents = (v: number | null) =>
    row.population === null ? t.access.populationNotLoaded : formatAccess('residents_per_office', v, lang);
  const load = (v: number | null) => formatAccess('cases_per_office_day', v, lang);
  return (
    <div className="whatif" data-testid="whatif">
      <div className="whatif-inputs">
        <label className="field">
          <span>{t.access.whatIfDistrict}</span>
          <select
            value={String(district)}
            data-testid="whatif-district"
            onChange={(e) => setView({ whatif: e.target.value }, { replace: true })}
          >
            {rows.map((r) => (
              <option key={r.district} value={r.district}>
                {names.district(r.district)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t.access.whatIfAdd}</span>
          <input
            type="number"
            min={0}
            max={100}
            step={1}
            value={add}
            className="whatif-add"
            data-testid="whatif-add"
            onChange={(e) => setView({ add: String(parseAdd(e.target.value)) }, { replace: true })}
          />
        </label>
      </div>
      <table className="data-table whatif-table" data-testid="whatif-table">
        <caption className="sr-only">{t.access.whatIfTitle}</caption>
        <thead>
          <tr>
            <th scope="col">{names.district(row.district)}</th>
            <th scope="col" className="num">
              {t.access.now}
            </th>
            <th scope="col" className="num">
              {t.access.after(formatNumber(add, lang))}
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t.access.whatIfOffices}</th>
            <td className="num">{formatNumber(w.officesNow, lang)}</td>
            <td className="num" data-testid="whatif-offices-after" data-value={w.officesAfter}>
              {formatNumber(w.officesAfter, lang)}
            </td>
          </tr>
          <tr>
            <th scope="row">{t.access.whatIfResidents}</th>
            <td className="num">{residents(w.residentsNow)}</td>
            <td className="num" data-testid="whatif-residents-after" data-value={w.residentsAfter ?? ''}>
              {residents(w.residentsAfter)}
            </td>
          </tr>
          <tr>
            <th scope="row">{t.access.whatIfLoad}</th>
            <td className="num" data-testid="whatif-load-now" data-value={w.loadNow ?? ''}>
              {load(w.loadNow)}
            </td>
            <td className="num" data-testid="whatif-load-after" data-value={w.loadAfter ?? ''}>
              {load(w.loadAfter)}
            </td>
          </tr>
        </tbody>
      </table>
      <p className="note small" data-testid="whatif-model">
        {t.access.whatIfModel}
      </p>
    </div>
  );
}

function districtColumns(t: T, lang: Lang, names: Names, popLoaded: boolean): Column<AccessDistrict>[] {
  const m = t.access.metrics;
  const figure = (key: keyof AccessDistrict & string): Column<AccessDistrict> => ({
    key,
    header: m[key],
    value: (r) => r[key] as number | null,
    render: (r) => (
      <span data-testid={`cell-${key}-${r.district}`} data-value={(r[key] as number | null) ?? ''}>
        {formatAccess(key, r[key] as number | null, lang)}
      </span>
    ),
    numeric: true,
  });
  return [
    {
      key: 'district',
      header: t.filters.district,
      value: (r) => r.district,
      render: (r) => names.district(r.district),
    },
    ...(popLoaded ? [figure('population')] : []),
    figure('n_cases'),
    figure('active_offices'),
    ...(popLoaded
      ? [figure('residents_per_office'), figure('offices_per_100k'), figure('cases_per_1000_residents_year')]
      : []),
    figure('cases_per_office_day'),
    {
      key: 'online_share',
      header: m.online_share,
      value: (r) => r.online_share,
      render: (r) => formatPercent(r.online_share, lang),
      numeric: true,
    },
    figure('hhi_offices'),
    figure('hhi_operators'),
    {
      key: 'largest_operator',
      header: m.largest_operator,
      value: (r) => r.largest_operator_share,
      render: (r) =>
        r.largest_operator
          ? `${operatorName(r.largest_operator, names, t)} · ${formatPercent(r.largest_operator_share, lang, 0)}`
          : '—',
    },
    {
      key: 'highly_concentrated',
      header: m.highly_concentrated,
      value: (r) => r.highly_concentrated,
      render: (r) =>
        r.highly_concentrated === null
          ? '—'
          : r.highly_concentrated
            ? t.access.concentratedYes
            : t.access.concentratedNo,
    },
  ];
}

function operatorName(o: Pick<AccessOperator, 'operator' | 'office_id'>, names: Names, t: T): string {
  if (o.operator !== null) return o.operator;
  return t.access.ownOperator(o.office_id ? names.office(o.office_id) : '');
}

function operatorColumns(t: T, lang: Lang, names: Names): Column<AccessOperator>[] {
  const list = (ds: number[]) => ds.map((d) => names.district(d)).join(lang === 'fa' ? '، ' : ', ');
  return [
    {
      key: 'operator',
      header: t.access.operator,
      value: (o) => operatorName(o, names, t),
      wrap: true,
    },
    {
      key: 'offices',
      header: t.access.offices,
      value: (o) => o.offices,
      render: (o) => formatNumber(o.offices, lang),
      numeric: true,
    },
    {
      key: 'districts',
      header: t.access.districts,
      value: (o) => list(o.districts),
      wrap: true,
    },
    {
      key: 'n_cases',
      header: t.access.metrics.n_cases,
      value: (o) => o.n_cases,
      render: (o) => formatNumber(o.n_cases, lang),
      numeric: true,
    },
    {
      key: 'share',
      header: t.access.share,
      value: (o) => o.share,
      render: (o) => formatPercent(o.share, lang),
      numeric: true,
    },
    {
      key: 'largest_in',
      header: t.access.largestIn,
      value: (o) => list(o.largest_in),
      wrap: true,
    },
  ];
}
