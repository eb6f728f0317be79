/**
 * The public answers, built from the snapshot (figures.ts) field by field — never by spreading an
 * internal row — and parsed through their schemas (schemas.ts), which keep only the fields they name.
 */
import { badParameter, notFound, quoteValue } from '../errors.ts';
import { SERVICE_CATEGORIES } from '../lib/vocab.ts';
import { DEFINITIONS, DEFINITIONS_PATH, MIN_N, WINDOW_DAYS } from './definitions.ts';
import {
  ALL,
  countsOf,
  type Figures,
  figures,
  type Level,
  rankedServices,
  type ServiceInfo,
  type Snapshot,
} from './figures.ts';
import { fold } from './fold.ts';
import type { Publication } from './publication.ts';
import {
  DistrictResponse,
  DistrictsResponse,
  OfficeResponse,
  OfficesResponse,
  type PublicHead,
  type PublicServiceRef,
  ServiceResponse,
  ServicesResponse,
} from './schemas.ts';

const iso = (s: number | null) =>
  s === null ? null : new Date(Math.round(s * 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function head(s: Snapshot, pub: Publication, origin: string): PublicHead {
  return {
    as_of: iso(s.as_of_s),
    published_at: pub.published_at,
    licence: pub.licence ?? '',
    window: { from: iso(s.from_s), to: iso(s.to_s), days: WINDOW_DAYS },
    min_n: MIN_N,
    definitions_url: `${origin}${DEFINITIONS_PATH}`,
    definitions: DEFINITIONS,
  };
}

export function serviceRef(s: ServiceInfo): PublicServiceRef {
  const cat = s.category ? SERVICE_CATEGORIES[s.category] : undefined;
  return {
    service_code: s.service_code,
    name: s.name,
    name_en: s.name_en,
    category: s.category,
    category_name: cat ? { fa: cat.fa, en: cat.en } : null,
    sla_days: s.sla_days,
  };
}

function districtName(s: Snapshot, d: number) {
  const row = s.districts.get(d);
  return row ? { fa: row.name_fa, en: row.name_en } : { fa: `منطقه ${d}`, en: `District ${d}` };
}

const fig = (s: Snapshot, level: Level, id: string | number, service: string = ALL): Figures =>
  figures(countsOf(s, level, id, service));

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'fa');

function activeOffices(s: Snapshot) {
  return [...s.offices.values()].filter((o) => countsOf(s, 'office', o.office_id).n_cases > 0);
}

function knownDistrict(s: Snapshot, d: number | undefined, param: string): number | undefined {
  if (d === undefined) return undefined;
  if (!s.districts.has(d))
    throw badParameter(param, `${param}: ${quoteValue(String(d))} is not a known district`);
  return d;
}

function knownService(s: Snapshot, code: string | undefined, param = 'service'): ServiceInfo | undefined {
  if (code === undefined) return undefined;
  const svc = s.services.get(code.trim());
  if (!svc) throw badParameter(param, `${param}: ${quoteValue(code)} is not a known service code`);
  return svc;
}

const limitTo = <T>(list: T[], top: number | undefined) => (top === undefined ? list : list.slice(0, top));

export interface OfficesInput {
  district?: number;
  service?: string;
  q?: string;
  top?: number;
}

export function officesView(s: Snapshot, pub: Publication, origin: string, q: OfficesInput) {
  const district = knownDistrict(s, q.district, 'district');
  const service = knownService(s, q.service);
  const needle = q.q ? fold(q.q) : '';
  const offices = activeOffices(s)
    .filter((o) => district === undefined || o.district === district)
    .filter((o) => !service || countsOf(s, 'office', o.office_id, service.service_code).n_cases > 0)
    .filter((o) => !needle || fold(o.name).includes(needle) || fold(o.office_id).includes(needle))
    .sort((a, b) => a.district - b.district || byName(a, b));
  return OfficesResponse.parse({
    ...head(s, pub, origin),
    filters: {
      district: district ?? null,
      service: service?.service_code ?? null,
      q: q.q ?? null,
      top: q.top ?? null,
    },
    offices: offices.map((o) => {
      const codes = service
        ? [service.service_code]
        : limitTo(rankedServices(s, 'office', o.office_id), q.top);
      return {
        office_id: o.office_id,
        name: o.name,
        district: o.district,
        district_name: districtName(s, o.district),
        all_services: fig(s, 'office', o.office_id),
        services: codes.map((code) => ({
          service: serviceRef(s.services.get(code)!),
          figures: fig(s, 'office', o.office_id, code),
        })),
      };
    }),
  });
}

export function officeView(s: Snapshot, pub: Publication, origin: string, id: string) {
  const o = s.offices.get(id.trim());
  if (!o) throw notFound(`office: ${quoteValue(id)} is not a known office`);
  const compare = (service: string = ALL) => ({
    office: fig(s, 'office', o.office_id, service),
    district: fig(s, 'district', o.district, service),
    city: fig(s, 'city', '', service),
  });
  return OfficeResponse.parse({
    ...head(s, pub, origin),
    office: {
      office_id: o.office_id,
      name: o.name,
      district: o.district,
      district_name: districtName(s, o.district),
    },
    all_services: compare(),
    services: rankedServices(s, 'office', o.office_id).map((code) => ({
      service: serviceRef(s.services.get(code)!),
      ...compare(code),
    })),
  });
}

export interface DistrictsInput {
  service?: string;
  top?: number;
}

function officesIn(s: Snapshot, d: number) {
  return activeOffices(s).filter((o) => o.district === d);
}

export function districtsView(s: Snapshot, pub: Publication, origin: string, q: DistrictsInput) {
  const service = knownService(s, q.service);
  const districts = [...s.districts.values()].sort((a, b) => a.district - b.district);
  return DistrictsResponse.parse({
    ...head(s, pub, origin),
    filters: { service: service?.service_code ?? null, top: q.top ?? null },
    city: fig(s, 'city', '', service?.service_code),
    districts: districts.map((d) => {
      const codes = service
        ? [service.service_code]
        : limitTo(rankedServices(s, 'district', d.district), q.top);
      return {
        district: d.district,
        name: { fa: d.name_fa, en: d.name_en },
        n_offices: officesIn(s, d.district).length,
        all_services: fig(s, 'district', d.district),
        services: codes.map((code) => ({
          service: serviceRef(s.services.get(code)!),
          figures: fig(s, 'district', d.district, code),
        })),
      };
    }),
  });
}

/** How many services an office lists as its main ones on the district page. */
const MAIN_SERVICES = 3;

export function districtView(s: Snapshot, pub: Publication, origin: string, d: number) {
  if (!s.districts.has(d)) throw notFound(`district: ${quoteValue(String(d))} is not a known district`);
  const offices = officesIn(s, d).sort(byName);
  return DistrictResponse.parse({
    ...head(s, pub, origin),
    district: { district: d, name: districtName(s, d) },
    n_offices: offices.length,
    all_services: { district: fig(s, 'district', d), city: fig(s, 'city', '') },
    services: rankedServices(s, 'district', d).map((code) => ({
      service: serviceRef(s.services.get(code)!),
      district: fig(s, 'district', d, code),
      city: fig(s, 'city', '', code),
    })),
    offices: offices.map((o) => ({
      office_id: o.office_id,
      name: o.name,
      all_services: fig(s, 'office', o.office_id),
      main_services: rankedServices(s, 'office', o.office_id)
        .slice(0, MAIN_SERVICES)
        .map((code) => {
          const svc = s.services.get(code)!;
          return { service_code: svc.service_code, name: svc.name, name_en: svc.name_en };
        }),
    })),
  });
}

export interface ServicesInput {
  category?: string;
  q?: string;
}

export function servicesView(s: Snapshot, pub: Publication, origin: string, q: ServicesInput) {
  const category = q.category?.trim();
  if (category !== undefined && ![...s.services.values()].some((x) => x.category === category))
    throw badParameter('category', `category: ${quoteValue(category)} is not a known service category`);
  const needle = q.q ? fold(q.q) : '';
  const offices = activeOffices(s);
  const services = rankedServices(s, 'city', '')
    .map((code) => s.services.get(code)!)
    .filter((x) => category === undefined || x.category === category)
    .filter(
      (x) =>
        !needle ||
        fold(x.name).includes(needle) ||
        fold(x.name_en ?? '').includes(needle) ||
        fold(x.service_code).includes(needle),
    );
  return ServicesResponse.parse({
    ...head(s, pub, origin),
    filters: { category: category ?? null, q: q.q ?? null },
    all_services: fig(s, 'city', ''),
    services: services.map((x) => ({
      service: serviceRef(x),
      n_offices: offices.filter((o) => countsOf(s, 'office', o.office_id, x.service_code).n_cases > 0).length,
      city: fig(s, 'city', '', x.service_code),
    })),
  });
}

export interface ServiceInput {
  district?: number;
  limit: number;
}

export function serviceView(s: Snapshot, pub: Publication, origin: string, code: string, q: ServiceInput) {
  const svc = s.services.get(code.trim());
  if (!svc) throw notFound(`service: ${quoteValue(code)} is not a known service code`);
  const district = knownDistrict(s, q.district, 'district');
  const c = svc.service_code;
  const offices = activeOffices(s)
    .filter((o) => district === undefined || o.district === district)
    .map((o) => ({ o, f: fig(s, 'office', o.office_id, c) }))
    .filter((x) => x.f.n_cases > 0);
  const ranked = offices
    .filter((x) => x.f.median_days.value !== null)
    .sort((a, b) => a.f.median_days.value! - b.f.median_days.value! || byName(a.o, b.o));
  const row = (x: { o: { office_id: string; name: string; district: number }; f: Figures }) => ({
    office_id: x.o.office_id,
    name: x.o.name,
    district: x.o.district,
    figures: x.f,
  });
  return ServiceResponse.parse({
    ...head(s, pub, origin),
    service: serviceRef(svc),
    district: district === undefined ? null : { district, name: districtName(s, district) },
    city: fig(s, 'city', '', c),
    district_figures: district === undefined ? null : fig(s, 'district', district, c),
    districts: [...s.districts.values()]
      .sort((a, b) => a.district - b.district)
      .filter((d) => countsOf(s, 'district', d.district, c).n_cases > 0)
      .map((d) => ({
        district: d.district,
        name: { fa: d.name_fa, en: d.name_en },
        figures: fig(s, 'district', d.district, c),
      })),
    limit: q.limit,
    quickest: ranked.slice(0, q.limit).map((x, i) => ({ rank: i + 1, ...row(x) })),
    n_ranked: ranked.length,
    too_few: offices
      .filter((x) => x.f.median_days.value === null)
      .sort((a, b) => a.o.district - b.o.district || byName(a.o, b.o))
      .map(row),
  });
}
