/**
 * DESIGN 13: whose time. Each step's time belongs to the actor who completes it (stage-facts.ts). Per
 * case: office / municipality / citizen / other days. Per group (the selection, a district, an
 * office, a service or a category): the cases with at least one event, Σ days by actor and each
 * actor's share of all step days, and the median case's days by actor (for each actor, the median
 * over the group's cases of that case's days in the actor's hands; 0 for a case the actor never held).
 * Open cases count with the steps they have completed so far. `city` is the city-wide reference for
 * the same window and service filters (an inspector's rows cover their districts; city stays city).
 *
 * Served by GET /api/stages/actors (api/routes/stages.ts); drawn as the Process view's days by actor
 * (web/views/Process.tsx) and the office scorecard's "in the office's own hands"
 * (web/components/OfficeHands.tsx).
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { cityWide, type Filters, filterShape, stepCasesCte } from '../filters.ts';
import { num } from '../lib/sql.ts';
import { query } from '../params.ts';
import { ACTOR_FIGURES_SQL, ACTORS, type Actor, cityLevel } from './stage-facts.ts';
import { stageGroupLabel } from './stages.ts';

export const ACTOR_GROUPS = {
  city: "'all'",
  district: 'district::VARCHAR',
  office: 'office_id',
  service: 'service_code',
  category: "coalesce(category, '')",
} as const;
export type ActorGroup = keyof typeof ACTOR_GROUPS;
const ACTOR_GROUP_NAMES = Object.keys(ACTOR_GROUPS) as [ActorGroup, ...ActorGroup[]];

export const StageActorsQuery = query({
  ...filterShape,
  by: z.enum(ACTOR_GROUP_NAMES).default('district'),
});

export const ByActor = z.object({
  office: z.number(),
  municipality: z.number(),
  citizen: z.number(),
  other: z.number(),
});
export const ByActorNullable = z.object({
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

export const StageActorsSchema = z.object({
  by: z.enum(ACTOR_GROUP_NAMES),
  rows: z.array(ActorRow),
  city: ActorRow.extend({ scope: z.literal('city') }),
});
export type StageActorsAnswer = z.output<typeof StageActorsSchema>;

/** DESIGN 13's figures per group; city, district and office groups come with the facts (`cityLevel`). */
function actorRows(ctx: RequestContext, f: Filters, by: ActorGroup) {
  return ctx.cache.get(`stageActors ${by} ${JSON.stringify(f)}`, async () => {
    const level = by === 'city' ? 'all' : by === 'district' || by === 'office' ? by : null;
    const city = level ? cityLevel(f, level, ctx.labels) : null;
    if (city) {
      const rows = await ctx.db.all<Record<string, unknown>>(
        'SELECT * FROM stage_city_actors WHERE level = $level ORDER BY key',
        { level: city.level },
      );
      return rows
        .filter((r) => city.keep(String(r.key)))
        .map((r) => (by === 'city' ? { ...r, key: 'all' } : r));
    }
    const c = stepCasesCte(f);
    return ctx.db.all<Record<string, unknown>>(
      `WITH ${c.sql}
       SELECT ${ACTOR_GROUPS[by]} AS key, ${ACTOR_FIGURES_SQL}
       FROM cases_sc WHERE n_steps > 0 GROUP BY ALL ORDER BY key`,
      c.params,
    );
  });
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

export async function stageActors(ctx: RequestContext, q: { by: ActorGroup }): Promise<StageActorsAnswer> {
  const [rows, cityRows] = await Promise.all([
    actorRows(ctx, ctx.f, q.by),
    actorRows(ctx, cityWide(ctx.f), 'city'),
  ]);
  const cityRow = cityRows[0] ?? { key: 'all', n: 0, total: 0 };
  return {
    by: q.by,
    rows: rows.map((r) => toRow(r, stageGroupLabel(ctx, q.by, String(r.key)))),
    city: { ...toRow(cityRow, stageGroupLabel(ctx, 'city', 'all')), scope: 'city' },
  };
}
