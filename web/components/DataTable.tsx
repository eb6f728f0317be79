/** A sortable table that can also hand its rows over as CSV. */
import { type ReactNode, useMemo, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import type { CsvColumn } from '../lib/csv.ts';
import { formatNumber } from '../lib/format.ts';
import { type Sortable, type SortDir, sortRows } from '../lib/sort.ts';
import { CsvButton } from './CsvButton.tsx';
import { XlsxButton } from './XlsxButton.tsx';

export interface Column<Row> {
  key: string;
  header: string;
  /** The raw value: sorted on and exported. */
  value: (row: Row) => Sortable;
  render?: (row: Row) => ReactNode;
  numeric?: boolean;
  sortable?: boolean;
  /** Long text (reasons, messages) may wrap; everything else stays on one line. */
  wrap?: boolean;
}

export interface SortState {
  key: string;
  dir: SortDir;
}

export function DataTable<Row>({
  id,
  caption,
  columns,
  rows,
  rowKey,
  sort,
  onSort,
  defaultSort,
  toolbar,
  maxHeight,
  csv = true,
  sortedByServer = false,
  rowClass,
  testIdOf,
  xlsx,
}: {
  id: string;
  caption: string;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row, index: number) => string;
  /** Controlled sort (e.g. kept in the URL); otherwise the table sorts on its own. */
  sort?: SortState;
  onSort?: (s: SortState) => void;
  defaultSort?: SortState;
  toolbar?: ReactNode;
  maxHeight?: number;
  csv?: boolean;
  /**
   * The rows arrive sorted by the API in the controlled `sort` (a paged table: sorting one page in
   * the browser would misstate the order of the whole list); the table only shows and sets the sort.
   */
  sortedByServer?: boolean;
  rowClass?: (row: Row) => string | undefined;
  testIdOf?: (row: Row) => string | undefined;
  /** The API URL the rows came from: an Excel download of it sits beside the CSV one. */
  xlsx?: string;
}) {
  const { t, lang } = useT();
  const [localSort, setLocalSort] = useState<SortState | undefined>(defaultSort);
  const current = sort ?? localSort;
  const setSort = onSort ?? setLocalSort;
  const sorted = useMemo(() => {
    const col = !sortedByServer && current && columns.find((c) => c.key === current.key);
    return col ? sortRows(rows, col.value, current.dir, lang === 'fa' ? 'fa' : 'en') : [...rows];
  }, [rows, columns, current, lang, sortedByServer]);
  const csvColumns: CsvColumn<Row>[] = columns.map((c) => ({ header: c.header, value: c.value }));

  return (
    <div className="table-block">
      <div className="table-toolbar">
        <span className="muted">{t.table.rows(formatNumber(rows.length, lang))}</span>
        {toolbar}
        {csv ? <CsvButton id={id} label={caption} columns={csvColumns} rows={sorted} /> : null}
        {csv && xlsx ? <XlsxButton id={id} label={caption} url={xlsx} disabled={rows.length === 0} /> : null}
      </div>
      <div className="table-scroll" style={maxHeight ? { maxHeight } : undefined}>
        <table className="data-table" data-testid={`table-${id}`}>
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => {
                const active = current?.key === c.key;
                const ariaSort = active ? (current?.dir === 'asc' ? 'ascending' : 'descending') : undefined;
                return (
                  <th key={c.key} scope="col" aria-sort={ariaSort} className={c.numeric ? 'num' : undefined}>
                    {c.sortable === false ? (
                      c.header
                    ) : (
                      <>
                        {/* a repeated header on a printed page does not paint a button's text */}
                        <span className="print-only">{c.header}</span>
                        <button
                          type="button"
                          className="th-sort screen-only"
                          data-testid={`sort-${id}-${c.key}`}
                          title={t.table.sortBy(c.header)}
                          onClick={() =>
                            setSort({
                              key: c.key,
                              dir:
                                active && current?.dir === 'desc'
                                  ? 'asc'
                                  : active
                                    ? 'desc'
                                    : c.numeric
                                      ? 'desc'
                                      : 'asc',
                            })
                          }
                        >
                          {c.header}
                          <span aria-hidden="true" className="sort-mark">
                            {active ? (current?.dir === 'asc' ? '▲' : '▼') : '↕'}
                          </span>
                        </button>
                      </>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.map((row, i) => (
              <tr key={rowKey(row, i)} className={rowClass?.(row)} data-testid={testIdOf?.(row)}>
                {columns.map((c) => (
                  <td key={c.key} className={c.numeric ? 'num' : c.wrap ? 'wrap' : undefined}>
                    {c.render ? c.render(row) : String(c.value(row) ?? '')}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
