/**
 * What each view requests, as query options: the views call these, and `defaultViewUrls` lists them
 * with no filters, in both languages and for every choice a view offers without typing a filter. The
 * server computes exactly that list when it starts (api/serve.ts), so the default views it
 * precomputes are the dashboard's own requests, not a copy of them.
 */
import type { FunnelMetric, Meta } from '../api/types.ts';
import { type Calendar, calendarOf, LANGS } from '../lib/format.ts';
import { busiestService } from '../lib/services.ts';
import type { Filters } from '../lib/url.ts';
import { accessOptions } from './access.ts';
import { funnelOptions } from './funnel.ts';
import { metaOptions } from './meta.ts';
import { officesOptions } from './offices.ts';
import { outliersOptions } from './outliers.ts';
import { processingOptions } from './processing.ts';
import { urlOf } from './query.ts';
import { reportOptions } from './report.ts';
import { stageExtraOptions, stageMapOptions, stagesOptions, stageVariantsOptions } from './stages.ts';
import { trendsOptions } from './trends.ts';
import { varianceOptions } from './variance.ts';

export const overviewQueries = (filters: Filters, calendar: Calendar) => ({
  processing: processingOptions({ ...filters, by: 'district' }),
  complaints: funnelOptions({ ...filters, metric: 'complaints', by: 'district' }),
  slowShare: funnelOptions({ ...filters, metric: 'slow_share', by: 'district' }),
  outliers: outliersOptions(filters),
  trendComplaints: trendsOptions({ ...filters, metric: 'complaints', by: 'city', calendar }),
  trendProcessing: trendsOptions({ ...filters, metric: 'processing', by: 'city', calendar }),
  /** the access headline (DESIGN 16); the access view's own request is the same */
  access: accessOptions(filters),
});

/** The signals the offices view's funnel shows, its first the default. */
export const OFFICE_SIGNALS: readonly FunnelMetric[] = ['complaints', 'slow_share', 'bribe_reports'];

/** `scope` ('all' or a service category) applies to slow_share only. */
export const officesQueries = (filters: Filters, signal: FunnelMetric, scope: string) => ({
  offices: officesOptions(filters),
  funnel: funnelOptions({
    ...filters,
    metric: signal,
    by: 'office',
    scope: signal === 'slow_share' ? scope : undefined,
  }),
});

/** The service the districts view compares when none is chosen: the busiest building-permit service. */
export const defaultService = (meta: Meta | undefined): string | undefined =>
  busiestService(meta?.services)?.service_code;

/** Comparing districts within one district is meaningless, so the caller drops the place filters. */
export const districtsQueries = (
  filters: Omit<Filters, 'district' | 'office'>,
  service: string | undefined,
) => ({
  variance: varianceOptions({ ...filters, service: service ?? '' }),
  slowShare: funnelOptions({ ...filters, service, metric: 'slow_share', by: 'district' }),
});

/** The service the Process view shows when none is chosen: the building permit, else the first permit service. */
export const processService = (meta: Meta | undefined): string | undefined =>
  meta?.services.find((s) => s.name === 'صدور پروانه ساختمانی')?.service_code ?? defaultService(meta);

/** The Process view (issue 11): one service's stages, by district, map, routes and extra steps. */
export const processQueries = (filters: Filters, service: string, allEdges: boolean) => ({
  stages: stagesOptions({ ...filters, service }),
  byDistrict: stagesOptions({ ...filters, service, by: 'district' }),
  map: stageMapOptions({ ...filters, service, all: allEdges ? 'true' : undefined }),
  variants: stageVariantsOptions({ ...filters, service }),
  extra: stageExtraOptions({ ...filters, service }),
});

/** The Report page's request: with no month and no district, the city's last complete month. */
export const reportQueries = (month: string | undefined, district: string | undefined) => ({
  report: reportOptions({ month, district }),
});

/** Every request of the overview, offices, districts, outliers, process and report views with no filters. */
export function defaultViewUrls(meta: Meta): string[] {
  const urls = [metaOptions(), outliersOptions({})].map(urlOf);
  for (const lang of LANGS) urls.push(...Object.values(overviewQueries({}, calendarOf(lang))).map(urlOf));
  for (const signal of OFFICE_SIGNALS)
    urls.push(...Object.values(officesQueries({}, signal, 'all')).map(urlOf));
  const service = defaultService(meta);
  if (service) urls.push(...Object.values(districtsQueries({}, service)).map(urlOf));
  const process = processService(meta);
  if (process) urls.push(...Object.values(processQueries({}, process, false)).map(urlOf));
  // last: a dataset with no complete month yet answers it 400, which ends the server's warm-up
  urls.push(urlOf(reportQueries(undefined, undefined).report));
  return [...new Set(urls)];
}
