/** One office against its district and the city: flags with reasons, trend, service mix, and its cases. */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { CaseRow, OfficeFlag, OfficeScorecard as Scorecard, ScoreMetrics } from '../api/types.ts';
import { buildControlChartOption } from '../charts/controlChart.ts';
import { buildOfficeTrendOption, buildServiceMixOption, serviceMixRows } from '../charts/officeCharts.ts';
import { ChartCard } from '../components/ChartCard.tsx';
import { type Column, DataTable } from '../components/DataTable.tsx';
import { formatSignalValue } from '../components/FlagValue.ts';
import { Pager } from '../components/Pager.tsx';
import { ErrorState, QueryView, Skeleton } from '../components/States.tsx';
import { useNames } from '../components/useNames.ts';
import { useT } from '../i18n/useT.ts';
import {
  calendarOf,
  formatDate,
  formatDays,
  formatMonth,
  formatNumber,
  formatP,
  formatPercent,
  formatZ,
  type Lang,
} from '../lib/format.ts';
import { casesOptions } from '../queries/cases.ts';
import { officeOptions } from '../queries/offices.ts';
import { urlOf } from '../queries/query.ts';
import { trendsOptions } from '../queries/trends.ts';
import { Link, useNav } from '../router.tsx';

const PAGE_SIZE = 50;
const STATUSES = ['open', 'completed', 'rejected', 'withdrawn'] as const;

export default function OfficeScorecard({ id }: { id: string }) {
  const { t, lang } = useT();
  const { state, hrefTo } = useNav();
  const { office: _o, ...filters } = state.filters;
  const cardOptions = officeOptions(id, filters, calendarOf(lang));
  const card = useQuery(cardOptions);
  const cardUrl = urlOf(cardOptions);

  if (card.isPending) return <Skeleton height={800} />;
  if (card.error || !card.data)
    return (
      <div className="view">
        <Link href={hrefTo({ name: 'offices' })}>{t.scorecard.back}</Link>
        <ErrorState
          what={`${t.offices.office} ${id}`}
          error={card.error}
          onRetry={() => card.refetch()}
          height={200}
        />
      </div>
    );
  const d = card.data;
  return (
    <div className="view" data-testid="view-office">
      <header className="view-head">
        <div>
          <Link href={hrefTo({ name: 'offices' })} className="back-link no-print">
            {t.scorecard.back}
          </Link>
          <h1 data-testid="office-name">{d.office.name}</h1>
          <p className="muted">
            {t.offices.id}: <span dir="ltr">{d.office.office_id}</span> · {d.office.district_label}
            {d.office.opened_on ? ` · ${t.scorecard.opened}: ${formatDate(d.office.opened_on, lang)}` : ''}
            {d.office.status ? ` · ${t.scorecard.status}: ${d.office.status}` : ''}
          </p>
        </div>
      </header>
      <div className="grid-2">
        <CompareTable metrics={d.metrics} lang={lang} xlsx={cardUrl} />
        <FlagList flags={d.flags} lang={lang} />
      </div>
      <div className="grid-2">
        <OfficeTrend trend={d.trend} lang={lang} xlsx={cardUrl} />
        <OfficeComplaintsChart officeId={id} />
      </div>
      <ServiceMix mix={d.service_mix} lang={lang} xlsx={cardUrl} />
      <OfficeCases officeId={id} />
    </div>
  );
}

function CompareTable({ metrics, lang, xlsx }: { metrics: Scorecard['metrics']; lang: Lang; xlsx: string }) {
  const { t } = useT();
  type Row = { key: keyof ScoreMetrics; fmt: (v: number | null) => string };
  const rows: Row[] = [
    { key: 'n_cases', fmt: (v) => formatNumber(v, lang) },
    { key: 'median_days', fmt: (v) => formatDays(v, lang) },
    { key: 'km_median_days', fmt: (v) => formatDays(v, lang) },
    { key: 'p90_days', fmt: (v) => formatDays(v, lang) },
    { key: 'breach_rate', fmt: (v) => formatPercent(v, lang) },
    { key: 'slow_share', fmt: (v) => formatPercent(v, lang) },
    { key: 'complaint_rate', fmt: (v) => formatNumber(v, lang, 1) },
    { key: 'bribe_rate', fmt: (v) => formatNumber(v, lang, 2) },
  ];
  const cell = (who: 'office' | 'district' | 'city') => (r: Row) => metrics[who][r.key] as number | null;
  const columns: Column<Row>[] = [
    { key: 'metric', header: t.scorecard.metric, value: (r) => t.metrics[r.key] ?? r.key, sortable: false },
    ...(['office', 'district', 'city'] as const).map((who) => ({
      key: who,
      header: t.scorecard[who],
      value: cell(who),
      render: (r: Row) => r.fmt(cell(who)(r)),
      numeric: true,
      sortable: false,
    })),
  ];
  return (
    <section className="card" aria-labelledby="compare-title">
      <header className="card-head">
        <h2 id="compare-title">{t.scorecard.compare}</h2>
      </header>
      <DataTable
        id="office-compare"
        xlsx={xlsx}
        caption={t.scorecard.compare}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.key}
      />
    </section>
  );
}

