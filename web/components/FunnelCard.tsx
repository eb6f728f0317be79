import type { UseQueryResult } from '@tanstack/react-query';
import { type ReactNode, useMemo } from 'react';
import type { Funnel, FunnelRow } from '../api/types.ts';
import { buildFunnelOption } from '../charts/funnel.ts';
import { useT } from '../i18n/useT.ts';
import { formatNumber, formatP, formatPercent, type Lang } from '../lib/format.ts';
import { ChartCard } from './ChartCard.tsx';
import { HowComputed } from './HowComputed.tsx';

/** A funnel plot card with its table; shared by the district and office views. */
export function FunnelCard({
  id,
  title,
  query,
  labelOf,
  keyHeader,
  lang,
  height,
  onPoint,
  controls,
  xlsx,
}: {
  id: string;
  title: string;
  query: UseQueryResult<Funnel>;
  labelOf: (r: FunnelRow) => string;
  keyHeader: string;
  lang: Lang;
  height: number;
  onPoint?: (key: string) => void;
  controls?: ReactNode;
  /** The funnel's API URL, for the Excel download. */
  xlsx?: string;
}) {
  const { t } = useT();
  const f = query.data;
  const isShare = f?.metric === 'slow_share';
  const valueLabel = f
    ? isShare
      ? t.metrics.slow_share
      : f.metric === 'complaints'
        ? t.metrics.complaint_rate
        : t.metrics.bribe_rate
    : '';
  const volumeLabel = isShare ? t.funnel.volumeClosed : t.funnel.volumeCases;
  const option = useMemo(
    () => (f ? buildFunnelOption({ funnel: f, lang, labelOf, valueLabel, volumeLabel }) : undefined),
    [f, lang, labelOf, valueLabel, volumeLabel],
  );
  const fmtValue = (v: number | null) =>
    isShare ? formatPercent(v, lang) : formatNumber(v == null ? null : v * 1000, lang, 2);
  return (
    <ChartCard<FunnelRow>
      id={id}
      title={title}
      height={height}
      pending={query.isPending}
      error={query.error}
      onRetry={() => query.refetch()}
      empty={f ? f.rows.length === 0 : false}
      option={option}
      controls={controls}
      xlsx={xlsx}
      onClick={(e) => {
        const key = (e.data as { key?: string } | undefined)?.key;
        if (key && onPoint) onPoint(key);
      }}
      columns={[
        { key: 'key', header: keyHeader, value: (r) => r.key, render: (r) => labelOf(r) },
        {
          key: 'n',
          header: volumeLabel,
          value: (r) => r.n,
          render: (r) => formatNumber(r.n, lang),
          numeric: true,
        },
        {
          key: 'value',
          header: valueLabel,
          value: (r) => r.value,
          render: (r) => fmtValue(r.value),
          numeric: true,
        },
        {
          key: 'lo998',
          header: `${t.funnel.l998} ↓`,
          value: (r) => r.lo998,
          render: (r) => fmtValue(r.lo998),
          numeric: true,
        },
        {
          key: 'hi998',
          header: `${t.funnel.l998} ↑`,
          value: (r) => r.hi998,
          render: (r) => fmtValue(r.hi998),
          numeric: true,
        },
        {
          key: 'z',
          header: 'z',
          value: (r) => r.z,
          render: (r) => formatNumber(r.z, lang, 2),
          numeric: true,
        },
        { key: 'q', header: 'q', value: (r) => r.q, render: (r) => formatP(r.q, lang), numeric: true },
        {
          key: 'flag',
          header: t.funnel.flagged,
          value: (r) => r.flag ?? '',
          render: (r) => (r.flag ? (r.flag === 'above' ? '▲' : '▼') : ''),
        },
      ]}
      rows={f?.rows ?? []}
      rowKey={(r) => r.key}
      footer={
        f ? (
          <>
            <span className="muted small">
              {t.funnel.target}: {fmtValue(f.target)}
            </span>
            <HowComputed>
              <p className="muted small">
                {t.funnel.how} {t.funnel.phi(formatNumber(f.phi, lang, 2))}
              </p>
            </HowComputed>
          </>
        ) : null
      }
    />
  );
}
