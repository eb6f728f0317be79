/**
 * Writes the generated rows into DuckDB fast: rows go as small integers into staging tables of an
 * attached in-memory database through data chunks (typed arrays, no per-value objects), and one
 * INSERT … SELECT per table turns them into the contract's strings and instants in parallel.
 */
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  INTEGER,
  listValue,
  SMALLINT,
  TINYINT,
} from '@duckdb/node-api';
import {
  type CaseRow,
  CHANNEL_CODES,
  COMPLAINT_CATEGORY_CODES,
  COMPLAINT_SOURCE_CODES,
  type ComplaintRow,
  type Sink,
  STATUS_CODES,
} from './cases.ts';

const CHUNK_ROWS = 2048;

interface NumberVector {
  setItem(index: number, value: number | null): void;
  flush(): void;
}

/** Fills one data chunk at a time and appends it when full. */
export class ChunkWriter {
  private readonly chunk: DuckDBDataChunk;
  private readonly vectors: NumberVector[];
  private rows = 0;

  constructor(
    private readonly appender: DuckDBAppender,
    types: readonly DuckDBType[],
  ) {
    this.chunk = DuckDBDataChunk.create(types, CHUNK_ROWS);
    this.vectors = types.map((_, i) => this.chunk.getColumnVector(i) as unknown as NumberVector);
  }

  /** Sets column `col` of the current row; a negative value means NULL. */
  set(col: number, value: number): void {
    this.vectors[col].setItem(this.rows, value < 0 ? null : value);
  }

  endRow(): void {
    this.rows++;
    if (this.rows === CHUNK_ROWS) this.flush();
  }

  flush(): void {
    if (this.rows === 0) return;
    for (const v of this.vectors) v.flush();
    this.chunk.rowCount = this.rows;
    this.appender.appendDataChunk(this.chunk);
    this.rows = 0;
  }

  close(): void {
    this.flush();
    this.appender.flushSync();
    this.appender.closeSync();
  }
}

const STAGE = 'demo_stage';

/** A sink that stages rows; `finish` moves them into `cases` and `complaints`. */
export class StagingSink implements Sink {
  private constructor(
    private readonly c: DuckDBConnection,
    private readonly cases: ChunkWriter,
    private readonly complaints: ChunkWriter,
  ) {}

  static async open(c: DuckDBConnection): Promise<StagingSink> {
    await c.run(`ATTACH ':memory:' AS ${STAGE}`);
    await c.run(
      `CREATE TABLE ${STAGE}.cases (i INTEGER, o SMALLINT, s SMALLINT, sub INTEGER, clo INTEGER, st TINYINT, ch TINYINT)`,
    );
    await c.run(
      `CREATE TABLE ${STAGE}.complaints (i INTEGER, o SMALLINT, c INTEGER, rec INTEGER, cat TINYINT, src TINYINT, res INTEGER, sb TINYINT)`,
    );
    const cases = new ChunkWriter(await c.createAppender('cases', 'main', STAGE), [
      INTEGER,
      SMALLINT,
      SMALLINT,
      INTEGER,
      INTEGER,
      TINYINT,
      TINYINT,
    ]);
    const complaints = new ChunkWriter(await c.createAppender('complaints', 'main', STAGE), [
      INTEGER,
      SMALLINT,
      INTEGER,
      INTEGER,
      TINYINT,
      TINYINT,
      INTEGER,
      TINYINT,
    ]);
    return new StagingSink(c, cases, complaints);
  }

  onCase(r: CaseRow): void {
    const w = this.cases;
    w.set(0, r.index);
    w.set(1, r.office);
    w.set(2, r.service);
    w.set(3, r.submittedSec);
    w.set(4, r.closedSec);
    w.set(5, r.status);
    w.set(6, r.channel);
    w.endRow();
  }

  onComplaint(r: ComplaintRow): void {
    const w = this.complaints;
    w.set(0, r.index);
    w.set(1, r.office);
    w.set(2, r.caseIndex);
    w.set(3, r.receivedSec);
    w.set(4, r.category);
    w.set(5, r.source);
    w.set(6, r.resolvedSec);
    w.set(7, r.substantiated);
    w.endRow();
  }

  /** Converts the staged rows (in generation order) and drops the staging database. */
  async finish(officeIds: readonly string[], serviceCodes: readonly string[]): Promise<void> {
    this.cases.close();
    this.complaints.close();
    const lists = {
      offices: listValue([...officeIds]),
      services: listValue([...serviceCodes]),
      statuses: listValue([...STATUS_CODES]),
      channels: listValue([...CHANNEL_CODES]),
      categories: listValue([...COMPLAINT_CATEGORY_CODES]),
      sources: listValue([...COMPLAINT_SOURCE_CODES]),
    };
    await this.c.run(
      `INSERT INTO cases (case_id, office_id, service_code, submitted_at, closed_at, status, channel)
       SELECT ${caseId('i')}, $offices[o + 1], $services[s + 1], to_timestamp(sub), to_timestamp(clo),
              $statuses[st + 1], $channels[ch + 1]
       FROM ${STAGE}.cases`,
      {
        offices: lists.offices,
        services: lists.services,
        statuses: lists.statuses,
        channels: lists.channels,
      },
    );
    await this.c.run(
      `INSERT INTO complaints (complaint_id, office_id, case_id, received_at, category, source, resolved_at, substantiated)
       SELECT 'CP' || lpad(CAST(i + 1 AS VARCHAR), 7, '0'), $offices[o + 1], ${caseId('c')}, to_timestamp(rec),
              $categories[cat + 1], $sources[src + 1], to_timestamp(res), sb = 1
       FROM ${STAGE}.complaints`,
      { offices: lists.offices, categories: lists.categories, sources: lists.sources },
    );
    await this.c.run(`DETACH ${STAGE}`);
  }
}

/** Case ids: 'C' and eight digits, in generation (roughly chronological) order. */
function caseId(column: string): string {
  return `'C' || lpad(CAST(${column} + 1 AS VARCHAR), 8, '0')`;
}
