/**
 * For admins: a banner while demo accounts still sign in with their public README password on a
 * database with real data (the server says which, in GET /api/users).
 */
import { useQuery } from '@tanstack/react-query';
import { useT } from '../i18n/useT.ts';
import { usersOptions } from '../queries/users.ts';
import { Link, useNav } from '../router.tsx';

export function DemoBanner() {
  const { t, lang } = useT();
  const { hrefTo } = useNav();
  const users = useQuery(usersOptions());
  const names = users.data?.demo_passwords_on_real_data ?? [];
  if (users.data?.demo_database !== false || names.length === 0) return null;
  return (
    <div className="banner banner-warning no-print" role="alert" data-testid="demo-banner">
      <span>{t.users.demoBanner(names.join(lang === 'fa' ? '، ' : ', '))}</span>{' '}
      <Link href={hrefTo({ name: 'users' })}>{t.users.demoBannerLink}</Link>
    </div>
  );
}
