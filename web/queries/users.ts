import { queryOptions } from '@tanstack/react-query';
import { usersApi } from '../api/users.ts';

/** The user list (admins): also says whether demo accounts still have their public password. */
export const usersOptions = () =>
  queryOptions({
    queryKey: ['users'],
    queryFn: ({ signal }) => usersApi.list(signal),
    staleTime: 0,
  });
