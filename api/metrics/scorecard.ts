/**
 * The offices list and one office's scorecard, composed from the metric modules: DESIGN 1–2
 * (processing time, breach: processing.ts), DESIGN 4 (slow_share: slow-share.ts) and 5 (complaint and
 * bribe-report rates, here per 1,000 cases: complaints.ts) from the signal counts, DESIGN 7 flags
 * (outliers.ts), a monthly trend (DESIGN 8: trends.ts) and the office's service mix next to the city
 * medians. Office, district and city figures use the same filters with the location filters replaced
 * by the office, its district, or nothing (the city column stays city-wide for an inspector too: it
 * is what their district is compared with).
 *
 * Served by GET /api/offices and /api/offices/{id} (api/routes/offices.ts); shown on the offices view
 * (web/views/Offices.tsx) and the scorecard (web/views/OfficeScorecard.tsx, web/charts/officeCharts.ts).
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { notFound, quoteValue } from '../errors.ts';
import { cityWide, factsCte, filterShape, inScope } from '../filters.ts';
import { num } from '../lib/sql.ts';
import { type Calendar, CalendarParam, FormatParam, FunnelMinN, query } from '../params.ts';
import { loadSignalData, type SignalData } from './funnel.ts';
import { ServiceSchema } from './meta.ts';
import { OfficeFlagSchema, officeFlags } from './outliers.ts';
import {
  CASE_GROUP_KEYS,
  EMPTY_STATS,
  groupStats,
  type ProcessingStats,
  ProcessingStatsSchema,
} from './processing.ts';
import { cityServiceMedians } from './slow-share.ts';
import { trends } from './trends.ts';

export const OfficesQuery = query({ ...filterShape, min_n: FunnelMinN, format: FormatParam });
export const ScorecardQuery = query({
  ...filterShape,
  min_n: FunnelMinN,
  calendar: CalendarParam,
  format: FormatParam,
});

const rate = z.number().nullable();

/** DESIGN 4 and 5 for one group: slow_share, and complaints and bribe reports with their rates per 1,000 cases. */
const SignalFiguresSchema = z.object({
  slow_share: rate,
  complaints: z.number(),
  complaint_rate: rate,
  bribe_reports: z.number(),
  bribe_rate: rate,
});

const OfficeMetricsSchema = ProcessingStatsSchema.pick({
  n_cases: true,
  n_closed: true,
  n_open: true,
  median_days: true,
  p90_days: true,
  km_median_days: true,
  breach_rate: true,
})
  .extend(SignalFiguresSchema.shape)
  .extend({
    offices: z.number().openapi({
      description:
        'Offices with at least one case in the window: 1 for the office; for the district and the city, what a per-office average divides by',
    }),
  });
type OfficeMetrics = z.output<typeof OfficeMetricsSchema>;

const OfficeRowSchema = z.object({
  office_id: z.string(),
  name: z.string(),
  district: z.number(),
  ...OfficeMetricsSchema.omit({ n_open: true, p90_days: true, offices: true }).shape,
  flags: z.array(z.string()).openapi({ description: '"signal:scope" strings' }),
});

export const OfficesSchema = z.object({ min_n: z.number(), rows: z.array(OfficeRowSchema) });
export type OfficesAnswer = z.output<typeof OfficesSchema>;

export const ScorecardSchema = z.object({
  office: z.object({
    office_id: z.string(),
    name: z.string(),
    district: z.number(),
    district_label: z.string(),
    district_label_en: z.string(),
    opened_on: z.string().nullable(),
    status: z.string().nullable(),
  }),
  min_n: z.number(),
  metrics: z.object({
    office: OfficeMetricsSchema,
    district: OfficeMetricsSchema,
    city: OfficeMetricsSchema,
  }),
  flags: z.array(OfficeFlagSchema),
  trend: z.array(
    z.object({
      month: z.string(),
      n_cases: z.number(),
      median_days: z.number().nullable(),
      complaints: z.number(),
      complaint_rate: rate,
    }),
  ),
  service_mix: z.array(
    ServiceSchema.omit({ sla_days: true }).extend({
      n_cases: z.number(),
      median_days: z.number().nullable(),
      city_median_days: z.number().nullable(),
    }),
  ),
});
export type ScorecardAnswer = z.output<typeof ScorecardSchema>;

const perThousand = (count: number, n: number) => (n > 0 ? (count / n) * 1000 : null);

interface SignalSums {
  offices: number;
  closed: number;
  slow: number;
  cases: number;
  complaints: number;
  bribes: number;
}

function sumSignals(data: SignalData, keep: (office: string, district: number) => boolean): SignalSums {
  const s: SignalSums = { offices: 0, closed: 0, slow: 0, cases: 0, complaints: 0, bribes: 0 };
  for (const r of data.slow) {
    if (!keep(r.office_id, r.district)) continue;
    s.closed += r.n;
    s.slow += r.slow;
  }
  for (const r of data.rates) {
    if (!keep(r.office_id, r.district)) continue;
    if (r.cases > 0) s.offices += 1;
    s.cases += r.cases;
    s.complaints += r.complaints;
    s.bribes += r.bribes;
  }
  return s;
}

