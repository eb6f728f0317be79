/**
 * A titled chart with its states, a "show as table" alternative and CSV export of the same rows. On
 * paper the chart is drawn again as SVG at the page's width, followed by its table, so every number
 * in it can be read and quoted.
 */
import { type ReactNode, useState } from 'react';
import type { ChartOption } from '../charts/base.ts';
import { type ChartClick, EChart, PrintChart } from '../charts/EChart.tsx';
import { useT } from '../i18n/useT.ts';
import type { CsvColumn } from '../lib/csv.ts';
import { CsvButton } from './CsvButton.tsx';
import { type Column, DataTable } from './DataTable.tsx';
import { EmptyState, ErrorState, Skeleton } from './States.tsx';
import { usePrinting } from './usePrinting.ts';
import { XlsxButton } from './XlsxButton.tsx';

export interface ChartCardProps<Row> {
  id: string;
  title: string;
  height: number;
  pending: boolean;
  error?: unknown;
  onRetry?: () => void;
  empty?: boolean;
  emptyMessage?: string;
  option?: ChartOption;
  maps?: Record<string, unknown>;
  onClick?: (e: ChartClick) => void;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row, i: number) => string;
  controls?: ReactNode;
  footer?: ReactNode;
  /** Replaces the ECharts canvas (the tile map is HTML, not a chart). */
  custom?: ReactNode;
  /** The API URL the rows came from: an Excel download of it sits beside the CSV one. */
  xlsx?: string;
}

export function ChartCard<Row>(p: ChartCardProps<Row>) {
  const { t } = useT();
  const [asTable, setAsTable] = useState(false);
  const printing = usePrinting();
  const ready = !p.pending && !p.error && !p.empty;
  const printCopy = printing && ready;
  const csvColumns: CsvColumn<Row>[] = p.columns.map((c) => ({ header: c.header, value: c.value }));
  let body: ReactNode;
  if (p.pending) body = <Skeleton height={p.height} />;
  else if (p.error)
    body = <ErrorState what={p.title} error={p.error} onRetry={p.onRetry} height={p.height} />;
  else if (p.empty) body = <EmptyState height={p.height} message={p.emptyMessage} />;
  else if (asTable)
    body = (
      <DataTable
        id={`${p.id}-table`}
        caption={p.title}
        columns={p.columns}
        rows={p.rows}
        rowKey={p.rowKey}
        maxHeight={p.height}
        csv={false}
      />
    );
  else
    body =
      p.custom ??
      (p.option ? (
        <EChart
          option={p.option}
          height={p.height}
          ariaLabel={p.title}
          maps={p.maps}
          onClick={p.onClick}
          testId={`chart-${p.id}`}
        />
      ) : null);

  return (
    <section className="card chart-card" aria-labelledby={`${p.id}-title`} data-testid={`card-${p.id}`}>
      <header className="card-head">
        <h2 id={`${p.id}-title`}>{p.title}</h2>
        <div className="card-actions no-print">
          {p.controls}
          <button
            type="button"
            className="btn btn-small"
            aria-pressed={asTable}
            data-testid={`toggle-table-${p.id}`}
            disabled={!ready}
            onClick={() => setAsTable((v) => !v)}
          >
            {asTable ? t.actions.showChart : t.actions.showTable}
          </button>
          <CsvButton id={p.id} label={p.title} columns={csvColumns} rows={ready ? p.rows : []} />
          {p.xlsx ? <XlsxButton id={p.id} label={p.title} url={p.xlsx} disabled={!ready} /> : null}
        </div>
      </header>
      <div
        className={`card-body${printCopy && !asTable && !p.custom && p.option ? ' screen-only' : ''}`}
        style={{ minHeight: p.height }}
      >
        {body}
      </div>
      {printCopy ? (
        <div className="print-only print-copy">
          {p.option && !p.custom ? (
            <PrintChart option={p.option} height={p.height} ariaLabel={p.title} maps={p.maps} />
          ) : null}
          {asTable ? null : (
            <DataTable
              id={`${p.id}-print`}
              caption={p.title}
              columns={p.columns}
              rows={p.rows}
              rowKey={p.rowKey}
              csv={false}
            />
          )}
        </div>
      ) : null}
      {p.footer && ready ? <footer className="card-foot">{p.footer}</footer> : null}
    </section>
  );
}
