/** One office against its district and the city: flags with reasons, trend, service mix, and its cases. */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import type {
  CaseParams,
  CaseRow,
  OfficeFlag,
  OfficeScorecard as Scorecard,
  ScoreMetrics,
} from '../api/types.ts';
import { buildControlChartOption } from '../charts/controlChart.ts';
import { buildOfficeTrendOption, buildServiceMixOption, serviceMixRows } from '../charts/officeCharts.ts';
import { CaseTimeline } from '../components/CaseTimeline.tsx';
import { ChartCard } from '../components/ChartCard.tsx';
import { type Column, DataTable, type SortState } from '../components/DataTable.tsx';
import { formatSignalValue } from '../components/FlagValue.ts';
import { HowComputed } from '../components/HowComputed.tsx';
import { OfficeHands } from '../components/OfficeHands.tsx';
import { Pager } from '../components/Pager.tsx';
import { ErrorState, QueryView, Skeleton } from '../components/States.tsx';
import { useNames } from '../components/useNames.ts';
import { useT } from '../i18n/useT.ts';
import { flagCases, flagCasesView, parseFlag } from '../lib/flags.ts';
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

type CaseSortKey = NonNullable<CaseParams['sort']>;
const COMMON_SORTS: CaseSortKey[] = [
  'case_id',
  'service',
  'submitted_at',
  'closed_at',
  'status',
  'channel',
  'duration_days',
  'age_days',
  'breached',
];
/** The API's sort keys for each kind of list (api/metrics/cases.ts): a column without one is not sortable. */
const CASE_SORTS: Record<string, CaseSortKey[]> = {
  none: COMMON_SORTS,
  slow_share: [...COMMON_SORTS, 'slower'],
  complaints: [...COMMON_SORTS, 'complaints', 'bribe_reports'],
  bribe_reports: [...COMMON_SORTS, 'complaints', 'bribe_reports'],
};

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
            {d.office.status
              ? ` · ${t.scorecard.status}: ${t.officeStatuses[d.office.status.toLowerCase()] ?? d.office.status}`
              : ''}
          </p>
        </div>
      </header>
      <div className="grid-2">
        <CompareTable
          metrics={d.metrics}
          districtName={d.office[lang === 'fa' ? 'district_label' : 'district_label_en']}
          lang={lang}
          xlsx={cardUrl}
        />
        <FlagList flags={d.flags} officeId={id} lang={lang} />
      </div>
      <div className="grid-2">
        <OfficeTrend trend={d.trend} lang={lang} xlsx={cardUrl} />
        <OfficeComplaintsChart officeId={id} />
      </div>
      {/* Issue 11: how much of the office's case time was in its own hands. */}
      <OfficeHands officeId={id} filters={filters} />
      <ServiceMix mix={d.service_mix} lang={lang} xlsx={cardUrl} />
      <OfficeCases officeId={id} flags={d.flags} />
    </div>
  );
}

/**
 * The office beside its district and the city. Rates, shares and times are the district's and the
 * city's own figures (all their cases together); a count is not comparable that way, so the case
 * count of the district and the city is shown per office (their total over the offices with cases).
 */