function metricsOf(st: ProcessingStats, sig: SignalSums): OfficeMetrics {
  return {
    n_cases: st.n_cases,
    n_closed: st.n_closed,
    n_open: st.n_open,
    median_days: st.median_days,
    p90_days: st.p90_days,
    km_median_days: st.km_median_days,
    breach_rate: st.breach_rate,
    slow_share: sig.closed > 0 ? sig.slow / sig.closed : null,
    complaints: sig.complaints,
    complaint_rate: perThousand(sig.complaints, sig.cases),
    bribe_reports: sig.bribes,
    bribe_rate: perThousand(sig.bribes, sig.cases),
    offices: sig.offices,
  };
}

export async function officesList(ctx: RequestContext, q: { min_n: number }): Promise<OfficesAnswer> {
  const { f, labels } = ctx;
  const [stats, data] = await Promise.all([groupStats(ctx, CASE_GROUP_KEYS.office), loadSignalData(ctx)]);
  const flagsOf = new Map<string, string[]>();
  for (const fl of officeFlags(data, q.min_n, labels, 'multiplicative'))
    flagsOf.set(fl.office_id, [...(flagsOf.get(fl.office_id) ?? []), `${fl.signal}:${fl.scope}`]);
  const rows = labels.offices
    .filter(
      (o) =>
        inScope(f, o.district) &&
        (f.district === undefined || o.district === f.district) &&
        (f.office === undefined || o.office_id === f.office),
    )
    .map((o) => {
      const {
        n_open: _open,
        p90_days: _p90,
        offices: _offices,
        ...m
      } = metricsOf(
        stats.get(o.office_id) ?? EMPTY_STATS,
        sumSignals(data, (id) => id === o.office_id),
      );
      return {
        office_id: o.office_id,
        name: o.name,
        district: o.district,
        ...m,
        flags: flagsOf.get(o.office_id) ?? [],
      };
    });
  return { min_n: q.min_n, rows };
}

export async function officeScorecard(
  ctx: RequestContext,
  id: string,
  q: { min_n: number; calendar: Calendar },
): Promise<ScorecardAnswer> {
  const { db, f, labels } = ctx;
  const office = await db.one<Record<string, unknown>>(
    `SELECT office_id, name, district, strftime(opened_on, '%Y-%m-%d') AS opened_on, status FROM offices WHERE office_id = $id`,
    { id },
  );
  // Outside the user's districts reads exactly like an unknown id.
  if (!office || !inScope(f, Number(office.district))) throw notFound(`No office with id ${quoteValue(id)}`);
  const district = Number(office.district);
  const city = { ...ctx, f: cityWide(f) };
  const fo = { ...ctx, f: { ...city.f, office: id } };
  const fd = { ...ctx, f: { ...city.f, district } };
  const [so, sd, sc, data, complaintTrend, processingTrend, mix] = await Promise.all([
    groupStats(fo, CASE_GROUP_KEYS.city),
    groupStats(fd, CASE_GROUP_KEYS.city),
    groupStats(city, CASE_GROUP_KEYS.city),
    loadSignalData(city),
    trends(fo, { metric: 'complaints', by: 'city', calendar: q.calendar }),
    trends(fo, { metric: 'processing', by: 'city', calendar: q.calendar }),
    serviceMix(fo, city),
  ]);
  const flags = officeFlags(data, q.min_n, labels, 'multiplicative').filter((x) => x.office_id === id);
  const medianByMonth = new Map((processingTrend.series[0]?.points ?? []).map((p) => [p.month, p.value]));
  const dl = labels.district(district);
  return {
    office: {
      office_id: String(office.office_id),
      name: String(office.name),
      district,
      district_label: dl.fa,
      district_label_en: dl.en,
      opened_on: (office.opened_on as string | null) ?? null,
      status: (office.status as string | null) ?? null,
    },
    min_n: q.min_n,
    metrics: {
      office: metricsOf(
        so.get('all') ?? EMPTY_STATS,
        sumSignals(data, (o) => o === id),
      ),
      district: metricsOf(
        sd.get('all') ?? EMPTY_STATS,
        sumSignals(data, (_, d) => d === district),
      ),
      city: metricsOf(
        sc.get('all') ?? EMPTY_STATS,
        sumSignals(data, () => true),
      ),
    },
    flags,
    trend: (complaintTrend.series[0]?.points ?? []).map((p) => ({
      month: p.month,
      n_cases: p.n,
      median_days: medianByMonth.get(p.month) ?? null,
      complaints: p.count ?? 0,
      complaint_rate: perThousand(p.count ?? 0, p.n),
    })),
    service_mix: mix.map((m) => {
      const s = labels.service(m.service_code);
      return {
        service_code: m.service_code,
        name: s.name,
        name_en: s.name_en,
        category: s.category,
        n_cases: m.n_cases,
        median_days: m.median_days,
        city_median_days: m.city_median_days,
      };
    }),
  };
}

/** The office's cases per service, with the city median of each service beside its own. */
async function serviceMix(office: RequestContext, city: RequestContext) {
  const a = factsCte(office.f, 'f');
  const [rows, cityMedians] = await Promise.all([
    office.db.all<Record<string, unknown>>(
      `WITH ${a.sql}
      SELECT service_code, count(*)::INTEGER AS n, quantile_cont(dur, 0.5) AS med FROM facts
      GROUP BY service_code ORDER BY n DESC, service_code`,
      a.params,
    ),
    cityServiceMedians(city),
  ]);
  return rows.map((r) => ({
    service_code: String(r.service_code),
    n_cases: Number(r.n),
    median_days: num(r.med),
    city_median_days: cityMedians.get(String(r.service_code)) ?? null,
  }));
}
