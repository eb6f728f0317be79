/**
 * DESIGN 14, routes and rework. A case's variant is its sequence of stages (its steps in DESIGN 11's
 * order). Among the selection's cases with at least one step: the top variants with count, share and
 * median throughput (quantile_cont). Rework: a case repeats a stage; the rework rate is the share of
 * cases with at least one repeated stage, per office and per district, on the funnel of DESIGN 6 with
 * kind 'proportion' and p₀ = the city rate (Σ rework / Σ cases over every group). Like the other
 * funnels it is computed over the whole city under the non-location filters; district, office and an
 * inspector's scope only choose the rows shown. Each group also names the stage its cases repeat most,
 * with that stage's repeat rate there and elsewhere (the other groups), for the flag's sentence.
 */
import { z } from '@hono/zod-openapi';
import type { Db } from '../db.ts';
import { cityWide, type Filters, inScope } from '../filters.ts';
import { type FunnelRow, funnel, funnelCurve } from '../stats/index.ts';
import { num } from './base.ts';
import type { Labels } from './labels.ts';
import { memo } from './memo.ts';
import { loadStageLabels, type StageLabel, stepCasesCte, stepsCte } from './stage-facts.ts';
import { StageNameFields, stageName } from './stages.ts';

const nullableNumber = z.number().nullable();

const RepeatedStage = z
  .object({ ...StageNameFields, rate: z.number(), other_rate: nullableNumber })
  .nullable();

export const ReworkRow = z.object({
  key: z.string(),
  label: z.string(),
  label_en: z.string(),
  district: z.number(),
  n: z.number(),
  count: z.number(),
  value: z.number(),
  z: nullableNumber,
  p: nullableNumber,
  q: nullableNumber,
  lo95: nullableNumber,
  hi95: nullableNumber,
  lo998: nullableNumber,
  hi998: nullableNumber,
  flag: z.enum(['above', 'below']).nullable(),
  tested: z.boolean(),
  top_stage: RepeatedStage,
});

const Curve = z.array(
  z.object({ n: z.number(), lo95: z.number(), hi95: z.number(), lo998: z.number(), hi998: z.number() }),
);

const ReworkFunnel = z.object({
  by: z.enum(['office', 'district']),
  target: z.number(),
  phi: z.number(),
  rows: z.array(ReworkRow),
  curve: Curve,
});

export const VariantsSchema = z.object({
  service: z.string().nullable(),
  n_cases: z.number(),
  n_variants: z.number(),
  variants: z.array(
    z.object({
      stages: z.array(z.string()),
      stage_names: z.array(z.string()),
      stage_names_en: z.array(z.string().nullable()),
      count: z.number(),
      share: z.number(),
      median_throughput_days: nullableNumber,
    }),
  ),
  rework: z.object({
    min_n: z.number(),
    target: z.number(),
    scope: z.literal('city'),
    /** Per stage in the selection: cases that reached it and cases that repeated it. */
    stages: z.array(
      z.object({ ...StageNameFields, cases: z.number(), repeated: z.number(), rate: nullableNumber }),
    ),
    offices: ReworkFunnel,
    districts: ReworkFunnel,
  }),
});
export type VariantsBody = z.infer<typeof VariantsSchema>;

async function topVariants(db: Db, f: Filters, limit: number) {
  const c = stepCasesCte(f);
  const [rows, totals] = await Promise.all([
    db.all<{ variant: string[]; n: number; med: unknown }>(
      `WITH ${c.sql}
       SELECT variant, count(*)::INTEGER AS n, quantile_cont(throughput_days, 0.5) AS med
       FROM cases_sc WHERE n_steps > 0 GROUP BY variant ORDER BY n DESC, variant LIMIT $limit`,
      { ...c.params, limit },
    ),
    db.one<{ n: number; v: number }>(
      `WITH ${c.sql}
       SELECT count(*)::INTEGER AS n, count(DISTINCT variant)::INTEGER AS v FROM cases_sc WHERE n_steps > 0`,
      c.params,
    ),
  ]);
  return { rows, n: Number(totals?.n ?? 0), variants: Number(totals?.v ?? 0) };
}

