/**
 * DESIGN 13: whose time. Each step's time belongs to the actor who completes it (stage-facts.ts). Per
 * case: office / municipality / citizen / other days. Per group (the selection, a district, an
 * office, a service or a category): the cases with at least one event, Σ days by actor and each
 * actor's share of all step days, and the median case's days by actor (for each actor, the median
 * over the group's cases of that case's days in the actor's hands; 0 for a case the actor never held).
 * Open cases count with the steps they have completed so far. `city` is the city-wide reference for
 * the same window and service filters (an inspector's rows cover their districts; city stays city).
 */
import { z } from '@hono/zod-openapi';
import type { Db } from '../db.ts';
import { cityWide, type Filters } from '../filters.ts';
import { num } from './base.ts';
import type { Labels } from './labels.ts';
import { memo } from './memo.ts';
import { ACTORS, type Actor, stepCasesCte } from './stage-facts.ts';

export const ACTOR_GROUPS = {
  city: "'all'",
  district: 'district::VARCHAR',
  office: 'office_id',
  service: 'service_code',
  category: "coalesce(category, '')",
} as const;
export type ActorGroup = keyof typeof ACTOR_GROUPS;

const ByActor = z.object({
  office: z.number(),
  municipality: z.number(),
  citizen: z.number(),
  other: z.number(),
});
const ByActorNullable = z.object({
  office: z.number().nullable(),
  municipality: z.number().nullable(),
  citizen: z.number().nullable(),
  other: z.number().nullable(),
});

const ActorRow = z.object({
  key: z.string(),
  label: z.string(),
  label_en: z.string(),
  n_cases: z.number(),
  total_days: z.number(),
  days: ByActor,
  shares: ByActorNullable,
  median_days: ByActorNullable,
});

export const ActorsSchema = z.object({
  by: z.enum(['city', 'district', 'office', 'service', 'category']),
  rows: z.array(ActorRow),
  city: ActorRow.extend({ scope: z.literal('city') }),
});
export type ActorsBody = z.infer<typeof ActorsSchema>;

function labelOf(by: ActorGroup, key: string, labels: Labels) {
  switch (by) {
    case 'district': {
      const d = labels.district(key);
      return { label: d.fa, label_en: d.en };
    }
    case 'office': {
      const n = labels.office(key).name;
      return { label: n, label_en: n };
    }
    case 'service': {
      const s = labels.service(key);
      return { label: s.name, label_en: s.name_en ?? s.name };
    }
    case 'category': {
      const c = labels.category(key);
      return { label: c.fa, label_en: c.en };
    }
    default:
      return { label: 'همه', label_en: 'All' };
  }
}

async function actorRows(db: Db, f: Filters, groupSql: string) {
  const c = stepCasesCte(f);
  const cols = ACTORS.map(
    (a) => `sum(${a}_days)::DOUBLE AS sum_${a}, quantile_cont(${a}_days, 0.5) AS med_${a}`,
  ).join(', ');
  return db.all<Record<string, unknown>>(
    `WITH ${c.sql}
     SELECT ${groupSql} AS key, count(*)::INTEGER AS n, sum(step_days)::DOUBLE AS total, ${cols}
     FROM cases_sc WHERE n_steps > 0 GROUP BY ALL ORDER BY key`,
    c.params,
  );
}

function toRow(r: Record<string, unknown>, label: { label: string; label_en: string }) {
  const total = Number(r.total ?? 0);
  const days = {} as Record<Actor, number>;
  const shares = {} as Record<Actor, number | null>;
  const medians = {} as Record<Actor, number | null>;
  for (const a of ACTORS) {
    days[a] = Number(r[`sum_${a}`] ?? 0);
    shares[a] = total > 0 ? days[a] / total : null;
    medians[a] = num(r[`med_${a}`]);
  }
  return {
    key: String(r.key),
    ...label,
    n_cases: Number(r.n ?? 0),
    total_days: total,
    days,
    shares,
    median_days: medians,
  };
}

export async function actorReport(db: Db, f: Filters, by: ActorGroup, labels: Labels): Promise<ActorsBody> {
  const city = cityWide(f);
  const [rows, cityRows] = await Promise.all([
    actorRows(db, f, ACTOR_GROUPS[by]),
    memo(db, `cityActors ${JSON.stringify(city)}`, () => actorRows(db, city, "'all'")),
  ]);
  const cityRow = cityRows[0] ?? { key: 'all', n: 0, total: 0 };
  return {
    by,
    rows: rows.map((r) => toRow(r, labelOf(by, String(r.key), labels))),
    city: { ...toRow(cityRow, labelOf('city', 'all', labels)), scope: 'city' },
  };
}
