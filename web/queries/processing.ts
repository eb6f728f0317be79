import type { Processing, ProcessingParams } from '../api/types.ts';
import { apiQuery } from './query.ts';

export const processingOptions = (params: ProcessingParams) =>
  apiQuery<Processing>(['processing', params], '/processing', params);
