/**
 * The one typed fetch layer between the dashboard and /api. The session cookie travels by itself
 * (same origin, HttpOnly); state-changing requests add the session's CSRF token, and a 401 from any
 * request sends the dashboard to the sign-in page.
 */
import type { SignedIn } from '../../api/auth/routes.ts';
import type { AccessResponse } from '../../api/metrics/access.ts';
import { session } from '../auth/session.ts';
import type { Filters } from '../lib/url.ts';
import type {
  ApiErrorBody,
  AuditPage,
  CalendarParam,
  CaseStatus,
  Cases,
  DistrictGeoJson,
  Funnel,
  FunnelMetric,
  Health,
  ImportReport,
  Imports,
  Meta,
  OfficeScorecard,
  Offices,
  Outliers,
  Processing,
  ProcessingBy,
  Rejects,
  Trends,
  Variance,
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

type Params = Record<string, string | number | boolean | undefined | null>;

export function apiUrl(path: string, params: Params = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `/api${path}?${s}` : `/api${path}`;
}

export async function request<T>(url: string, init: RequestInit = {}): Promise<T> {
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
  return (await res.json()) as T;
}

function get<T>(path: string, params: Params, signal?: AbortSignal): Promise<T> {
  return request<T>(apiUrl(path, params), { signal });
}

function postJson<T>(path: string, body: unknown): Promise<T> {
  return request<T>(apiUrl(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export interface ProcessingParams extends Filters {
  by: ProcessingBy;
  calendar?: CalendarParam;
}
export interface FunnelParams extends Filters {
  metric: FunnelMetric;
  by: 'office' | 'district';
  scope?: string;
  min_n?: number;
}
export interface TrendParams extends Filters {
  metric: 'complaints' | 'processing';
  by?: 'city' | 'district' | 'office';
  calendar?: CalendarParam;
}
export interface CaseParams extends Filters {
  page: number;
  page_size?: number;
  status?: CaseStatus;
  breached?: boolean;
  sort?: 'submitted_at' | 'duration_days';
  order?: 'asc' | 'desc';
}

type S = AbortSignal | undefined;

export const api = {
  health: (signal?: S) => get<Health>('/health', {}, signal),
  meta: (signal?: S) => get<Meta>('/meta', {}, signal),
  processing: (p: ProcessingParams, signal?: S) => get<Processing>('/processing', { ...p }, signal),
  variance: (p: Filters & { service: string; min_n?: number }, signal?: S) =>
    get<Variance>('/variance', { ...p }, signal),
  funnel: (p: FunnelParams, signal?: S) => get<Funnel>('/funnel', { ...p }, signal),
  outliers: (p: Filters, signal?: S) => get<Outliers>('/outliers', { ...p }, signal),
  offices: (p: Filters, signal?: S) => get<Offices>('/offices', { ...p }, signal),
  office: (id: string, p: Filters, signal?: S) =>
    get<OfficeScorecard>(`/offices/${encodeURIComponent(id)}`, { ...p }, signal),
  trends: (p: TrendParams, signal?: S) => get<Trends>('/trends', { ...p }, signal),
  cases: (p: CaseParams, signal?: S) => get<Cases>('/cases', { ...p }, signal),
  /** DESIGN 16; the answer's type is inferred from the API's zod schema. */
  access: (p: Filters, signal?: S) => get<AccessResponse>('/access', { ...p }, signal),
  me: (signal?: S) => get<SignedIn>('/auth/me', {}, signal),
  login: (username: string, password: string) => postJson<SignedIn>('/auth/login', { username, password }),
  logout: () => postJson<{ ok: true }>('/auth/logout', {}),
  audit: (p: { page: number; page_size?: number }, signal?: S) => get<AuditPage>('/audit', { ...p }, signal),
  /** Records a CSV download (the file itself is built in the browser). */
  auditExport: (view: string, filters: Record<string, string>, rows: number) =>
    postJson<{ ok: true }>('/audit/export', { view, filters, rows }),
  /** multipart: files, optional mapping (JSON text), as_of, dry_run. */
  upload: (form: FormData) => request<ImportReport>(apiUrl('/imports'), { method: 'POST', body: form }),
  imports: (signal?: S) => get<Imports>('/imports', {}, signal),
  rejects: (p: { import_id?: string; page: number }, signal?: S) =>
    get<Rejects>('/rejects', { ...p }, signal),
  /**
   * The boundaries are optional: the server says whether it has them, and only then are they fetched;
   * without them the tile map is drawn (null).
   */
  async districtGeo(signal?: S): Promise<DistrictGeoJson | null> {
    const status = await get<{ boundaries: boolean }>('/geo', {}, signal);
    return status.boundaries ? get<DistrictGeoJson>('/geo/districts', {}, signal) : null;
  },
};
