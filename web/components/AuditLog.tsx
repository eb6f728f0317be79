/** The audit log for admins: who signed in, imported or exported what, and when. */
import { useQuery } from '@tanstack/react-query';
import type { AuditRow } from '../api/types.ts';
import { useT } from '../i18n/useT.ts';
import { formatDateTime } from '../lib/format.ts';
import { auditOptions } from '../queries/audit.ts';
import { urlOf } from '../queries/query.ts';
import { useNav } from '../router.tsx';
import { type Column, DataTable } from './DataTable.tsx';
import { Pager } from './Pager.tsx';
import { EmptyState, QueryView } from './States.tsx';

const PAGE_SIZE = 50;

function detailText(r: AuditRow): string {
  if (!r.detail) return '';
  return Object.entries(r.detail)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export function AuditLog() {
  const { t, lang } = useT();
  const { state, setView } = useNav();
  const page = Math.max(1, Number.parseInt(state.view.audit_page ?? '1', 10) || 1);
  const audit = useQuery(auditOptions({ page }));
  // A paged list in the API's order (newest first): sorting one page here would misstate the whole log.
  const columns: Column<AuditRow>[] = (
    [
      { key: 'at', header: t.data.at, value: (r) => r.at, render: (r) => formatDateTime(r.at, lang) },
      {
        key: 'username',
        header: t.data.username,
        value: (r) => r.username,
        render: (r) => <span dir="ltr">{r.username ?? '—'}</span>,
      },
      { key: 'action', header: t.data.action, value: (r) => t.data.actions[r.action] ?? r.action },
      {
        key: 'detail',
        header: t.data.detail,
        value: (r) => detailText(r),
        render: (r) => <code dir="ltr">{detailText(r)}</code>,
        sortable: false,
        wrap: true,
      },
      {
        key: 'ip',
        header: t.data.ip,
        value: (r) => r.ip,
        render: (r) => <span dir="ltr">{r.ip ?? ''}</span>,
      },
    ] as Column<AuditRow>[]
  ).map((c) => ({ ...c, sortable: false }));
  return (
    <section className="card" aria-labelledby="audit-title" data-testid="audit-log">
      <header className="card-head">
        <h2 id="audit-title">{t.data.auditTitle}</h2>
      </header>
      <QueryView query={audit} what={t.data.auditTitle} height={300}>
        {(d) =>
          d.total === 0 ? (
            <EmptyState message={t.states.empty} />
          ) : (
            <>
              <DataTable
                id="audit"
                xlsx={urlOf(auditOptions({ page }))}
                caption={t.data.auditTitle}
                columns={columns}
                rows={d.rows}
                rowKey={(r) => String(r.id)}
              />
              <Pager
                id="audit"
                label={t.data.auditTitle}
                page={page}
                pageSize={d.page_size ?? PAGE_SIZE}
                total={d.total}
                onPage={(p) => setView({ audit_page: p === 1 ? undefined : String(p) })}
              />
            </>
          )
        }
      </QueryView>
    </section>
  );
}
