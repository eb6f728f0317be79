/**
 * One district: its figures beside the city's, its offices (each with its main services), and its
 * busiest services, each linking to that service's quickest offices in the district.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PublicDistrict } from '../../../api/public/schemas.ts';
import { formatNumber } from '../../lib/format.ts';
import { CompareTable, DataPage, FigureList, QueryState, usePublicT } from '../components.tsx';
import { districtOptions } from '../queries.ts';
import { hrefOf, Link, usePublicLocation } from '../router.tsx';

const BUSIEST = 10;

export default function District({ district }: { district: string }) {
  const q = useQuery(districtOptions(district));
  return (
    <article className="view" data-testid="public-district">
      <QueryState q={q}>{(d) => <DistrictBody d={d} />}</QueryState>
    </article>
  );
}

function DistrictBody({ d }: { d: PublicDistrict }) {
  const { t, lang } = usePublicT();
  const { params } = usePublicLocation();
  const all = params.all === '1';
  const name = d.district.name[lang];
  const sname = (s: { name: string; name_en: string | null }) =>
    lang === 'en' ? (s.name_en ?? s.name) : s.name;
  const services = all ? d.services : d.services.slice(0, BUSIEST);
  const sep = lang === 'fa' ? '، ' : ', ';
  useEffect(() => {
    document.title = `${name} — ${t.brand}`;
  }, [name, t.brand]);
  return (
    <>
      <h1>{name}</h1>
      <p className="subtitle">
        {t.districts.offices(formatNumber(d.n_offices, lang))}
        {' · '}
        {t.figures.cases(formatNumber(d.all_services.district.n_cases, lang))}
      </p>
      <DataPage head={d}>
        <section className="card" aria-labelledby="district-all">
          <h2 id="district-all">{t.figures.allServices}</h2>
          <CompareTable
            caption={`${name}: ${t.figures.allServices}`}
            columns={[
              { key: 'district', label: name, figures: d.all_services.district },
              { key: 'city', label: t.figures.city, figures: d.all_services.city },
            ]}
          />
        </section>
        <section aria-labelledby="district-offices">
          <h2 id="district-offices" className="section-title">
            {t.district.offices}
          </h2>
          <ul className="cards" data-testid="district-offices">
            {d.offices.map((o) => (
              <li key={o.office_id} className="card">
                <h3>
                  <Link href={hrefOf({ name: 'office', id: o.office_id }, lang)}>{o.name}</Link>
                </h3>
                <p className="muted small">
                  {t.figures.cases(formatNumber(o.all_services.n_cases, lang))}
                  {o.main_services.length > 0
                    ? ` · ${t.district.mainServices}: ${o.main_services.map(sname).join(sep)}`
                    : ''}
                </p>
                <FigureList f={o.all_services} />
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="district-services">
          <h2 id="district-services" className="section-title">
            {t.district.services}
          </h2>
          <ol className="services">
            {services.map((s) => (
              <li key={s.service.service_code} className="card">
                <h3>
                  <Link
                    href={hrefOf({ name: 'service', code: s.service.service_code }, lang, {
                      district: String(d.district.district),
                    })}
                  >
                    {sname(s.service)}
                  </Link>
                </h3>
                <CompareTable
                  caption={`${name}: ${sname(s.service)}`}
                  columns={[
                    { key: 'district', label: name, figures: s.district },
                    { key: 'city', label: t.figures.city, figures: s.city },
                  ]}
                />
              </li>
            ))}
          </ol>
          {d.services.length > BUSIEST ? (
            <p className="no-print">
              <Link
                href={hrefOf(
                  { name: 'district', district: String(d.district.district) },
                  lang,
                  all ? {} : { all: '1' },
                )}
              >
                {all ? t.office.showMain : t.office.showAll}
              </Link>
            </p>
          ) : null}
        </section>
      </DataPage>
    </>
  );
}
