import { useT } from '../i18n/useT.ts';
import { type CsvColumn, csvFileName, downloadCsv, toCsv } from '../lib/csv.ts';

export function CsvButton<Row>({
  id,
  label,
  columns,
  rows,
}: {
  id: string;
  label: string;
  columns: readonly CsvColumn<Row>[];
  rows: readonly Row[];
}) {
  const { t } = useT();
  return (
    <button
      type="button"
      className="btn btn-small no-print"
      data-testid={`csv-${id}`}
      aria-label={t.actions.csvLabel(label)}
      disabled={rows.length === 0}
      onClick={() => downloadCsv(csvFileName(id, new Date()), toCsv(columns, rows))}
    >
      {t.actions.csv}
    </button>
  );
}
