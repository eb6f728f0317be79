/**
 * Below the upload report's counts: what the import says besides them — encodings it read a CSV in, workbook sheets
 * it did not import, the offices and services a flat export adds (to check) or matched by name — in the UI's
 * language. The run's rejected rows are the Data page's rejects panel (from the report for a check-only run).
 */
import type { ImportReport } from '../api/types.ts';
import { importReportWords } from '../i18n/importReport.ts';
import { useT } from '../i18n/useT.ts';

export function ImportReportDetails({ report }: { report: ImportReport }) {
  const { lang } = useT();
  const w = importReportWords(lang);
  if (report.notices.length === 0) return null;
  return (
    <div className="upload-details">
      <h4>{w.notices}</h4>
      <ul className="upload-notices" data-testid="upload-notices">
        {report.notices.map((x) => (
          <li key={`${x.code}:${x.file}:${x.en}`} data-code={x.code} dir="auto">
            {lang === 'fa' ? x.fa : x.en}
          </li>
        ))}
      </ul>
    </div>
  );
}
