/**
 * A tiny router: the location is an external store (history.pushState + popstate), parsed into
 * route, language, filters and view choices by lib/url.ts. No router dependency needed.
 */
import {
  type AnchorHTMLAttributes,
  type MouseEvent,
  useCallback,
  useMemo,
  useSyncExternalStore,
} from 'react';
import type { Lang } from './lib/format.ts';
import {
  buildUrl,
  type Filters,
  parseUrl,
  type Route,
  type UrlState,
  withFilters,
  withLang,
  withRoute,
  withView,
} from './lib/url.ts';

const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function navigate(href: string, opts: { replace?: boolean } = {}) {
  if (href === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  notify();
}

export function useUrlState(): UrlState {
  const loc = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => {
    const q = loc.indexOf('?');
    return parseUrl(q < 0 ? loc : loc.slice(0, q), q < 0 ? '' : loc.slice(q));
  }, [loc]);
}

/** Actions over the URL state; each one is a history entry so back/forward retrace the user's steps. */
export function useNav() {
  const state = useUrlState();
  return {
    state,
    hrefTo: useCallback(
      (route: Route, view?: Record<string, string>) => buildUrl(withRoute(state, route, view)),
      [state],
    ),
    setFilters: useCallback((patch: Filters) => navigate(buildUrl(withFilters(state, patch))), [state]),
    setView: useCallback(
      (patch: Record<string, string | undefined>, opts?: { replace?: boolean }) =>
        navigate(buildUrl(withView(state, patch)), opts),
      [state],
    ),
    langHref: useCallback((lang: Lang) => buildUrl(withLang(state, lang)), [state]),
  };
}

/** An <a> that navigates in-app on a plain click and behaves as a normal link otherwise (new tab, copy). */
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
