/**
 * Generates the deterministic synthetic Tehran ("demo city") into a DuckDB file, with a written
 * ground truth of its planted anomalies next to it. The database is built in a temporary file and
 * renamed into place only when complete, so a crash never leaves half a database and never destroys
 * an existing one.
 */

import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ensureDemoUsers } from '../../api/auth/demo-users.ts';
import { DataCache } from '../../api/cache.ts';
import { Db } from '../../api/db.ts';
import { TEHRAN_DISTRICTS_SQL } from '../../api/lib/districts.ts';
import {
  districtPopulations,
  monopolyAnomaly,
  type OperatorPlan,
  POPULATION_SOURCE,
  POPULATION_YEAR,
  planOperators,
} from './access.ts';
import { type Anomaly, type ExpectedFlag, planAnomalies } from './anomalies.ts';
import { asOfMs, buildCalendar } from './calendar.ts';
import { generateCases } from './cases.ts';
import { SERVICES } from './catalogue.ts';
import { buildOffices, type DemoOffice } from './offices.ts';
import { Rng } from './random.ts';
import { EventStagingSink } from './stage-store.ts';
import { planStages, StageGenerator, type StageTruth } from './stages.ts';
import { StagingSink } from './store.ts';

export type DemoSize = 'small' | 'full' | 'xl';

/**
 * Expected case counts; the realised counts differ by Poisson noise. `xl` is a city's full history at
 * 10 million cases, for the benchmarks at that scale (issue 10).
 */
export const TARGET_CASES: Record<DemoSize, number> = { small: 70_000, full: 5_400_000, xl: 10_000_000 };

export interface GroundTruth {
  seed: number;
  size: DemoSize;
  /** ISO 8601 UTC instant. */
  as_of: string;
  counts: { cases: number; complaints: number; offices: number; services: number; events: number };
  anomalies: Anomaly[];
  expected_flags: ExpectedFlag[];
  /** Where the planted days sit in the cases' stages, and the planted extra step and rework (issue 11). */
  stage_truth: StageTruth[];
}

export interface GenerateOptions {
  dbPath: string;
  size: DemoSize;
  seed?: number;
  /** Cases generated so far and the expected total (the last call has done === total). */
  onProgress?: (done: number, total: number) => void;
  /** Names each step after generation (conversion, checkpoint), which can take a while at full size. */
  onPhase?: (phase: string) => void;
}

/** Random streams of one seed: separate so that both sizes share offices and anomalies. */
const STREAM = { offices: 1, anomalies: 2, cases: 3, operators: 4, stages: 5, stagePlan: 6 } as const;

export function groundTruthPath(dbPath: string): string {
  return `${dbPath}.ground-truth.json`;
}

function checkOptions(opts: GenerateOptions): number {
  const seed = opts.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`seed must be an integer from 0 to 4294967295, got ${opts.seed}`);
  }
  if (!Object.hasOwn(TARGET_CASES, opts.size)) {
    throw new Error(`size must be 'small', 'full' or 'xl', got '${String(opts.size)}'`);
  }
  if (!opts.dbPath || opts.dbPath === ':memory:') throw new Error('dbPath must be a file path');
  return seed;
}

function removeDbFiles(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}

