/**
 * The service picker's content: services grouped by category, the categories and the services in
 * each by the reader's alphabet, narrowed by a search that ignores Arabic/Persian letter variants,
 * ZWNJ and case (normaliseSearch); and the service the districts view opens on.
 */
import type { Meta } from '../api/types.ts';
import { normaliseSearch } from './sort.ts';

export type MetaService = Meta['services'][number];

export interface ServiceGroup {
  category: string | null;
  label: string;
  services: { code: string; label: string; n_cases: number }[];
}

export function groupServices(
  services: readonly MetaService[],
  serviceName: (code: string) => string,
  categoryName: (code: string | null) => string,
  search: string,
  lang: string,
): ServiceGroup[] {
  const q = normaliseSearch(search);
  const collator = new Intl.Collator(lang);
  const groups = new Map<string, ServiceGroup>();
  for (const s of services) {
    const label = serviceName(s.service_code);
    const catLabel = categoryName(s.category);
    if (q && !normaliseSearch(`${label} ${s.service_code} ${catLabel}`).includes(q)) continue;
    const key = s.category ?? '';
    const g = groups.get(key) ?? { category: s.category, label: catLabel, services: [] };
    g.services.push({ code: s.service_code, label, n_cases: s.n_cases });
    groups.set(key, g);
  }
  const out = [...groups.values()].sort((a, b) => collator.compare(a.label, b.label));
  for (const g of out) g.services.sort((a, b) => collator.compare(a.label, b.label));
  return out;
}

/**
 * The districts view's service when none is chosen: the building-permit service with the most cases
 * (what a commissioner asks about first), else the busiest service of all; ties by code.
 */
export function busiestService(
  services: readonly MetaService[] | undefined,
  category = 'building_permit',
): MetaService | undefined {
  const busiest = (list: readonly MetaService[]) =>
    [...list].sort(
      (a, b) =>
        b.n_cases - a.n_cases ||
        (a.service_code < b.service_code ? -1 : a.service_code > b.service_code ? 1 : 0),
    )[0];
  const all = services ?? [];
  return busiest(all.filter((s) => s.category === category)) ?? busiest(all);
}
