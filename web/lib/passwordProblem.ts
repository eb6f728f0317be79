/**
 * Why the server refused a new password (api/auth/password-policy.ts, api/auth/routes.ts), in the page's
 * language. The server's messages are English; anything not recognised is shown as the server wrote it.
 */
import type { ApiError } from '../api/client.ts';
import type { Messages } from '../i18n/index.ts';

export function passwordProblem(err: ApiError, t: Messages): string {
  if (err.parameter === 'current_password') return t.account.wrongCurrent;
  const m = err.message;
  if (/at least \d+ characters/.test(m)) return t.account.tooShort;
  if (/most common/.test(m)) return t.account.common;
  if (/not be the username/.test(m)) return t.account.isUsername;
  if (/Demo passwords/.test(m)) return t.account.demo;
  if (/different from the current/.test(m)) return t.account.same;
  return m;
}
