/**
 * The council's monthly report (issue 15): a month and a scope chosen here (the month in the URL's
 * `month`, the district in the usual `district` filter), everything else from GET /api/report. The
 * first page is the summary in sentences (web/lib/reportSentences.ts); the following pages hold the
 * changes beyond chance, the flagged offices and districts, the district comparison, the service
 * categories, complaints by category and channel and the twelve-month trend, with the tests in the
 * footnote. It prints to A4 (styles.css, "Monthly report"): the title, scope, period and as-of date
 * and the page number in every page's margin, charts as SVG, tables that repeat their header row.
 * `npm run report` prints the same page to PDF (api/report/cli.ts), waiting for `data-ready`.
 */
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import type { Report as ReportAnswer, ReportChange } from '../api/types.ts';
import { useUser } from '../auth/session.ts';
import { EChart } from '../charts/EChart.tsx';
import { buildDistrictCompareOption, buildReportTrendOption } from '../charts/reportCharts.ts';
import { formatSignalValue } from '../components/FlagValue.ts';
import { ErrorState, Skeleton } from '../components/States.tsx';
import { useNames } from '../components/useNames.ts';
import { useT } from '../i18n/useT.ts';
import {
  formatDate,
  formatDays,
  formatNumber,
  formatP,
  formatPer1000,
  formatPercent,
  formatZ,
  type Lang,
} from '../lib/format.ts';
import { changeText, reportMonth, reportSentences, scopeTitle, stageName } from '../lib/reportSentences.ts';
import { metaOptions } from '../queries/meta.ts';
import { reportQueries } from '../queries/views.ts';
import { useNav } from '../router.tsx';
import './report.css';

/** DESIGN 9: an office flag that belongs to its district says so beside its reason. */
function attributionOf(f: object, lang: Lang): string {
  if (!('attribution' in f) || f.attribution !== 'district') return '';
  const a = f as { attribution_fa?: string | null; attribution_en?: string | null };
  return (lang === 'fa' ? a.attribution_fa : a.attribution_en) ?? '';
}

