/**
 * `POST /api/imports`: import through the dashboard (admins and managers). The uploaded files are
 * written to a private temp folder under their own names (the importer tells offices*, cases*, …
 * apart by name) and run through the same `importFiles` as the CLI, so the validation and the report
 * are the CLI's `--json` report. One import at a time; reads keep being answered meanwhile from
 * other connections. After a change the fact tables are rebuilt before the answer is sent (the data
 * signature moved, so the data cache drops every older answer), and the next read sees the new data.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import { audit } from '../audit/log.ts';
import { badParameter } from '../errors.ts';
import {
  type ImportReport,
  importFiles,
  type Mapping,
  MappingError,
  parseMapping,
  UsageError,
} from '../import/index.ts';
import { REASONS, type ReasonCode } from '../import/reasons.ts';
import { type ClientOptions, clientIp } from '../security/client.ts';
import { type Deps, errorResponses, json, newRouter } from './router.ts';

export const MAX_UPLOAD_FILES = 20;
const FILE_NAME_MAX = 120;

const UploadForm = z.object({
  files: z.any().openapi({
    type: 'array',
    items: { type: 'string', format: 'binary' },
    description: 'CSV, Parquet, xlsx, or an XES event log (.xes, .xes.gz)',
  }),
  mapping: z
    .any()
    .optional()
    .openapi({ type: 'string', description: 'Header mapping (JSON text or a .json file)' }),
  as_of: z.string().max(64).optional().openapi({ description: "The dataset's as-of time (ISO or Jalali)" }),
  dry_run: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'Validate and report; write nothing' }),
});

const count = z.number();
const Said = z.object({ fa: z.string(), en: z.string() });
const ReasonEnum = z.enum(Object.keys(REASONS) as [ReasonCode, ...ReasonCode[]]);
const FileReportSchema = z.object({
  file: z.string(),
  /** The server's temp path is replaced by the file name before the report is sent. */
  path: z.string(),
  kind: z.string().nullable(),
  format: z.string().nullable(),
  rows_read: count,
  inserted: count,
  updated: count,
  unchanged: count,
  duplicates: count,
  rejected: count,
  unknown_columns: z.array(z.string()),
  reasons: z.array(
    z.object({
      reason: ReasonEnum,
      label_en: z.string(),
      label_fa: z.string(),
      count,
      examples: z.array(
        z.object({
          line: z.number().nullable(),
          column: z.string().nullable(),
          value: z.string().nullable(),
          detail: z.string().nullable(),
        }),
      ),
    }),
  ),
  unmapped_statuses: z.array(z.object({ value: z.string(), count })),
  ignored: count.openapi({
    description: 'Events whose lifecycle the mapping marks "ignore" (lifecycle_values): counted, not loaded',
  }),
  sheet: z
    .string()
    .nullable()
    .openapi({ description: 'The workbook sheet this entry is (null: CSV/Parquet)' }),
  encoding: z.string().nullable().openapi({ description: 'CSV: utf-8 or windows-1256' }),
  encoding_note: Said.nullable().openapi({
    description: 'Why a CSV was read as it was, when not plain UTF-8',
  }),
  headers: z
    .record(z.string(), z.string())
    .openapi({ description: "Contract column → the file's own header (or the mapping's constant)" }),
});

const RejectTimeSchema = z.object({
  column: z.string(),
  header: z.string().nullable(),
  value: z.string().nullable(),
  iso: z.string(),
  tehran: z.string().openapi({ description: 'Asia/Tehran wall-clock, YYYY-MM-DD HH:mm' }),
  jalali: z.string().openapi({ description: 'The same in the Solar Hijri calendar, YYYY/MM/DD HH:mm' }),
});

