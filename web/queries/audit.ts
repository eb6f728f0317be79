import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { AuditPage } from '../api/types.ts';
import { apiQuery } from './query.ts';

export const auditOptions = (params: { page: number }) => {
  const query = { ...params, page_size: 50 };
  return queryOptions({
    ...apiQuery<AuditPage>(['audit', query], '/audit', query),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
};
