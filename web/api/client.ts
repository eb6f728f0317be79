/** The one typed fetch layer between the dashboard and /api. */
import type { Filters } from '../lib/url.ts';
import type {
  ApiErrorBody,
  CalendarParam,
  CaseStatus,
  Cases,
  DistrictGeoJson,
  Funnel,
  FunnelMetric,
  Health,
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

async function get<T>(path: string, params: Params, signal?: AbortSignal): Promise<T> {
  const url = apiUrl(path, params);
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', `${url}: ${(e as Error).message}`);
  }
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
    );
  }
  return (await res.json()) as T;
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
  imports: (signal?: S) => get<Imports>('/imports', {}, signal),
  rejects: (p: { import_id?: string; page: number }, signal?: S) =>
    get<Rejects>('/rejects', { ...p }, signal),
  /** The boundaries are optional: a 404 means none is configured, and the tile map is drawn instead. */
  async districtGeo(signal?: S): Promise<DistrictGeoJson | null> {
    try {
      return await get<DistrictGeoJson>('/geo/districts', {}, signal);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  },
};
