import { useT } from '../i18n/useT.ts';
import { Link, useNav } from '../router.tsx';

export default function NotFound() {
  const { t } = useT();
  const { hrefTo } = useNav();
  return (
    <div className="view state" data-testid="view-not-found">
      <h1>{t.states.notFound}</h1>
      <Link href={hrefTo({ name: 'overview' })}>{t.states.home}</Link>
    </div>
  );
}
