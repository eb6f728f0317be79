/**
 * What the figures on the page cover, in words: on screen a reminder, on paper the report's subtitle.
 * It reads the filters the view applies (lib/viewFilters.ts), names a default the view chose, and for
 * an inspector says that everything is within their districts (DESIGN 10: every number says what it
 * covers), never "no filter (whole city)".
 */
import { useQuery } from '@tanstack/react-query';
import { useUser } from '../auth/session.ts';
import { useT } from '../i18n/useT.ts';
import { FILTER_KEYS } from '../lib/url.ts';
import { viewFilters } from '../lib/viewFilters.ts';
import { metaOptions } from '../queries/meta.ts';
import { useNav } from '../router.tsx';
import { displayDate } from './DateField.tsx';
import { useNames } from './useNames.ts';

export function FilterSummary() {
  const { t, lang } = useT();
  const { state } = useNav();
  const names = useNames();
  const user = useUser();
  const meta = useQuery(metaOptions());
  const { filters: f, defaulted, ignored } = viewFilters(state.route.name, state.filters, meta.data);
  const sep = lang === 'fa' ? '، ' : ', ';
  const scope =
    user?.role === 'inspector' && !f.district
      ? (user.districts ?? []).map((d) => names.district(d)).join(sep)
      : null;
  const parts = FILTER_KEYS.filter((k) => f[k]).map((k) => {
    const v = f[k] as string;
    const shown =
      k === 'from' || k === 'to'
        ? displayDate(v, lang)
        : k === 'district'
          ? names.district(v)
          : k === 'service'
            ? names.service(v)
            : k === 'category'
              ? names.category(v)
              : k === 'office'
                ? names.office(v)
                : (t.channels[v] ?? v);
    const note = defaulted.includes(k) ? ` (${t.app.defaultNote[k] ?? t.app.defaulted})` : '';
    return `${t.filters[k]}: ${shown}${note}`;
  });
  const text = scope
    ? parts.length
      ? [t.app.scopePart(scope), ...parts].join(' · ')
      : t.app.noFiltersScoped(scope)
    : parts.length
      ? parts.join(' · ')
      : t.app.noFilters;
  return (
    <p className="filter-summary" data-testid="filter-summary">
      <span className="muted">{t.app.reportFilters}: </span>
      {text}
      {ignored.length ? (
        <span className="muted" data-testid="filter-ignored">
          {' '}
          · {t.app.ignored(ignored.map((k) => t.filters[k]).join(sep))}
        </span>
      ) : null}
    </p>
  );
}
