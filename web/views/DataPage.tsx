/**
 * Where the numbers come from: upload (managers and admins), the import log and every rejected row
 * with its reason (managers and admins), and the audit log (admins). Other roles see a note: the
 * API refuses them these lists, so the page does not ask.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { REASONS, type ReasonCode } from '../../api/import/reasons.ts';
import type { ImportReport, ImportRow, RejectRow } from '../api/types.ts';
import { useUser } from '../auth/session.ts';
import { AuditLog } from '../components/AuditLog.tsx';
import { type Column, DataTable } from '../components/DataTable.tsx';
import { Pager } from '../components/Pager.tsx';
import { PublicationForm } from '../components/PublicationForm.tsx';
import { EmptyState, QueryView } from '../components/States.tsx';
import { UploadForm } from '../components/UploadForm.tsx';
import { importReportWords } from '../i18n/importReport.ts';
import { useT } from '../i18n/useT.ts';
import { formatDate, formatDateTime, formatNumber, localDigits } from '../lib/format.ts';
import { localiseInstants } from '../lib/rejects.ts';
import { importsOptions, rejectsOptions } from '../queries/imports.ts';
import { urlOf } from '../queries/query.ts';
import { useNav } from '../router.tsx';

const REJECTS_PAGE_SIZE = 50;

export default function DataPage() {
  const { t } = useT();
  const user = useUser();
  const importer = user?.role === 'manager' || user?.role === 'admin';
  // The last upload's report and the mapping it was read with: a check-only run writes nothing, so
  // its rejects exist only in its report, and the rejects panel shows them from there.
  const [last, setLast] = useState<LastUpload | null>(null);
  return (
    <div className="view" data-testid="view-data">
      {importer ? <UploadForm onReport={(report, mapping) => setLast({ report, mapping })} /> : null}
      {importer ? <ImportsAndRejects last={last} /> : <EmptyState message={t.data.noAccess} />}
      {user?.role === 'admin' ? <PublicationForm /> : null}
      {user?.role === 'admin' ? <AuditLog /> : null}
    </div>
  );
}

interface LastUpload {
  report: ImportReport;
  mapping: string | null;
}

function ImportsAndRejects({ last }: { last: LastUpload | null }) {
  const { t, lang } = useT();
  const check = last?.report.dry_run ? last : null;
  const { state, setView } = useNav();
  const imports = useQuery(importsOptions());
  const importId = state.view.import_id;
  const page = Math.max(1, Number.parseInt(state.view.page ?? '1', 10) || 1);
  const rejectsQuery = rejectsOptions({ import_id: importId ? Number(importId) : undefined, page });
  const rejects = useQuery(rejectsQuery);
  const n = (v: number | null) => formatNumber(v, lang);
  const ic: Column<ImportRow>[] = [
    { key: 'import_id', header: t.data.import_id, value: (r) => r.import_id, numeric: true },
    {
      key: 'started_at',
      header: t.data.started_at,
      value: (r) => r.started_at,
      render: (r) => formatDateTime(r.started_at, lang),
    },
    {
      key: 'finished_at',
      header: t.data.finished_at,
      value: (r) => r.finished_at,
      render: (r) => formatDateTime(r.finished_at, lang),
    },
    {
      key: 'source',
      header: t.data.source,
      value: (r) => r.source,
      render: (r) => <span dir="ltr">{r.source}</span>,
    },
    { key: 'mode', header: t.data.mode, value: (r) => r.mode },
    { key: 'status', header: t.data.status, value: (r) => r.status },
    {
      key: 'rows_read',
      header: t.data.rows_read,
      value: (r) => r.rows_read,
      render: (r) => n(r.rows_read),
      numeric: true,
    },
    {
      key: 'rows_inserted',
      header: t.data.rows_inserted,
      value: (r) => r.rows_inserted,
      render: (r) => n(r.rows_inserted),
      numeric: true,
    },
    {
      key: 'rows_updated',
      header: t.data.rows_updated,
      value: (r) => r.rows_updated,
      render: (r) => n(r.rows_updated),
      numeric: true,
    },
    {
      key: 'rows_unchanged',
      header: t.data.rows_unchanged,
      value: (r) => r.rows_unchanged,
      render: (r) => n(r.rows_unchanged),
      numeric: true,
    },
    {
      key: 'rows_rejected',
      header: t.data.rows_rejected,
      value: (r) => r.rows_rejected,
      render: (r) => n(r.rows_rejected),
      numeric: true,
    },
    { key: 'as_of', header: t.data.as_of, value: (r) => r.as_of, render: (r) => formatDate(r.as_of, lang) },
    { key: 'message', header: t.data.message, value: (r) => r.message, sortable: false, wrap: true },
  ];
  const reasonLabel = (code: string) => {
    const r = REASONS[code as ReasonCode];
    return r ? r[lang] : code;
  };
  // paged in the API's order (newest import, file, line): not re-sorted one page at a time
  const rc: Column<RejectRow>[] = (
    [
      { key: 'import_id', header: t.data.import_id, value: (r) => r.import_id, numeric: true },
      {
        key: 'file',
        header: t.data.file,
        value: (r) => r.file,
        render: (r) => <span dir="ltr">{r.file}</span>,
      },
      { key: 'line', header: t.data.line, value: (r) => r.line, render: (r) => n(r.line), numeric: true },
      { key: 'column_name', header: t.data.column_name, value: (r) => r.column_name },
      {
        key: 'raw_value',
        header: t.data.raw_value,
        value: (r) => r.raw_value,
        render: (r) => <code dir="auto">{r.raw_value}</code>,
      },
      { key: 'reason', header: t.data.reason, value: (r) => reasonLabel(r.reason), wrap: true },
      {
        key: 'detail',
        header: t.data.detail,
        value: (r) => (r.detail ? localiseInstants(r.detail, lang) : null),
        wrap: true,
      },
    ] as Column<RejectRow>[]
  ).map((c) => ({ ...c, sortable: false }));
  return (
    <>
      <section className="card" aria-labelledby="imports-title">
        <header className="card-head">
          <h2 id="imports-title">{t.data.importsTitle}</h2>
        </header>
        <QueryView query={imports} what={t.data.importsTitle} height={200}>
          {(d) =>
            d.imports.length === 0 ? (
              <EmptyState message={t.data.noImports} />
            ) : (
              <DataTable
                id="imports"
                xlsx={urlOf(importsOptions())}
                caption={t.data.importsTitle}
                columns={ic}
                rows={d.imports}
                rowKey={(r) => String(r.import_id)}
              />
            )
          }
        </QueryView>
      </section>
      <section className="card" aria-labelledby="rejects-title">
        <header className="card-head">
          <h2 id="rejects-title">{t.data.rejectsTitle}</h2>
          <label className="inline-field no-print">
            <span>{t.data.import_id}</span>
            <select
              value={importId ?? ''}
              data-testid="rejects-import"
              onChange={(e) => setView({ import_id: e.target.value || undefined, page: undefined })}
            >
              <option value="">{t.data.allImports}</option>
              {(imports.data?.imports ?? []).map((i) => (
                <option key={String(i.import_id)} value={String(i.import_id)}>
                  {String(i.import_id)} — {formatDate(i.started_at, lang)}
                </option>
              ))}
            </select>
          </label>
        </header>
        {check ? <CheckRejects report={check.report} mapping={check.mapping} /> : null}
        {check ? <h3>{t.data.storedRejectsTitle}</h3> : null}
        <QueryView query={rejects} what={t.data.rejectsTitle} height={300}>
          {(d) =>
            d.total === 0 ? (
              <EmptyState message={check ? t.data.noStoredRejects : t.data.noRejects} />
            ) : (
              <>
                <h3>{t.data.reasonsTitle}</h3>
                <DataTable
                  id="reject-reasons"
                  xlsx={urlOf(rejectsQuery)}
                  caption={t.data.reasonsTitle}
                  columns={[
                    { key: 'reason', header: t.data.reason, value: (r) => r.reason },
                    {
                      key: 'count',
                      header: t.data.count,
                      value: (r) => r.count,
                      render: (r) => n(r.count),
                      numeric: true,
                    },
                  ]}
                  rows={d.reasons}
                  rowKey={(r) => r.reason}
                  defaultSort={{ key: 'count', dir: 'desc' }}
                />
                <DataTable
                  id="rejects"
                  xlsx={urlOf(rejectsQuery)}
                  caption={t.data.rejectsTitle}
                  columns={rc}
                  rows={d.rows}
                  rowKey={(r, i) => `${r.file}:${r.line}:${r.column_name}:${i}`}
                />
                <Pager
                  id="rejects"
                  label={t.data.rejectsTitle}
                  page={page}
                  pageSize={d.page_size ?? REJECTS_PAGE_SIZE}
                  total={d.total}
                  onPage={(p) => setView({ page: p === 1 ? undefined : String(p) })}
                />
              </>
            )
          }
        </QueryView>
      </section>
    </>
  );
}

type CheckReject = ImportReport['rejects'][number];

/**
 * The rejects of a check-only run, from its report (nothing was stored): every problem of a rejected row
 * as the importer says it — the file's own column header, the row's id (case number), a sentence in the
 * UI's language, and the times involved as Tehran time (Solar Hijri in Persian).
 */
