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
import { toPersianDigits } from '../lib/digits.ts';
import { TEHRAN_DISTRICTS_SQL } from '../lib/districts.ts';
import { normalizeText } from '../lib/text.ts';
import { CASE_STATUSES } from '../lib/vocab.ts';
import { applyFlatOperators, emptyCatalogue, listNew, matchCatalogue } from './catalogue.ts';
import type { Kind } from './contract.ts';
import { mergeDistricts } from './districts.ts';
import { catalogueNotices, readRejects } from './explain.ts';
import { looksFlat, type ResolvedHeader, resolveHeader } from './header.ts';
import { isTehran, type Mapping, wordKey, wordMap, xesPlan } from './mapping.ts';
import { mappingNeeded } from './mapping-hint.ts';
import {
  checkReferences,
  deriveFlat,
  dropWorkTables,
  type FileCounts,
  mergeKind,
  prepareReady,
  rejectFlatConflicts,
} from './merge.ts';
import { mergeEvents } from './merge-events.ts';
import { pausePoint } from './pause.ts';
import { kindOfSheet, type PlannedFile, planFiles, UsageError } from './plan.ts';
import { loadRaw, loadSheet, type RawFile } from './raw.ts';
import { emptyFileReport, type FileReport, type ImportReport, type Notice, reasonLabel } from './report.ts';
import { type Classified, type RuleContext, ruleContext, validationSql } from './rules.ts';
import { FileShapeError, openWorkbook } from './sources.ts';
import { installDateSql } from './sql-dates.ts';
import { installTextSql } from './sql-text.ts';
import { createStageTables, dropStageTables, STAGE_COLUMNS, stageTable } from './stage.ts';
import { loadXesPart, readXes, type XesRead } from './xes.ts';
import { xesHeaders } from './xes-mapping.ts';

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
const PERSIAN_SCRIPT = /[\u0600-\u06FF]/;
const ALL_KINDS_IN_ORDER: Kind[] = [
  'cases',
  'complaints',
  'offices',
  'services',
  'districts',
  'events',
  'stages',
];

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
    'cannot tell what this file holds: name it offices*, services*, cases*, complaints*, districts*, events* or stages*, or declare it in the mapping',
  );
}

interface StageJob {
  c: DuckDBConnection;
  plan: PlannedFile[];
  reports: FileReport[];
  ctx: RuleContext;
  mapping: Mapping;
  /** Whether the user gave a mapping (the message for a header nothing explains says which one to use). */
  mappingGiven: boolean;
  onProgress?: (p: ImportProgress) => void;
  /** Filled while staging: what the report says besides the counts, and every header seen (its language). */
  notices: Notice[];
  skipped: ImportReport['sheets_skipped'];
  headerTexts: string[];
}

