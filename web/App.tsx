/**
 * The shell: sign-in gate, header (user, role, sign-out), language switch, navigation, filters, and
 * the current view (code-split).
 */
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { ApiError, api } from './api/client.ts';
import type { AuthUser } from './api/types.ts';
import { session, useSession } from './auth/session.ts';
import { DemoBanner } from './components/DemoBanner.tsx';
import { FilterSummary } from './components/FilterSummary.tsx';
import { Filters } from './components/Filters.tsx';
import { Skeleton } from './components/States.tsx';
import { useNames } from './components/useNames.ts';
import { useT } from './i18n/useT.ts';
import { formatDate } from './lib/format.ts';
import type { Route, RouteName } from './lib/url.ts';
import { viewFilters } from './lib/viewFilters.ts';
import { metaOptions } from './queries/meta.ts';
import { Link, useNav } from './router.tsx';
import { ForcedPasswordChange } from './views/ForcedPasswordChange.tsx';
import { Login } from './views/Login.tsx';

const Overview = lazy(() => import('./views/Overview.tsx'));
const Districts = lazy(() => import('./views/Districts.tsx'));
const Offices = lazy(() => import('./views/Offices.tsx'));
const OfficeScorecard = lazy(() => import('./views/OfficeScorecard.tsx'));
const Outliers = lazy(() => import('./views/Outliers.tsx'));
const Process = lazy(() => import('./views/Process.tsx'));
const Access = lazy(() => import('./views/Access.tsx'));
const Report = lazy(() => import('./views/Report.tsx'));
const DataPage = lazy(() => import('./views/DataPage.tsx'));
const Method = lazy(() => import('./views/Method.tsx'));
const NotFound = lazy(() => import('./views/NotFound.tsx'));
const Users = lazy(() => import('./views/Users.tsx'));
const Account = lazy(() => import('./views/Account.tsx'));

const NAV: { route: Route; key: Exclude<RouteName, 'office' | 'not_found' | 'account'>; admin?: true }[] = [
  { route: { name: 'overview' }, key: 'overview' },
  { route: { name: 'districts' }, key: 'districts' },
  { route: { name: 'offices' }, key: 'offices' },
  { route: { name: 'outliers' }, key: 'outliers' },
  { route: { name: 'process' }, key: 'process' },
  { route: { name: 'access' }, key: 'access' },
  { route: { name: 'report' }, key: 'report' },
  { route: { name: 'data' }, key: 'data' },
  { route: { name: 'method' }, key: 'method' },
  { route: { name: 'users' }, key: 'users', admin: true },
];

function CurrentView({ route }: { route: Route }) {
  switch (route.name) {
    case 'overview':
      return <Overview />;
    case 'districts':
      return <Districts />;
    case 'offices':
      return <Offices />;
    case 'office':
      return <OfficeScorecard id={route.id} />;
    case 'outliers':
      return <Outliers />;
    case 'process':
      return <Process />;
    case 'access':
      return <Access />;
    case 'report':
      return <Report />;
    case 'data':
      return <DataPage />;
    case 'method':
      return <Method />;
    case 'users':
      return <Users />;
    case 'account':
      return <Account />;
    default:
      return <NotFound />;
  }
}

/** Asks the server once who is signed in (the session cookie is HttpOnly, so only it knows). */
function useSessionCheck() {
  const s = useSession();
  useEffect(() => {
    if (s.status !== 'checking') return;
    api.me().then(
      (r) => session.signedIn(r.user, r.csrf_token, r.must_change_password),
      (err) => {
        if (!(err instanceof ApiError) || err.status !== 401) console.warn(err);
        session.signedOut();
      },
    );
  }, [s.status]);
  // A session an admin ended (user disabled, signed out everywhere) shows as soon as the tab is looked at again.
  useEffect(() => {
    if (s.status !== 'in') return;
    const recheck = () => {
      if (document.visibilityState !== 'visible') return;
      api.me().catch((err) => {
        if (err instanceof ApiError && err.status === 401) session.signedOut(true);
      });
    };
    document.addEventListener('visibilitychange', recheck);
    return () => document.removeEventListener('visibilitychange', recheck);
  }, [s.status]);
  return s;
}

