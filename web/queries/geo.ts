import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';

/** null when the server has no boundary file configured (it says so at /api/geo). */
export const districtGeoOptions = () =>
  queryOptions({
    queryKey: ['geo', 'districts'],
    queryFn: ({ signal }) => api.districtGeo(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
