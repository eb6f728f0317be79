/**
 * Event logs for the stage tests: a fixture app (fixture.ts) plus `stages` and `events` rows. Events are
 * inserted in the order listed, and that order is their `seq` (the export's order), so a test can put
 * two events at the same instant in a chosen order.
 */
import type { Db } from '../../api/db.ts';
import { type FixtureDef, makeApp } from './fixture.ts';

export interface StageDef {
  stage: string;
  name?: string;
  name_en?: string | null;
  actor?: string | null;
}

export interface EventDef {
  case_id: string;
  stage: string;
  at: string;
  lifecycle?: 'start' | 'complete';
  actor?: string | null;
  stage_name?: string | null;
}

export async function insertEvents(db: Db, stages: StageDef[], events: EventDef[]): Promise<void> {
  await db.transaction(async (c) => {
    for (const s of stages) {
      await c.run('INSERT INTO stages VALUES ($stage, $name, $name_en, $actor)', {
        stage: s.stage,
        name: s.name ?? `مرحله ${s.stage}`,
        name_en: s.name_en === undefined ? `Stage ${s.stage}` : s.name_en,
        actor: s.actor ?? null,
      });
    }
    let seq = 0;
    for (const e of events) {
      seq++;
      await c.run(
        `INSERT INTO events (case_id, stage, "at", lifecycle, actor, resource, stage_name, seq)
         VALUES ($case_id, $stage, $at::TIMESTAMPTZ, $lifecycle, $actor, $resource, $stage_name, $seq)`,
        {
          case_id: e.case_id,
          stage: e.stage,
          at: e.at,
          lifecycle: e.lifecycle ?? 'complete',
          actor: e.actor ?? null,
          // A desk code the API must never return.
          resource: `DESK-${seq}`,
          stage_name: e.stage_name ?? null,
          seq,
        },
      );
    }
  });
}

export async function makeStageApp(def: FixtureDef & { stages: StageDef[]; events: EventDef[] }) {
  const app = await makeApp(def);
  await insertEvents(app.db, def.stages, def.events);
  return app;
}
