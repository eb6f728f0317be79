import { queryOptions } from '@tanstack/react-query';
import { apiUrl, getJson, type Params } from '../api/client.ts';

/**
 * A GET of the API as query options: the key starts with the resource and holds every parameter the
 * fetch uses; `meta.url` is the request itself (the server precomputes the default views' URLs:
 * views.ts).
 */
export function apiQuery<T>(key: readonly [string, ...unknown[]], path: string, params: Params = {}) {
  const url = apiUrl(path, params);
  return queryOptions({
    queryKey: key,
    queryFn: ({ signal }) => getJson<T>(url, signal),
    meta: { url },
  });
}

/** The URL a query option fetches. */
export const urlOf = (o: { meta?: Record<string, unknown> }): string => String(o.meta?.url);
