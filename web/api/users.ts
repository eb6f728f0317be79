/**
 * The users API and a user's own password change, typed by the server's zod schemas
 * (api/routes/users.ts, api/auth/routes.ts): one description of each answer, so a change the
 * dashboard misses fails `npm run lint`.
 */
import type { PasswordChange } from '../../api/auth/routes.ts';
import type { NewUserInput, UserChanged, UserChangeInput, UserList } from '../../api/routes/users.ts';
import { apiUrl, request } from './client.ts';

export type { UserChanged, UserList, UserRow } from '../../api/routes/users.ts';

function send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return request<T>(apiUrl(path), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const userPath = (username: string) => `/users/${encodeURIComponent(username)}`;

export const usersApi = {
  list: (signal?: AbortSignal) => request<UserList>(apiUrl('/users'), { signal }),
  add: (input: NewUserInput) => send<UserChanged>('POST', '/users', input),
  change: (username: string, input: UserChangeInput) => send<UserChanged>('PATCH', userPath(username), input),
  remove: (username: string) => send<{ ok: true; sessions_ended: number }>('DELETE', userPath(username)),
  changeOwnPassword: (input: PasswordChange) => send<{ ok: true }>('POST', '/auth/password', input),
};
