/**
 * The filters a view actually applies, so the filter bar, the report's filter line and the view
 * agree: the districts view compares every district for one service, so it drops the place filters
 * and the category (its own picker chooses the service, grouped by category) and, with no service
 * chosen, uses the busiest building-permit service, which the filter line then names as a default.
 */
import type { Meta } from '../api/types.ts';
import { busiestService } from './services.ts';
import type { FilterKey, Filters, RouteName } from './url.ts';

export interface ViewFilters {
  /** What the view requests with. */
  filters: Filters;
  /** Filled in by the view (not chosen by the user). */
  defaulted: FilterKey[];
  /** Chosen, but not applied by this view. */
  ignored: FilterKey[];
  /** Not offered in the filter bar on this view (the view has its own control, or ignores it). */
  hidden: FilterKey[];
}

const DISTRICTS_DROPS: FilterKey[] = ['district', 'office', 'category'];

export function viewFilters(route: RouteName, filters: Filters, meta: Meta | undefined): ViewFilters {
  if (route !== 'districts') return { filters, defaulted: [], ignored: [], hidden: [] };
  const kept: Filters = { ...filters };
  for (const k of DISTRICTS_DROPS) delete kept[k];
  const defaulted: FilterKey[] = [];
  if (!kept.service) {
    const busiest = busiestService(meta?.services);
    if (busiest) {
      kept.service = busiest.service_code;
      defaulted.push('service');
    }
  }
  return {
    filters: kept,
    defaulted,
    ignored: DISTRICTS_DROPS.filter((k) => filters[k]),
    hidden: [...DISTRICTS_DROPS, 'service'],
  };
}
