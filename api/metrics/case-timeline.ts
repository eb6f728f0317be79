/**
 * One case's timeline (issue 11): the case as in the case list, and its steps in DESIGN 11's order
 * with their start, completion, waiting, processing and step time, actor and visit number, its days by
 * actor (DESIGN 13) and its throughput. No personal data: the store holds none, and the event's
 * `resource` (a desk or person code) is not returned. Outside the user's districts reads exactly like
 * an unknown id (404).
 */
import { z } from '@hono/zod-openapi';
import type { Db } from '../db.ts';
import { notFound, quoteValue } from '../errors.ts';
import { type Filters, inScope } from '../filters.ts';
import { isoFromEpoch, isoSql, num } from './base.ts';
import type { Labels } from './labels.ts';
import { ACTORS, type Actor, ActorSchema, loadStageLabels } from './stage-facts.ts';
import { StageNameFields, stageName } from './stages.ts';

const nullableNumber = z.number().nullable();

export const TimelineSchema = z.object({
  case: z.object({
    case_id: z.string(),
    office_id: z.string(),
    office_name: z.string(),
    district: z.number(),
    district_label: z.string(),
    district_label_en: z.string(),
    service_code: z.string(),
    service_name: z.string(),
    service_name_en: z.string().nullable(),
    category: z.string().nullable(),
    submitted_at: z.string(),
    closed_at: z.string().nullable(),
    status: z.string(),
    channel: z.string().nullable(),
    duration_days: nullableNumber,
    age_days: nullableNumber,
    breached: z.boolean().nullable(),
  }),
  steps: z.array(
    z.object({
      step_no: z.number(),
      ...StageNameFields,
      actor: ActorSchema,
      visit: z.number(),
      started_at: z.string().nullable(),
      completed_at: z.string(),
      waiting_days: nullableNumber,
      processing_days: nullableNumber,
      step_days: z.number(),
    }),
  ),
  days_by_actor: z.object({
    office: z.number(),
    municipality: z.number(),
    citizen: z.number(),
    other: z.number(),
  }),
  throughput_days: nullableNumber,
  rework: z.boolean(),
});
export type TimelineBody = z.infer<typeof TimelineSchema>;

export async function caseTimeline(db: Db, id: string, f: Filters, labels: Labels): Promise<TimelineBody> {
  const c = await db.one<Record<string, unknown>>(
    `SELECT case_id, office_id, district, service_code, category, ${isoSql('submitted_at')} AS submitted_at,
       ${isoSql('closed_at')} AS closed_at, status, channel, dur, age, breached, sub_s
     FROM case_facts WHERE case_id = $id`,
    { id },
  );
  if (!c || !inScope(f, Number(c.district))) throw notFound(`No case with id ${quoteValue(id)}`);
  // The dimension columns first: step_facts is stored in (service, district, time) order, so these
  // let DuckDB skip to the case's row group instead of scanning every step.
  const where = 'service_code = $service AND district = $district AND sub_s = $sub AND case_id = $id';
  const params = { id, service: String(c.service_code), district: Number(c.district), sub: Number(c.sub_s) };
  const [names, steps, cs] = await Promise.all([
    loadStageLabels(db),
    db.all<Record<string, unknown>>(
      `SELECT step_no, stage, actor, visit, at_s, start_s, waiting_days, processing_days, step_days
       FROM step_facts WHERE ${where} ORDER BY step_no`,
      params,
    ),
    db.one<Record<string, unknown>>(
      `SELECT throughput_days, rework, office_days, municipality_days, citizen_days, other_days
       FROM case_step_facts WHERE ${where}`,
      params,
    ),
  ]);
  const office = labels.office(String(c.office_id));
  const district = labels.district(Number(c.district));
  const service = labels.service(String(c.service_code));
  const byActor = {} as Record<Actor, number>;
  for (const a of ACTORS) byActor[a] = Number(cs?.[`${a}_days`] ?? 0);
  return {
    case: {
      case_id: String(c.case_id),
      office_id: String(c.office_id),
      office_name: office.name,
      district: Number(c.district),
      district_label: district.fa,
      district_label_en: district.en,
      service_code: String(c.service_code),
      service_name: service.name,
      service_name_en: service.name_en,
      category: (c.category as string | null) ?? null,
      submitted_at: String(c.submitted_at),
      closed_at: (c.closed_at as string | null) ?? null,
      status: String(c.status),
      channel: (c.channel as string | null) ?? null,
      duration_days: num(c.dur),
      age_days: num(c.age),
      breached: (c.breached as boolean | null) ?? null,
    },
    steps: steps.map((s) => {
      const start = num(s.start_s);
      return {
        step_no: Number(s.step_no),
        ...stageName(names, String(s.stage)),
        actor: ActorSchema.catch('other').parse(s.actor),
        visit: Number(s.visit),
        started_at: isoFromEpoch(start),
        completed_at: isoFromEpoch(Number(s.at_s)) as string,
        waiting_days: num(s.waiting_days),
        processing_days: num(s.processing_days),
        step_days: Number(s.step_days),
      };
    }),
    days_by_actor: byActor,
    throughput_days: num(cs?.throughput_days),
    rework: Boolean(cs?.rework ?? false),
  };
}
