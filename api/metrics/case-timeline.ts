/**
 * One case's timeline (issue 11): the case as in the case list, and its steps in DESIGN 11's order
 * with their start, completion, waiting, processing and step time, actor and visit number, its days by
 * actor (DESIGN 13) and its throughput. No personal data: the store holds none, and the event's
 * `resource` (a desk or person code) is not returned. Outside the user's districts reads exactly like
 * an unknown id (404).
 *
 * Served by GET /api/cases/:id (api/routes/case-timeline.ts); shown by web/components/CaseTimeline.tsx,
 * opened from the case list.
 */
import { z } from '@hono/zod-openapi';
import type { RequestContext } from '../context.ts';
import { notFound, quoteValue } from '../errors.ts';
import { FilterQuery, inScope } from '../filters.ts';
import { isoFromEpoch, isoSql, num } from '../lib/sql.ts';
import { MAX_PARAM_LENGTH } from '../params.ts';
import {
  ACTORS,
  type Actor,
  ActorSchema,
  actorOf,
  eventRowsSql,
  loadStageNames,
  StageNameFields,
  stepRowsSql,
} from './stage-facts.ts';

/** The common filters are checked as everywhere (a district outside the user's scope is a 404). */
export const CaseTimelineQuery = FilterQuery;
export const CaseTimelineParams = z.object({
  id: z.string().min(1).max(MAX_PARAM_LENGTH).openapi({ description: 'Case id' }),
});

const nullableNumber = z.number().nullable();

export const CaseTimelineSchema = z.object({
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
export type CaseTimelineAnswer = z.output<typeof CaseTimelineSchema>;

export async function caseTimeline(ctx: RequestContext, id: string): Promise<CaseTimelineAnswer> {
  const { db, labels } = ctx;
  const c = await db.one<Record<string, unknown>>(
    `SELECT case_id, office_id, district, service_code, category, ${isoSql('submitted_at')} AS submitted_at,
       ${isoSql('closed_at')} AS closed_at, status, channel, dur, age, breached, sub_s
     FROM case_facts WHERE case_id = $id`,
    { id },
  );
  if (!c || !inScope(ctx.f, Number(c.district))) throw notFound(`No case with id ${quoteValue(id)}`);
  // DESIGN 11's steps computed from this case's events (the same SQL the fact tables run on all of them)
  const [names, steps, ends] = await Promise.all([
    loadStageNames(ctx),
    db.all<Record<string, unknown>>(
      `WITH ev AS (${eventRowsSql('e.case_id = $id')}) ${stepRowsSql('ev')} ORDER BY step_no`,
      { id },
    ),
    db.one<{ first_t: number | null; last_t: number | null }>(
      'SELECT min(epoch("at")) AS first_t, max(epoch("at")) AS last_t FROM events WHERE case_id = $id',
      { id },
    ),
  ]);
  const byActor = {} as Record<Actor, number>;
  for (const a of ACTORS) byActor[a] = 0;
  for (const s of steps) byActor[actorOf(s.actor)] += Number(s.step_days);
  const first = num(ends?.first_t);
  const last = num(ends?.last_t);
  const sub = Number(c.sub_s);
  const office = labels.office(String(c.office_id));
  const district = labels.district(Number(c.district));
  const service = labels.service(String(c.service_code));
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
    steps: steps.map((s) => ({
      step_no: Number(s.step_no),
      ...names.name(Number(s.sid)),
      actor: actorOf(s.actor),
      visit: Number(s.visit),
      started_at: isoFromEpoch(num(s.start_s)),
      completed_at: isoFromEpoch(Number(s.at_s)) as string,
      waiting_days: num(s.waiting_days),
      processing_days: num(s.processing_days),
      step_days: Number(s.step_days),
    })),
    days_by_actor: byActor,
    throughput_days: first === null || last === null ? null : (last - Math.min(first, sub)) / 86400,
    rework: steps.some((s) => Number(s.visit) > 1),
  };
}
