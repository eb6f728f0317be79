/**
 * The public page's building blocks: one figure with "based on N cases" (or "too few cases", never a
 * number), a comparison table (this office / district / city), the data stamp (as-of, published on,
 * window) and the open-data footer that every page carries.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { PublicFigure, PublicFigures, PublicHead } from '../../api/public/schemas.ts';
import { messages } from '../i18n/index.ts';
import { formatDate, formatNumber, formatPercent, type Lang } from '../lib/format.ts';
import { PublicApiError, publicApiUrl } from './queries.ts';
import { hrefOf, Link, usePublicLocation } from './router.tsx';

export function usePublicT() {
  const { lang } = usePublicLocation();
  return { t: messages(lang).public, lang };
}

export type FigureKind = 'median' | 'onTime' | 'complaints';
export const FIGURE_KINDS: FigureKind[] = ['median', 'onTime', 'complaints'];

export function pick(f: PublicFigures, kind: FigureKind): PublicFigure {
  return kind === 'median' ? f.median_days : kind === 'onTime' ? f.on_time_share : f.complaints_per_1000;
}

export function formatFigure(value: number, kind: FigureKind, lang: Lang): string {
  const t = messages(lang).public;
  if (kind === 'median') return t.figures.days(formatNumber(value, lang, 1));
  if (kind === 'onTime') return formatPercent(value, lang, 0);
  return formatNumber(value, lang, 1);
}

export function figureLabel(kind: FigureKind, lang: Lang): string {
  const f = messages(lang).public.figures;
  return kind === 'median' ? f.median : kind === 'onTime' ? f.onTime : f.complaints;
}

/** One figure: the value and what it rests on, or "too few cases". */
export function FigureValue({ f, kind }: { f: PublicFigure; kind: FigureKind }) {
  const { t, lang } = usePublicT();
  if (f.value === null)
    return (
      <span className="fig fig-few" data-testid="too-few">
        {t.figures.tooFew}
      </span>
    );
  return (
    <span className="fig">
      <span className="fig-value">{formatFigure(f.value, kind, lang)}</span>
      <span className="fig-n">{t.figures.basedOn(formatNumber(f.n, lang))}</span>
    </span>
  );
}

/** The three figures of one group, stacked (lists and cards). */
export function FigureList({ f }: { f: PublicFigures }) {
  const { lang } = usePublicT();
  return (
    <dl className="fig-list">
      {FIGURE_KINDS.map((k) => (
        <div key={k} className="fig-item">
          <dt>{figureLabel(k, lang)}</dt>
          <dd>
            <FigureValue f={pick(f, k)} kind={k} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The figures side by side for several groups (this office, its district, the city): one column per
 * group, and per figure a heading row and a row of values, which stays readable at 360 px.
 */
export function CompareTable({
  caption,
  columns,
}: {
  caption: string;
  columns: { key: string; label: string; figures: PublicFigures }[];
}) {
  const { lang } = usePublicT();
  return (
    <table className="cmp">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.key} scope="col">
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      {FIGURE_KINDS.map((k) => (
        <tbody key={k}>
          <tr className="cmp-figure">
            <th colSpan={columns.length} scope="colgroup">
              {figureLabel(k, lang)}
            </th>
          </tr>
          <tr>
            {columns.map((c) => (
              <td key={c.key}>
                <FigureValue f={pick(c.figures, k)} kind={k} />
              </td>
            ))}
          </tr>
        </tbody>
      ))}
    </table>
  );
}

/** As-of time, publication date and window: on every page, screen and print. */
export function Stamp({ head }: { head: PublicHead }) {
  const { t, lang } = usePublicT();
  return (
    <p className="stamp" data-testid="stamp">
      <span data-testid="as-of">{t.asOf(formatDate(head.as_of, lang))}</span>
      <span data-testid="published-on">{t.publishedOn(formatDate(head.published_at, lang))}</span>
      <span>{t.window(formatDate(head.window.from, lang), formatDate(head.window.to, lang))}</span>
    </p>
  );
}

/** The open data links, the licence line and the definitions: the foot of every page. */
export function OpenData({ head }: { head: PublicHead }) {
  const { t, lang } = usePublicT();
  const links = [
    ['offices', t.openData.offices],
    ['districts', t.openData.districts],
    ['services', t.openData.services],
  ] as const;
  return (
    <footer className="open-data" data-testid="open-data">
      <h2>{t.openData.title}</h2>
      <p>{t.openData.intro}</p>
      <ul>
        {links.map(([r, label]) => (
          <li key={r}>
            {label}:{' '}
            <a href={publicApiUrl(`/${r}`, { format: 'csv' })} download>
              CSV
            </a>{' '}
            ·{' '}
            <a href={publicApiUrl(`/${r}`)} type="application/json">
              JSON
            </a>
          </li>
        ))}
      </ul>
      <p data-testid="licence">{t.openData.licence(head.licence)}</p>
      <p>
        <Link href={hrefOf({ name: 'method' }, lang)}>{t.openData.definitions}</Link>
      </p>
      <p className="muted">{t.descriptive}</p>
    </footer>
  );
}

/** A page of data: its heading, the stamp, the content, the open-data foot. */
export function DataPage({ head, children }: { head: PublicHead; children: ReactNode }) {
  return (
    <>
      <Stamp head={head} />
      {children}
      <OpenData head={head} />
    </>
  );
}

export function NotFoundState() {
  const { t, lang } = usePublicT();
  return (
    <div className="state" data-testid="not-found">
      <h1>{t.states.notFound}</h1>
      <p>
        <Link href={hrefOf({ name: 'home' }, lang)}>{t.states.home}</Link>
      </p>
    </div>
  );
}

/** Loading, not found, too many requests, other errors; the data once it is there. */
export function QueryState<T>({ q, children }: { q: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  const { t } = usePublicT();
  if (q.data !== undefined) return <>{children(q.data)}</>;
  if (q.error) {
    if (q.error instanceof PublicApiError && q.error.status === 404) return <NotFoundState />;
    const tooMany = q.error instanceof PublicApiError && q.error.status === 429;
    return (
      <div className="state" role="alert">
        <p>{tooMany ? t.states.tooMany : t.states.error}</p>
        <button type="button" className="btn" onClick={() => q.refetch()}>
          {t.states.retry}
        </button>
      </div>
    );
  }
  return (
    <div className="state skeleton" role="status" aria-busy="true">
      {t.states.loading}
    </div>
  );
}
