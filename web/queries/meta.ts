import { queryOptions } from '@tanstack/react-query';
import type { Meta } from '../api/types.ts';
import { apiQuery } from './query.ts';

/** Districts, services and offices change only with an import: fetch once per session. */
export const metaOptions = () =>
  queryOptions({ ...apiQuery<Meta>(['meta'], '/meta'), staleTime: 10 * 60_000 });
