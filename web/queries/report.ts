import type { Report, ReportParams } from '../api/types.ts';
import { apiQuery } from './query.ts';

export const reportOptions = (params: ReportParams) =>
  apiQuery<Report>(['report', params], '/report', params);
