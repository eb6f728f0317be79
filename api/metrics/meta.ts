/**
 * Liveness (GET /api/health) and the dataset description for the dashboard's pickers (GET /api/meta):
 * as-of time, date range, dimensions, counts. Routes in api/routes/health.ts; the web reads meta
 * through web/queries/meta.ts (filters, names, the districts view's default service).
 */
import { z } from '@hono/zod-openapi';
import type { Db } from '../db.ts';
import { TEHRAN_DISTRICTS } from '../lib/districts.ts';
import { isoFromEpoch, isoSql } from '../lib/sql.ts';
import { CHANNELS, SERVICE_CATEGORIES } from '../lib/vocab.ts';
import { loadAsOf } from './facts.ts';

export const HealthSchema = z.object({
  status: z.literal('ok'),
  as_of: z.string().nullable(),
  counts: z.object({ cases: z.number(), complaints: z.number(), offices: z.number(), services: z.number() }),
});
export type HealthAnswer = z.output<typeof HealthSchema>;

const names = { name_fa: z.string(), name_en: z.string() };

/** A service as the services table holds it. */
export const ServiceSchema = z.object({
  service_code: z.string(),
  name: z.string(),
  name_en: z.string().nullable(),
  category: z.string().nullable(),
  sla_days: z.number().nullable(),
});

export const MetaSchema = z.object({
  as_of: z.string().nullable(),
  city: z.string(),
  date_range: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  districts: z.array(z.object({ district: z.number(), ...names })),
  categories: z.array(z.object({ category: z.string(), ...names })),
  services: z.array(
    ServiceSchema.extend({
      n_cases: z.number().openapi({
        description:
          "The service's cases in the whole dataset (an inspector: in their districts); the districts view opens on the busiest building-permit service",
      }),
    }),
  ),
  offices: z.array(z.object({ office_id: z.string(), name: z.string(), district: z.number() })),
  channels: z.array(z.enum(CHANNELS)),
});
export type MetaAnswer = z.output<typeof MetaSchema>;

export async function health(db: Db): Promise<HealthAnswer> {
  const [asOf, counts] = await Promise.all([
    loadAsOf(db),
    db.one<{ cases: number; complaints: number; offices: number; services: number }>(
      `SELECT (SELECT count(*) FROM cases)::INTEGER AS cases, (SELECT count(*) FROM complaints)::INTEGER AS complaints,
              (SELECT count(*) FROM offices)::INTEGER AS offices, (SELECT count(*) FROM services)::INTEGER AS services`,
    ),
  ]);
  return {
    status: 'ok' as const,
    as_of: isoFromEpoch(asOf),
    counts: {
      cases: Number(counts?.cases ?? 0),
      complaints: Number(counts?.complaints ?? 0),
      offices: Number(counts?.offices ?? 0),
      services: Number(counts?.services ?? 0),
    },
  };
}

/** `scope`: an inspector's districts; only those districts and their offices are listed (services all). */
export async function meta(db: Db, scope: number[] | null = null): Promise<MetaAnswer> {
  const scopeParams = Object.fromEntries((scope ?? []).map((d, i) => [`d${i}`, d]));
  const inScope = scope
    ? scope.length
      ? `o.district IN (${scope.map((_, i) => `$d${i}`).join(', ')})`
      : 'FALSE'
    : 'TRUE';
  const [asOf, ds, range, districts, services, offices, volumes] = await Promise.all([
    loadAsOf(db),
    db.one<{ city: string }>('SELECT city FROM dataset WHERE id = 1'),
    db.one<{ from: string | null; to: string | null }>(
      `SELECT ${isoSql('min(submitted_at)')} AS "from", ${isoSql('max(submitted_at)')} AS "to" FROM cases`,
    ),
    db.all<{ district: number; name_fa: string; name_en: string }>(
      `SELECT d.district, coalesce(t.name_fa, '') AS name_fa, coalesce(t.name_en, '') AS name_en
       FROM (SELECT district FROM districts UNION SELECT district FROM offices) d
       LEFT JOIN districts t ON t.district = d.district ORDER BY d.district`,
    ),
    db.all<{
      service_code: string;
      name: string;
      name_en: string | null;
      category: string | null;
      sla_days: number | null;
    }>(
      'SELECT service_code, name, name_en, category, sla_days FROM services ORDER BY category, service_code',
    ),
    db.all<{ office_id: string; name: string; district: number }>(
      'SELECT office_id, name, district FROM offices ORDER BY district, office_id',
    ),
    // the join to offices only for a scope: the whole city's counts are one scan of cases
    db.all<{ service_code: string; n: number }>(
      scope
        ? `SELECT c.service_code, count(*)::INTEGER AS n FROM cases c JOIN offices o ON o.office_id = c.office_id
           WHERE ${inScope} GROUP BY c.service_code`
        : 'SELECT service_code, count(*)::INTEGER AS n FROM cases GROUP BY service_code',
      scopeParams,
    ),
  ]);
  const volume = new Map(volumes.map((v) => [String(v.service_code), Number(v.n)]));
  const fallback = new Map(TEHRAN_DISTRICTS.map((d) => [d.district, d]));
  const categories = [...new Set(services.map((s) => s.category).filter((c): c is string => !!c))].sort();
  return {
    as_of: isoFromEpoch(asOf),
    city: ds?.city ?? 'tehran',
    date_range: { from: range?.from ?? null, to: range?.to ?? null },
    districts: districts
      .filter((d) => !scope || scope.includes(Number(d.district)))
      .map((d) => {
        const n = Number(d.district);
        const fb = fallback.get(n);
        return {
          district: n,
          name_fa: d.name_fa || fb?.name_fa || `منطقه ${n}`,
          name_en: d.name_en || fb?.name_en || `District ${n}`,
        };
      }),
    categories: categories.map((c) => ({
      category: c,
      name_fa: SERVICE_CATEGORIES[c]?.fa ?? c,
      name_en: SERVICE_CATEGORIES[c]?.en ?? c,
    })),
    services: services.map((s) => ({
      ...s,
      sla_days: s.sla_days === null ? null : Number(s.sla_days),
      n_cases: volume.get(s.service_code) ?? 0,
    })),
    offices: offices
      .map((o) => ({ ...o, district: Number(o.district) }))
      .filter((o) => !scope || scope.includes(o.district)),
    channels: [...CHANNELS],
  };
}