function CompareTable({
  metrics,
  districtName,
  lang,
  xlsx,
}: {
  metrics: Scorecard['metrics'];
  districtName: string;
  lang: Lang;
  xlsx: string;
}) {
  const { t } = useT();
  type Row = {
    key: string;
    label: string;
    value: (m: ScoreMetrics, who: 'office' | 'district' | 'city') => number | null;
    fmt: (v: number | null) => string;
  };
  const field = (k: keyof ScoreMetrics) => (m: ScoreMetrics) => m[k] as number | null;
  const rows: Row[] = [
    {
      key: 'n_cases',
      label: t.scorecard.casesPerOffice,
      value: (m, who) => (who === 'office' ? m.n_cases : m.offices > 0 ? m.n_cases / m.offices : null),
      fmt: (v) => formatNumber(v, lang),
    },
    {
      key: 'offices',
      label: t.scorecard.activeOffices,
      value: (m, who) => (who === 'office' ? null : m.offices),
      fmt: (v) => formatNumber(v, lang),
    },
    ...(
      [
        ['median_days', (v: number | null) => formatDays(v, lang)],
        ['km_median_days', (v: number | null) => formatDays(v, lang)],
        ['p90_days', (v: number | null) => formatDays(v, lang)],
        ['breach_rate', (v: number | null) => formatPercent(v, lang)],
        ['slow_share', (v: number | null) => formatPercent(v, lang)],
        ['complaint_rate', (v: number | null) => formatNumber(v, lang, 1)],
        ['bribe_rate', (v: number | null) => formatNumber(v, lang, 2)],
      ] as const
    ).map(([k, fmt]) => ({ key: k, label: t.metrics[k] ?? k, value: field(k), fmt })),
  ];
  const headers = {
    office: t.scorecard.office,
    district: t.scorecard.districtOf(districtName),
    city: t.scorecard.city,
  };
  const columns: Column<Row>[] = [
    { key: 'metric', header: t.scorecard.metric, value: (r) => r.label, sortable: false, wrap: true },
    ...(['office', 'district', 'city'] as const).map((who) => ({
      key: who,
      header: headers[who],
      value: (r: Row) => r.value(metrics[who], who),
      render: (r: Row) => r.fmt(r.value(metrics[who], who)),
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

function FlagList({ flags, officeId, lang }: { flags: OfficeFlag[]; officeId: string; lang: Lang }) {
  const { t } = useT();
  const names = useNames();
  const { hrefTo } = useNav();
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
              <p className="small">
                {t.outliers.value}: {formatSignalValue(f.signal, f.value, lang)} · {t.outliers.target}:{' '}
                {formatSignalValue(f.signal, f.target, lang)} ·{' '}
                <Link
                  href={hrefTo({ name: 'office', id: officeId }, flagCasesView(f.signal, f.scope))}
                  data-testid="flag-cases-link"
                  data-n={f.n}
                  data-flag={`${f.signal}:${f.scope}`}
                >
                  {t.flagCases.link(formatNumber(f.n, lang), flagCases(f.signal, f.scope).basis)}
                </Link>
              </p>
              <HowComputed>
                <p className="muted small">
                  z = {formatZ(f.z, lang)} · q = {formatP(f.q, lang)} · {t.outliers.howFlag}
                </p>
              </HowComputed>
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

/**
 * The office's cases, sorted and paged by the API over all of them. Opened from a flag (`flag` in the
 * URL: signal:scope), it lists exactly the cases that signal counts (lib/flags.ts `flagCases`): for
 * the speed signals the closed cases of the scope, each marked when slower than its service's city
 * median; for complaints and bribe reports every case in the window with its complaints. The count
 * shown is the flag's n.
 */
function OfficeCases({ officeId, flags }: { officeId: string; flags: OfficeFlag[] }) {
  const { t, lang } = useT();
  const { state, setView, hrefTo } = useNav();
  const names = useNames();
  const { office: _o, ...filters } = state.filters;
  const section = useRef<HTMLElement>(null);
  const flagParam = state.view.flag;
  const flag = flagParam ? parseFlag(flagParam) : null;
  const basis = flag ? flagCases(flag.signal, flag.scope) : null;
  const shownFlag = flag ? flags.find((f) => f.signal === flag.signal && f.scope === flag.scope) : undefined;
  const page = Math.max(1, Number.parseInt(state.view.page ?? '1', 10) || 1);
  const status = STATUSES.find((s) => s === state.view.status);
  const breached = state.view.breached === 'true' ? 'true' : undefined;
  const slowerOnly = basis?.basis === 'slow_share' && state.view.slower === 'true' ? 'true' : undefined;
  const sortKeys = CASE_SORTS[basis?.basis ?? 'none'];
  const sort: SortState = {
    key: sortKeys.includes(state.view.sort as CaseSortKey)
      ? (state.view.sort as string)
      : (basis?.sort ?? 'submitted_at'),
    dir: state.view.dir === 'asc' || state.view.dir === 'desc' ? state.view.dir : (basis?.dir ?? 'desc'),
  };
  const options = casesOptions({
    ...filters,
    ...(basis?.category ? { category: basis.category } : {}),
    office: officeId,
    page,
    page_size: PAGE_SIZE,
    status,
    breached,
    basis: basis?.basis,
    slower: slowerOnly,
    sort: sort.key as CaseSortKey,
    order: sort.dir,
  });
  const q = useQuery(options);
  useEffect(() => {
    if (flagParam) section.current?.scrollIntoView({ block: 'start' });
  }, [flagParam]);
  const yesNo = (v: boolean | null) => (v == null ? '' : v ? t.cases.yes : t.cases.no);
  const columns: Column<CaseRow>[] = (
    [
      {
        key: 'case_id',
        header: t.cases.case_id,
        value: (c) => c.case_id,
        // Opens the case's timeline (issue 11) below the table; the choice lives in the URL.
        render: (c) => (
          <button
            type="button"
            className="link-button"
            dir="ltr"
            aria-label={t.process.timeline.open(c.case_id)}
            aria-expanded={state.view.case === c.case_id}
            data-testid="case-open"
            onClick={() => setView({ case: state.view.case === c.case_id ? undefined : c.case_id })}
          >
            {c.case_id}
          </button>
        ),
      },
      { key: 'service', header: t.cases.service, value: (c) => c.service_name, wrap: true },
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
      ...(basis?.basis === 'slow_share'
        ? [
            {
              key: 'city_median_days',
              header: t.flagCases.cityMedian,
              value: (c: CaseRow) => c.city_median_days,
              render: (c: CaseRow) => formatDays(c.city_median_days, lang),
              numeric: true,
              sortable: false,
            },
            {
              key: 'slower',
              header: t.flagCases.slower,
              value: (c: CaseRow) => c.slower,
              render: (c: CaseRow) => yesNo(c.slower),
            },
          ]
        : [
            {
              key: 'age_days',
              header: t.cases.age_days,
              value: (c: CaseRow) => c.age_days,
              render: (c: CaseRow) => formatDays(c.age_days, lang),
              numeric: true,
            },
          ]),
      ...(basis && basis.basis !== 'slow_share'
        ? [
            {
              key: 'complaints',
              header: t.metrics.complaints,
              value: (c: CaseRow) => c.complaints,
              render: (c: CaseRow) => formatNumber(c.complaints, lang),
              numeric: true,
            },
            {
              key: 'bribe_reports',
              header: t.metrics.bribe_reports,
              value: (c: CaseRow) => c.bribe_reports,
              render: (c: CaseRow) => formatNumber(c.bribe_reports, lang),
              numeric: true,
            },
          ]
        : []),
      {
        key: 'breached',
        header: t.cases.breached,
        value: (c) => c.breached,
        render: (c) => yesNo(c.breached),
      },
    ] as Column<CaseRow>[]
  ).map((c) => ({ ...c, sortable: c.sortable ?? sortKeys.includes(c.key as CaseSortKey) }));
  return (
    <section className="card" aria-labelledby="cases-title" data-testid="office-cases" ref={section}>
      <header className="card-head">
        <h2 id="cases-title">
          {flag
            ? t.flagCases.title(t.signals[flag.signal] ?? flag.signal, names.category(flag.scope))
            : t.scorecard.cases}
        </h2>
        <div className="card-actions no-print">
          {flag ? (
            <Link
              href={hrefTo({ name: 'office', id: officeId })}
              className="btn btn-small"
              data-testid="cases-all"
            >
              {t.flagCases.all}
            </Link>
          ) : null}
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
          {basis?.basis === 'slow_share' ? (
            <label className="inline-field">
              <input
                type="checkbox"
                checked={slowerOnly === 'true'}
                data-testid="cases-slower"
                onChange={(e) => setView({ slower: e.target.checked ? 'true' : undefined, page: undefined })}
              />
              <span>{t.flagCases.onlySlower}</span>
            </label>
          ) : null}
        </div>
      </header>
      <QueryView query={q} what={t.scorecard.cases} height={400} isEmpty={(d) => d.total === 0}>
        {(d) => (
          <>
            {basis ? (
              <p className="note flag-cases-note" data-testid="cases-total" data-value={d.total}>
                {basis.basis === 'slow_share'
                  ? t.flagCases.slowNote(
                      formatNumber(d.total, lang),
                      formatNumber(d.summary.slower, lang),
                      formatPercent(d.total ? (d.summary.slower ?? 0) / d.total : null, lang),
                    )
                  : t.flagCases.complaintNote(
                      formatNumber(d.total, lang),
                      formatNumber(d.summary.complaints, lang),
                      formatNumber(d.summary.complaints_on_listed, lang),
                      basis.basis === 'bribe_reports',
                    )}
                {shownFlag && !status && !breached && !slowerOnly && shownFlag.n !== d.total
                  ? ` ${t.flagCases.differs(formatNumber(shownFlag.n, lang))}`
                  : ''}
              </p>
            ) : (
              <p className="muted small" data-testid="cases-total" data-value={d.total}>
                {t.flagCases.count(formatNumber(d.total, lang))}
              </p>
            )}
            <DataTable
              id="cases"
              xlsx={urlOf(options)}
              caption={t.scorecard.cases}
              columns={columns}
              rows={d.rows}
              rowKey={(c) => c.case_id}
              sort={sort}
              onSort={(s) => setView({ sort: s.key, dir: s.dir, page: undefined })}
              sortedByServer
              rowClass={(c) => (c.slower ? 'row-slower' : undefined)}
            />
            <Pager
              id="cases"
              label={t.scorecard.cases}
              page={d.page}
              pageSize={d.page_size}
              total={d.total}
              onPage={(p) => setView({ page: p === 1 ? undefined : String(p) })}
            />
            {state.view.case ? (
              <CaseTimeline
                key={state.view.case}
                caseId={state.view.case}
                onClose={() => setView({ case: undefined })}
              />
            ) : null}
          </>
        )}
      </QueryView>
    </section>
  );
}
