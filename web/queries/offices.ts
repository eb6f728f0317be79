import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import type { Filters } from '../lib/url.ts';

export const officesOptions = (filters: Filters) =>
  queryOptions({ queryKey: ['offices', filters], queryFn: ({ signal }) => api.offices(filters, signal) });

export const officeOptions = (id: string, filters: Filters) =>
  queryOptions({
    queryKey: ['office', id, filters],
    queryFn: ({ signal }) => api.office(id, filters, signal),
  });
