/**
 * Who is signed in, as an external store: 'checking' until /api/auth/me answers, then 'in' (with the
 * user and the CSRF token every state-changing request must carry) or 'out'. Any 401 from the API
 * moves it to 'out', which shows the sign-in page.
 */
import { useSyncExternalStore } from 'react';
import type { AuthUser } from '../api/types.ts';

export type SessionState =
  | { status: 'checking' }
  | { status: 'out'; expired: boolean }
  | {
      status: 'in';
      user: AuthUser;
      csrf: string;
      /** Signed in with a password an admin chose: the user must set their own before anything else. */
      mustChangePassword: boolean;
    };

let state: SessionState = { status: 'checking' };
const listeners = new Set<() => void>();

function set(next: SessionState) {
  state = next;
  for (const l of listeners) l();
}

export const session = {
  get: () => state,
  signedIn: (user: AuthUser, csrf: string, mustChangePassword = false) =>
    set({ status: 'in', user, csrf, mustChangePassword }),
  /** The user set their own password: the dashboard opens. */
  passwordChanged: () => {
    if (state.status === 'in') set({ ...state, mustChangePassword: false });
  },
  /** `expired`: the session ended under a signed-in page (say so on the sign-in page). */
  signedOut: (expired = false) => {
    if (state.status !== 'out') set({ status: 'out', expired: expired && state.status === 'in' });
  },
  csrf: () => (state.status === 'in' ? state.csrf : ''),
  subscribe(l: () => void) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.get);
}

/** The signed-in user (the shell renders views only when there is one). */
export function useUser(): AuthUser | null {
  const s = useSession();
  return s.status === 'in' ? s.user : null;
}
