import { useT } from '../i18n/useT.ts';
import { formatNumber } from '../lib/format.ts';

export function Pager({
  id,
  page,
  pageSize,
  total,
  onPage,
  label,
}: {
  id: string;
  label: string;
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const { t, lang } = useT();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager no-print" aria-label={label} data-testid={`pager-${id}`}>
      <button type="button" className="btn btn-small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t.cases.prev}
      </button>
      <span aria-live="polite">
        {t.cases.page(formatNumber(page, lang), formatNumber(pages, lang), formatNumber(total, lang))}
      </span>
      <button
        type="button"
        className="btn btn-small"
        disabled={page >= pages}
        onClick={() => onPage(page + 1)}
      >
        {t.cases.next}
      </button>
    </nav>
  );
}
