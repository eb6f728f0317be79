/**
 * The URL is the state: route, language, the common filters (same names as the API's
 * query parameters) and view-specific choices. Pure parse/build so a link reproduces a view.
 */
import type { FilterInput } from '../../api/filters.ts';
import type { Lang } from './format.ts';

/** The API's common filters (api/filters.ts), every one of them and nothing else. */
export const FILTER_KEYS = [
  'from',
  'to',
  'district',
  'service',
  'category',
  'office',
  'channel',
] as const satisfies readonly (keyof FilterInput)[];
export type FilterKey = (typeof FILTER_KEYS)[number];
const _everyApiFilter: [Exclude<keyof FilterInput, FilterKey>] extends [never] ? true : never = true;
/** As the URL holds them: text, checked by the API (a bad value is a 400 naming it). */
export type Filters = Partial<Record<FilterKey, string>>;

export type Route =
  | { name: 'overview' }
  | { name: 'districts' }
  | { name: 'offices' }
  | { name: 'office'; id: string }
  | { name: 'outliers' }
  | { name: 'process' }
  | { name: 'access' }
  | { name: 'report' }
  | { name: 'data' }
  | { name: 'method' }
  | { name: 'users' }
  | { name: 'account' }
  | { name: 'not_found'; path: string };

export type RouteName = Route['name'];

export interface UrlState {
  route: Route;
  lang: Lang;
  filters: Filters;
  /** View-specific choices (map metric, sort, page, …), kept as strings. */
  view: Record<string, string>;
}

const SIMPLE_ROUTES: Record<string, Route> = {
  '/': { name: 'overview' },
  '/districts': { name: 'districts' },
  '/offices': { name: 'offices' },
  '/outliers': { name: 'outliers' },
  '/process': { name: 'process' },
  '/access': { name: 'access' },
  '/report': { name: 'report' },
  '/data': { name: 'data' },
  '/method': { name: 'method' },
  '/users': { name: 'users' },
  '/account': { name: 'account' },
};

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  const simple = SIMPLE_ROUTES[path];
  if (simple) return simple;
  const office = /^\/offices\/([^/]+)$/.exec(path);
  if (office) return { name: 'office', id: decodeURIComponent(office[1]) };
  return { name: 'not_found', path };
}

export function routePath(route: Route): string {
  switch (route.name) {
    case 'overview':
      return '/';
    case 'office':
      return `/offices/${encodeURIComponent(route.id)}`;
    case 'not_found':
      return route.path;
    default:
      return `/${route.name}`;
  }
}

const isFilterKey = (k: string): k is FilterKey => (FILTER_KEYS as readonly string[]).includes(k);

export function parseUrl(pathname: string, search: string): UrlState {
  const params = new URLSearchParams(search);
  const filters: Filters = {};
  const view: Record<string, string> = {};
  let lang: Lang = 'fa';
  for (const [k, v] of params) {
    if (v === '') continue;
    if (k === 'lang') lang = v === 'en' ? 'en' : 'fa';
    else if (isFilterKey(k)) filters[k] = v;
    else view[k] = v;
  }
  return { route: parseRoute(pathname), lang, filters, view };
}

/** Stable order (filters, then language, then view keys alphabetically) so equal states give equal links. */
export function buildUrl(state: UrlState): string {
  const params = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = state.filters[k];
    if (v) params.set(k, v);
  }
  if (state.lang === 'en') params.set('lang', 'en');
  for (const k of Object.keys(state.view).sort()) {
    const v = state.view[k];
    if (v) params.set(k, v);
  }
  const qs = params.toString();
  return qs ? `${routePath(state.route)}?${qs}` : routePath(state.route);
}

const dropEmpty = <T extends Record<string, string | undefined>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v != null && v !== '')) as T;

/** New filters reset paging: page 7 of another filter's cases means nothing. */
export function withFilters(state: UrlState, patch: Filters): UrlState {
  const { page: _page, ...view } = state.view;
  return { ...state, filters: dropEmpty({ ...state.filters, ...patch }), view };
}

export function withView(state: UrlState, patch: Record<string, string | undefined>): UrlState {
  return { ...state, view: dropEmpty({ ...state.view, ...patch }) as Record<string, string> };
}

/** Moving between views keeps filters and language; view choices belong to the view left behind. */
export function withRoute(state: UrlState, route: Route, view: Record<string, string> = {}): UrlState {
  return { ...state, route, view };
}

export function withLang(state: UrlState, lang: Lang): UrlState {
  return { ...state, lang };
}
