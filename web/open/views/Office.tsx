/**
 * One office: its district, its figures over all services and for each main service (most handled
 * first), each beside the district's and the city's. `?all=1` lists every service it handled.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PublicOffice } from '../../../api/public/schemas.ts';
import { formatNumber, localDigits } from '../../lib/format.ts';
import { CompareTable, DataPage, QueryState, usePublicT } from '../components.tsx';
import { officeOptions } from '../queries.ts';
import { hrefOf, Link, usePublicLocation } from '../router.tsx';

/** Services shown before "show all". */
export const MAIN_SERVICES = 5;

export default function Office({ id }: { id: string }) {
  const q = useQuery(officeOptions(id));
  return (
    <article className="view" data-testid="public-office">
      <QueryState q={q}>{(o) => <OfficeBody o={o} />}</QueryState>
    </article>
  );
}

function OfficeBody({ o }: { o: PublicOffice }) {
  const { t, lang } = usePublicT();
  const { params } = usePublicLocation();
  const all = params.all === '1';
  const district = o.office.district_name[lang];
  const shown = all ? o.services : o.services.slice(0, MAIN_SERVICES);
  const rest = o.services.length - MAIN_SERVICES;
  const name = (s: { name: string; name_en: string | null }) =>
    lang === 'en' ? (s.name_en ?? s.name) : s.name;
  useEffect(() => {
    document.title = `${o.office.name} — ${t.brand}`;
  }, [o.office.name, t.brand]);
  const columns = (s: Pick<PublicOffice['all_services'], 'office' | 'district' | 'city'>) => [
    { key: 'office', label: t.figures.office, figures: s.office },
    { key: 'district', label: district, figures: s.district },
    { key: 'city', label: t.figures.city, figures: s.city },
  ];
  return (
    <>
      <h1>{o.office.name}</h1>
      <p className="subtitle">
        <Link href={hrefOf({ name: 'district', district: String(o.office.district) }, lang)}>{district}</Link>
        {' · '}
        {t.figures.cases(formatNumber(o.all_services.office.n_cases, lang))}
      </p>
      <DataPage head={o}>
        {o.services.length === 0 ? <p>{t.office.noCases}</p> : null}
        <section className="card" aria-labelledby="all-services">
          <h2 id="all-services">{t.figures.allServices}</h2>
          <CompareTable
            caption={`${o.office.name}: ${t.figures.allServices}`}
            columns={columns(o.all_services)}
          />
        </section>
        {o.services.length > 0 ? <h2 className="section-title">{t.office.mainServices}</h2> : null}
        <ol className="services" data-testid="office-services">
          {shown.map((s, i) => (
            <li key={s.service.service_code} className="card">
              <h3 id={`svc-${i}`}>{name(s.service)}</h3>
              <p className="muted small">
                {s.service.sla_days !== null
                  ? t.office.statutory(localDigits(s.service.sla_days, lang))
                  : null}
                {s.service.sla_days !== null ? ' · ' : null}
                <Link
                  href={hrefOf({ name: 'service', code: s.service.service_code }, lang, {
                    district: String(o.office.district),
                  })}
                >
                  {t.office.quickestHere}
                </Link>
              </p>
              <CompareTable caption={`${o.office.name}: ${name(s.service)}`} columns={columns(s)} />
            </li>
          ))}
        </ol>
        {rest > 0 ? (
          <p className="no-print">
            <Link
              href={hrefOf({ name: 'office', id: o.office.office_id }, lang, all ? {} : { all: '1' })}
              data-testid="toggle-services"
            >
              {all
                ? t.office.showMain
                : `${t.office.showAll} (${t.office.moreServices(localDigits(rest, lang))})`}
            </Link>
          </p>
        ) : null}
      </DataPage>
    </>
  );
}
