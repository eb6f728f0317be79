/** Import through the dashboard (managers and admins): files in, the importer's report out. */
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api } from '../api/client.ts';
import type { ImportReport } from '../api/types.ts';
import { useT } from '../i18n/useT.ts';
import { formatNumber } from '../lib/format.ts';
import { ImportReportDetails } from './ImportReportDetails.tsx';
import { ErrorState } from './States.tsx';

function Report({ report }: { report: ImportReport }) {
  const { t, lang } = useT();
  const n = (v: number) => formatNumber(v, lang);
  const head = report.dry_run
    ? t.data.reportDry
    : report.status === 'ok'
      ? t.data.reportOk(n(report.import_id ?? 0))
      : t.data.reportFailed;
  return (
    <div className="upload-report" data-testid="upload-report" data-status={report.status}>
      <h3>{t.data.reportTitle}</h3>
      <p role="status">{head}</p>
      {report.message ? (
        <p className="field-error" dir="auto">
          {lang === 'fa' ? (report.message_fa ?? report.message) : report.message}
        </p>
      ) : null}
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t.data.file}</th>
              <th scope="col">{t.data.kind}</th>
              <th scope="col">{t.data.rows_read}</th>
              <th scope="col">{t.data.loaded}</th>
              <th scope="col">{t.data.rows_updated}</th>
              <th scope="col">{t.data.rows_rejected}</th>
              <th scope="col">{t.data.topReasons}</th>
            </tr>
          </thead>
          <tbody>
            {report.files.map((f) => (
              <tr key={f.file} data-testid="upload-report-file">
                <td dir="auto">{f.file}</td>
                <td>{f.kind ?? '—'}</td>
                <td className="num">{n(f.rows_read)}</td>
                <td className="num">{n(f.inserted)}</td>
                <td className="num">{n(f.updated)}</td>
                <td className="num">{n(f.rejected)}</td>
                <td>
                  {f.reasons.slice(0, 3).map((r) => (
                    <div key={r.reason}>
                      {n(r.count)} × {lang === 'fa' ? r.label_fa : r.label_en}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ImportReportDetails report={report} />
    </div>
  );
}

export function UploadForm({
  onReport,
}: {
  /** The report and the mapping text it was read with (the rejects panel shows a check's rejects). */
  onReport?: (report: ImportReport, mapping: string | null) => void;
}) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const ids = { files: useId(), mapping: useId(), asOf: useId() };

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input = new FormData(e.currentTarget);
    const form = new FormData();
    for (const f of input.getAll('files')) if (f instanceof File && f.name) form.append('files', f);
    const mapping = input.get('mapping');
    const mappingText = mapping instanceof File && mapping.size > 0 ? await mapping.text() : null;
    if (mappingText) form.append('mapping', mappingText);
    const asOf = String(input.get('as_of') ?? '').trim();
    if (asOf) form.append('as_of', asOf);
    if (input.get('dry_run')) form.append('dry_run', 'true');
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const r = await api.upload(form);
      setReport(r);
      onReport?.(r, mappingText);
      // New data: every answer on screen may have changed.
      if (!r.dry_run && r.status === 'ok') await queryClient.invalidateQueries();
      else await queryClient.invalidateQueries({ queryKey: ['imports'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="upload-title" data-testid="upload">
      <header className="card-head">
        <h2 id="upload-title">{t.data.uploadTitle}</h2>
      </header>
      <p className="state-hint">{t.data.uploadHint}</p>
      <form className="upload-form no-print" onSubmit={submit} data-testid="upload-form">
        <div className="field">
          <label htmlFor={ids.files}>{t.data.uploadFiles}</label>
          <input
            id={ids.files}
            name="files"
            type="file"
            multiple
            required
            accept=".csv,.parquet,.xlsx,.xes,.gz"
            data-testid="upload-files"
          />
        </div>
        <div className="field">
          <label htmlFor={ids.mapping}>{t.data.uploadMapping}</label>
          <input id={ids.mapping} name="mapping" type="file" accept=".json,application/json" />
        </div>
        <div className="field">
          <label htmlFor={ids.asOf}>{t.data.uploadAsOf}</label>
          <input id={ids.asOf} name="as_of" dir="ltr" maxLength={64} placeholder="1402/12/29" />
        </div>
        <label className="inline-field">
          <input name="dry_run" type="checkbox" value="true" /> <span>{t.data.uploadDryRun}</span>
        </label>
        <button type="submit" className="btn" disabled={busy} data-testid="upload-submit">
          {busy ? t.data.uploading : t.data.uploadSubmit}
        </button>
      </form>
      {error ? <ErrorState what={t.data.uploadTitle} error={error} /> : null}
      {report ? <Report report={report} /> : null}
    </section>
  );
}
