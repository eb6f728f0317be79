/**
 * The offices list and one office's scorecard: DESIGN 1–2 (processing, breach) from `groupStats`,
 * DESIGN 4 (slow_share) and 5 (complaint and bribe-report rates, here per 1,000 cases) from the
 * signal counts, DESIGN 7 flags, a monthly trend (DESIGN 8) and the office's service mix next to
 * the city medians. Office, district and city figures use the same filters with the location
 * filters replaced by the office, its district, or nothing (the city column stays city-wide for an
 * inspector too: it is what their district is compared with).
 */
import type { Db } from '../db.ts';
import { notFound, quoteValue } from '../errors.ts';
import { cityWide, type Filters, inScope } from '../filters.ts';
import { type Calendar, factsCte, num } from './base.ts';
import { loadSignalData, type SignalData } from './funnel.ts';
import type { Labels } from './labels.ts';
import { memo } from './memo.ts';
import { computeFlags, officeFlagJson } from './outliers.ts';
import { EMPTY_STATS, groupStats, type ProcessingStats } from './processing.ts';
import { trends } from './trends.ts';

const perThousand = (count: number, n: number) => (n > 0 ? (count / n) * 1000 : null);

interface SignalSums {
  closed: number;
  slow: number;
  cases: number;
  complaints: number;
  bribes: number;
}

function sumSignals(data: SignalData, keep: (office: string, district: number) => boolean): SignalSums {
  const s: SignalSums = { closed: 0, slow: 0, cases: 0, complaints: 0, bribes: 0 };
  for (const r of data.slow) {
    if (!keep(r.office_id, r.district)) continue;
    s.closed += r.n;
    s.slow += r.slow;
  }
  for (const r of data.rates) {
    if (!keep(r.office_id, r.district)) continue;
    s.cases += r.cases;
    s.complaints += r.complaints;
    s.bribes += r.bribes;
  }
  return s;
}

export async function officesList(db: Db, f: Filters, asOfS: number | null, minN: number, labels: Labels) {
  const [stats, data] = await Promise.all([
    groupStats(db, f, asOfS, 'office_id'),
    loadSignalData(db, f, asOfS),
  ]);
  const flags = computeFlags(data, 'office', minN, labels);
  const flagsOf = new Map<string, string[]>();
  for (const fl of flags) flagsOf.set(fl.key, [...(flagsOf.get(fl.key) ?? []), `${fl.signal}:${fl.scope}`]);
  const rows = labels.offices
    .filter(
      (o) =>
        inScope(f, o.district) &&
        (f.district === undefined || o.district === f.district) &&
        (f.office === undefined || o.office_id === f.office),
    )
    .map((o) => {
      const st = stats.get(o.office_id) ?? EMPTY_STATS;
      const sig = sumSignals(data, (id) => id === o.office_id);
      return {
        office_id: o.office_id,
        name: o.name,
        district: o.district,
        n_cases: st.n_cases,
        n_closed: st.n_closed,
        median_days: st.median_days,
        km_median_days: st.km_median_days,
        breach_rate: st.breach_rate,
        slow_share: sig.closed > 0 ? sig.slow / sig.closed : null,
        complaints: sig.complaints,
        complaint_rate: perThousand(sig.complaints, sig.cases),
        bribe_reports: sig.bribes,
        bribe_rate: perThousand(sig.bribes, sig.cases),
        flags: flagsOf.get(o.office_id) ?? [],
      };
    });
  return { min_n: minN, rows };
}

function metricsOf(st: ProcessingStats, sig: SignalSums) {
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
  };
}

export async function officeScorecard(
  db: Db,
  id: string,
  f: Filters,
  asOfS: number | null,
  minN: number,
  calendar: Calendar,
  labels: Labels,
) {
  const office = await db.one<Record<string, unknown>>(
    `SELECT office_id, name, district, strftime(opened_on, '%Y-%m-%d') AS opened_on, status FROM offices WHERE office_id = $id`,
    { id },
  );
  // Outside the user's districts reads exactly like an unknown id.
  if (!office || !inScope(f, Number(office.district))) throw notFound(`No office with id ${quoteValue(id)}`);
  const district = Number(office.district);
  const city = cityWide(f);
  const fo: Filters = { ...city, office: id };
  const fd: Filters = { ...city, district };
  const [so, sd, sc, data, complaintTrend, processingTrend, mix] = await Promise.all([
    groupStats(db, fo, asOfS, "'all'"),
    groupStats(db, fd, asOfS, "'all'"),
    groupStats(db, city, asOfS, "'all'"),
    loadSignalData(db, city, asOfS),
    trends(db, fo, asOfS, 'complaints', 'city', calendar, labels),
    trends(db, fo, asOfS, 'processing', 'city', calendar, labels),
    serviceMix(db, fo, city, asOfS),
  ]);
  const flags = computeFlags(data, 'office', minN, labels).filter((x) => x.key === id);
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
    min_n: minN,
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
    flags: flags.map((x) => officeFlagJson(x, labels)),
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

async function serviceMix(db: Db, fo: Filters, city: Filters, asOfS: number | null) {
  const a = factsCte(fo, asOfS, 'f');
  const [rows, cityMedians] = await Promise.all([
    db.all<Record<string, unknown>>(
      `WITH ${a.sql}
      SELECT service_code, count(*)::INTEGER AS n, quantile_cont(dur, 0.5) AS med FROM facts
      GROUP BY service_code ORDER BY n DESC, service_code`,
      a.params,
    ),
    cityServiceMedians(db, city, asOfS),
  ]);
  return rows.map((r) => ({
    service_code: String(r.service_code),
    n_cases: Number(r.n),
    median_days: num(r.med),
    city_median_days: cityMedians.get(String(r.service_code)) ?? null,
  }));
}

/**
 * The city median per service, for every service at once: the same for every office's scorecard,
 * so computed once per dataset and filter set (each service's median depends only on its own rows).
 */
function cityServiceMedians(
  db: Db,
  city: Filters,
  asOfS: number | null,
): Promise<Map<string, number | null>> {
  return memo(db, `cityServiceMedians ${JSON.stringify(city)}`, async () => {
    const b = factsCte(city, asOfS, 'r');
    const rows = await db.all<{ service_code: string; cm: unknown }>(
      `WITH ${b.sql} SELECT service_code, quantile_cont(dur, 0.5) AS cm FROM facts_r GROUP BY service_code`,
      b.params,
    );
    return new Map(rows.map((r) => [String(r.service_code), num(r.cm)]));
  });
}