export function App() {
  const { t, lang } = useT();
  const queryClient = useQueryClient();
  const { state } = useNav();
  const s = useSessionCheck();

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = t.dir;
    const page =
      s.status === 'out' ? t.auth.title : (t.nav[state.route.name as keyof typeof t.nav] ?? t.app.subtitle);
    document.title = `${t.app.title} — ${page}`;
  }, [lang, t, state.route.name, s.status]);

  if (s.status === 'checking') return <Skeleton height={600} />;
  if (s.status === 'out') return <Login expired={s.expired} />;
  if (s.mustChangePassword) return <ForcedPasswordChange onSignOut={() => signOut(queryClient)} />;
  return <Shell user={s.user} />;
}

function ScopeNote({ user }: { user: AuthUser }) {
  const { t, lang } = useT();
  const names = useNames();
  if (user.role !== 'inspector') return null;
  const list = (user.districts ?? []).map((d) => names.district(d)).join(lang === 'fa' ? '، ' : ', ');
  return (
    <p className="scope-note" role="note" data-testid="scope-note">
      {t.auth.scopeNote(list)}
    </p>
  );
}

async function signOut(queryClient: QueryClient) {
  try {
    await api.logout();
  } catch {
    // the session may have ended already; signing out locally is what matters
  }
  queryClient.clear();
  session.signedOut();
}

function UserBox({ user }: { user: AuthUser }) {
  const { t } = useT();
  const { hrefTo } = useNav();
  const queryClient = useQueryClient();
  return (
    <span className="user-box" data-testid="user-box">
      <Link
        href={hrefTo({ name: 'account' })}
        className="user-name"
        dir="ltr"
        title={t.nav.account}
        data-testid="user-name"
      >
        {user.username}
      </Link>
      <span className="user-role" data-testid="user-role">
        {t.auth.roles[user.role] ?? user.role}
      </span>
      <button
        type="button"
        className="btn btn-small no-print"
        onClick={() => signOut(queryClient)}
        data-testid="sign-out"
      >
        {t.auth.signOut}
      </button>
    </span>
  );
}

function Shell({ user }: { user: AuthUser }) {
  const { t, lang } = useT();
  const { state, hrefTo, langHref } = useNav();
  const meta = useQuery(metaOptions());

  const active = state.route.name === 'office' ? 'offices' : state.route.name;
  // the report chooses its own month and scope
  const showFilters = !['method', 'data', 'users', 'account', 'report'].includes(state.route.name);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t.app.skip}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-title">{t.app.title}</span>
          <span className="brand-subtitle">{t.app.subtitle}</span>
        </div>
        <div className="topbar-actions">
          {meta.data?.as_of ? (
            <span className="as-of" data-testid="as-of">
              {t.app.asOf(formatDate(meta.data.as_of, lang))}
            </span>
          ) : null}
          <button
            type="button"
            className="btn btn-small no-print"
            onClick={() => window.print()}
            data-testid="print"
          >
            {t.app.print}
          </button>
          <Link
            href={langHref(lang === 'fa' ? 'en' : 'fa')}
            className="btn btn-small lang-switch no-print"
            lang={lang === 'fa' ? 'en' : 'fa'}
            aria-label={t.app.switchLangLabel}
            data-testid="lang-switch"
          >
            {t.app.switchLang}
          </Link>
          <UserBox user={user} />
        </div>
      </header>
      <nav className="tabs no-print" aria-label={t.nav.label}>
        {NAV.filter((n) => !n.admin || user.role === 'admin').map((n) => (
          <Link
            key={n.key}
            href={hrefTo(n.route)}
            className="tab"
            aria-current={active === n.key ? 'page' : undefined}
            data-testid={`nav-${n.key}`}
          >
            {t.nav[n.key]}
          </Link>
        ))}
      </nav>
      {showFilters ? (
        <Filters hidden={viewFilters(state.route.name, state.filters, meta.data).hidden} />
      ) : null}
      {showFilters ? <FilterSummary /> : null}
      {user.role === 'admin' ? <DemoBanner /> : null}
      <ScopeNote user={user} />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Skeleton height={600} />}>
          <CurrentView route={state.route} />
        </Suspense>
      </main>
    </div>
  );
}
