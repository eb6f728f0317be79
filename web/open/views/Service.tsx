/**
 * One service: "building permits: the 10 quickest offices in district 5". The district (or the whole
 * city) is chosen in the URL; offices with too few cases are named, not ranked; the same service's
 * figures in every district close the page.
 */
import { useQuery } from '@tanstack/react-query';
import { type ChangeEvent, useEffect, useId } from 'react';
import type { PublicService } from '../../../api/public/schemas.ts';
import { localDigits } from '../../lib/format.ts';
import { CompareTable, DataPage, FigureList, FigureValue, QueryState, usePublicT } from '../components.tsx';
import { districtsOptions, serviceOptions } from '../queries.ts';
import { hrefOf, Link, navigate, usePublicLocation } from '../router.tsx';

export default function Service({ code }: { code: string }) {
  const { params } = usePublicLocation();
  const q = useQuery(serviceOptions(code, params.district));
  return (
    <article className="view" data-testid="public-service">
      <QueryState q={q}>{(s) => <ServiceBody s={s} />}</QueryState>
    </article>
  );
}

function DistrictChooser({ s }: { s: PublicService }) {
  const { t, lang } = usePublicT();
  const id = useId();
  const districts = useQuery(districtsOptions());
  const change = (e: ChangeEvent<HTMLSelectElement>) =>
    navigate(
      hrefOf({ name: 'service', code: s.service.service_code }, lang, {
        district: e.target.value || undefined,
      }),
      { replace: true },
    );
  return (
    <p className="chooser no-print">
      <label htmlFor={id}>{t.service.chooseDistrict}</label>
      <select id={id} value={s.district ? String(s.district.district) : ''} onChange={change}>
        <option value="">{t.service.wholeCity}</option>
        {(districts.data?.districts ?? s.districts).map((d) => (
          <option key={d.district} value={String(d.district)}>
            {d.name[lang]}
          </option>
        ))}
      </select>
    </p>
  );
}

function ServiceBody({ s }: { s: PublicService }) {
  const { t, lang } = usePublicT();
  const name = lang === 'en' ? (s.service.name_en ?? s.service.name) : s.service.name;
  const place = s.district ? t.service.inDistrict(s.district.name[lang]) : t.service.inCity;
  const sep = lang === 'fa' ? '، ' : ', ';
  useEffect(() => {
    document.title = `${name} — ${t.brand}`;
  }, [name, t.brand]);
  const columns = [
    ...(s.district && s.district_figures
      ? [{ key: 'district', label: s.district.name[lang], figures: s.district_figures }]
      : []),
    { key: 'city', label: t.figures.city, figures: s.city },
  ];
  return (
    <>
      <h1>{name}</h1>
      <p className="subtitle">
        {[
          s.service.category_name?.[lang],
          s.service.sla_days !== null
            ? t.office.statutory(localDigits(s.service.sla_days, lang))
            : t.service.noSla,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <DataPage head={s}>
        <DistrictChooser s={s} />
        <section className="card" aria-labelledby="service-figures">
          <h2 id="service-figures">{place}</h2>
          <CompareTable caption={`${name} ${place}`} columns={columns} />
        </section>
        <section aria-labelledby="quickest">
          <h2 id="quickest" className="section-title" data-testid="quickest-title">
            {s.n_ranked > 0
              ? t.service.quickest(name, localDigits(Math.min(s.limit, s.n_ranked), lang), place)
              : t.service.quickestAny(name, place)}
          </h2>
          {s.quickest.length === 0 ? <p>{t.service.none}</p> : null}
          <ol className="cards ranked" data-testid="quickest">
            {s.quickest.map((o) => (
              <li key={o.office_id} className="card">
                <h3>
                  <span className="rank" aria-hidden="true">
                    {localDigits(o.rank, lang)}
                  </span>
                  <Link href={hrefOf({ name: 'office', id: o.office_id }, lang)}>{o.name}</Link>
                </h3>
                {s.district ? null : (
                  <p className="muted small">
                    {s.districts.find((d) => d.district === o.district)?.name[lang] ?? o.district}
                  </p>
                )}
                <FigureList f={o.figures} />
              </li>
            ))}
          </ol>
          {s.too_few.length > 0 ? (
            <p className="small" data-testid="too-few-offices">
              {t.service.tooFewTitle(localDigits(s.too_few.length, lang))}{' '}
              {s.too_few.map((o, i) => (
                <span key={o.office_id}>
                  {i > 0 ? sep : ''}
                  <Link href={hrefOf({ name: 'office', id: o.office_id }, lang)}>{o.name}</Link>
                </span>
              ))}
            </p>
          ) : null}
        </section>
        <section aria-labelledby="by-district">
          <h2 id="by-district" className="section-title">
            {t.service.byDistrict}
          </h2>
          <table className="by-district">
            <caption className="sr-only">{`${name}: ${t.service.byDistrict}`}</caption>
            <thead>
              <tr>
                <th scope="col">{t.search.district}</th>
                <th scope="col">{t.figures.median}</th>
              </tr>
            </thead>
            <tbody>
              {s.districts.map((d) => (
                <tr key={d.district}>
                  <th scope="row">
                    <Link
                      href={hrefOf({ name: 'service', code: s.service.service_code }, lang, {
                        district: String(d.district),
                      })}
                    >
                      {d.name[lang]}
                    </Link>
                  </th>
                  <td>
                    <FigureValue f={d.figures.median_days} kind="median" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </DataPage>
    </>
  );
}
