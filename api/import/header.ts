/**
 * Matches a file's header row to the contract's columns (through the mapping), and decides a file's kind when its
 * name does not say it. A header that cannot carry the kind's required columns fails the file.
 */
import { CONTRACT, type Kind } from './contract.ts';
import { type FileSpec, headerKey } from './mapping.ts';
import { FileShapeError } from './sources.ts';

export interface ResolvedHeader {
  /** Contract column → indexes of the export columns that make it (several when combined). */
  columns: Map<string, number[]>;
  /** Export columns kept out of the database (reported). */
  unknown: string[];
  /**
   * The mapping's constants the file has no column for: each is read as an extra column at `index` (after the
   * file's own) holding `value` on every row, so the column's rules check it like a cell.
   */
  constants: { column: string; index: number; value: string }[];
}

function targetsOf(kind: Kind, header: string[], spec: FileSpec | undefined) {
  const renames = new Map<string, string>();
  for (const [from, to] of Object.entries(spec?.columns ?? {})) renames.set(headerKey(from), to);
  const contract = new Set(CONTRACT[kind].columns);
  return header.map((h) => {
    const k = headerKey(h);
    return renames.get(k) ?? (contract.has(k) ? k : null);
  });
}

export function resolveHeader(
  file: string,
  kind: Kind,
  header: string[],
  spec: FileSpec | undefined,
): ResolvedHeader {
  const targets = targetsOf(kind, header, spec);
  const columns = new Map<string, number[]>();
  const unknown: string[] = [];
  const combined = new Set(Object.keys(spec?.combine ?? {}));
  const usedByCombine = new Set(Object.values(spec?.combine ?? {}).flatMap((cols) => cols.map(headerKey)));
  targets.forEach((t, i) => {
    if (t && !combined.has(t)) {
      const prev = columns.get(t);
      if (prev) {
        throw new FileShapeError(file, `columns "${header[prev[0]]}" and "${header[i]}" both map to ${t}`);
      }
      columns.set(t, [i]);
    } else if (!t && !usedByCombine.has(headerKey(header[i])) && header[i].trim() !== '') {
      unknown.push(header[i]);
    }
  });
  const keys = header.map(headerKey);
  for (const [to, parts] of Object.entries(spec?.combine ?? {})) {
    const idx = parts.map((p) => {
      const i = keys.indexOf(headerKey(p));
      if (i < 0) throw new FileShapeError(file, `column "${p}" (combined into ${to}) is not in the header`);
      return i;
    });
    columns.set(to, idx);
  }
  const constants: ResolvedHeader['constants'] = [];
  for (const [to, value] of Object.entries(spec?.constants ?? {})) {
    if (columns.has(to)) continue; // the file's own column wins
    const index = header.length + constants.length;
    constants.push({ column: to, index, value });
    columns.set(to, [index]);
  }
  const { required, requiredOneOf } = CONTRACT[kind];
  const missing = required.filter((c) => !columns.has(c));
  for (const group of requiredOneOf ?? []) {
    if (!group.some((c) => columns.has(c))) missing.push(group.join(' or '));
  }
  if (missing.length > 0) {
    const seen = header.slice(0, 12).join(', ') + (header.length > 12 ? ', …' : '');
    throw new FileShapeError(
      file,
      `not a ${kind} file: missing required column(s) ${missing.join(', ')} (header has: ${seen || 'nothing'})` +
        (spec?.columns ? '' : '; if the export uses other names, map them in a mapping file'),
    );
  }
  return { columns, unknown, constants };
}

/**
 * A cases-like header that also names offices or services is a flat export (issue 5). Used when neither the mapping
 * nor a second file says otherwise.
 */
export function looksFlat(header: string[], spec: FileSpec | undefined): boolean {
  const targets = new Set([
    ...targetsOf('flat', header, spec),
    ...Object.keys(spec?.combine ?? {}),
    ...Object.keys(spec?.constants ?? {}),
  ]);
  return targets.has('case_id') && (targets.has('office_name') || targets.has('service_name'));
}
