/**
 * The import log and the quarantined rows (DESIGN "Data contract": bad rows are never dropped
 * silently). Served by GET /api/imports and /api/rejects (api/routes/imports.ts); shown on the data
 * page (web/views/DataPage.tsx).
 */
import { z } from '@hono/zod-openapi';
import type { Db, Params } from '../db.ts';
import { filterShape } from '../filters.ts';
import { isoSql } from '../lib/sql.ts';
import { FormatParam, intParam, query } from '../params.ts';

export const ImportsSchema = z.object({
  imports: z.array(
    z.object({
      import_id: z.number(),
      started_at: z.string(),
      finished_at: z.string().nullable(),
      username: z.string().nullable(),
      source: z.string().nullable(),
      files: z.array(z.string()),
      mode: z.string().nullable(),
      status: z.string(),
      message: z.string().nullable(),
      rows_read: z.number(),
      rows_inserted: z.number(),
      rows_updated: z.number(),
      rows_unchanged: z.number(),
      rows_rejected: z.number(),
      as_of: z.string().nullable(),
    }),
  ),
});
export type ImportsAnswer = z.output<typeof ImportsSchema>;

export const RejectsQuery = query({
  ...filterShape,
  import_id: intParam('import_id', 1, 2_147_483_647, 'Only this import').optional(),
  page: intParam('page', 1, 1_000_000, 'Page number, from 1').default(1),
  page_size: intParam('page_size', 1, 500, 'Rows per page').default(100),
  format: FormatParam,
});

export const RejectsSchema = z.object({
  total: z.number(),
  page: z.number(),
  page_size: z.number(),
  reasons: z.array(z.object({ reason: z.string(), count: z.number() })),
  rows: z.array(
    z.object({
      import_id: z.number(),
      file: z.string(),
      line: z.number().nullable(),
      column_name: z.string().nullable(),
      raw_value: z.string().nullable(),
      reason: z.string(),
      detail: z.string().nullable(),
    }),
  ),
});
export type RejectsAnswer = z.output<typeof RejectsSchema>;

export async function importLog(db: Db): Promise<ImportsAnswer> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT import_id, ${isoSql('started_at')} AS started_at, ${isoSql('finished_at')} AS finished_at, username, source,
       files, mode, status, message, rows_read, rows_inserted, rows_updated, rows_unchanged, rows_rejected,
       ${isoSql('as_of')} AS as_of
     FROM import_log ORDER BY import_id DESC`,
  );
  return {
    imports: rows.map((r) => {
      let files: unknown = r.files;
      try {
        files = typeof r.files === 'string' ? JSON.parse(r.files) : r.files;
      } catch {
        files = r.files;
      }
      return {
        import_id: Number(r.import_id),
        started_at: String(r.started_at),
        finished_at: (r.finished_at as string | null) ?? null,
        username: (r.username as string | null) ?? null,
        source: (r.source as string | null) ?? null,
        files: Array.isArray(files)
          ? files.map(String)
          : files === null || files === undefined
            ? []
            : [String(files)],
        mode: (r.mode as string | null) ?? null,
        status: String(r.status),
        message: (r.message as string | null) ?? null,
        rows_read: Number(r.rows_read ?? 0),
        rows_inserted: Number(r.rows_inserted ?? 0),
        rows_updated: Number(r.rows_updated ?? 0),
        rows_unchanged: Number(r.rows_unchanged ?? 0),
        rows_rejected: Number(r.rows_rejected ?? 0),
        as_of: (r.as_of as string | null) ?? null,
      };
    }),
  };
}

export async function rejects(
  db: Db,
  q: { import_id?: number; page: number; page_size: number },
): Promise<RejectsAnswer> {
  const { import_id: importId, page, page_size: pageSize } = q;
  const where = importId === undefined ? 'TRUE' : 'import_id = $import_id';
  const params: Params = importId === undefined ? {} : { import_id: importId };
  const [count, reasons, rows] = await Promise.all([
    db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM rejects WHERE ${where}`, params),
    db.all<{ reason: string; count: number }>(
      `SELECT reason, count(*)::INTEGER AS count FROM rejects WHERE ${where} GROUP BY reason ORDER BY count DESC, reason`,
      params,
    ),
    db.all<Record<string, unknown>>(
      `SELECT import_id, file, line, column_name, raw_value, reason, detail FROM rejects WHERE ${where}
       ORDER BY import_id DESC, file, line LIMIT $limit OFFSET $offset`,
      { ...params, limit: pageSize, offset: (page - 1) * pageSize },
    ),
  ]);
  return {
    total: Number(count?.n ?? 0),
    page,
    page_size: pageSize,
    reasons: reasons.map((r) => ({ reason: r.reason, count: Number(r.count) })),
    rows: rows.map((r) => ({
      import_id: Number(r.import_id),
      file: String(r.file),
      line: r.line === null ? null : Number(r.line),
      column_name: (r.column_name as string | null) ?? null,
      raw_value: (r.raw_value as string | null) ?? null,
      reason: String(r.reason),
      detail: (r.detail as string | null) ?? null,
    })),
  };
}