export async function generateDemo(opts: GenerateOptions): Promise<GroundTruth> {
  const seed = checkOptions(opts);
  const tmpPath = `${opts.dbPath}.tmp-${process.pid}`;
  await mkdir(dirname(opts.dbPath), { recursive: true });
  removeDbFiles(tmpPath);

  const startedAt = new Date();
  const days = buildCalendar();
  const asOf = asOfMs();
  const firstDayMs = Date.UTC(2021, 2, 21);
  const offices = buildOffices(new Rng(seed, STREAM.offices), firstDayMs, days.length);
  const plan = planAnomalies(new Rng(seed, STREAM.anomalies), offices);
  // Its own stream: operators change no case, so the cases and the other anomalies stay as they were.
  const operators = planOperators(new Rng(seed, STREAM.operators), offices);
  const stagePlan = planStages(new Rng(seed, STREAM.stagePlan), plan.anomalies, offices);
  const target = TARGET_CASES[opts.size];

  let counts: GroundTruth['counts'];
  let db: Db | undefined;
  try {
    db = await Db.open(tmpPath);
    counts = await db.with(async (c) => {
      await writeReferenceTables(c, offices, operators, asOf);
      const caseSink = await StagingSink.open(c);
      const eventSink = await EventStagingSink.open(c);
      const stages = new StageGenerator(
        new Rng(seed, STREAM.stages),
        stagePlan,
        offices,
        SERVICES,
        asOf / 1000,
        eventSink,
      );
      const sink = {
        onCase: (r: Parameters<StagingSink['onCase']>[0]) => {
          caseSink.onCase(r);
          stages.onCase(r);
        },
        onComplaint: (r: Parameters<StagingSink['onComplaint']>[0]) => caseSink.onComplaint(r),
      };
      let lastReport = -1;
      const generated = generateCases(
        {
          days,
          asOfSec: asOf / 1000,
          offices,
          services: SERVICES,
          effects: plan.effects,
          targetCases: target,
        },
        new Rng(seed, STREAM.cases),
        sink,
        (_day, done) => {
          // About 200 progress calls whatever the size.
          const step = Math.floor((done / target) * 200);
          if (step !== lastReport) {
            lastReport = step;
            opts.onProgress?.(Math.min(done, target), target);
          }
        },
      );
      opts.onProgress?.(generated.cases, generated.cases);
      opts.onPhase?.('converting staged rows');
      await caseSink.finish(
        offices.map((o) => o.office_id),
        SERVICES.map((s) => s.service_code),
      );
      opts.onPhase?.('converting staged events');
      await eventSink.finish();
      const out = {
        cases: generated.cases,
        events: eventSink.count,
        complaints: generated.complaints,
        offices: offices.length,
        services: SERVICES.length,
      };
      await writeImportLog(c, out, opts.size, seed, startedAt, asOf);
      opts.onPhase?.('checkpoint');
      await c.run('CHECKPOINT');
      return out;
    });
    // One sign-in per role, with the passwords printed in the README: a demo database only.
    await ensureDemoUsers(db);
    // The dashboard's pre-computed facts, so that the first server start answers at once.
    opts.onPhase?.('facts');
    await new DataCache(db).signature();
    await db.run('CHECKPOINT');
  } catch (err) {
    db?.close();
    removeDbFiles(tmpPath);
    throw err;
  }
  db.close();

  // A stale WAL beside the target would be replayed onto the new file: remove it first.
  rmSync(`${opts.dbPath}.wal`, { force: true });
  renameSync(tmpPath, opts.dbPath);
  if (existsSync(`${tmpPath}.wal`)) rmSync(`${tmpPath}.wal`);

  const truth: GroundTruth = {
    seed,
    size: opts.size,
    as_of: new Date(asOf).toISOString().replace('.000Z', 'Z'),
    counts,
    anomalies: [...plan.anomalies, monopolyAnomaly(`A${plan.anomalies.length + 1}`, operators.monopoly)],
    expected_flags: plan.expected_flags,
    stage_truth: stagePlan.truth,
  };
  const truthPath = groundTruthPath(opts.dbPath);
  writeFileSync(`${truthPath}.tmp-${process.pid}`, `${JSON.stringify(truth, null, 2)}\n`);
  renameSync(`${truthPath}.tmp-${process.pid}`, truthPath);
  return truth;
}

async function writeReferenceTables(
  c: DuckDBConnection,
  offices: readonly DemoOffice[],
  operators: OperatorPlan,
  asOf: number,
) {
  const asOfIso = new Date(asOf).toISOString();
  await c.run(TEHRAN_DISTRICTS_SQL);
  const populations = districtPopulations();
  for (let d = 1; d <= populations.length; d++) {
    await c.run(
      'UPDATE districts SET population = $population, population_year = $year, source = $source WHERE district = $d',
      { population: populations[d - 1], year: POPULATION_YEAR, source: POPULATION_SOURCE, d },
    );
  }
  await c.run(
    `INSERT INTO dataset (id, city, as_of, updated_at) VALUES (1, 'tehran', $as_of::TIMESTAMPTZ, $as_of::TIMESTAMPTZ)`,
    { as_of: asOfIso },
  );
  const services = await c.createAppender('services');
  for (const s of SERVICES) {
    services.appendVarchar(s.service_code);
    services.appendVarchar(s.name);
    services.appendVarchar(s.name_en);
    services.appendVarchar(s.category);
    services.appendInteger(s.sla_days);
    services.endRow();
  }
  services.closeSync();
  const officeRows = await c.createAppender('offices');
  for (const o of offices) {
    officeRows.appendVarchar(o.office_id);
    officeRows.appendVarchar(o.name);
    officeRows.appendInteger(o.district);
    officeRows.appendVarchar(o.opened_on);
    officeRows.appendVarchar(o.status);
    officeRows.appendVarchar(operators.operatorOf.get(o.office_id) as string);
    officeRows.endRow();
  }
  officeRows.closeSync();
}

/** The import log row shows on the dashboard's Data page where the data came from. Its times are real. */
async function writeImportLog(
  c: DuckDBConnection,
  counts: GroundTruth['counts'],
  size: DemoSize,
  seed: number,
  startedAt: Date,
  asOf: number,
) {
  const rows = counts.cases + counts.complaints + counts.offices + counts.services + counts.events;
  let username = 'demo';
  try {
    username = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep the generic name.
  }
  await c.run(
    `INSERT INTO import_log (import_id, started_at, finished_at, username, source, files, mode, status, message,
                             rows_read, rows_inserted, rows_updated, rows_unchanged, rows_rejected, as_of)
     VALUES (nextval('import_seq'), $started::TIMESTAMPTZ, $finished::TIMESTAMPTZ, $username, 'demo', '[]', 'demo', 'ok',
             $message, $rows, $rows, 0, 0, 0, $as_of::TIMESTAMPTZ)`,
    {
      started: startedAt.toISOString(),
      finished: new Date().toISOString(),
      username,
      message: `synthetic Tehran (demo city), size ${size}, seed ${seed}: ${counts.cases} cases, ${counts.complaints} complaints, ${counts.events} events, ${counts.offices} offices, ${counts.services} services`,
      rows,
      as_of: new Date(asOf).toISOString(),
    },
  );
}
