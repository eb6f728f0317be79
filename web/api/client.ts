/**
 * The one typed fetch layer between the dashboard and /api. The session cookie travels by itself
 * (same origin, HttpOnly); state-changing requests add the session's CSRF token, and a 401 from any
 * request sends the dashboard to the sign-in page. GET endpoints are read through the query factories
 * in web/queries/, which build their URL with `apiUrl` and fetch it with `getJson`.
 */
import { session } from '../auth/session.ts';
import type {
  ApiErrorBody,
  AuditExport,
  DistrictGeoJson,
  GeoStatus,
  ImportReport,
  SignedIn,
} from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
    /** Seconds to wait, from Retry-After (a 429 on sign-in). */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Params = Record<string, string | number | boolean | undefined | null>;

export function apiUrl(path: string, params: Params = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `/api${path}?${s}` : `/api${path}`;
}

export async function request<T>(url: string, init: RequestInit = {}): Promise<T> {
  return (await send(url, init)).json() as Promise<T>;
}

/** A file the API serves (an Excel download): its bytes and the name the server gives it. */
export async function fetchFile(url: string): Promise<{ blob: Blob; fileName: string | null }> {
  const res = await send(url);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? null;
  return { blob: await res.blob(), fileName: name };
}

/** The request, with the session's CSRF token on state changes; an error answer becomes an ApiError. */
async function send(url: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  const method = (init.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') headers.set('X-CSRF-Token', session.csrf());
  try {
    res = await fetch(url, { ...init, headers, credentials: 'same-origin' });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', `${url}: ${(e as Error).message}`);
  }
  // A 401 on the sign-in call itself is a wrong password, not an ended session.
  if (res.status === 401 && !url.startsWith('/api/auth/')) session.signedOut(true);
  if (!res.ok) {
    let body: Partial<ApiErrorBody> | null = null;
    try {
      body = (await res.json()) as ApiErrorBody;
    } catch {
      // not JSON: a proxy error page or a crash; the status line is all there is
    }
    const err = body?.error;
    throw new ApiError(
      res.status,
      err?.code ?? 'http',
      err?.message ?? `${url}: HTTP ${res.status}`,
      err?.parameter,
      Number(res.headers.get('retry-after')) || undefined,
    );
  }
  return res;
}

export function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return request<T>(url, { signal });
}

function postJson<T>(path: string, body: unknown): Promise<T> {
  return request<T>(apiUrl(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export const api = {
  me: (signal?: AbortSignal) => getJson<SignedIn>(apiUrl('/auth/me'), signal),
  login: (username: string, password: string) => postJson<SignedIn>('/auth/login', { username, password }),
  logout: () => postJson<{ ok: true }>('/auth/logout', {}),
  /** Records a CSV download (the file itself is built in the browser). */
  auditExport: (body: AuditExport) => postJson<{ ok: true }>('/audit/export', body),
  /** multipart: files, optional mapping (JSON text), as_of, dry_run. */
  upload: (form: FormData) => request<ImportReport>(apiUrl('/imports'), { method: 'POST', body: form }),
  /**
   * The boundaries are optional: the server says whether it has them, and only then are they fetched;
   * without them the tile map is drawn (null).
   */
  async districtGeo(signal?: AbortSignal): Promise<DistrictGeoJson | null> {
    const status = await getJson<GeoStatus>(apiUrl('/geo'), signal);
    return status.boundaries ? getJson<DistrictGeoJson>(apiUrl('/geo/districts'), signal) : null;
  },
};
