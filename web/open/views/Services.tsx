/** Every service the offices handled in the year, busiest first, with the city's figures. */
import { useQuery } from '@tanstack/react-query';
import { type ChangeEvent, useEffect, useId } from 'react';
import { fold } from '../../../api/public/fold.ts';
import { formatNumber } from '../../lib/format.ts';
import { DataPage, FigureList, QueryState, usePublicT } from '../components.tsx';
import { servicesOptions } from '../queries.ts';
import { hrefOf, Link, navigate, usePublicLocation } from '../router.tsx';

export default function Services() {
  const { t, lang } = usePublicT();
  const { params } = usePublicLocation();
  const q = useQuery(servicesOptions());
  const id = useId();
  const needle = fold(params.q ?? '');
  useEffect(() => {
    document.title = `${t.nav.services} — ${t.brand}`;
  }, [t]);
  const change = (e: ChangeEvent<HTMLInputElement>) =>
    navigate(hrefOf({ name: 'services' }, lang, { q: e.target.value }), { replace: true });
  return (
    <article className="view" data-testid="public-services">
      <h1>{t.service.servicesTitle}</h1>
      <p className="chooser no-print">
        <label htmlFor={id}>{t.service.filter}</label>
        <input id={id} type="search" value={params.q ?? ''} onChange={change} maxLength={100} />
      </p>
      <QueryState q={q}>
        {(s) => (
          <DataPage head={s}>
            <ul className="cards">
              {s.services
                .filter(
                  (x) =>
                    !needle ||
                    fold(x.service.name).includes(needle) ||
                    fold(x.service.name_en ?? '').includes(needle),
                )
                .map((x) => (
                  <li key={x.service.service_code} className="card">
                    <h2 className="card-title">
                      <Link href={hrefOf({ name: 'service', code: x.service.service_code }, lang)}>
                        {lang === 'en' ? (x.service.name_en ?? x.service.name) : x.service.name}
                      </Link>
                    </h2>
                    <p className="muted small">
                      {[x.service.category_name?.[lang], t.service.offices(formatNumber(x.n_offices, lang))]
                        .filter(Boolean)
                        .join(' · ')}
                    </p>
                    <FigureList f={x.city} />
                  </li>
                ))}
            </ul>
          </DataPage>
        )}
      </QueryState>
    </article>
  );
}
