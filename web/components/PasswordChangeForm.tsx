/**
 * A user's own password change: the current password, the new one twice. Used on the account page and,
 * `forced`, in place of the dashboard when an admin chose the password the user signed in with.
 */
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { usersApi } from '../api/users.ts';
import { useT } from '../i18n/useT.ts';
import { passwordProblem } from '../lib/passwordProblem.ts';

export function PasswordChangeForm({ onDone }: { onDone?: () => void }) {
  const { t } = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const ids = { current: useId(), next: useId(), repeat: useId(), rules: useId() };

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const current = String(form.get('current') ?? '');
    const next = String(form.get('next') ?? '');
    setError(null);
    setDone(false);
    if (next !== String(form.get('repeat') ?? '')) {
      setError(t.account.mismatch);
      return;
    }
    setBusy(true);
    try {
      await usersApi.changeOwnPassword({ current_password: current, new_password: next });
      formEl.reset();
      setDone(true);
      onDone?.();
    } catch (err) {
      setError(err instanceof ApiError ? passwordProblem(err, t) : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="password-form" onSubmit={submit} data-testid="password-form">
      <div className="field">
        <label htmlFor={ids.current}>{t.account.current}</label>
        <input
          id={ids.current}
          name="current"
          type="password"
          autoComplete="current-password"
          dir="ltr"
          required
          maxLength={256}
          data-testid="password-current"
        />
      </div>
      <div className="field">
        <label htmlFor={ids.next}>{t.account.next}</label>
        <input
          id={ids.next}
          name="next"
          type="password"
          autoComplete="new-password"
          dir="ltr"
          required
          minLength={8}
          maxLength={256}
          aria-describedby={ids.rules}
          data-testid="password-new"
        />
      </div>
      <div className="field">
        <label htmlFor={ids.repeat}>{t.account.repeat}</label>
        <input
          id={ids.repeat}
          name="repeat"
          type="password"
          autoComplete="new-password"
          dir="ltr"
          required
          minLength={8}
          maxLength={256}
          data-testid="password-repeat"
        />
      </div>
      <p id={ids.rules} className="state-hint">
        {t.account.rules}
      </p>
      {error ? (
        <p className="field-error" role="alert" dir="auto" data-testid="password-error">
          {error}
        </p>
      ) : null}
      {done ? (
        <p role="status" data-testid="password-done">
          {t.account.done}
        </p>
      ) : null}
      <button type="submit" className="btn" disabled={busy} data-testid="password-submit">
        {busy ? t.account.submitting : t.account.submit}
      </button>
    </form>
  );
}
