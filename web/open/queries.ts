/**
 * The public page's data: the open-data endpoints, fetched without credentials (no cookie goes out),
 * typed by the server's own zod schemas (`z.infer`, api/public/schemas.ts). One `queryOptions` factory
 * per resource; each key holds every parameter its fetch uses.
 */
import { queryOptions } from '@tanstack/react-query';
import type {
  PublicDistrict,
  PublicDistricts,
  PublicOffice,
  PublicOffices,
  PublicService,
  PublicServices,
} from '../../api/public/schemas.ts';

export class PublicApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'PublicApiError';
  }
}

type Params = Record<string, string | number | undefined>;

export function publicApiUrl(path: string, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `/api/public${path}?${s}` : `/api/public${path}`;
}

async function get<T>(path: string, params: Params, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(publicApiUrl(path, params), {
      signal,
      credentials: 'omit',
      headers: { accept: 'application/json' },
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new PublicApiError(0, (e as Error).message);
  }
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    try {
      message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not JSON: the status is all there is
    }
    throw new PublicApiError(res.status, message);
  }
  return (await res.json()) as T;
}

const STALE = 60_000;

export interface OfficeSearch {
  district?: string;
  service?: string;
  q?: string;
}

/** The office list: the three most handled services each (the list shows no more). */
export const officesOptions = (s: OfficeSearch) =>
  queryOptions({
    queryKey: ['public', 'offices', s.district ?? '', s.service ?? '', s.q ?? ''],
    queryFn: ({ signal }) =>
      get<PublicOffices>(
        '/offices',
        { district: s.district, service: s.service, q: s.q, top: s.service ? undefined : 3 },
        signal,
      ),
    staleTime: STALE,
  });

export const officeOptions = (id: string) =>
  queryOptions({
    queryKey: ['public', 'office', id],
    queryFn: ({ signal }) => get<PublicOffice>(`/offices/${encodeURIComponent(id)}`, {}, signal),
    staleTime: STALE,
  });

/** Districts with their all-services figures only (top=0). */
export const districtsOptions = () =>
  queryOptions({
    queryKey: ['public', 'districts'],
    queryFn: ({ signal }) => get<PublicDistricts>('/districts', { top: 0 }, signal),
    staleTime: STALE,
  });

export const districtOptions = (district: string) =>
  queryOptions({
    queryKey: ['public', 'district', district],
    queryFn: ({ signal }) => get<PublicDistrict>(`/districts/${encodeURIComponent(district)}`, {}, signal),
    staleTime: STALE,
  });

export const servicesOptions = () =>
  queryOptions({
    queryKey: ['public', 'services'],
    queryFn: ({ signal }) => get<PublicServices>('/services', {}, signal),
    staleTime: STALE,
  });

export const serviceOptions = (code: string, district: string | undefined) =>
  queryOptions({
    queryKey: ['public', 'service', code, district ?? ''],
    queryFn: ({ signal }) =>
      get<PublicService>(`/services/${encodeURIComponent(code)}`, { district, limit: 10 }, signal),
    staleTime: STALE,
  });
