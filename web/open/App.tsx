/**
 * The public scorecards' shell: header (name, print, language), navigation, the current page
 * (code-split) — no sign-in, no session check, nothing from the dashboard's shell.
 */
import { lazy, Suspense, useEffect } from 'react';
import { messages } from '../i18n/index.ts';
import { usePublicT } from './components.tsx';
import { hrefOf, Link, type PublicRoute, usePublicLocation } from './router.tsx';

const Home = lazy(() => import('./views/Home.tsx'));
const Office = lazy(() => import('./views/Office.tsx'));
const District = lazy(() => import('./views/District.tsx'));
const Service = lazy(() => import('./views/Service.tsx'));
const Services = lazy(() => import('./views/Services.tsx'));
const Method = lazy(() => import('./views/Method.tsx'));
const NotFound = lazy(() => import('./views/NotFound.tsx'));

function View({ route }: { route: PublicRoute }) {
  switch (route.name) {
    case 'home':
      return <Home />;
    case 'office':
      return <Office id={route.id} />;
    case 'district':
      return <District district={route.district} />;
    case 'service':
      return <Service code={route.code} />;
    case 'services':
      return <Services />;
    case 'method':
      return <Method />;
    default:
      return <NotFound />;
  }
}

const NAV: { route: PublicRoute; key: 'home' | 'services' | 'method' }[] = [
  { route: { name: 'home' }, key: 'home' },
  { route: { name: 'services' }, key: 'services' },
  { route: { name: 'method' }, key: 'method' },
];

export function PublicApp() {
  const { route, lang, params } = usePublicLocation();
  const { t } = usePublicT();
  const other = lang === 'fa' ? 'en' : 'fa';

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = messages(lang).dir;
    document.title = `${t.brand} — ${t.tagline}`;
  }, [lang, t]);

  const active = route.name === 'service' ? 'services' : route.name;
  return (
    <div className="pub">
      <a className="skip-link" href="#main">
        {t.skip}
      </a>
      <header className="pub-header">
        <Link href={hrefOf({ name: 'home' }, lang)} className="pub-brand">
          <span className="pub-brand-title">{t.brand}</span>
          <span className="pub-brand-tagline">{t.tagline}</span>
        </Link>
        <div className="pub-actions no-print">
          <button type="button" className="btn btn-small" onClick={() => window.print()} data-testid="print">
            {t.print}
          </button>
          <Link
            href={hrefOf(route.name === 'not_found' ? { name: 'home' } : route, other, params)}
            className="btn btn-small"
            lang={other}
            aria-label={t.switchLangLabel}
            data-testid="lang-switch"
          >
            {t.switchLang}
          </Link>
        </div>
      </header>
      <nav className="pub-nav no-print" aria-label={t.nav.label}>
        {NAV.map((n) => (
          <Link
            key={n.key}
            href={hrefOf(n.route, lang)}
            aria-current={active === n.key ? 'page' : undefined}
            data-testid={`pub-nav-${n.key}`}
          >
            {t.nav[n.key]}
          </Link>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        <Suspense
          fallback={
            <div className="state skeleton" role="status" aria-busy="true">
              {t.states.loading}
            </div>
          }
        >
          <View route={route} />
        </Suspense>
      </main>
    </div>
  );
}