const RejectEntrySchema = z.object({
  file: z.string(),
  line: z.number().nullable(),
  record_id: z.string().nullable().openapi({ description: "The row's id (case number, …)" }),
  record_header: z.string().nullable(),
  column: z.string().nullable(),
  header: z.string().nullable().openapi({ description: "The file's own header of the column" }),
  value: z.string().nullable(),
  reason: ReasonEnum,
  label_fa: z.string(),
  label_en: z.string(),
  fa: z.string().openapi({ description: 'What is wrong and what to do, in Persian' }),
  en: z.string(),
  detail: z.string().nullable(),
  times: z.array(RejectTimeSchema),
});

const CatalogueSchema = z.object({
  new_offices: z.array(
    z.object({
      office_id: z.string(),
      name: z.string(),
      district: z.string(),
      operator: z.string().nullable(),
    }),
  ),
  new_services: z.array(
    z.object({ service_code: z.string(), name: z.string(), category: z.string().nullable() }),
  ),
  new_categories: z.array(z.string()),
  matched_offices: z.array(
    z.object({
      office_id: z.string(),
      name: z.string(),
      export_id: z.string().nullable(),
      export_name: z.string().nullable(),
    }),
  ),
  matched_services: z.array(
    z.object({
      service_code: z.string(),
      name: z.string(),
      export_code: z.string().nullable(),
      export_name: z.string().nullable(),
    }),
  ),
  categories: z.array(z.object({ value: z.string(), category: z.string() })),
  operators_set: z.array(
    z.object({
      office_id: z.string(),
      name: z.string(),
      operator: z.string(),
      previous: z.string().nullable(),
    }),
  ),
  operator_conflicts: z.array(z.object({ office_id: z.string(), values: z.array(z.string()) })),
});

/** The importer's report (api/import/report.ts), as `npm run import -- --json` prints it. */
export const ImportReportSchema = z.object({
  import_id: z.number().nullable(),
  status: z.enum(['ok', 'failed']),
  dry_run: z.boolean(),
  mode: z.enum(['contract', 'flat']),
  lang: z.enum(['fa', 'en']).openapi({ description: "The language of the export's headers" }),
  city: z.string(),
  as_of: z.string().nullable(),
  as_of_previous: z
    .string()
    .nullable()
    .openapi({ description: "The dataset's as-of time before this import (null: none yet)" }),
  as_of_changed: z.boolean().openapi({ description: 'Whether this import moved the as-of time' }),
  message: z.string().nullable(),
  message_fa: z.string().nullable(),
  files: z.array(FileReportSchema),
  totals: z.object({
    rows_read: count,
    inserted: count,
    updated: count,
    unchanged: count,
    duplicates: count,
    rejected: count,
  }),
  derived: z.object({ offices: count, services: count }),
  events: z.object({ cases: count, removed: count }).openapi({
    description:
      'Cases whose event list this import set, and their stored events the export no longer has (removed)',
  }),
  catalogue: CatalogueSchema.openapi({
    description: 'Flat exports: what was matched in the stored catalogue and what is new',
  }),
  rejects: z.array(RejectEntrySchema).openapi({
    description: "The first 1,000 problems of rejected rows, in the user's words (also in a dry run)",
  }),
  rejects_total: count,
  sheets_skipped: z.array(z.object({ file: z.string(), sheet: z.string(), fa: z.string(), en: z.string() })),
  notices: z.array(
    z.object({
      code: z.enum([
        'encoding',
        'sheet_skipped',
        'catalogue_new',
        'catalogue_matched',
        'operator_conflict',
        'rejects_truncated',
        'mapping_constant',
      ]),
      file: z.string().nullable(),
      fa: z.string(),
      en: z.string(),
    }),
  ),
  elapsed_ms: z.number(),
});

// The importer declares its report as a TypeScript interface; these fail the type check when the
// two part ways, so the schema the dashboard's types come from is the importer's report.
type SchemaReport = z.output<typeof ImportReportSchema>;
const _reportFitsSchema = (r: ImportReport): SchemaReport => r;
const _schemaFitsReport = (r: SchemaReport): ImportReport => r;

