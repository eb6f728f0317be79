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
 */
import { z } from '@hono/zod-openapi';
import type { Db } from '../db.ts';
import { cityWide, type Filters, inScope } from '../filters.ts';
import { bhQValues, overdispersion, twoSidedP, Z95, Z998 } from '../stats/index.ts';
import type { Labels } from './labels.ts';
import { memo } from './memo.ts';
import { loadStageLabels, stepCasesCte, stepsCte } from './stage-facts.ts';
import { StageNameFields, stageName } from './stages.ts';

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

export const ExtraSchema = z.object({
  service: z.string().nullable(),
  min_n: z.number(),
  scope: z.literal('city'),
  tested_pairs: z.number(),
  /** Every district × stage pair of the service (only with a service filter). */
  rows: z.array(ExtraRow),
  /** The flagged pairs, largest z first. */
  flags: z.array(ExtraRow),
});
export type ExtraBody = z.infer<typeof ExtraSchema>;

interface Pair {
  service: string;
  district: number;
  stage: string;
  n: number;
  passing: number;
}

function pairCounts(db: Db, population: Filters): Promise<Pair[]> {
  return memo(db, `extraPairs ${JSON.stringify(population)}`, async () => {
    const c = stepCasesCte(population);
    const s = stepsCte(population);
    const rows = await db.all<Record<string, unknown>>(
      `WITH ${c.sql}, ${s.sql},
         n AS (SELECT service_code, district, count(*) AS n FROM cases_sc WHERE n_steps > 0 GROUP BY ALL),
         p AS (SELECT service_code, district, stage, count(*) FILTER (WHERE visit = 1) AS passing
               FROM steps_s GROUP BY ALL),
         st AS (SELECT DISTINCT service_code, stage FROM p)
       SELECT n.service_code, n.district, st.stage, n.n::INTEGER AS n, coalesce(p.passing, 0)::INTEGER AS passing
       FROM n JOIN st ON st.service_code = n.service_code
       LEFT JOIN p ON p.service_code = n.service_code AND p.district = n.district AND p.stage = st.stage
       ORDER BY n.service_code, st.stage, n.district`,
      { ...c.params, ...s.params },
    );
    return rows.map((r) => ({
      service: String(r.service_code),
      district: Number(r.district),
      stage: String(r.stage),
      n: Number(r.n),
      passing: Number(r.passing),
    }));
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

export async function extraReport(db: Db, f: Filters, minN: number, labels: Labels): Promise<ExtraBody> {
  const [names, pairs] = await Promise.all([loadStageLabels(db), pairCounts(db, cityWide(f))]);
  const tests = extraTests(pairs, minN);
  const shown = tests.filter(
    (t) => inScope(f, t.pair.district) && (f.district === undefined || t.pair.district === f.district),
  );
  const toJson = (t: ExtraTest) => {
    const d = labels.district(t.pair.district);
    const s = labels.service(t.pair.service);
    return {
      district: t.pair.district,
      label: d.fa,
      label_en: d.en,
      service_code: t.pair.service,
      service_name: s.name,
      service_name_en: s.name_en,
      ...stageName(names, t.pair.stage),
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
    min_n: minN,
    scope: 'city',
    tested_pairs: tests.filter((t) => t.tested).length,
    rows: f.service === undefined ? [] : shown.map(toJson),
    flags: shown
      .filter((t) => t.flag)
      .sort((a, b) => (b.z ?? 0) - (a.z ?? 0))
      .map(toJson),
  };
}
