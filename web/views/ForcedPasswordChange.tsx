/**
 * In place of the dashboard while the user's password is one an admin chose: the API answers nothing
 * else until they set their own (api/auth/middleware.ts).
 */
import { session, useUser } from '../auth/session.ts';
import { PasswordChangeForm } from '../components/PasswordChangeForm.tsx';
import { useT } from '../i18n/useT.ts';
export function ForcedPasswordChange({ onSignOut }: { onSignOut: () => void }) {
  const { t } = useT();
  const user = useUser();
  return (
    <main id="main" className="login" data-testid="view-forced-password">
      <section className="card login-card" aria-labelledby="forced-title">
        <div className="login-head">
          <h1 id="forced-title">{t.account.forcedTitle}</h1>
          <button type="button" className="btn btn-small" onClick={onSignOut} data-testid="sign-out">
            {t.auth.signOut}
          </button>
        </div>
        <p className="brand-subtitle">
          {t.app.title} — <span dir="ltr">{user?.username}</span>
        </p>
        <p className="state-hint">{t.account.forcedIntro}</p>
        <PasswordChangeForm onDone={() => session.passwordChanged()} />
      </section>
    </main>
  );
}