interface GroupRework {
  office_id: string;
  district: number;
  n: number;
  rework: number;
}

/** Per office (and its district): cases with steps and cases with rework, over the city population. */
function reworkCounts(db: Db, population: Filters): Promise<GroupRework[]> {
  return memo(db, `rework ${JSON.stringify(population)}`, async () => {
    const c = stepCasesCte(population);
    const rows = await db.all<Record<string, unknown>>(
      `WITH ${c.sql}
       SELECT office_id, district, count(*)::INTEGER AS n, count(*) FILTER (WHERE rework)::INTEGER AS rw
       FROM cases_sc WHERE n_steps > 0 GROUP BY ALL ORDER BY office_id`,
      c.params,
    );
    return rows.map((r) => ({
      office_id: String(r.office_id),
      district: Number(r.district),
      n: Number(r.n),
      rework: Number(r.rw),
    }));
  });
}

/** Per office and stage: cases that reached the stage and cases that repeated it (city population). */
function stageRepeats(db: Db, population: Filters) {
  return memo(db, `repeats ${JSON.stringify(population)}`, async () => {
    const s = stepsCte(population);
    const rows = await db.all<Record<string, unknown>>(
      `WITH ${s.sql}
       SELECT office_id, district, stage, count(*) FILTER (WHERE visit = 1)::INTEGER AS cases,
         count(*) FILTER (WHERE visit = 2)::INTEGER AS repeated
       FROM steps_s GROUP BY ALL`,
      s.params,
    );
    return rows.map((r) => ({
      office_id: String(r.office_id),
      district: Number(r.district),
      stage: String(r.stage),
      cases: Number(r.cases),
      repeated: Number(r.repeated),
    }));
  });
}

type Level = 'office' | 'district';

function visible(f: Filters, level: Level, key: string, district: number): boolean {
  if (!inScope(f, district)) return false;
  if (f.district !== undefined && district !== f.district) return false;
  if (f.office !== undefined && (level !== 'office' || key !== f.office)) return false;
  return true;
}

