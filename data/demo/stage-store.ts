/**
 * Stages the demo city's events like store.ts stages cases: small integers through data chunks into an
 * attached in-memory database, then one INSERT … SELECT writes the contract's strings and instants.
 * `seq` is the generation order, which is also each case's time order (the export order of DESIGN 11):
 * case index × 32 + the event's number in its case, so one integer carries both the case and the order.
 * The stage's code carries the lifecycle in its 7th bit. Three columns instead of five: the demo writes
 * tens of millions of events and each value costs a call.
 */
import { type DuckDBConnection, INTEGER, listValue, TINYINT } from '@duckdb/node-api';
import { DEMO_STAGES, type EventRow, type EventSink } from './stages.ts';
import { ChunkWriter } from './store.ts';

const STAGE = 'demo_events';
/** Events per case stay below this (the longest route with its loop and starts has 20). */
const MAX_PER_CASE = 32;
const START_BIT = 64;

export class EventStagingSink implements EventSink {
  private n = 0;

  private constructor(
    private readonly c: DuckDBConnection,
    private readonly events: ChunkWriter,
  ) {}

  static async open(c: DuckDBConnection): Promise<EventStagingSink> {
    await c.run(`ATTACH ':memory:' AS ${STAGE}`);
    await c.run(`CREATE TABLE ${STAGE}.events (ck INTEGER, st TINYINT, t INTEGER)`);
    const writer = new ChunkWriter(await c.createAppender('events', 'main', STAGE), [
      INTEGER,
      TINYINT,
      INTEGER,
    ]);
    return new EventStagingSink(c, writer);
  }

  onEvent(r: EventRow): void {
    const w = this.events;
    w.set(0, r.caseIndex * MAX_PER_CASE + r.k);
    w.set(1, r.start ? r.stage | START_BIT : r.stage);
    w.set(2, r.atSec);
    w.endRow();
    this.n++;
  }

  get count(): number {
    return this.n;
  }

  /** Writes the stages table and the staged events; drops the staging database. */
  async finish(): Promise<void> {
    this.events.close();
    const stages = await this.c.createAppender('stages');
    for (const [code, name, nameEn, actor] of DEMO_STAGES) {
      stages.appendVarchar(code);
      stages.appendVarchar(name);
      stages.appendVarchar(nameEn);
      stages.appendVarchar(actor);
      stages.endRow();
    }
    stages.closeSync();
    await this.c.run(
      `INSERT INTO events (case_id, stage, "at", lifecycle, seq)
       SELECT 'C' || lpad(CAST(ck // ${MAX_PER_CASE} + 1 AS VARCHAR), 8, '0'), $stages[(st & ${START_BIT - 1}) + 1],
              to_timestamp(t), CASE WHEN st & ${START_BIT} <> 0 THEN 'start' ELSE 'complete' END, ck
       FROM ${STAGE}.events`,
      { stages: listValue(DEMO_STAGES.map((s) => s[0])) },
    );
    await this.c.run(`DETACH ${STAGE}`);
  }
}
