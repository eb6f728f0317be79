/** The public scorecards' publication state (admins), typed by the server's schema. */
import { queryOptions } from '@tanstack/react-query';
import type { PublicationState } from '../../api/public/admin.ts';
import { apiUrl, request } from '../api/client.ts';

export const publicationOptions = () =>
  queryOptions({
    queryKey: ['publication'],
    queryFn: ({ signal }) => request<PublicationState>(apiUrl('/publication'), { signal }),
    staleTime: 0,
  });

/** Publishes (with the licence line) or withdraws; the server records it in the audit log. */
export function setPublication(body: { published: boolean; licence?: string }): Promise<PublicationState> {
  return request<PublicationState>(apiUrl('/publication'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
