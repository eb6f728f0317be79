import { queryOptions } from '@tanstack/react-query';
import { api, type ProcessingParams } from '../api/client.ts';

export const processingOptions = (params: ProcessingParams) =>
  queryOptions({ queryKey: ['processing', params], queryFn: ({ signal }) => api.processing(params, signal) });
