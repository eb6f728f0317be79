/**
 * Rejected rows said in the reader's terms. The importer's report names a column by its contract
 * name (`closed_at`) and writes instants as ISO UTC inside its English detail; the manager knows the
 * file's own header (تاریخ پایان) and reads Tehran time in Solar Hijri. The header is recovered from
 * the mapping the manager uploaded (`files.<kind>.columns`: file header → contract column); an
 * instant in a detail is rewritten in Tehran time. (The importer will carry both itself: see
 * api/import, rewritten separately; until then this is read from what the report already holds.)
 */
import { formatDateTime, type Lang } from './format.ts';

/** Contract column → the file's own header, per file kind, from a mapping file's text. */
export function headersFromMapping(mappingText: string | null | undefined): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  if (!mappingText) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(mappingText);
  } catch {
    return out;
  }
  const files = (parsed as { files?: Record<string, { columns?: Record<string, string> }> })?.files;
  if (!files || typeof files !== 'object') return out;
  for (const [kind, spec] of Object.entries(files)) {
    const cols = spec?.columns;
    if (!cols || typeof cols !== 'object') continue;
    const m = new Map<string, string>();
    for (const [header, column] of Object.entries(cols))
      if (typeof column === 'string') m.set(column, header);
    out.set(kind, m);
  }
  return out;
}

/** The header the manager's file used for `column` (else the contract name). */
export function fileHeader(
  column: string | null,
  kind: string | null,
  headers: Map<string, Map<string, string>>,
): string | null {
  if (!column) return null;
  const byKind = kind ? headers.get(kind)?.get(column) : undefined;
  if (byKind) return byKind;
  for (const m of headers.values()) {
    const h = m.get(column);
    if (h) return h;
  }
  return column;
}

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/g;

/** A detail with every ISO instant in it rewritten as Tehran local time (Solar Hijri in Persian). */
export function localiseInstants(detail: string, lang: Lang): string {
  return detail.replace(ISO_INSTANT, (iso) => {
    const shown = formatDateTime(iso, lang);
    return lang === 'fa' ? `${shown} به وقت تهران` : `${shown} Tehran time`;
  });
}