/** A CSS string literal (for the page margins' `content`). */
const cssString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`;

export default function Report() {
  const { t, lang } = useT();
  const { state, setView, setFilters } = useNav();
  const user = useUser();
  const meta = useQuery(metaOptions());
  const month = state.view.month;
  const district = state.filters.district;
  const q = useQuery(reportQueries(month, district).report);
  const r = q.data;
  const tr = t.report;

  const districtChoices =
    user?.role === 'inspector' ? (user.districts ?? []) : (meta.data?.districts.map((d) => d.district) ?? []);
  const names = useNames();

  const print = async () => {
    const filters: Record<string, string> = { lang };
    if (r) filters.month = r.month;
    if (district) filters.district = district;
    try {
      await api.auditExport({ view: 'report', filters, rows: r?.districts.length ?? 0 });
    } catch (err) {
      console.warn('The print could not be recorded, so it was not started:', err);
      return;
    }
    window.print();
  };

  return (
    <div className="view report-page" data-testid="view-report">
      <div className="report-controls no-print card">
        <label>
          {tr.month}
          <select
            data-testid="report-month"
            value={r?.month ?? month ?? ''}
            onChange={(e) => setView({ month: e.target.value || undefined })}
            disabled={!r}
          >
            {(r?.months ?? []).map((m) => (
              <option key={m} value={m}>
                {reportMonth(m, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {tr.scope}
          <select
            data-testid="report-scope"
            value={district ?? ''}
            onChange={(e) => setFilters({ district: e.target.value || undefined })}
          >
            <option value="">{user?.role === 'inspector' ? tr.scopeMine : tr.scopeCity}</option>
            {districtChoices.map((d) => (
              <option key={d} value={String(d)}>
                {names.district(d)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" data-testid="report-print" onClick={print} disabled={!r}>
          {tr.print}
        </button>
        <p className="muted small">{tr.printHint}</p>
      </div>
      {q.isPending ? (
        <Skeleton height={600} />
      ) : q.error || !r ? (
        <ErrorState what={tr.title} error={q.error} onRetry={() => q.refetch()} height={300} />
      ) : (
        <ReportDocument r={r} lang={lang} />
      )}
    </div>
  );
}

function ReportDocument({ r, lang }: { r: ReportAnswer; lang: Lang }) {
  const { t } = useT();
  const tr = t.report;
  const names = useNames();
  // Charts measure their text when drawn (and zrender keeps the widths): draw them once the Persian
  // font is loaded, or legends and labels are laid out for a fallback font's widths.
  const [fontsReady, setFontsReady] = useState(false);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let alive = true;
    const sample = 'گزارش ماهانه ۱۲۳ Report';
    Promise.all([
      document.fonts.load('400 12px Vazirmatn', sample),
      document.fonts.load('700 12px Vazirmatn', sample),
    ])
      .catch(() => undefined)
      .then(() => {
        if (alive) setFontsReady(true);
      });
    return () => {
      alive = false;
    };
  }, []);
  const month = reportMonth(r.month, lang);
  const prevMonth = reportMonth(r.previous_month, lang);
  const scope = scopeTitle(r, lang);
  // The window is [from, to): its last day is the day before `to`.
  const lastDay = new Date(Date.parse(r.window.to) - 1).toISOString();
  const metaLine = tr.meta(
    scope,
    tr.window(formatDate(r.window.from, lang), formatDate(lastDay, lang)),
    formatDate(r.as_of, lang),
  );
  const title = tr.docTitle(month, scope);
  const sentences = useMemo(() => reportSentences(r, lang), [r, lang]);
  const districtOption = useMemo(
    () => buildDistrictCompareOption(r.districts, lang, names.district),
    [r.districts, lang, names],
  );
  const trendOption = useMemo(() => buildReportTrendOption(r.trend, lang), [r.trend, lang]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the page is final again only after new data or language
  useEffect(() => {
    // Charts are drawn synchronously (SVG, no animation) once the fonts are in; then the page is final.
    let alive = true;
    setReady(false);
    if (!fontsReady) return;
    document.fonts.ready.then(() =>
      requestAnimationFrame(() => {
        if (alive) setReady(true);
      }),
    );
    return () => {
      alive = false;
    };
  }, [r, lang, fontsReady]);

  // Every printed page's margins (report.css) read their text from these custom properties of the
  // root element: the page context inherits from it, and an inline <style> would be refused by the CSP.
  const [pageWord, ofWord] = tr.pageOf;
  useEffect(() => {
    const root = document.documentElement.style;
    const vars: Record<string, string> = {
      '--report-head': cssString(`${t.app.title} — ${title}`),
      '--report-meta': cssString(metaLine),
      '--report-page': cssString(pageWord),
      '--report-of': cssString(ofWord),
      '--report-counter': lang === 'fa' ? 'persian' : 'decimal',
      '--report-dir': t.dir,
    };
    for (const [k, v] of Object.entries(vars)) root.setProperty(k, v);
    return () => {
      for (const k of Object.keys(vars)) root.removeProperty(k);
    };
  }, [title, metaLine, pageWord, ofWord, lang, t]);
  const beyond = r.changes.filter((c) => c.beyond_chance);
  const flags = [
    ...r.flags.flags.map((f) => ({
      ...f,
      who: f.office_name,
      key: `o:${f.office_id}:${f.signal}:${f.scope}`,
    })),
    ...r.flags.district_flags.map((f) => ({
      ...f,
      who: lang === 'fa' ? f.label : f.label_en,
      key: `d:${f.district}:${f.signal}:${f.scope}`,
    })),
  ].sort((a, b) => Math.abs(b.z ?? 0) - Math.abs(a.z ?? 0));
  const changeOf = (group: ReportChange['group'], key: string, kind: ReportChange['kind'] = 'median') =>
    r.changes.find((c) => c.group === group && c.key === key && c.kind === kind);
  const n = (v: number | null | undefined) => formatNumber(v, lang);
  const lbl = (x: { label: string; label_en: string }) => (lang === 'fa' ? x.label : x.label_en);
  const qCell = (c: ReportChange | undefined) =>
    c ? (
      <span className={c.beyond_chance ? 'report-beyond' : undefined}>
        {formatP(c.q, lang)}
        {c.beyond_chance ? ' *' : ''}
      </span>
    ) : (
      '—'
    );

  return (
    <article
      className="report-doc"
      data-testid="report-doc"
      data-ready={ready ? 'true' : 'false'}
      data-month={r.month}
      aria-label={title}
    >
      <header className="report-head">
        <h1 data-testid="report-title">{`${tr.title} — ${month}`}</h1>
        <p className="report-scope" data-testid="report-scope-line">
          {metaLine}
        </p>
      </header>

      <section className="report-summary" data-testid="report-summary">
        <h2>{tr.sections.summary}</h2>
        <ul>
          {sentences.map((s) => (
            <li key={s.id} data-sentence={s.id}>
              {s.text}
            </li>
          ))}
        </ul>
      </section>

      <Section id="changes" title={`${tr.sections.changes} (${prevMonth} → ${month})`}>
        {beyond.length === 0 ? (
          <p>{tr.noChanges}</p>
        ) : (
          <Table
            head={[tr.cols.what, tr.cols.before, tr.cols.after, tr.cols.test, tr.cols.p, tr.cols.q]}
            numeric={[1, 2, 4, 5]}
            rows={beyond.map((c) => ({
              key: `${c.kind}:${c.group}:${c.key}`,
              cells: [
                `${changeText(c, lang)}${c.provisional ? ` (${tr.cols.provisional})` : ''}`,
                c.kind === 'median'
                  ? formatDays(c.before, lang)
                  : c.kind === 'breach_rate'
                    ? formatPercent(c.before, lang)
                    : formatPer1000(c.before, lang),
                c.kind === 'median'
                  ? formatDays(c.after, lang)
                  : c.kind === 'breach_rate'
                    ? formatPercent(c.after, lang)
                    : formatPer1000(c.after, lang),
                tr.tests[c.test] ?? c.test,
                formatP(c.p, lang),
                formatP(c.q, lang),
              ],
            }))}
          />
        )}
      </Section>

      <Section id="flags" title={tr.sections.flags}>
        {flags.length === 0 ? (
          <p>{tr.noFlags}</p>
        ) : (
          <Table
            head={[
              tr.cols.office,
              tr.cols.district,
              tr.cols.signal,
              tr.cols.scope,
              tr.cols.value,
              tr.cols.target,
              tr.cols.z,
              tr.cols.q,
              tr.cols.reason,
            ]}
            numeric={[4, 5, 6, 7]}
            wrap={[8]}
            rows={flags.map((f) => ({
              key: f.key,
              cells: [
                f.who,
                names.district(f.district),
                t.signals[f.signal] ?? f.signal,
                names.category(f.scope),
                formatSignalValue(f.signal, f.value, lang),
                formatSignalValue(f.signal, f.target, lang),
                formatZ(f.z, lang),
                formatP(f.q, lang),
                [lang === 'fa' ? f.reason_fa : f.reason_en, attributionOf(f, lang)].filter(Boolean).join(' '),
              ],
            }))}
          />
        )}
      </Section>

      <Section id="districts" title={tr.sections.districts}>
        {r.districts.length > 1 && fontsReady ? (
          <figure className="report-chart">
            <figcaption>{tr.chart.districtTitle}</figcaption>
            <EChart
              option={districtOption}
              height={260}
              ariaLabel={tr.chart.districtTitle}
              renderer="svg"
              testId="report-chart-districts"
            />
          </figure>
        ) : null}
        <Table
          head={[
            tr.cols.district,
            tr.cols.cases,
            tr.cols.openShare,
            tr.cols.median,
            tr.cols.medianPrev,
            tr.cols.kmMedian,
            tr.cols.breach,
            tr.cols.complaintRate,
            tr.cols.q,
          ]}
          numeric={[1, 2, 3, 4, 5, 6, 7, 8]}
          rows={r.districts.map((d) => ({
            key: d.key,
            cells: [
              lbl(d),
              n(d.current.n_cases),
              formatPercent(d.current.open_share, lang),
              formatDays(d.current.median_days, lang),
              formatDays(d.previous.median_days, lang),
              formatDays(d.current.km_median_days, lang),
              formatPercent(d.current.breach_rate, lang),
              formatPer1000(d.complaints.rate, lang),
              qCell(changeOf('district', d.key)),
            ],
          }))}
        />
      </Section>

      <Section id="categories" title={tr.sections.categories}>
        <Table
          head={[
            tr.cols.group,
            tr.cols.cases,
            tr.cols.closed,
            tr.cols.openShare,
            tr.cols.median,
            tr.cols.medianPrev,
            tr.cols.kmMedian,
            tr.cols.q,
          ]}
          numeric={[1, 2, 3, 4, 5, 6, 7]}
          rows={r.categories.map((c) => ({
            key: c.key,
            cells: [
              lbl(c),
              n(c.current.n_cases),
              n(c.current.n_closed),
              formatPercent(c.current.open_share, lang),
              formatDays(c.current.median_days, lang),
              formatDays(c.previous.median_days, lang),
              formatDays(c.current.km_median_days, lang),
              qCell(changeOf('category', c.key)),
            ],
          }))}
        />
      </Section>

      <Section id="complaints" title={tr.sections.complaints}>
        <div className="report-two">
          <Table
            head={[tr.cols.category, tr.cols.after, tr.cols.before, tr.cols.complaintRate, tr.cols.q]}
            numeric={[1, 2, 3, 4]}
            rows={r.complaints_by_category.map((c) => ({
              key: c.key,
              cells: [
                lbl(c),
                n(c.count),
                n(c.previous),
                formatPer1000(c.rate, lang),
                qCell(changeOf('complaint_category', c.key, 'complaint_rate')),
              ],
            }))}
          />
          <Table
            head={[tr.cols.source, tr.cols.after, tr.cols.before, tr.cols.complaintRate]}
            numeric={[1, 2, 3]}
            rows={r.complaints_by_source.map((c) => ({
              key: c.key,
              cells: [lbl(c), n(c.count), n(c.previous), formatPer1000(c.rate, lang)],
            }))}
          />
        </div>
      </Section>

      <Section id="stages" title={tr.sections.stages}>
        <StageBottlenecks r={r} lang={lang} />
      </Section>

      <Section id="trend" title={tr.sections.trend}>
        <figure className="report-chart">
          <figcaption>{tr.chart.trendTitle}</figcaption>
          {fontsReady ? (
            <EChart
              option={trendOption}
              height={240}
              ariaLabel={tr.chart.trendTitle}
              renderer="svg"
              testId="report-chart-trend"
            />
          ) : null}
        </figure>
        <Table
          head={[
            tr.cols.month,
            tr.cols.cases,
            tr.cols.closed,
            tr.cols.median,
            tr.cols.complaints,
            tr.cols.complaintRate,
          ]}
          numeric={[1, 2, 3, 4, 5]}
          rows={r.trend.map((p) => ({
            key: p.month,
            cells: [
              reportMonth(p.month, lang),
              n(p.n_cases),
              n(p.n_closed),
              formatDays(p.median_days, lang),
              n(p.complaints),
              formatPer1000(p.complaint_rate, lang),
            ],
          }))}
        />
      </Section>

      <footer className="report-foot" data-testid="report-footnote">
        <h2>{tr.sections.method}</h2>
        <p>
          {tr.footnote(
            formatNumber(r.settings.alpha, lang, 2),
            n(r.settings.slowest_min_n),
            formatPercent(r.settings.provisional_open_share, lang, 0),
          )}
        </p>
      </footer>
    </article>
  );
}

/** DESIGN 12–13 for the month: each district's bottleneck and whose hands the days were in, or why not. */
function StageBottlenecks({ r, lang }: { r: ReportAnswer; lang: Lang }) {
  const { t } = useT();
  const tr = t.report;
  const s = r.stages;
  if (!s)
    return (
      <p className="muted" data-testid="report-stages-empty" data-empty="no-events">
        {tr.stagesMissing}
      </p>
    );
  if (s.n_cases === 0)
    return (
      <p className="muted" data-testid="report-stages-empty" data-empty="no-cases">
        {tr.stagesNone}
      </p>
    );
  const pct = (v: number | null) => formatPercent(v, lang);
  const a = s.actors.shares;
  return (
    <>
      <p>{tr.stagesIntro(formatNumber(s.n_cases, lang))}</p>
      <p data-testid="report-stages-actors">
        {tr.stagesActors(pct(a.office), pct(a.municipality), pct(a.citizen), pct(a.other))}
      </p>
      <Table
        head={[
          tr.cols.district,
          tr.stageCols.stage,
          tr.stageCols.actor,
          tr.stageCols.share,
          tr.stageCols.days,
          tr.stageCols.cases,
        ]}
        numeric={[3, 4, 5]}
        wrap={[1]}
        rows={s.bottlenecks.map((b) => ({
          key: String(b.district),
          cells: [
            lang === 'fa' ? b.label : b.label_en,
            stageName(b, lang),
            t.process.actors[b.actor],
            pct(b.share),
            formatDays(b.total_days, lang),
            formatNumber(b.n_cases, lang),
          ],
        }))}
      />
    </>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="report-section" aria-labelledby={`report-${id}-title`} data-testid={`report-${id}`}>
      <h2 id={`report-${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

/** A plain table that prints well: the header row repeats on every page, rows never split. */
function Table({
  head,
  rows,
  numeric = [],
  wrap = [],
}: {
  head: string[];
  rows: { key: string; cells: ReactNode[] }[];
  numeric?: number[];
  wrap?: number[];
}) {
  const cls = (i: number) => (numeric.includes(i) ? 'num' : wrap.includes(i) ? 'wrap' : undefined);
  return (
    <table className="report-table">
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={h} scope="col" className={cls(i)}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            {row.cells.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional, the row has its key
              <td key={i} className={cls(i)}>
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