function CheckRejects({ report }: { report: ImportReport; mapping: string | null }) {
  const { t, lang } = useT();
  const w = importReportWords(lang);
  const n = (v: number | null) => formatNumber(v, lang);
  const rows: CheckReject[] = report.rejects;
  const shown = rows.length;
  const total = report.totals.rejected;
  return (
    <div className="check-rejects" data-testid="check-rejects" data-total={total}>
      <p className="note flag-cases-note" role="status">
        {total === 0 ? t.data.checkNoRejects : t.data.checkRejects(n(total), n(shown))}
      </p>
      {total > 0 ? (
        <DataTable
          id="check-rejects"
          caption={t.data.rejectsTitle}
          columns={[
            {
              key: 'file',
              header: t.data.file,
              value: (r) => r.file,
              render: (r) => <span dir="auto">{r.file}</span>,
            },
            {
              key: 'line',
              header: t.data.line,
              value: (r) => r.line,
              render: (r) => n(r.line),
              numeric: true,
            },
            {
              key: 'record_id',
              header: w.record,
              value: (r) => r.record_id,
              render: (r) => (
                <span dir="auto" title={r.record_header ?? undefined}>
                  {r.record_id === null ? '—' : localDigits(r.record_id, lang)}
                </span>
              ),
            },
            {
              key: 'column',
              header: t.data.column_name,
              value: (r) => r.header ?? r.column,
              render: (r) => <span dir="auto">{r.header ?? r.column}</span>,
            },
            {
              key: 'value',
              header: t.data.raw_value,
              value: (r) => r.value,
              render: (r) => <code dir="auto">{r.value}</code>,
            },
            {
              key: 'reason',
              header: w.problem,
              value: (r) => (lang === 'fa' ? r.fa : r.en),
              render: (r) => <span dir="auto">{lang === 'fa' ? r.fa : r.en}</span>,
              wrap: true,
              sortable: false,
            },
            {
              key: 'times',
              header: w.times,
              value: (r) => r.times[0]?.iso ?? null,
              render: (r) =>
                r.times.map((x) => (
                  <div key={x.column} dir="auto">
                    {x.header ?? x.column}:{' '}
                    <span dir="ltr">{localDigits(lang === 'fa' ? x.jalali : x.tehran, lang)}</span>
                  </div>
                )),
            },
          ]}
          rows={rows}
          rowKey={(r, i) => `${r.file}:${r.line}:${r.column}:${i}`}
        />
      ) : null}
    </div>
  );
}