/** A safe, recognisable file name: the last path segment, no control or path characters. */
export function safeFileName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (clean === '' || clean === '.' || clean === '..')
    throw badParameter('files', `files: ${JSON.stringify(raw.slice(0, 40))} is not a usable file name`);
  if (clean.length > FILE_NAME_MAX)
    throw badParameter('files', `files: a file name is longer than ${FILE_NAME_MAX} characters`);
  return clean;
}

async function readMapping(v: unknown): Promise<Mapping | undefined> {
  if (v === undefined || v === '') return undefined;
  const text = typeof v === 'string' ? v : v instanceof File ? await v.text() : null;
  if (text === null) throw badParameter('mapping', 'mapping: send one JSON text or one .json file');
  if (text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw badParameter('mapping', `mapping: not valid JSON (${(err as Error).message})`);
  }
  try {
    return parseMapping(json, 'mapping');
  } catch (err) {
    if (err instanceof MappingError) throw badParameter('mapping', err.message);
    throw err;
  }
}

function oneText(form: Record<string, unknown>, name: string): string | undefined {
  const v = form[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badParameter(name, `${name}: send it once, as text`);
  return v;
}

function filesOf(form: Record<string, unknown>): File[] {
  const raw = form.files ?? form['files[]'];
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (x): x is File => x instanceof File,
  );
  if (list.length === 0)
    throw badParameter('files', 'files: attach at least one CSV, Parquet, xlsx or XES file');
  if (list.length > MAX_UPLOAD_FILES)
    throw badParameter('files', `files: at most ${MAX_UPLOAD_FILES} files at once`);
  return list;
}

/** Imports run one after another: a second upload waits for the first. */
function serialiser() {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
}

export const uploadRoutes = (deps: Deps, opts: ClientOptions = {}) => {
  const serialised = serialiser();
  return newRouter().openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Import uploaded files (admins and managers; needs X-CSRF-Token): the CLI report as JSON',
      description:
        'multipart/form-data: files (one or more), optional mapping (JSON), as_of, dry_run=true. The same ' +
        'validation as `npm run import`; status "failed" means the database was left as it was.',
      request: { body: { content: { 'multipart/form-data': { schema: UploadForm } }, required: true } },
      responses: { ...json(ImportReportSchema, 'The import report'), ...errorResponses },
    }),
    async (c) => {
      if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data'))
        throw badParameter('body', 'body: send the files as multipart/form-data');
      const form = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
      const files = filesOf(form);
      const names = files.map((f) => safeFileName(f.name));
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup) throw badParameter('files', `files: ${JSON.stringify(dup)} is attached twice`);
      const mapping = await readMapping(form.mapping);
      const asOf = oneText(form, 'as_of')?.trim() || undefined;
      const dryRun = oneText(form, 'dry_run') === 'true';
      const user = c.get('user');

      const report = await serialised(async (): Promise<ImportReport> => {
        const dir = await mkdtemp(join(tmpdir(), 'shafaf-upload-'));
        try {
          const paths = names.map((n) => join(dir, n));
          await Promise.all(
            files.map(async (f, i) => writeFile(paths[i], Buffer.from(await f.arrayBuffer()))),
          );
          let r: ImportReport;
          try {
            r = await importFiles(deps.db, paths, {
              asOf,
              mapping,
              dryRun,
              source: 'upload',
              username: user.username,
            });
          } catch (err) {
            if (err instanceof UsageError)
              throw badParameter(/as.of/i.test(err.message) ? 'as_of' : 'files', err.message);
            if (err instanceof MappingError) throw badParameter('mapping', err.message);
            throw err;
          }
          // Shared with any read that noticed the new data first, so the tables are rebuilt once.
          if (!dryRun && r.status === 'ok') await deps.cache.signature();
          return r;
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
      // The server's temp folder is no business of the client's.
      for (const f of report.files) f.path = f.file;
      await audit(deps.db, {
        action: 'import',
        username: user.username,
        ip: clientIp(c, opts),
        detail: {
          import_id: report.import_id,
          status: report.status,
          dry_run: report.dry_run,
          files: names,
          totals: report.totals,
          message: report.message,
        },
      });
      return c.json(report, 200);
    },
  );
};
