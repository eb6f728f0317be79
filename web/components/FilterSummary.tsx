/** The active filters in words: on screen a reminder, on paper the report's subtitle. */
import { useT } from '../i18n/useT.ts';
import { FILTER_KEYS } from '../lib/url.ts';
import { useNav } from '../router.tsx';
import { displayDate } from './DateField.tsx';
import { useNames } from './useNames.ts';

export function FilterSummary() {
  const { t, lang } = useT();
  const { state } = useNav();
  const names = useNames();
  const f = state.filters;
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
    return `${t.filters[k]}: ${shown}`;
  });
  return (
    <p className="filter-summary" data-testid="filter-summary">
      <span className="muted">{t.app.reportFilters}: </span>
      {parts.length ? parts.join(' · ') : t.app.noFilters}
    </p>
  );
}