function reworkFunnel(
  f: Filters,
  level: Level,
  counts: GroupRework[],
  repeats: Awaited<ReturnType<typeof stageRepeats>>,
  minN: number,
  names: Map<string, StageLabel>,
  labels: Labels,
) {
  const groups = new Map<string, GroupRework>();
  for (const r of counts) {
    const key = level === 'office' ? r.office_id : String(r.district);
    const g = groups.get(key) ?? { office_id: key, district: r.district, n: 0, rework: 0 };
    g.n += r.n;
    g.rework += r.rework;
    groups.set(key, g);
  }
  const list = [...groups.entries()].sort(([a], [b]) =>
    level === 'district' ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0,
  );
  const sumN = list.reduce((s, [, g]) => s + g.n, 0);
  const sumR = list.reduce((s, [, g]) => s + g.rework, 0);
  const target = sumN > 0 ? sumR / sumN : 0;
  const r = funnel(
    list.map(([key, g]) => ({ key, n: g.n, y: g.n > 0 ? g.rework / g.n : 0 })),
    { kind: 'proportion', target, minN },
  );
  // Repeats per (group, stage) and per stage over the city, for "X% repeat stage S, against Y% elsewhere".
  const byGroupStage = new Map<string, { cases: number; repeated: number }>();
  const byStage = new Map<string, { cases: number; repeated: number }>();
  for (const x of repeats) {
    const key = level === 'office' ? x.office_id : String(x.district);
    for (const [m, k] of [
      [byGroupStage, `${key}\u0000${x.stage}`],
      [byStage, x.stage],
    ] as const) {
      const acc = m.get(k) ?? { cases: 0, repeated: 0 };
      acc.cases += x.cases;
      acc.repeated += x.repeated;
      m.set(k, acc);
    }
  }
  const topStage = (key: string) => {
    let best: { stage: string; repeated: number; cases: number } | undefined;
    for (const [k, v] of byGroupStage) {
      const [g, stage] = k.split('\u0000');
      if (g !== key || v.repeated === 0) continue;
      if (!best || v.repeated > best.repeated || (v.repeated === best.repeated && stage < best.stage))
        best = { stage, ...v };
    }
    if (!best) return null;
    const all = byStage.get(best.stage) ?? { cases: 0, repeated: 0 };
    const otherCases = all.cases - best.cases;
    return {
      ...stageName(names, best.stage),
      rate: best.cases > 0 ? best.repeated / best.cases : 0,
      other_rate: otherCases > 0 ? (all.repeated - best.repeated) / otherCases : null,
    };
  };
  const rows = r.rows
    .map((row: FunnelRow, i) => ({ row, g: list[i][1] }))
    .filter(({ row, g }) => visible(f, level, row.key, g.district))
    .map(({ row, g }) => {
      const label =
        level === 'office'
          ? { label: labels.office(row.key).name, label_en: labels.office(row.key).name }
          : { label: labels.district(row.key).fa, label_en: labels.district(row.key).en };
      return {
        key: row.key,
        ...label,
        district: g.district,
        n: row.n,
        count: g.rework,
        value: row.y,
        z: row.z,
        p: row.p,
        q: row.q,
        lo95: row.lo95,
        hi95: row.hi95,
        lo998: row.lo998,
        hi998: row.hi998,
        flag: row.flag,
        tested: row.tested,
        top_stage: topStage(row.key),
      };
    });
  const ns = r.rows.filter((x) => x.n > 0).map((x) => x.n);
  const curve =
    ns.length === 0 || target <= 0 || target >= 1
      ? []
      : funnelCurve({
          kind: 'proportion',
          target,
          phi: r.phi,
          nMin: Math.min(...ns),
          nMax: Math.max(...ns),
          count: 60,
        });
  return { by: level, target, phi: r.phi, rows, curve };
}

export async function variantReport(
  db: Db,
  f: Filters,
  limit: number,
  minN: number,
  labels: Labels,
): Promise<VariantsBody> {
  const population = cityWide(f);
  const s = stepsCte(f);
  const [names, top, counts, repeats, stageRows] = await Promise.all([
    loadStageLabels(db),
    topVariants(db, f, limit),
    reworkCounts(db, population),
    stageRepeats(db, population),
    db.all<Record<string, unknown>>(
      `WITH ${s.sql}
       SELECT stage, count(*) FILTER (WHERE visit = 1)::INTEGER AS cases,
         count(*) FILTER (WHERE visit = 2)::INTEGER AS repeated, avg(step_no)::DOUBLE AS pos
       FROM steps_s GROUP BY stage ORDER BY pos, stage`,
      s.params,
    ),
  ]);
  const offices = reworkFunnel(f, 'office', counts, repeats, minN, names, labels);
  const districts = reworkFunnel(f, 'district', counts, repeats, minN, names, labels);
  return {
    service: f.service ?? null,
    n_cases: top.n,
    n_variants: top.variants,
    variants: top.rows.map((v) => {
      const stages = (v.variant ?? []).map(String);
      const named = stages.map((st) => stageName(names, st));
      return {
        stages,
        stage_names: named.map((x) => x.stage_name),
        stage_names_en: named.map((x) => x.stage_name_en),
        count: Number(v.n),
        share: top.n > 0 ? Number(v.n) / top.n : 0,
        median_throughput_days: num(v.med),
      };
    }),
    rework: {
      min_n: minN,
      target: districts.target,
      scope: 'city',
      stages: stageRows.map((r) => {
        const cases = Number(r.cases);
        const repeated = Number(r.repeated);
        return {
          ...stageName(names, String(r.stage)),
          cases,
          repeated,
          rate: cases > 0 ? repeated / cases : null,
        };
      }),
      offices,
      districts,
    },
  };
}
