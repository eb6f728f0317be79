import { describe, expect, it } from 'vitest';
import { checkNewPassword } from '../../api/auth/password-policy.ts';
import { UserError } from '../../api/auth/users.ts';
import { Db } from '../../api/db.ts';
import { ApiError } from '../../web/api/client.ts';
import { en } from '../../web/i18n/en.ts';
import { fa } from '../../web/i18n/fa.ts';
import { passwordProblem } from '../../web/lib/passwordProblem.ts';

/** The server's refusal as the dashboard receives it (the 400 of POST /api/auth/password). */
async function refusal(username: string, password: string): Promise<ApiError> {
  const db = await Db.open(':memory:', { threads: 1 });
  try {
    await checkNewPassword(db, username, password);
  } catch (err) {
    if (err instanceof UserError)
      return new ApiError(400, 'bad_parameter', `new_password: ${err.message}`, 'new_password');
    throw err;
  } finally {
    db.close();
  }
  throw new Error(`${password} was accepted`);
}

describe('password refusals in the page’s language', () => {
  it('names each reason the server gives, in Persian and English', async () => {
    const cases = [
      ['short', 'tooShort'],
      ['sunshine', 'common'],
      ['mohammadi', 'isUsername'],
      ['rezaei-demo', 'demo'],
    ] as const;
    for (const [password, key] of cases) {
      const err = await refusal('mohammadi', password);
      expect(passwordProblem(err, fa), password).toBe(fa.account[key]);
      expect(passwordProblem(err, en), password).toBe(en.account[key]);
    }
    const wrong = new ApiError(400, 'bad_parameter', 'current_password: no', 'current_password');
    expect(passwordProblem(wrong, fa)).toBe('گذرواژه کنونی درست نیست.');
    const other = new ApiError(500, 'internal', 'Internal error; the server log has the details.');
    expect(passwordProblem(other, fa)).toBe(other.message);
  });
});