/** One table to stage: a file, or one sheet of a workbook. */
interface Unit {
  idx: number;
  report: FileReport;
  /** What FileShapeError names: the path, or `path › sheet`. */
  label: string;
  kind: Kind | null;
  casesLike: number;
  dir: string;
  /** An XES log's part (issue 11): its unused attribute keys, and where each column comes from in the log. */
  xes?: { unused: string[]; headers: Record<string, string> };
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

function progressOf(job: StageJob, report: FileReport) {
  const started = performance.now();
  let last = started;
  return (rows: number, fraction: number | null, done: boolean) => {
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
}

/** Contract column → the file's header (or headers joined, or the mapping's constant), for the report's words. */
function headersOf(header: ResolvedHeader, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [col, idxs] of header.columns) {
    out[col] = idxs
      .map((i) => names[i] ?? `«${header.constants.find((k) => k.index === i)?.value ?? ''}»`)
      .join(' + ');
  }
  return out;
}

/** The kind and header of a unit; a header nothing explains fails with which mapping is needed, in fa and en. */
function shapeOf(job: StageJob, unit: Unit, raw: RawFile): { kind: Kind; header: ResolvedHeader } {
  const { mapping } = job;
  try {
    let kind = unit.kind ?? decideKind({ path: unit.label, kind: null }, raw.header, mapping);
    // issue 5: the only cases file, carrying office/service names, is a flat export unless the mapping says otherwise
    if (
      kind === 'cases' &&
      !unit.xes &&
      !mapping.mode &&
      unit.casesLike === 1 &&
      looksFlat(raw.header, mapping.files?.cases)
    ) {
      kind = 'flat';
    }
    // an XES part's header is the contract's own names: the mapping's header renames are not for it
    const spec = unit.xes
      ? undefined
      : (mapping.files?.[kind] ?? (kind === 'flat' ? mapping.files?.cases : undefined));
    return { kind, header: resolveHeader(unit.label, kind, raw.header, spec) };
  } catch (err) {
    if (
      err instanceof FileShapeError &&
      /cannot tell what this file holds|missing required column/.test(err.message)
    ) {
      const hint = mappingNeeded(raw.header, job.mappingGiven);
      const why = err.message.slice(err.message.indexOf(': ') + 2);
      throw new FileShapeError(unit.label, `${why}. ${hint.en}`, hint.fa);
    }
    throw err;
  }
}

/** Rejected rows of a file up to which their lines are handed to the rejects' SQL as a list (rules.ts `rejects`). */
const BAD_LINES_LISTED = 5000;

/** Checks one loaded table (`raw_<idx>`) by its kind's rules into the staging tables and s_rejects. */
async function stageUnit(job: StageJob, unit: Unit, raw: RawFile, progress: ReturnType<typeof progressOf>) {
  const { c, ctx } = job;
  const { idx, report } = unit;
  progress(raw.rows, 0.4, false);
  report.format = raw.format;
  if (raw.format === 'csv') {
    report.encoding = raw.encoding ?? 'utf-8';
    report.encoding_note = raw.encodingNote ?? null;
    if (raw.encodingNote) job.notices.push({ code: 'encoding', file: report.file, ...raw.encodingNote });
  }
  job.headerTexts.push(...raw.header);
  const { kind, header } = shapeOf(job, unit, raw);
  report.kind = kind;
  report.unknown_columns = unit.xes?.unused ?? header.unknown;
  report.rows_read = raw.rows;
  // an XES part: the log's attribute keys (concept:name, time:timestamp, …) are the user's words
  report.headers = { ...headersOf(header, raw.header), ...unit.xes?.headers };
  for (const k of header.constants) {
    job.notices.push({
      code: 'mapping_constant',
      file: report.file,
      en: `${k.column} is “${k.value}” on every row (a constant of the mapping; the file has no such column).`,
      fa: `${k.column} در همهٔ ردیف‌ها «${k.value}» است (مقدار ثابت فایل نگاشت؛ فایل چنین ستونی ندارد).`,
    });
    // a mapping constant is one more column of the raw table: its column's rules check it like a cell
    await c.run(`ALTER TABLE ${raw.table} ADD COLUMN c${k.index} VARCHAR`);
    await c.run(`UPDATE ${raw.table} SET c${k.index} = $v`, { v: k.value });
  }

  await c.run(
    `INSERT INTO s_rejects (file_idx, line, seq, column_name, raw_value, reason, detail, raw2)
     SELECT ${idx}, line, 0, NULL, NULL, 'malformed_row', 'row has ' || nf || ' fields; the header has ${raw.header.length}', nf::VARCHAR
     FROM ${raw.table} WHERE malformed`,
  );
  const lk = (col: string) => `lk_${idx}_${col}`;
  const dk = (col: string) => `dk_${idx}_${col}`;
  const v = validationSql(kind, header.columns, raw.table, idx, ctx, lk, dk, raw.pos);
  for (const [i, { sql }] of v.dateKeys.entries()) {
    await c.run(sql);
    // the cells table (the first) holds all that is read from here on: the file's text goes before the validation,
    // so that ten million rows of it are not kept (and spilled to disk) beside the cells
    if (i === 0) await c.run(`DROP TABLE ${raw.table}`);
  }
  progress(raw.rows, 0.5, false);
  for (const l of v.lookups) {
    await lookupTable(c, v.cells, lk(l.col), l.cell, l.sqlType, ctx.classify[l.lookup]);
  }
  const checked = `v_${idx}`;
  await c.run(v.create(checked));
  progress(raw.rows, 0.9, false);
  // the rejected rows' lines, when few enough to be a constant list (most files: none, or hundreds in millions)
  const [{ bad, lines }] = await rows<{ bad: number; lines: number[] | null }>(
    c,
    `SELECT count(*)::INTEGER AS bad, CASE WHEN count(*) <= ${BAD_LINES_LISTED} THEN list(line) END AS lines
     FROM ${checked} WHERE NOT ok`,
  );
  if (bad > 0) for (const sql of v.rejects(checked, lines ?? undefined)) await c.run(sql);
  for (const l of v.lookups) await c.run(`DROP TABLE ${lk(l.col)}`);
  for (const { table } of v.dateKeys) await c.run(`DROP TABLE ${table}`);
  const stage = stageTable(kind);
  const [{ staged }] = await rows<{ staged: boolean }>(c, `SELECT EXISTS (SELECT 1 FROM ${stage}) AS staged`);
  if (staged) {
    // quoted: an events stage has a column named "at", a keyword
    const cols = STAGE_COLUMNS[kind].map(([n]) => `"${n}"`).join(', ');
    await c.run(
      `INSERT INTO ${stage} (file_idx, line, ${cols}) SELECT file_idx, line, ${cols} FROM ${checked} WHERE ok`,
    );
    await c.run(`DROP TABLE ${checked}`);
  } else {
    // the kind's first file: its checked rows become the stage table (rejects deleted) instead of being copied there
    await c.run(`DELETE FROM ${checked} WHERE NOT ok`);
    await c.run(`ALTER TABLE ${checked} DROP COLUMN ok`);
    await c.run(`DROP TABLE ${stage}`);
    await c.run(`ALTER TABLE ${checked} RENAME TO ${stage}`);
  }
  progress(raw.rows, 1, true);
}

const SHEET_NAMES_FA =
  'نام هر برگه را مانند نام فایل بگذارید (دفاتر، خدمات، پرونده‌ها، شکایات، مناطق، رویدادها، مراحل) یا آن را در فایل نگاشت بیاورید';

/**
 * Issue 13: every sheet of a workbook is a table of its own, recognised by its name like a file (or the mapping's
 * `names`). A workbook none of whose sheets has such a name is read as before: its first sheet, as the file's
 * name or header says. Every sheet not imported is named in the report.
 */
async function stageWorkbook(
  job: StageJob,
  pf: PlannedFile,
  first: FileReport,
  dir: string,
  casesLike: number,
) {
  const { c, mapping, reports } = job;
  const wb = openWorkbook(pf.path);
  const base = basename(pf.path);
  let last: FileReport | null = null;
  const seen: string[] = [];
  for await (const sheet of wb.sheets) {
    seen.push(sheet.source === null ? `${sheet.name} (empty)` : sheet.name);
    const names = wb.names() ?? [sheet.name];
    let kind: Kind | null | 'skip' = kindOfSheet(sheet.name, mapping);
    if (kind === null) {
      const anyNamed = names.some((n) => kindOfSheet(n, mapping) !== null);
      kind = sheet.index === 0 && !anyNamed ? pf.kind : 'skip';
    }
    if (kind === 'skip' || sheet.source === null) {
      const empty = sheet.source === null;
      const said = {
        file: base,
        sheet: sheet.name,
        en: `Sheet “${sheet.name}” of ${base} was not imported: ${empty ? 'it is empty' : 'its name does not say what it holds (name it like a file: offices, services, cases, complaints, districts, events, stages, or دفاتر, خدمات, پرونده‌ها, شکایات, مناطق, رویدادها, مراحل; or declare it in the mapping)'}.`,
        fa: `برگهٔ «${sheet.name}» از ${base} وارد نشد: ${empty ? 'خالی است' : `از نامش پیدا نیست چه دارد؛ ${SHEET_NAMES_FA}`}.`,
      };
      job.skipped.push(said);
      job.notices.push({ code: 'sheet_skipped', file: base, fa: said.fa, en: said.en });
      continue;
    }
    let report: FileReport;
    if (last === null) report = first;
    else {
      report = emptyFileReport(pf.path, base);
      reports.splice(reports.indexOf(last) + 1, 0, report);
    }
    last = report;
    report.sheet = sheet.name;
    report.file = names.length > 1 ? `${base} › ${sheet.name}` : base;
    const idx = reports.indexOf(report);
    await c.run('INSERT INTO s_files VALUES ($i, $n)', { i: idx, n: report.file });
    const progress = progressOf(job, report);
    const raw = await loadSheet(c, idx, sheet.source, {
      dir,
      onProgress: (n) => progress(n, null, false),
    });
    await stageUnit(
      job,
      { idx, report, label: names.length > 1 ? `${pf.path} › ${sheet.name}` : pf.path, kind, casesLike, dir },
      raw,
      progress,
    );
  }
  if (last === null) {
    throw new FileShapeError(
      pf.path,
      `no sheet of this workbook was imported (${seen.join(', ')}): name each sheet like a file (offices, services, cases, complaints, districts, events, stages, or their Persian names) or declare it in the mapping`,
      `هیچ برگه‌ای از این کارپوشه وارد نشد (${seen.join('، ')}): ${SHEET_NAMES_FA}.`,
    );
  }
}

async function stageFiles(job: StageJob): Promise<void> {
  const { c, plan, reports, mapping } = job;
  // spill files of csv.ts/Excel rows; pid: see stale-staging.ts
  const dir = mkdtempSync(join(tmpdir(), `shafaf-import-${process.pid}-`));
  // an XES part is neither counted here nor ever read as a flat export by its header (xesPlan says which it is)
  const casesLike = plan.filter(
    (p) => !p.xes && (p.kind === 'cases' || p.kind === 'flat' || p.kind === null),
  ).length;
  const planned = [...reports];
  // an XES log is read once, for its two parts (issue 11)
  const logs = new Map<string, XesRead>();
  try {
    for (const [n, pf] of plan.entries()) {
      const report = planned[n];
      const reading = n === 0 ? pausePoint('reading') : Promise.resolve();
      if (pf.path.toLowerCase().endsWith('.xlsx')) {
        await reading;
        await stageWorkbook(job, pf, report, dir, casesLike);
        continue;
      }
      const idx = reports.indexOf(report);
      await c.run('INSERT INTO s_files VALUES ($i, $n)', { i: idx, n: report.file });
      const progress = progressOf(job, report);
      // reading is the first fifth of the work; DuckDB's read, the distinct values and the rules the rest
      const onRead = (rows: number, f: number | null) => progress(rows, f === null ? null : 0.2 * f, false);
      if (pf.xes) {
        let log = logs.get(pf.path);
        if (!log) {
          const statuses = wordMap(CASE_STATUSES, mapping.status_values);
          log = await readXes(pf.path, {
            plan: xesPlan(mapping),
            order: mapping.date_order,
            zone: job.ctx.zone,
            statusOf: (w) => statuses.get(w) ?? statuses.get(wordKey(w)),
            dir,
            onProgress: onRead,
          });
          logs.set(pf.path, log);
        }
        const part = log[pf.xes];
        const raw = await loadXesPart(c, idx, part);
        if (part.numbered) {
          // several elements on one line: rows are named by their number in the log
          report.file = `${report.file.replace(/\)$/, '')}, by number)`;
          await c.run('UPDATE s_files SET name = $n WHERE file_idx = $i', { n: report.file, i: idx });
        }
        await reading;
        const xes = { unused: part.unused, headers: xesHeaders(xesPlan(mapping), pf.xes) };
        await stageUnit(
          job,
          { idx, report, label: pf.path, kind: pf.kind, casesLike, dir, xes },
          raw,
          progress,
        );
        continue;
      }
      const raw = await loadRaw(c, idx, pf.path, { dir, encoding: mapping.encoding, onProgress: onRead });
      await reading;
      await stageUnit(job, { idx, report, label: pf.path, kind: pf.kind, casesLike, dir }, raw, progress);
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
    lang: 'en',
    city,
    as_of: null,
    as_of_previous: null,
    as_of_changed: false,
    message: null,
    message_fa: null,
    files: reports,
    totals: totalsOf(reports),
    derived: { offices: 0, services: 0 },
    events: { cases: 0, removed: 0 },
    catalogue: emptyCatalogue(),
    rejects: [],
    rejects_total: 0,
    sheets_skipped: [],
    notices: [],
    elapsed_ms: 0,
  };
  // the report's language: the export's headers, else (nothing read) the headers the mapping names
  const headerTexts: string[] = [];
  const mappingTexts = Object.values(mapping.files ?? {}).flatMap((f) => Object.keys(f?.columns ?? {}));
  const decideLang = () => {
    const texts = headerTexts.length > 0 ? headerTexts : mappingTexts;
    report.lang = texts.some((h) => PERSIAN_SCRIPT.test(h)) ? 'fa' : 'en';
  };
  const source = opts.source ?? 'cli';
  const username = opts.username ?? whoAmI();

  const result = await db.with(async (c) => {
    await createStageTables(c);
    try {
      await installDateSql(c, ctx.zone);
      await installTextSql(c);
      await stageFiles({
        c,
        plan,
        reports,
        ctx,
        mapping,
        mappingGiven: opts.mapping !== undefined,
        onProgress: opts.onProgress,
        notices: report.notices,
        skipped: report.sheets_skipped,
        headerTexts,
      });
      decideLang();
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
        counts.push(await mergeDistricts(c, tehran));
        counts.push(await mergeKind(c, 'offices'));
        counts.push(await mergeKind(c, 'services'));
        counts.push(await mergeKind(c, 'stages'));
        if (report.mode === 'flat') {
          // issue 13: the export's names matched to the stored catalogue before anything is derived
          await matchCatalogue(c, tehran, report.catalogue);
          await rejectFlatConflicts(c, tehran);
          await listNew(c, report.catalogue);
          report.derived = await deriveFlat(c, tehran);
          await applyFlatOperators(c, report.catalogue);
          report.notices.push(...catalogueNotices(report.catalogue));
        }
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
        const listed = await readRejects(c, reports);
        report.rejects = listed.rejects;
        report.rejects_total = listed.total;
        if (listed.total > listed.rejects.length) {
          report.notices.push({
            code: 'rejects_truncated',
            file: null,
            en: `The first ${listed.rejects.length.toLocaleString('en-US')} of ${listed.total.toLocaleString('en-US')} problems are listed here${opts.dryRun ? '' : '; all of them are in the rejects table (Data page)'}.`,
            fa: `${toPersianDigits(listed.rejects.length)} مورد نخست از ${toPersianDigits(listed.total)} مشکل اینجا آمده است${opts.dryRun ? '' : '؛ همه در فهرست ردیف‌های ردشده (صفحهٔ داده‌ها) هست'}.`,
          });
        }

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
          report.totals.inserted +
            report.totals.updated +
            report.derived.offices +
            report.catalogue.operators_set.length +
            report.events.removed >
          0;
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
      report.message_fa =
        err instanceof FileShapeError && err.fa ? err.fa : `واردسازی انجام نشد: ${(err as Error).message}`;
      report.catalogue = emptyCatalogue();
      report.rejects = [];
      report.rejects_total = 0;
      decideLang();
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
      result.message_fa = `وارد شد، ولی جدول‌های آماده داشبورد ساخته نشد (${(err as Error).message})؛ سرور هنگام شروع آن‌ها را می‌سازد.`;
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
