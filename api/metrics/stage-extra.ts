/**
 * DESIGN 14, extra steps ("personal taste"). For a district d, a service and a stage: n_d = the
 * district's cases of that service with at least one step, y_d = the share of them that pass the
 * stage, against p₀ = the same share over the other districts' cases of the service. The funnel of
 * DESIGN 6 per (service, stage), kind proportion: s_d = √(p₀(1−p₀)/n_d), z_d = (y_d − p₀)/s_d, φ =
 * the winsorised mean z² over that stage's tested districts (n_d ≥ min_n), limits p₀ ± 3.090232·s_d·√φ*
 * with φ* = max(φ, 1) (stats/funnel.ts `overdispersion`, `Z998`); z and a two-sided p from the
 * adjusted z; Benjamini–Hochberg q over all tested district-stage pairs (of every service in the
 * selection); flagged when y_d lies above its 99.8% limit and q < 0.05.
 * A stage that no other district's case passes has p₀ = 0 and no variance, which would leave the
 * plainest extra step untested: p₀ then counts half a case, 0.5 / (the other districts' cases).
 * As with the other funnels the test runs city-wide under the non-location filters; a district filter
 * or an inspector's scope only chooses the rows shown.
 *
 * Served by GET /api/stages/extra (api/routes/stages.ts); listed as the Process view's extra-step
 * flags in words (web/views/Process.tsx, web/lib/processWords.ts).
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { cityWide, type Filters, filterShape, inScope, stepCasesCte } from '../filters.ts';
import { query } from '../params.ts';
import { bhQValues, overdispersion, twoSidedP, Z95, Z998 } from '../stats/index.ts';
import { groupLabel } from './labels.ts';
import { loadStageNames, StageNameFields } from './stage-facts.ts';
import { stageVisits } from './stage-variants.ts';
import { stageMinN } from './stages.ts';

export const StageExtraQuery = query({ ...filterShape, min_n: stageMinN(30, 'Districts') });

const nullableNumber = z.number().nullable();

const ExtraRow = z.object({
  district: z.number(),
  label: z.string(),
  label_en: z.string(),
  service_code: z.string(),
  service_name: z.string(),
  service_name_en: z.string().nullable(),
  ...StageNameFields,
  n: z.number(),
  passing: z.number(),
  share: z.number(),
  other_n: z.number(),
  other_share: nullableNumber,
  z: nullableNumber,
  p: nullableNumber,
  q: nullableNumber,
  lo95: nullableNumber,
  hi95: nullableNumber,
  lo998: nullableNumber,
  hi998: nullableNumber,
  phi: nullableNumber,
  tested: z.boolean(),
  flag: z.boolean(),
});

export const StageExtraSchema = z.object({
  service: z.string().nullable(),
  min_n: z.number(),
  scope: z.literal('city'),
  tested_pairs: z.number(),
  /** Every district × stage pair of the service (only with a service filter). */
  rows: z.array(ExtraRow),
  /** The flagged pairs, largest z first. */
  flags: z.array(ExtraRow),
});
export type StageExtraAnswer = z.output<typeof StageExtraSchema>;

interface Pair {
  service: string;
  district: number;
  stage: string;
  n: number;
  passing: number;
}

/**
 * Per (service, district, stage): the district's cases of the service with at least one step, and how
 * many of them pass the stage (first visits: a case passes a stage once however often it repeats it).
 */
function pairCounts(ctx: RequestContext, population: Filters): Promise<Pair[]> {
  return ctx.cache.get(`extraPairs ${JSON.stringify(population)}`, async () => {
    const c = stepCasesCte(population);
    const [cases, visits, names] = await Promise.all([
      ctx.db.all<Record<string, unknown>>(
        `WITH ${c.sql}
         SELECT service_code, district, count(*)::INTEGER AS n FROM cases_sc WHERE n_steps > 0 GROUP BY ALL`,
        c.params,
      ),
      stageVisits(ctx, population),
      loadStageNames(ctx),
    ]);
    const passing = new Map<string, number>();
    const stagesOf = new Map<string, Set<number>>();
    for (const v of visits) {
      const k = `${v.service_code}\u0000${v.district}\u0000${v.sid}`;
      passing.set(k, (passing.get(k) ?? 0) + v.cases);
      const set = stagesOf.get(v.service_code) ?? new Set<number>();
      set.add(v.sid);
      stagesOf.set(v.service_code, set);
    }
    const out: Pair[] = [];
    for (const r of cases) {
      const service = String(r.service_code);
      const district = Number(r.district);
      for (const sid of stagesOf.get(service) ?? []) {
        out.push({
          service,
          district,
          stage: names.name(sid).stage,
          n: Number(r.n),
          passing: passing.get(`${service}\u0000${district}\u0000${sid}`) ?? 0,
        });
      }
    }
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    return out.sort((x, y) => cmp(x.service, y.service) || cmp(x.stage, y.stage) || x.district - y.district);
  });
}

