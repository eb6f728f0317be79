/**
 * `importFiles`: the one import pipeline (CLI, dashboard upload). Each file is read into DuckDB as text (raw.ts),
 * checked by its kind's row rules as one SQL pass (rules.ts) into staging tables, then the set-based rules and
 * the merge run in ONE transaction (merge.ts); after the commit the dashboard's facts are rebuilt.
 * A file that is not a table of the contract's shape fails the import, the database keeps its previous state, and
 * the failure is logged in import_log by a separate statement after the rollback.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { type DuckDBConnection, quotedString } from '@duckdb/node-api';
import { DataCache } from '../cache.ts';
import { Db } from '../db.ts';
import { parseTimestamp } from '../lib/dates.ts';
import { TEHRAN_DISTRICTS_SQL } from '../lib/districts.ts';
import { normalizeText } from '../lib/text.ts';
import { CASE_STATUSES } from '../lib/vocab.ts';
import type { Kind } from './contract.ts';
import { looksFlat, resolveHeader } from './header.ts';
import { isTehran, type Mapping, wordKey, wordMap, xesPlan } from './mapping.ts';
import {
  checkReferences,
  deriveFlat,
  dropWorkTables,
  type FileCounts,
  mergeKind,
  prepareReady,
} from './merge.ts';
import { mergeEvents } from './merge-events.ts';
import { pausePoint } from './pause.ts';
import { type PlannedFile, planFiles, UsageError } from './plan.ts';
import { loadRaw, type RawFile } from './raw.ts';
import { emptyFileReport, type FileReport, type ImportReport, reasonLabel } from './report.ts';
import { type Classified, type RuleContext, ruleContext, validationSql } from './rules.ts';
import { FileShapeError } from './sources.ts';
import { installDateSql } from './sql-dates.ts';
import { installTextSql } from './sql-text.ts';
import { createStageTables, dropStageTables, STAGE_COLUMNS, stageTable } from './stage.ts';
import { loadXesPart, readXes, type XesRead } from './xes.ts';

export { loadMapping, type Mapping, MappingError, parseMapping } from './mapping.ts';
export { UsageError } from './plan.ts';
export { formatReport, type ImportReport } from './report.ts';

export interface ImportProgress {
  file: string;
  rows: number;
  fraction: number | null;
  elapsed_ms: number;
  rows_per_s: number;
  done: boolean;
}

export interface ImportOptions {
  /** The dataset's as-of time (any contract date form); default: the latest timestamp stored after the merge. */
  asOf?: string;
  mapping?: Mapping;
  /** Validate and report; the transaction is rolled back and nothing is logged. */
  dryRun?: boolean;
  source?: 'cli' | 'upload' | 'demo';
  username?: string;
  /** Called at most about twice a second while a file is read. */
  onProgress?: (p: ImportProgress) => void;
  /** A step after the files: 'facts' (the dashboard's pre-computed tables, built after the commit). */
  onStep?: (step: 'facts', done: boolean, elapsed_ms: number) => void;
}

/** A whole-import failure that is not one file's shape (e.g. mixing cities). */
class ImportFailure extends Error {}

const PROGRESS_MS = 500;
const ALL_KINDS_IN_ORDER: Kind[] = ['cases', 'complaints', 'offices', 'services', 'events', 'stages'];

function whoAmI(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}

async function rows<T>(c: DuckDBConnection, sql: string, params?: Record<string, string | number | null>) {
  return (await c.runAndReadAll(sql, params)).getRowObjectsJson() as T[];
}

/** A file no name explains: a flat export if it looks like one, else the first contract kind its header fits. */
function decideKind(plan: PlannedFile, header: string[], mapping: Mapping): Kind {
  if (looksFlat(header, mapping.files?.flat ?? mapping.files?.cases)) return 'flat';
  for (const kind of ALL_KINDS_IN_ORDER) {
    try {
      resolveHeader(plan.path, kind, header, mapping.files?.[kind]);
      return kind;
    } catch {
      // try the next kind
    }
  }
  throw new FileShapeError(
    plan.path,
    'cannot tell what this file holds: name it offices*, services*, cases*, complaints*, events* or stages*, or declare it in the mapping',
  );
}

interface StageJob {
  c: DuckDBConnection;
  plan: PlannedFile[];
  reports: FileReport[];
  ctx: RuleContext;
  mapping: Mapping;
  onProgress?: (p: ImportProgress) => void;
}