function FlagList({ flags, lang }: { flags: OfficeFlag[]; lang: Lang }) {
  const { t } = useT();
  const names = useNames();
  return (
    <section className="card" aria-labelledby="flags-title" data-testid="office-flags">
      <header className="card-head">
        <h2 id="flags-title">{t.scorecard.flags}</h2>
      </header>
      {flags.length === 0 ? (
        <p className="muted">{t.scorecard.noFlags}</p>
      ) : (
        <ul className="flag-cards">
          {flags.map((f) => (
            <li
              key={`${f.signal}:${f.scope}`}
              className={`flag-card flag-${f.signal}`}
              data-testid="office-flag-card"
            >
              <strong>{t.signals[f.signal] ?? f.signal}</strong>
              <span className="muted"> · {names.category(f.scope)}</span>
              <p>{lang === 'fa' ? f.reason_fa : f.reason_en}</p>
              <p className="muted small">
                {t.outliers.value}: {formatSignalValue(f.signal, f.value, lang)} · {t.outliers.target}:{' '}
                {formatSignalValue(f.signal, f.target, lang)} · z = {formatZ(f.z, lang)} · q ={' '}
                {formatP(f.q, lang)} · {t.outliers.n}: {formatNumber(f.n, lang)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function OfficeTrend({ trend, lang, xlsx }: { trend: Scorecard['trend']; lang: Lang; xlsx: string }) {
  const { t } = useT();
  // the scorecard was asked for months in the language's calendar (officeOptions)
  const monthCal = calendarOf(lang);
  const option = useMemo(() => buildOfficeTrendOption(trend, monthCal, lang), [trend, monthCal, lang]);
  type P = Scorecard['trend'][number];
  return (
    <ChartCard<P>
      id="office-trend"
      xlsx={xlsx}
      title={t.scorecard.trend}
      height={300}
      pending={false}
      empty={trend.length === 0}
      option={option}
      columns={[
        {
          key: 'month',
          header: t.trends.month,
          value: (p) => p.month,
          render: (p) => formatMonth(p.month, monthCal, lang),
        },
        {
          key: 'n_cases',
          header: t.metrics.n_cases,
          value: (p) => p.n_cases,
          render: (p) => formatNumber(p.n_cases, lang),
          numeric: true,
        },
        {
          key: 'median_days',
          header: t.metrics.median_days,
          value: (p) => p.median_days,
          render: (p) => formatDays(p.median_days, lang),
          numeric: true,
        },
        {
          key: 'complaints',
          header: t.metrics.complaints,
          value: (p) => p.complaints,
          render: (p) => formatNumber(p.complaints, lang),
          numeric: true,
        },
        {
          key: 'complaint_rate',
          header: t.metrics.complaint_rate,
          value: (p) => p.complaint_rate,
          render: (p) => formatNumber(p.complaint_rate, lang, 1),
          numeric: true,
        },
      ]}
      rows={trend}
      rowKey={(p) => p.month}
    />
  );
}

function OfficeComplaintsChart({ officeId }: { officeId: string }) {
  const { t, lang } = useT();
  const { state } = useNav();
  const { office: _o, ...filters } = state.filters;
  const calendar = calendarOf(lang);
  const options = trendsOptions({ ...filters, office: officeId, metric: 'complaints', by: 'city', calendar });
  const q = useQuery(options);
  const points = q.data?.series[0]?.points ?? [];
  const option = useMemo(
    () =>
      points.length ? buildControlChartOption({ points, kind: 'complaints', calendar, lang }) : undefined,
    [points, calendar, lang],
  );
  return (
    <ChartCard
      id="office-complaints"
      xlsx={urlOf(options)}
      title={t.trends.complaints}
      height={300}
      pending={q.isPending}
      error={q.error}
      onRetry={() => q.refetch()}
      empty={!q.isPending && !q.error && points.length === 0}
      option={option}
      columns={[
        {
          key: 'month',
          header: t.trends.month,
          value: (p) => p.month,
          render: (p) => formatMonth(p.month, calendar, lang),
        },
        { key: 'n', header: t.trends.n, value: (p) => p.n, numeric: true },
        {
          key: 'value',
          header: t.metrics.complaint_rate,
          value: (p) => (p.value == null ? null : p.value * 1000),
          numeric: true,
        },
        {
          key: 'ucl',
          header: t.trends.ucl,
          value: (p) => (p.ucl == null ? null : p.ucl * 1000),
          numeric: true,
        },
      ]}
      rows={points}
      rowKey={(p) => p.month}
    />
  );
}

function ServiceMix({ mix, lang, xlsx }: { mix: Scorecard['service_mix']; lang: Lang; xlsx: string }) {
  const { t } = useT();
  const names = useNames();
  const option = useMemo(() => buildServiceMixOption(mix, lang), [mix, lang]);
  const height = Math.max(240, serviceMixRows(mix).length * 34 + 60);
  type M = Scorecard['service_mix'][number];
  return (
    <ChartCard<M>
      id="office-service-mix"
      xlsx={xlsx}
      title={t.scorecard.serviceMix}
      height={height}
      pending={false}
      empty={mix.length === 0}
      option={option}
      columns={[
        {
          key: 'service',
          header: t.cases.service,
          value: (m) => (lang === 'fa' ? m.name : m.name_en || m.name),
        },
        { key: 'category', header: t.filters.category, value: (m) => names.category(m.category) },
        {
          key: 'n_cases',
          header: t.metrics.n_cases,
          value: (m) => m.n_cases,
          render: (m) => formatNumber(m.n_cases, lang),
          numeric: true,
        },
        {
          key: 'median_days',
          header: t.metrics.median_days,
          value: (m) => m.median_days,
          render: (m) => formatDays(m.median_days, lang),
          numeric: true,
        },
        {
          key: 'city_median_days',
          header: t.scorecard.cityMedian,
          value: (m) => m.city_median_days,
          render: (m) => formatDays(m.city_median_days, lang),
          numeric: true,
        },
      ]}
      rows={mix}
      rowKey={(m) => m.service_code}
    />
  );
}

function OfficeCases({ officeId }: { officeId: string }) {
  const { t, lang } = useT();
  const { state, setView } = useNav();
  const { office: _o, ...filters } = state.filters;
  const page = Math.max(1, Number.parseInt(state.view.page ?? '1', 10) || 1);
  const status = STATUSES.find((s) => s === state.view.status);
  const breached = state.view.breached === 'true' ? 'true' : undefined;
  const options = casesOptions({
    ...filters,
    office: officeId,
    page,
    page_size: PAGE_SIZE,
    status,
    breached,
  });
  const q = useQuery(options);
  const columns: Column<CaseRow>[] = [
    {
      key: 'case_id',
      header: t.cases.case_id,
      value: (c) => c.case_id,
      render: (c) => <span dir="ltr">{c.case_id}</span>,
    },
    { key: 'service', header: t.cases.service, value: (c) => c.service_name },
    {
      key: 'submitted_at',
      header: t.cases.submitted_at,
      value: (c) => c.submitted_at,
      render: (c) => formatDate(c.submitted_at, lang),
    },
    {
      key: 'closed_at',
      header: t.cases.closed_at,
      value: (c) => c.closed_at,
      render: (c) => formatDate(c.closed_at, lang),
    },
    {
      key: 'status',
      header: t.cases.status,
      value: (c) => c.status,
      render: (c) => t.statuses[c.status] ?? c.status,
    },
    {
      key: 'channel',
      header: t.cases.channel,
      value: (c) => c.channel,
      render: (c) => (c.channel ? t.channels[c.channel] : ''),
    },
    {
      key: 'duration_days',
      header: t.cases.duration_days,
      value: (c) => c.duration_days,
      render: (c) => formatDays(c.duration_days, lang),
      numeric: true,
    },
    {
      key: 'age_days',
      header: t.cases.age_days,
      value: (c) => c.age_days,
      render: (c) => formatDays(c.age_days, lang),
      numeric: true,
    },
    {
      key: 'breached',
      header: t.cases.breached,
      value: (c) => c.breached,
      render: (c) => (c.breached == null ? '' : c.breached ? t.cases.yes : t.cases.no),
    },
  ];
  return (
    <section className="card" aria-labelledby="cases-title" data-testid="office-cases">
      <header className="card-head">
        <h2 id="cases-title">{t.scorecard.cases}</h2>
        <div className="card-actions no-print">
          <label className="inline-field">
            <span>{t.cases.filterStatus}</span>
            <select
              value={status ?? ''}
              data-testid="cases-status"
              onChange={(e) => setView({ status: e.target.value || undefined, page: undefined })}
            >
              <option value="">{t.filters.all}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t.statuses[s]}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <input
              type="checkbox"
              checked={breached === 'true'}
              data-testid="cases-breached"
              onChange={(e) => setView({ breached: e.target.checked ? 'true' : undefined, page: undefined })}
            />
            <span>{t.cases.onlyBreached}</span>
          </label>
        </div>
      </header>
      <QueryView query={q} what={t.scorecard.cases} height={400} isEmpty={(d) => d.total === 0}>
        {(d) => (
          <>
            <DataTable
              id="cases"
              xlsx={urlOf(options)}
              caption={t.scorecard.cases}
              columns={columns}
              rows={d.rows}
              rowKey={(c) => c.case_id}
            />
            <Pager
              id="cases"
              label={t.scorecard.cases}
              page={d.page}
              pageSize={d.page_size}
              total={d.total}
              onPage={(p) => setView({ page: p === 1 ? undefined : String(p) })}
            />
          </>
        )}
      </QueryView>
    </section>
  );
}
