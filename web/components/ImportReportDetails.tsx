/**
 * Below the upload report's counts: what the import said besides them (encodings read, sheets not imported, new
 * offices and services to check) and the rejected rows of this very run — also of a check-only run, whose rows
 * are in its report and nowhere else — in the file's own headers, with the importer's sentence in the UI's
 * language and each time in the Solar Hijri (fa) or Gregorian (en) calendar, Tehran time.
 */
import type { ImportReport } from '../api/types.ts';
import { importReportWords } from '../i18n/importReport.ts';
import { useT } from '../i18n/useT.ts';
import { formatNumber, localDigits } from '../lib/format.ts';

export function ImportReportDetails({ report }: { report: ImportReport }) {
  const { lang } = useT();
  const w = importReportWords(lang);
  const n = (v: number) => formatNumber(v, lang);
  if (report.status !== 'ok') return null;
  const manyFiles = new Set(report.rejects.map((e) => e.file)).size > 1;
  return (
    <div className="upload-details">
      {report.notices.length > 0 ? (
        <>
          <h4>{w.notices}</h4>
          <ul className="upload-notices" data-testid="upload-notices">
            {report.notices.map((x) => (
              <li key={`${x.code}:${x.file}:${x.en}`} data-code={x.code} dir="auto">
                {lang === 'fa' ? x.fa : x.en}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h4>{report.dry_run ? w.rejectsDry : w.rejectsReal}</h4>
      {report.rejects.length === 0 ? (
        <p className="state-hint" data-testid="upload-rejects-none">
          {w.noneRejected}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="upload-rejects">
            {report.rejects_total > report.rejects.length ? (
              <caption>{w.shown(n(report.rejects.length), n(report.rejects_total))}</caption>
            ) : null}
            <thead>
              <tr>
                {manyFiles ? <th scope="col">{w.file}</th> : null}
                <th scope="col">{w.line}</th>
                <th scope="col">{w.record}</th>
                <th scope="col">{w.column}</th>
                <th scope="col">{w.value}</th>
                <th scope="col">{w.problem}</th>
                <th scope="col">{w.times}</th>
              </tr>
            </thead>
            <tbody>
              {report.rejects.map((e) => (
                <tr key={`${e.file}:${e.line}:${e.column}:${e.reason}`} data-testid="upload-reject">
                  {manyFiles ? <td dir="auto">{e.file}</td> : null}
                  <td className="num">{e.line === null ? '—' : n(e.line)}</td>
                  <td dir="auto" title={e.record_header ?? undefined}>
                    {e.record_id === null ? '—' : localDigits(e.record_id, lang)}
                  </td>
                  <td dir="auto">{e.header ?? e.column ?? '—'}</td>
                  <td>
                    <code dir="auto">{e.value ?? ''}</code>
                  </td>
                  <td className="wrap" dir="auto">
                    {lang === 'fa' ? e.fa : e.en}
                  </td>
                  <td>
                    {e.times.map((t) => (
                      <div key={t.column} dir="auto">
                        {t.header ?? t.column}:{' '}
                        <span dir="ltr">{localDigits(lang === 'fa' ? t.jalali : t.tehran, lang)}</span>
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
