/**
 * Find an office: by district, service or name (the fields live in the URL). Without a search, the
 * districts; with one, the matching offices with their figures — for the chosen service if there is one.
 */
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId } from 'react';
import type { PublicDistricts, PublicOffices, PublicServices } from '../../../api/public/schemas.ts';
import { formatNumber, localDigits } from '../../lib/format.ts';
import { DataPage, FigureList, QueryState, usePublicT } from '../components.tsx';
import { districtsOptions, officesOptions, servicesOptions } from '../queries.ts';
import { hrefOf, Link, navigate, usePublicLocation } from '../router.tsx';

export default function Home() {
  const { t } = usePublicT();
  const { params } = usePublicLocation();
  const districts = useQuery(districtsOptions());
  const services = useQuery(servicesOptions());
  const searching = Boolean(params.district || params.service || params.q);
  return (
    <article className="view" data-testid="public-home">
      <h1>{t.tagline}</h1>
      <p className="intro">{t.intro}</p>
      <SearchForm districts={districts.data} services={services.data} />
      {searching ? (
        <Results />
      ) : (
        <QueryState q={districts}>{(d) => <DataPage head={d}>{<DistrictGrid d={d} />}</DataPage>}</QueryState>
      )}
    </article>
  );
}

function SearchForm({ districts, services }: { districts?: PublicDistricts; services?: PublicServices }) {
  const { t, lang } = usePublicT();
  const { params } = usePublicLocation();
  const id = useId();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const value = (k: string) => String(form.get(k) ?? '').trim();
    navigate(
      hrefOf({ name: 'home' }, lang, {
        district: value('district'),
        service: value('service'),
        q: value('q'),
      }),
    );
  };
  const byCategory = new Map<string, { label: string; items: PublicServices['services'] }>();
  for (const s of services?.services ?? []) {
    const key = s.service.category ?? '';
    const label = s.service.category_name?.[lang] ?? s.service.category ?? '—';
    if (!byCategory.has(key)) byCategory.set(key, { label, items: [] });
    byCategory.get(key)!.items.push(s);
  }
  const serviceName = (s: PublicServices['services'][number]['service']) =>
    lang === 'en' ? (s.name_en ?? s.name) : s.name;
  return (
    <form className="search no-print" aria-labelledby={`${id}-t`} onSubmit={submit} data-testid="search">
      <h2 id={`${id}-t`}>{t.search.title}</h2>
      <div className="search-fields">
        <label>
          <span>{t.search.district}</span>
          <select name="district" defaultValue={params.district ?? ''} key={`d${params.district ?? ''}`}>
            <option value="">{t.search.any}</option>
            {districts?.districts.map((d) => (
              <option key={d.district} value={String(d.district)}>
                {d.name[lang]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t.search.service}</span>
          <select name="service" defaultValue={params.service ?? ''} key={`s${params.service ?? ''}`}>
            <option value="">{t.search.any}</option>
            {[...byCategory.entries()].map(([key, g]) => (
              <optgroup key={key} label={g.label}>
                {g.items.map((s) => (
                  <option key={s.service.service_code} value={s.service.service_code}>
                    {serviceName(s.service)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label>
          <span>{t.search.name}</span>
          <input
            type="search"
            name="q"
            defaultValue={params.q ?? ''}
            key={`q${params.q ?? ''}`}
            placeholder={t.search.namePlaceholder}
            maxLength={100}
          />
        </label>
      </div>
      <div className="search-actions">
        <button type="submit" className="btn btn-primary">
          {t.search.submit}
        </button>
        <Link className="btn" href={hrefOf({ name: 'home' }, lang)}>
          {t.search.clear}
        </Link>
      </div>
    </form>
  );
}

function DistrictGrid({ d }: { d: PublicDistricts }) {
  const { t, lang } = usePublicT();
  return (
    <section aria-labelledby="districts-title">
      <h2 id="districts-title">{t.districts.title}</h2>
      <ul className="tiles" data-testid="district-list">
        {d.districts
          .filter((x) => x.n_offices > 0)
          .map((x) => (
            <li key={x.district}>
              <Link href={hrefOf({ name: 'district', district: String(x.district) }, lang)}>
                {x.name[lang]}
              </Link>
              <span className="muted small">{t.districts.offices(localDigits(x.n_offices, lang))}</span>
            </li>
          ))}
      </ul>
    </section>
  );
}

function Results() {
  const { t, lang } = usePublicT();
  const { params } = usePublicLocation();
  const offices = useQuery(
    officesOptions({ district: params.district, service: params.service, q: params.q }),
  );
  return (
    <QueryState q={offices}>
      {(o) => (
        <DataPage head={o}>
          <section aria-labelledby="results-title" aria-live="polite">
            <h2 id="results-title">{t.search.results(formatNumber(o.offices.length, lang))}</h2>
            {o.filters.service ? <ServiceLink o={o} /> : null}
            {o.offices.length === 0 ? <p>{t.search.none}</p> : null}
            <ul className="cards" data-testid="office-results">
              {o.offices.map((office) => (
                <OfficeCard key={office.office_id} office={office} />
              ))}
            </ul>
          </section>
        </DataPage>
      )}
    </QueryState>
  );
}

function ServiceLink({ o }: { o: PublicOffices }) {
  const { t, lang } = usePublicT();
  const s = o.offices[0]?.services[0]?.service;
  if (!s || !o.filters.service) return null;
  const name = lang === 'en' ? (s.name_en ?? s.name) : s.name;
  const district = o.filters.district === null ? undefined : String(o.filters.district);
  return (
    <p>
      <Link href={hrefOf({ name: 'service', code: o.filters.service }, lang, { district })}>
        {t.search.servicePage(name)}
      </Link>
    </p>
  );
}

function OfficeCard({ office }: { office: PublicOffices['offices'][number] }) {
  const { t, lang } = usePublicT();
  const one = office.services.length === 1 && office.services[0];
  const name = (s: { name: string; name_en: string | null }) =>
    lang === 'en' ? (s.name_en ?? s.name) : s.name;
  return (
    <li className="card" data-testid="office-card">
      <h3>
        <Link href={hrefOf({ name: 'office', id: office.office_id }, lang)}>{office.name}</Link>
      </h3>
      <p className="muted small">
        <Link href={hrefOf({ name: 'district', district: String(office.district) }, lang)}>
          {office.district_name[lang]}
        </Link>
        {' · '}
        {t.figures.cases(formatNumber(office.all_services.n_cases, lang))}
      </p>
      {office.services.length > 0 && !one ? (
        <p className="small">
          {t.district.mainServices}:{' '}
          {office.services.map((s) => name(s.service)).join(lang === 'fa' ? '، ' : ', ')}
        </p>
      ) : null}
      {one ? (
        <>
          <p className="small">{name(one.service)}</p>
          <FigureList f={one.figures} />
        </>
      ) : (
        <FigureList f={office.all_services} />
      )}
    </li>
  );
}
