/**
 * The audit trail (table `audit_log`): who signed in or failed to, who imported what and who exported
 * which view, with the filters used. Written by the server, read by admins only.
 */
import { z } from '@hono/zod-openapi';
import type { Db } from '../db.ts';

export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'import',
  'export',
  'user_add',
  'user_remove',
  // issue 15: users managed in the browser
  'user_update',
  'user_disable',
  'user_enable',
  'user_password_reset',
  'user_sessions_end',
  'password_change',
  // the public scorecards were turned on (or their licence line changed) / off: api/public/publication.ts
  'publish',
  'unpublish',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  action: AuditAction;
  username?: string | null;
  /** Filters, file names, counts, reasons: stored as JSON text. */
  detail?: Record<string, unknown> | null;
  ip?: string | null;
  /** Milliseconds since the epoch; defaults to the database clock. */
  atMs?: number;
}

const AuditRowSchema = z.object({
  id: z.number(),
  at: z.string(),
  username: z.string().nullable(),
  action: z.enum(AUDIT_ACTIONS),
  detail: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
});
export type AuditRow = z.output<typeof AuditRowSchema>;

/** One page of the log, newest first: the answer of GET /api/audit (api/routes/audit.ts). */
export const AuditPageSchema = z.object({
  total: z.number(),
  page: z.number(),
  page_size: z.number(),
  rows: z.array(AuditRowSchema),
});
export type AuditPage = z.output<typeof AuditPageSchema>;

/** Longest detail kept; beyond it a preview is stored, so one huge filter cannot bloat the log. */
const MAX_DETAIL_CHARS = 4000;

export function isAuditAction(v: string): v is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(v);
}

function encodeDetail(detail: Record<string, unknown> | null | undefined): string | null {
  if (!detail) return null;
  const text = JSON.stringify(detail);
  if (text.length <= MAX_DETAIL_CHARS) return text;
  return JSON.stringify({ truncated: true, preview: text.slice(0, 1000) });
}

export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  if (!isAuditAction(entry.action)) throw new Error(`Unknown audit action: ${entry.action}`);
  await db.run(
    `INSERT INTO audit_log ("at", username, action, detail, ip)
     VALUES (coalesce(to_timestamp(CAST($at_s AS DOUBLE)), now()), $username, $action, $detail, $ip)`,
    {
      at_s: entry.atMs === undefined ? null : entry.atMs / 1000,
      username: entry.username ?? null,
      action: entry.action,
      detail: encodeDetail(entry.detail),
      ip: entry.ip ?? null,
    },
  );
}

export interface AuditQuery {
  page?: number;
  page_size?: number;
  action?: AuditAction;
}

export const MAX_AUDIT_PAGE_SIZE = 500;

/** Newest first. `page` counts from 1. */
export async function listAudit(db: Db, q: AuditQuery = {}): Promise<AuditPage> {
  const page = q.page ?? 1;
  const pageSize = q.page_size ?? 50;
  if (!Number.isInteger(page) || page < 1) throw new RangeError('page must be a whole number from 1');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_AUDIT_PAGE_SIZE)
    throw new RangeError(`page_size must be a whole number from 1 to ${MAX_AUDIT_PAGE_SIZE}`);
  if (q.action !== undefined && !isAuditAction(q.action))
    throw new RangeError(`action must be one of ${AUDIT_ACTIONS.join(', ')}`);
  const params = { action: q.action ?? null };
  const where = '($action IS NULL OR action = $action)';
  const total = await db.one<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM audit_log WHERE ${where}`,
    params,
  );
  const rows = await db.all<Omit<AuditRow, 'detail'> & { detail: string | null }>(
    `SELECT CAST(id AS DOUBLE) AS id, strftime("at" AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS "at",
            username, action, detail, ip
     FROM audit_log WHERE ${where}
     ORDER BY "at" DESC, id DESC
     LIMIT $limit OFFSET $offset`,
    { ...params, limit: pageSize, offset: (page - 1) * pageSize },
  );
  return {
    total: total?.n ?? 0,
    page,
    page_size: pageSize,
    rows: rows.map((r) => ({ ...r, detail: r.detail === null ? null : JSON.parse(r.detail) })),
  };
}