/** Classifies each distinct value of a lookup column in JavaScript (the mapping's words) into a small table. */
async function lookupTable(
  c: DuckDBConnection,
  cells: string,
  table: string,
  cell: string,
  sqlType: string,
  classify: (raw: string) => Classified,
): Promise<void> {
  await c.run(
    `CREATE OR REPLACE TEMP TABLE ${table} (raw VARCHAR, value ${sqlType}, reason VARCHAR, detail VARCHAR)`,
  );
  const app = await c.createAppender(table, 'main', 'temp');
  try {
    // prefixed: the conversion to a JavaScript string drops a leading BOM, which the cell keeps
    const result = await c.stream(`SELECT DISTINCT '|' || (${cell}) AS v FROM ${cells}`);
    while (true) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const [prefixed] of chunk.getRows()) {
        if (prefixed === null) continue;
        const v = (prefixed as string).slice(1);
        const r = classify(v);
        app.appendVarchar(v);
        if ('value' in r) {
          if (r.value === null) app.appendNull();
          else if (sqlType === 'INTEGER') app.appendInteger(r.value as number);
          else if (sqlType === 'BOOLEAN') app.appendBoolean(r.value as boolean);
          else app.appendVarchar(String(r.value));
          app.appendNull();
          app.appendNull();
        } else {
          app.appendNull();
          app.appendVarchar(r.reason);
          app.appendVarchar(r.detail);
        }
        app.endRow();
      }
    }
  } finally {
    app.closeSync();
  }
}

