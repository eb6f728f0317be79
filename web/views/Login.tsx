/** The sign-in page, shown whenever there is no valid session (first visit, expiry, sign-out). */
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import { session } from '../auth/session.ts';
import { useT } from '../i18n/useT.ts';
import { formatNumber } from '../lib/format.ts';
import { Link, useNav } from '../router.tsx';

export function Login({ expired }: { expired: boolean }) {
  const { t, lang } = useT();
  const { langHref } = useNav();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(expired ? t.auth.expired : null);
  const userId = useId();
  const passId = useId();

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const r = await api.login(String(form.get('username') ?? ''), String(form.get('password') ?? ''));
      // Answers cached for another user (or none) must not be shown to this one.
      queryClient.clear();
      session.signedIn(r.user, r.csrf_token, r.must_change_password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        const minutes = Math.max(1, Math.ceil((err.retryAfterS ?? 60) / 60));
        setError(t.auth.tooMany(formatNumber(minutes, lang)));
      } else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) {
        setError(t.auth.wrong);
      } else setError(t.auth.failed);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="login" data-testid="view-login">
      <form
        className="card login-card"
        onSubmit={submit}
        data-testid="login-form"
        aria-labelledby="login-title"
      >
        <div className="login-head">
          <h1 id="login-title">{t.auth.title}</h1>
          <Link
            href={langHref(lang === 'fa' ? 'en' : 'fa')}
            className="btn btn-small lang-switch"
            lang={lang === 'fa' ? 'en' : 'fa'}
            aria-label={t.app.switchLangLabel}
            data-testid="lang-switch"
          >
            {t.app.switchLang}
          </Link>
        </div>
        <p className="brand-subtitle">
          {t.app.title} — {t.app.subtitle}
        </p>
        <p className="state-hint">{t.auth.intro}</p>
        <div className="field">
          <label htmlFor={userId}>{t.auth.username}</label>
          <input
            id={userId}
            name="username"
            autoComplete="username"
            dir="ltr"
            required
            maxLength={64}
            data-testid="login-username"
          />
        </div>
        <div className="field">
          <label htmlFor={passId}>{t.auth.password}</label>
          <input
            id={passId}
            name="password"
            type="password"
            autoComplete="current-password"
            dir="ltr"
            required
            maxLength={256}
            data-testid="login-password"
          />
        </div>
        {error ? (
          <p className="field-error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn" disabled={busy} data-testid="login-submit">
          {busy ? t.auth.submitting : t.auth.submit}
        </button>
      </form>
    </main>
  );
}