export interface ExtraTest {
  pair: Pair;
  otherN: number;
  otherShare: number | null;
  z: number | null;
  p: number | null;
  q: number | null;
  lo95: number | null;
  hi95: number | null;
  lo998: number | null;
  hi998: number | null;
  phi: number | null;
  tested: boolean;
  flag: boolean;
}

/** The tests of the module comment over all pairs (exported for the worked-example tests). */
export function extraTests(pairs: Pair[], minN: number): ExtraTest[] {
  const byStage = new Map<string, Pair[]>();
  for (const p of pairs) {
    const k = `${p.service}\u0000${p.stage}`;
    const list = byStage.get(k) ?? [];
    list.push(p);
    byStage.set(k, list);
  }
  const out: ExtraTest[] = [];
  for (const list of byStage.values()) {
    const sumN = list.reduce((s, p) => s + p.n, 0);
    const sumP = list.reduce((s, p) => s + p.passing, 0);
    const base = list.map((pair) => {
      const otherN = sumN - pair.n;
      const otherPass = sumP - pair.passing;
      const otherShare = otherN > 0 ? otherPass / otherN : null;
      const p0 = otherShare === null ? null : otherShare === 0 ? 0.5 / otherN : otherShare;
      const sd = p0 !== null && p0 < 1 && pair.n > 0 ? Math.sqrt((p0 * (1 - p0)) / pair.n) : null;
      const y = pair.n > 0 ? pair.passing / pair.n : 0;
      return { pair, otherN, otherShare, p0, sd, y, tested: sd !== null && pair.n >= minN };
    });
    const zs = base.filter((b) => b.tested).map((b) => (b.y - (b.p0 as number)) / (b.sd as number));
    const phi = overdispersion(zs);
    const inflate = Math.sqrt(Math.max(phi, 1));
    for (const b of base) {
      if (b.sd === null || b.p0 === null) {
        out.push({
          pair: b.pair,
          otherN: b.otherN,
          otherShare: b.otherShare,
          z: null,
          p: null,
          q: null,
          lo95: null,
          hi95: null,
          lo998: null,
          hi998: null,
          phi: null,
          tested: false,
          flag: false,
        });
        continue;
      }
      const w = b.sd * inflate;
      const z = (b.y - b.p0) / w;
      const clip = (v: number) => Math.min(1, Math.max(0, v));
      out.push({
        pair: b.pair,
        otherN: b.otherN,
        otherShare: b.otherShare,
        z,
        p: twoSidedP(z),
        q: null,
        lo95: clip(b.p0 - Z95 * w),
        hi95: clip(b.p0 + Z95 * w),
        lo998: clip(b.p0 - Z998 * w),
        hi998: clip(b.p0 + Z998 * w),
        phi,
        tested: b.tested,
        flag: false,
      });
    }
  }
  const q = bhQValues(out.map((t) => (t.tested ? t.p : null)));
  out.forEach((t, i) => {
    t.q = q[i];
    const y = t.pair.n > 0 ? t.pair.passing / t.pair.n : 0;
    t.flag = t.tested && t.hi998 !== null && y > t.hi998 && (t.q ?? 1) < 0.05;
  });
  return out;
}

export async function stageExtra(ctx: RequestContext, q: { min_n: number }): Promise<StageExtraAnswer> {
  const { f } = ctx;
  const [names, pairs] = await Promise.all([loadStageNames(ctx), pairCounts(ctx, cityWide(f))]);
  const tests = extraTests(pairs, q.min_n);
  const shown = tests.filter(
    (t) => inScope(f, t.pair.district) && (f.district === undefined || t.pair.district === f.district),
  );
  const toJson = (t: ExtraTest) => {
    const s = ctx.labels.service(t.pair.service);
    const stage = names.byCode.get(t.pair.stage);
    return {
      district: t.pair.district,
      ...groupLabel(ctx.labels, 'district', String(t.pair.district)),
      service_code: t.pair.service,
      service_name: s.name,
      service_name_en: s.name_en,
      stage: t.pair.stage,
      stage_name: stage?.name ?? t.pair.stage,
      stage_name_en: stage?.name_en ?? null,
      n: t.pair.n,
      passing: t.pair.passing,
      share: t.pair.n > 0 ? t.pair.passing / t.pair.n : 0,
      other_n: t.otherN,
      other_share: t.otherShare,
      z: t.z,
      p: t.p,
      q: t.q,
      lo95: t.lo95,
      hi95: t.hi95,
      lo998: t.lo998,
      hi998: t.hi998,
      phi: t.phi,
      tested: t.tested,
      flag: t.flag,
    };
  };
  return {
    service: f.service ?? null,
    min_n: q.min_n,
    scope: 'city',
    tested_pairs: tests.filter((t) => t.tested).length,
    rows: f.service === undefined ? [] : shown.map(toJson),
    flags: shown
      .filter((t) => t.flag)
      .sort((a, b) => (b.z ?? 0) - (a.z ?? 0))
      .map(toJson),
  };
}
