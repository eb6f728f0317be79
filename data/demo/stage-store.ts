/**
 * Stages the demo city's events like store.ts stages cases: small integers through data chunks into an
 * attached in-memory database, then one INSERT … SELECT writes the contract's strings and instants.
 * `seq` is the generation order, which is also each case's time order (the export order of DESIGN 11).
 */
import { type DuckDBConnection, INTEGER, listValue, TINYINT } from '@duckdb/node-api';
import { DEMO_STAGES, type EventRow, type EventSink } from './stages.ts';
import { ChunkWriter } from './store.ts';

const STAGE = 'demo_events';

export class EventStagingSink implements EventSink {
  private seq = 0;

  private constructor(
    private readonly c: DuckDBConnection,
    private readonly events: ChunkWriter,
  ) {}

  static async open(c: DuckDBConnection): Promise<EventStagingSink> {
    await c.run(`ATTACH ':memory:' AS ${STAGE}`);
    await c.run(`CREATE TABLE ${STAGE}.events (seq INTEGER, i INTEGER, st TINYINT, t INTEGER, lc TINYINT)`);
    const writer = new ChunkWriter(await c.createAppender('events', 'main', STAGE), [
      INTEGER,
      INTEGER,
      TINYINT,
      INTEGER,
      TINYINT,
    ]);
    return new EventStagingSink(c, writer);
  }

  onEvent(r: EventRow): void {
    const w = this.events;
    w.set(0, ++this.seq);
    w.set(1, r.caseIndex);
    w.set(2, r.stage);
    w.set(3, r.atSec);
    w.set(4, r.start ? 1 : 0);
    w.endRow();
  }

  get count(): number {
    return this.seq;
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
       SELECT 'C' || lpad(CAST(i + 1 AS VARCHAR), 8, '0'), $stages[st + 1], to_timestamp(t),
              CASE WHEN lc = 1 THEN 'start' ELSE 'complete' END, seq
       FROM ${STAGE}.events`,
      { stages: listValue(DEMO_STAGES.map((s) => s[0])) },
    );
    await this.c.run(`DETACH ${STAGE}`);
  }
}
