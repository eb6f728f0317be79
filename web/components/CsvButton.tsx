import { api } from '../api/client.ts';
import { useT } from '../i18n/useT.ts';
import { type CsvColumn, csvFileName, downloadCsv, toCsv } from '../lib/csv.ts';
import { useUrlState } from '../router.tsx';

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
  const { filters, view } = useUrlState();
  const download = async () => {
    const csv = toCsv(columns, rows);
    const context: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...view, ...filters })) if (v) context[k] = String(v);
    try {
      // Every export is on the record (who, when, which view and filters) before the file is handed over.
      await api.auditExport({ view: id, filters: context, rows: rows.length });
    } catch (err) {
      console.warn('The export could not be recorded, so it was not downloaded:', err);
      return;
    }
    downloadCsv(csvFileName(id, new Date()), csv);
  };
  return (
    <button
      type="button"
      className="btn btn-small no-print"
      data-testid={`csv-${id}`}
      aria-label={t.actions.csvLabel(label)}
      disabled={rows.length === 0}
      onClick={download}
    >
      {t.actions.csv}
    </button>
  );
}
