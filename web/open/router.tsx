/**
 * The public page's own tiny router (it shares nothing with the signed-in dashboard's): the location is
 * an external store over history.pushState/popstate, parsed into a route, the language and the search
 * fields. Everything lives in the URL, so any page can be shared and reloaded.
 *
 *   /public                      find an office (district, service, name: ?district=&service=&q=)
 *   /public/office/:id           one office
 *   /public/district/:n          one district
 *   /public/service/:code        one service (?district=N: the quickest offices there)
 *   /public/services             all services
 *   /public/method               the definitions
 *   ?lang=en                     English (Persian without it)
 */
import { type AnchorHTMLAttributes, type MouseEvent, useMemo, useSyncExternalStore } from 'react';
import type { Lang } from '../lib/format.ts';

export const BASE = '/public';

export type PublicRoute =
  | { name: 'home' }
  | { name: 'office'; id: string }
  | { name: 'district'; district: string }
  | { name: 'service'; code: string }
  | { name: 'services' }
  | { name: 'method' }
  | { name: 'not_found' };

export interface PublicLocation {
  route: PublicRoute;
  lang: Lang;
  /** Search fields and view choices (district, service, q, all). */
  params: Record<string, string>;
}

const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function parseLocation(pathname: string, search: string): PublicLocation {
  const q = new URLSearchParams(search);
  const lang: Lang = q.get('lang') === 'en' ? 'en' : 'fa';
  q.delete('lang');
  const params = Object.fromEntries([...q.entries()].filter(([, v]) => v !== ''));
  const parts = pathname.replace(/\/+$/, '').split('/').filter(Boolean).map(decodeURIComponent);
  let route: PublicRoute = { name: 'not_found' };
  if (parts[0] === 'public' || parts[0] === 'public.html') {
    const [, kind, id, extra] = parts;
    if (kind === undefined) route = { name: 'home' };
    else if (extra !== undefined) route = { name: 'not_found' };
    else if (kind === 'office' && id) route = { name: 'office', id };
    else if (kind === 'district' && id) route = { name: 'district', district: id };
    else if (kind === 'service' && id) route = { name: 'service', code: id };
    else if (kind === 'services' && !id) route = { name: 'services' };
    else if (kind === 'method' && !id) route = { name: 'method' };
  }
  return { route, lang, params };
}

/** The URL of a route in a language, with search fields (empty ones left out). */
export function hrefOf(
  route: PublicRoute,
  lang: Lang,
  params: Record<string, string | undefined> = {},
): string {
  const enc = encodeURIComponent;
  const path =
    route.name === 'office'
      ? `${BASE}/office/${enc(route.id)}`
      : route.name === 'district'
        ? `${BASE}/district/${enc(route.district)}`
        : route.name === 'service'
          ? `${BASE}/service/${enc(route.code)}`
          : route.name === 'services'
            ? `${BASE}/services`
            : route.name === 'method'
              ? `${BASE}/method`
              : BASE;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  if (lang === 'en') q.set('lang', 'en');
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function navigate(href: string, opts: { replace?: boolean } = {}) {
  if (href === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  for (const l of listeners) l();
}

export function usePublicLocation(): PublicLocation {
  const loc = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => {
    const i = loc.indexOf('?');
    return parseLocation(i < 0 ? loc : loc.slice(0, i), i < 0 ? '' : loc.slice(i));
  }, [loc]);
}

/** An <a> that navigates in-page on a plain click and is an ordinary link otherwise. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
    window.scrollTo({ top: 0 });
  };
  return <a href={href} onClick={handle} {...rest} />;
}