async function stageFiles(job: StageJob): Promise<void> {
  const { c, plan, reports, ctx, mapping } = job;
  // spill files of csv.ts/Excel rows; pid: see stale-staging.ts
  const dir = mkdtempSync(join(tmpdir(), `shafaf-import-${process.pid}-`));
  const casesLike = plan.filter(
    (p) => !p.xes && (p.kind === 'cases' || p.kind === 'flat' || p.kind === null),
  ).length;
  // an XES log is read once, for its two parts (issue 11)
  const logs = new Map<string, XesRead>();
  try {
    for (const [idx, pf] of plan.entries()) {
      const report = reports[idx];
      await c.run('INSERT INTO s_files VALUES ($i, $n)', { i: idx, n: report.file });
      const started = performance.now();
      let last = started;
      const progress = (rows: number, fraction: number | null, done: boolean) => {
        const now = performance.now();
        if (!job.onProgress || (!done && now - last < PROGRESS_MS)) return;
        last = now;
        const el = now - started;
        job.onProgress({
          file: report.file,
          rows,
          fraction,
          elapsed_ms: el,
          rows_per_s: el > 0 ? (rows * 1000) / el : 0,
          done,
        });
      };
      const reading = idx === 0 ? pausePoint('reading') : Promise.resolve();
      // reading is the first fifth of the work; DuckDB's read, the distinct values and the rules the rest
      const onRead = (n: number, f: number | null) => progress(n, f === null ? null : 0.2 * f, false);
      let raw: RawFile;
      let xesUnused: string[] | null = null;
      if (pf.xes) {
        let log = logs.get(pf.path);
        if (!log) {
          const statuses = wordMap(CASE_STATUSES, mapping.status_values);
          log = await readXes(pf.path, {
            plan: xesPlan(mapping),
            order: mapping.date_order,
            zone: ctx.zone,
            statusOf: (w) => statuses.get(w) ?? statuses.get(wordKey(w)),
            dir,
            onProgress: onRead,
          });
          logs.set(pf.path, log);
        }
        const part = log[pf.xes];
        raw = await loadXesPart(c, idx, part);
        xesUnused = part.unused;
        if (part.numbered) {
          // several elements on one line: rows are named by their number in the log
          report.file = `${report.file.replace(/\)$/, '')}, by number)`;
          await c.run('UPDATE s_files SET name = $n WHERE file_idx = $i', { n: report.file, i: idx });
        }
      } else {
        raw = await loadRaw(c, idx, pf.path, { dir, onProgress: onRead });
      }
      progress(raw.rows, 0.4, false);
      await reading;
      report.format = raw.format;
      let kind = pf.kind ?? decideKind(pf, raw.header, mapping);
      // issue 5: the only cases file, carrying office/service names, is a flat export unless the mapping says otherwise
      if (
        kind === 'cases' &&
        !pf.xes &&
        !mapping.mode &&
        casesLike === 1 &&
        looksFlat(raw.header, mapping.files?.cases)
      ) {
        kind = 'flat';
      }
      report.kind = kind;
      // an XES part's header is the contract's own names: the mapping's header renames are not for it
      const spec = pf.xes
        ? undefined
        : (mapping.files?.[kind] ?? (kind === 'flat' ? mapping.files?.cases : undefined));
      const header = resolveHeader(pf.path, kind, raw.header, spec);
      report.unknown_columns = xesUnused ?? header.unknown;
      report.rows_read = raw.rows;

      await c.run(
        `INSERT INTO s_rejects (file_idx, line, seq, column_name, raw_value, reason, detail)
         SELECT ${idx}, line, 0, NULL, NULL, 'malformed_row', 'row has ' || nf || ' fields; the header has ${raw.header.length}'
         FROM ${raw.table} WHERE malformed`,
      );
      const lk = (col: string) => `lk_${idx}_${col}`;
      const dk = (col: string) => `dk_${idx}_${col}`;
      const v = validationSql(kind, header.columns, raw.table, idx, ctx, lk, dk, raw.pos);
      for (const { sql } of v.dateKeys) await c.run(sql);
      progress(raw.rows, 0.5, false);
      for (const l of v.lookups) {
        await lookupTable(c, v.cells, lk(l.col), l.cell, l.sqlType, ctx.classify[l.lookup]);
      }
      const checked = `v_${idx}`;
      await c.run(v.create(checked));
      progress(raw.rows, 0.9, false);
      await c.run(`DROP TABLE ${raw.table}`);
      for (const l of v.lookups) await c.run(`DROP TABLE ${lk(l.col)}`);
      for (const { table } of v.dateKeys) await c.run(`DROP TABLE ${table}`);
      await c.run(v.rejects(checked));
      const cols = STAGE_COLUMNS[kind].map(([n]) => `"${n}"`).join(', ');
      await c.run(
        `INSERT INTO ${stageTable(kind)} (file_idx, line, ${cols}) SELECT ${idx}, line, ${cols} FROM ${checked} WHERE ok`,
      );
      await c.run(`DROP TABLE ${checked}`);
      progress(raw.rows, 1, true);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function summarise(c: DuckDBConnection, reports: FileReport[], counts: FileCounts[]): Promise<void> {
  for (const [idx, r] of reports.entries()) {
    for (const fc of counts) {
      const x = fc.get(idx);
      if (x) {
        r.inserted += x.insert;
        r.updated += x.update;
        r.unchanged += x.unchanged;
      }
    }
  }
  for (const row of await rows<{ file_idx: number; n: number }>(
    c,
    'SELECT file_idx, count(DISTINCT line)::INTEGER AS n FROM s_rejects GROUP BY file_idx',
  )) {
    reports[row.file_idx].rejected = row.n;
  }
  for (const row of await rows<{
    file_idx: number;
    reason: string;
    n: number;
    examples: { line: number; column: string | null; value: string | null; detail: string | null }[];
  }>(
    c,
    `SELECT file_idx, reason, count(*)::INTEGER AS n,
       list({'line': line, 'column': column_name, 'value': raw_value, 'detail': detail} ORDER BY line, seq)[1:3] AS examples
     FROM s_rejects GROUP BY ALL ORDER BY file_idx, n DESC, reason`,
  )) {
    reports[row.file_idx].reasons.push({
      reason: row.reason as FileReport['reasons'][number]['reason'],
      ...reasonLabel(row.reason),
      count: row.n,
      examples: row.examples,
    });
  }
  for (const row of await rows<{ file_idx: number; value: string; n: number }>(
    c,
    `SELECT file_idx, raw_value AS value, count(*)::INTEGER AS n FROM s_rejects
     WHERE reason = 'unknown_status' GROUP BY ALL ORDER BY file_idx, n DESC, value`,
  )) {
    reports[row.file_idx].unmapped_statuses.push({ value: row.value, count: row.n });
  }
  for (const r of reports) {
    r.duplicates = r.rows_read - r.rejected - r.inserted - r.updated - r.unchanged - r.ignored;
  }
}

function totalsOf(reports: FileReport[]): ImportReport['totals'] {
  const t = { rows_read: 0, inserted: 0, updated: 0, unchanged: 0, duplicates: 0, rejected: 0 };
  for (const r of reports) {
    t.rows_read += r.rows_read;
    t.inserted += r.inserted;
    t.updated += r.updated;
    t.unchanged += r.unchanged;
    t.duplicates += r.duplicates;
    t.rejected += r.rejected;
  }
  return t;
}

const AS_OF_SQL = `SELECT epoch_ms(max(t))::DOUBLE AS ms FROM (
  SELECT max(submitted_at) AS t FROM cases UNION ALL SELECT max(closed_at) FROM cases
  UNION ALL SELECT max(received_at) FROM complaints UNION ALL SELECT max(resolved_at) FROM complaints
  UNION ALL SELECT max("at") FROM events)`;

async function insertLog(
  c: DuckDBConnection,
  report: ImportReport,
  source: string,
  username: string | null,
  startedMs: number,
): Promise<number> {
  const [{ id }] = await rows<{ id: number }>(c, "SELECT nextval('import_seq')::INTEGER AS id");
  const t = report.totals;
  await c.run(
    `INSERT INTO import_log (import_id, started_at, finished_at, username, source, files, mode, status, message,
       rows_read, rows_inserted, rows_updated, rows_unchanged, rows_rejected, as_of)
     VALUES ($id, to_timestamp($started / 1000.0), now(), $user, $source, $files, $mode, $status, $message,
       $read, $ins, $upd, $unch, $rej, CAST($as_of AS TIMESTAMPTZ))`,
    {
      id,
      started: startedMs,
      user: username,
      source,
      files: JSON.stringify(report.files.map((f) => f.file)),
      mode: report.mode,
      status: report.status,
      message: report.message,
      read: t.rows_read,
      ins: t.inserted,
      upd: t.updated,
      unch: t.unchanged,
      rej: t.rejected,
      as_of: report.as_of,
    },
  );
  return id;
}

/**
 * Imports files or folders into `db`. Throws UsageError/MappingError for a bad invocation; every other failure is
 * a report with status 'failed' (logged unless dry-run) and the database as it was.
 */
export async function importFiles(db: Db, inputs: string[], opts: ImportOptions = {}): Promise<ImportReport> {
  const startedMs = Date.now();
  const mapping = opts.mapping ?? {};
  const tehran = isTehran(mapping.city);
  const city = tehran ? 'tehran' : normalizeText(mapping.city ?? '');
  const ctx = ruleContext(mapping, tehran);
  let asOfMs: number | null = null;
  if (opts.asOf !== undefined) {
    const p = parseTimestamp(opts.asOf, { order: mapping.date_order, timeZone: mapping.timezone });
    if (!p.ok) throw new UsageError(`--as-of: ${p.message}`);
    asOfMs = p.ms;
  }
  const plan = planFiles(inputs, mapping);
  const reports = plan.map((p) => emptyFileReport(p.path, p.label ?? basename(p.path)));
  const report: ImportReport = {
    import_id: null,
    status: 'ok',
    dry_run: Boolean(opts.dryRun),
    mode: 'contract',
    city,
    as_of: null,
    as_of_previous: null,
    as_of_changed: false,
    message: null,
    files: reports,
    totals: totalsOf(reports),
    derived: { offices: 0, services: 0 },
    events: { cases: 0, removed: 0 },
    elapsed_ms: 0,
  };
  const source = opts.source ?? 'cli';
  const username = opts.username ?? whoAmI();

  const result = await db.with(async (c) => {
    await createStageTables(c);
    try {
      await installDateSql(c, ctx.zone);
      await installTextSql(c);
      await stageFiles({ c, plan, reports, ctx, mapping, onProgress: opts.onProgress });
      report.mode = reports.some((r) => r.kind === 'flat') ? 'flat' : 'contract';
      await c.run('BEGIN TRANSACTION');
      try {
        const stored = await rows<{ city: string; n: number }>(
          c,
          'SELECT city, (SELECT count(*) FROM offices)::INTEGER AS n FROM dataset WHERE id = 1',
        );
        if (stored.length > 0 && stored[0].n > 0 && stored[0].city !== city) {
          throw new ImportFailure(
            `the database holds the ${stored[0].city} dataset; this import is for ${city} (set "city" in the mapping, or use another --db)`,
          );
        }
        if (tehran) await c.run(TEHRAN_DISTRICTS_SQL);
        await prepareReady(c, tehran);
        const counts: FileCounts[] = [];
        counts.push(await mergeKind(c, 'offices'));
        counts.push(await mergeKind(c, 'services'));
        counts.push(await mergeKind(c, 'stages'));
        if (report.mode === 'flat') report.derived = await deriveFlat(c, tehran);
        await checkReferences(c, 'cases');
        counts.push(await mergeKind(c, 'cases'));
        await checkReferences(c, 'complaints');
        counts.push(await mergeKind(c, 'complaints'));
        // issue 11: after the cases, so that an event may belong to a case of this import
        const eventFiles = new Map<number, number>();
        for (const [i, r] of reports.entries()) {
          if (r.kind === 'events') eventFiles.set(i, eventFiles.size);
        }
        const ev = await mergeEvents(c, eventFiles);
        counts.push(ev.counts);
        for (const [i, n] of ev.ignored) reports[i].ignored = n;
        report.events = { cases: ev.cases, removed: ev.removed };
        await summarise(c, reports, counts);
        report.totals = totalsOf(reports);

        // the as-of time never moves backwards unless it is given (a small correction file must not pull it back)
        const [{ ms: before }] = await rows<{ ms: number | null }>(
          c,
          'SELECT (SELECT epoch_ms(as_of)::DOUBLE FROM dataset WHERE id = 1) AS ms',
        );
        const latest = asOfMs === null ? (await rows<{ ms: number | null }>(c, AS_OF_SQL))[0].ms : null;
        const asOf =
          asOfMs ?? (before === null ? latest : latest === null ? before : Math.max(before, latest));
        report.as_of = asOf === null ? null : new Date(asOf).toISOString();
        report.as_of_previous = before === null ? null : new Date(before).toISOString();
        report.as_of_changed = report.as_of !== report.as_of_previous;
        const changed =
          report.totals.inserted + report.totals.updated + report.derived.offices + report.events.removed > 0;
        // an import that changes nothing leaves the dataset row (and its updated_at) alone
        await c.run(
          `INSERT OR REPLACE INTO dataset (id, city, as_of, updated_at)
           SELECT 1, $city, CAST($as_of AS TIMESTAMPTZ), now()
           WHERE $changed OR NOT EXISTS (SELECT 1 FROM dataset WHERE id = 1 AND city = $city
             AND as_of IS NOT DISTINCT FROM CAST($as_of AS TIMESTAMPTZ))`,
          { city, as_of: report.as_of, changed },
        );
        report.elapsed_ms = Date.now() - startedMs;
        report.import_id = await insertLog(c, report, source, username, startedMs);
        await c.run(
          `INSERT INTO rejects SELECT $id, f.name, r.line, r.column_name, r.raw_value, r.reason, r.detail
           FROM s_rejects r JOIN s_files f USING (file_idx) ORDER BY r.file_idx, r.line, r.seq`,
          { id: report.import_id },
        );
        await pausePoint('before-commit');
        await c.run(opts.dryRun ? 'ROLLBACK' : 'COMMIT');
      } catch (err) {
        await c.run('ROLLBACK').catch(() => {});
        throw err;
      }
    } catch (err) {
      report.status = 'failed';
      report.message = (err as Error).message;
      report.elapsed_ms = Date.now() - startedMs;
      report.as_of = null;
      report.as_of_previous = null;
      report.as_of_changed = false;
      if (!opts.dryRun) {
        // after the rollback, in its own statement: a failed import is still on the record
        report.import_id = await insertLog(c, report, source, username, startedMs).catch(() => null);
      }
    } finally {
      await dropWorkTables(c).catch(() => {});
      await dropStageTables(c).catch(() => {});
    }
    report.elapsed_ms = Date.now() - startedMs;
    return report;
  });
  if (result.status === 'ok' && !opts.dryRun) {
    // the dashboard's pre-computed facts, so that a server started on this database answers at once
    const t0 = performance.now();
    opts.onStep?.('facts', false, 0);
    try {
      // the server's own check: rebuilds the fact tables for the new data signature (and drops stale answers)
      await new DataCache(db).signature();
      opts.onStep?.('facts', true, performance.now() - t0);
    } catch (err) {
      result.message = `imported; the dashboard's facts were not built (${(err as Error).message}); the server builds them when it starts`;
    }
    result.elapsed_ms = Date.now() - startedMs;
  }
  return result;
}

/**
 * A database for `--dry-run`: in memory, holding a copy of the stored data when the file exists (opened read-only,
 * so the file is neither created nor touched). `events: false` leaves the stored events out (tens of millions on a
 * full city): for a dry run that reads no event file they change nothing.
 */
export async function openDryRunDb(path: string, opts: { events?: boolean } = {}): Promise<Db> {
  const mem = await Db.open(':memory:');
  if (path !== ':memory:' && existsSync(path)) {
    await mem.with(async (c) => {
      // ATTACH takes no bound parameter: the driver's own string quoting, not a hand-written one
      await c.run(`ATTACH ${quotedString(path)} AS src (READ_ONLY)`);
      try {
        const tables = ['dataset', 'districts', 'offices', 'services', 'cases', 'complaints', 'stages'];
        if (opts.events !== false) tables.push('events');
        for (const t of tables) {
          await c.run(`INSERT INTO main.${t} BY NAME SELECT * FROM src.${t}`);
        }
      } finally {
        await c.run('DETACH src');
      }
    });
  }
  return mem;
}
