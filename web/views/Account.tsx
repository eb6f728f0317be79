/** The signed-in user's own account: who they are, and their password. */
import { useUser } from '../auth/session.ts';
import { PasswordChangeForm } from '../components/PasswordChangeForm.tsx';
import { useT } from '../i18n/useT.ts';

export default function Account() {
  const { t } = useT();
  const user = useUser();
  if (!user) return null;
  return (
    <div className="view" data-testid="view-account">
      <section className="card" aria-labelledby="account-title">
        <header className="card-head">
          <h2 id="account-title">{t.account.changeTitle}</h2>
        </header>
        <p className="note">{t.account.intro(user.username, t.auth.roles[user.role] ?? user.role)}</p>
        <PasswordChangeForm />
      </section>
    </div>
  );
}
