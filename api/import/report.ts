/**
 * What an import did, as data (the CLI prints it; the dashboard's upload returns it as JSON) and as text.
 */
import { REASONS, type ReasonCode } from './reasons.ts';

export interface RejectExample {
  line: number | null;
  column: string | null;
  value: string | null;
  detail: string | null;
}

export interface ReasonSummary {
  reason: ReasonCode;
  label_en: string;
  label_fa: string;
  count: number;
  examples: RejectExample[];
}

export interface FileReport {
  file: string;
  path: string;
  kind: string | null;
  format: string | null;
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Exact repeats of a row already counted (same id, same content): one row, not an error. */
  duplicates: number;
  /** Rows rejected (a row with several problems counts once; `reasons` counts problems). */
  rejected: number;
  unknown_columns: string[];
  reasons: ReasonSummary[];
  /** Status words with no mapping, with how often each occurs: fix the mapping in one go. */
  unmapped_statuses: { value: string; count: number }[];
  /** Events whose lifecycle the mapping's lifecycle_values marks "ignore" (e.g. XES schedule): counted, not loaded. */
  ignored: number;
}

export interface ImportReport {
  import_id: number | null;
  status: 'ok' | 'failed';
  dry_run: boolean;
  mode: 'contract' | 'flat';
  city: string;
  as_of: string | null;
  /** The dataset's as-of time before this import (null: none yet), and whether this import moved it. */
  as_of_previous: string | null;
  as_of_changed: boolean;
  message: string | null;
  files: FileReport[];
  totals: {
    rows_read: number;
    inserted: number;
    updated: number;
    unchanged: number;
    duplicates: number;
    rejected: number;
  };
  /** Offices and services created from a flat export's columns. */
  derived: { offices: number; services: number };
  /** Issue 11: cases whose event list this import set, and their stored events the export no longer has (removed). */
  events: { cases: number; removed: number };
  elapsed_ms: number;
}

export function emptyFileReport(path: string, file: string): FileReport {
  return {
    file,
    path,
    kind: null,
    format: null,
    rows_read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    rejected: 0,
    unknown_columns: [],
    reasons: [],
    unmapped_statuses: [],
    ignored: 0,
  };
}

export function reasonLabel(code: string): { label_en: string; label_fa: string } {
  const r = REASONS[code as ReasonCode];
  return { label_en: r?.en ?? code, label_fa: r?.fa ?? code };
}

const n = (x: number) => x.toLocaleString('en-US');

export function formatReport(r: ImportReport): string {
  const out: string[] = [];
  const head = r.dry_run
    ? 'DRY RUN — nothing was written'
    : r.status === 'ok'
      ? 'Import finished'
      : 'IMPORT FAILED';
  out.push(`${head}${r.import_id !== null && !r.dry_run ? ` (import #${r.import_id})` : ''}`);
  if (r.message) out.push(`  ${r.message}`);
  if (r.status === 'failed') {
    out.push('  The database was left as it was.');
    out.push(`Time: ${(r.elapsed_ms / 1000).toFixed(1)} s`);
    return out.join('\n');
  }
  for (const f of r.files) {
    out.push('');
    out.push(`${f.file} [${f.kind ?? '?'}${f.format ? `, ${f.format}` : ''}]`);
    out.push(
      `  read ${n(f.rows_read)}  loaded ${n(f.inserted)}  updated ${n(f.updated)}  unchanged ${n(f.unchanged)}` +
        `  duplicates ${n(f.duplicates)}  rejected ${n(f.rejected)}`,
    );
    if (f.unknown_columns.length > 0) {
      const shown = f.unknown_columns.slice(0, 15).join(', ');
      const what =
        f.format === 'xes'
          ? 'ignored attributes (no column takes them)'
          : 'ignored columns (not in the contract)';
      out.push(`  ${what}: ${shown}${f.unknown_columns.length > 15 ? ', …' : ''}`);
    }
    for (const reason of f.reasons.slice(0, 8)) {
      out.push(`  ${n(reason.count)} × ${reason.reason}: ${reason.label_en}`);
      for (const e of reason.examples) {
        out.push(`      line ${e.line ?? '?'}${e.column ? ` [${e.column}]` : ''}: ${e.detail ?? ''}`);
      }
    }
    if (f.ignored > 0) {
      out.push(
        `  ignored ${n(f.ignored)} events whose lifecycle the mapping marks "ignore" (lifecycle_values)`,
      );
    }
    if (f.unmapped_statuses.length > 0) {
      const list = f.unmapped_statuses.map((s) => `"${s.value}" (${n(s.count)})`).join(', ');
      out.push(`  unmapped status words — add them to status_values in the mapping: ${list}`);
    }
  }
  const t = r.totals;
  out.push('');
  out.push(
    `Total: read ${n(t.rows_read)}, loaded ${n(t.inserted)}, updated ${n(t.updated)}, unchanged ${n(t.unchanged)}, ` +
      `duplicates ${n(t.duplicates)}, rejected ${n(t.rejected)}` +
      (r.mode === 'flat'
        ? `; derived ${n(r.derived.offices)} new offices, ${n(r.derived.services)} new services`
        : ''),
  );
  if (r.events.cases > 0) {
    out.push(
      `Events: the event lists of ${n(r.events.cases)} cases set from this export` +
        (r.events.removed > 0 ? `; ${n(r.events.removed)} stored events no longer in it removed` : ''),
    );
  }
  if (r.status === 'ok') out.push(`Dataset: ${r.city}, as of ${r.as_of ?? '(no timestamps)'}`);
  if (r.status === 'ok' && r.as_of_changed && r.as_of_previous !== null) {
    out.push(`As-of time changed: ${r.as_of_previous} → ${r.as_of ?? '(none)'}`);
  }
  out.push(`Time: ${(r.elapsed_ms / 1000).toFixed(1)} s`);
  return out.join('\n');
}
