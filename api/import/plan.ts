/**
 * Which files an import reads and what each holds: by name (offices*, services*, cases*, complaints*, or the
 * mapping's globs), a folder scanned for data files; files no name explains are decided by their header later.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { normalizeText } from '../lib/text.ts';
import { DATA_EXTENSIONS, isXesPath, type Kind, NAME_PREFIXES } from './contract.ts';
import { type Mapping, MappingError, xesPlan } from './mapping.ts';

export class UsageError extends Error {}

export interface PlannedFile {
  path: string;
  /** null: decided from the header (a flat export, or a contract file with another name). */
  kind: Kind | null;
  /** An XES log is two parts read in one pass: its traces (cases or flat) and its events. */
  xes?: 'traces' | 'events';
  /** The name in the report and the rejects when it is not the file's own (an XES part). */
  label?: string;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

export function kindByName(path: string, mapping: Mapping): Kind | null {
  const name = basename(path);
  for (const [kind, spec] of Object.entries(mapping.files ?? {})) {
    if (spec?.names?.some((g) => globToRegExp(g).test(name))) return kind as Kind;
  }
  const lower = name.toLowerCase();
  for (const [kind, prefixes] of Object.entries(NAME_PREFIXES)) {
    if (prefixes.some((p) => lower.startsWith(p))) {
      return kind === 'cases' && mapping.mode === 'flat' ? 'flat' : (kind as Kind);
    }
  }
  return mapping.mode === 'flat' ? 'flat' : null;
}

/**
 * The kind a workbook sheet's name says, like a file's name (the mapping's globs, then offices/دفاتر, …; cases are
 * a flat export under `"mode": "flat"`), or null. Unlike a file name, a sheet name says nothing by default.
 */
export function kindOfSheet(sheet: string, mapping: Mapping): Kind | null {
  const name = normalizeText(sheet);
  for (const [kind, spec] of Object.entries(mapping.files ?? {})) {
    if (spec?.names?.some((g) => globToRegExp(g).test(name) || globToRegExp(g).test(sheet)))
      return kind as Kind;
  }
  const lower = name.toLowerCase();
  for (const [kind, prefixes] of Object.entries(NAME_PREFIXES)) {
    if (prefixes.some((p) => lower.startsWith(p))) {
      return kind === 'cases' && mapping.mode === 'flat' ? 'flat' : (kind as Kind);
    }
  }
  return null;
}

const isData = (p: string) =>
  (DATA_EXTENSIONS as readonly string[]).includes(extname(p).toLowerCase()) || isXesPath(p);

export function planFiles(inputs: string[], mapping: Mapping): PlannedFile[] {
  if (inputs.length === 0) throw new UsageError('no files or folder given');
  const paths: string[] = [];
  for (const input of inputs) {
    const p = resolve(input);
    if (!existsSync(p)) throw new UsageError(`${input}: no such file or folder`);
    if (statSync(p).isDirectory()) {
      const found = readdirSync(p)
        .filter((n) => !n.startsWith('.') && isData(n))
        .sort()
        .map((n) => join(p, n));
      if (found.length === 0)
        throw new UsageError(`${input}: no .csv, .parquet, .xlsx or .xes files in this folder`);
      paths.push(...found);
    } else {
      if (!isData(p)) throw new UsageError(`${input}: not a .csv, .parquet, .xlsx or .xes(.gz) file`);
      paths.push(p);
    }
  }
  const unique = [...new Set(paths)];
  return unique.flatMap((path): PlannedFile[] => {
    if (!isXesPath(path)) return [{ path, kind: kindByName(path, mapping) }];
    if (!mapping.xes) {
      throw new MappingError(
        `${basename(path)}: an XES log needs a mapping file with an "xes" section that says which office, service and status its cases have (see data/mappings/bpic2012.json)`,
      );
    }
    const name = basename(path);
    return [
      { path, kind: xesPlan(mapping).caseKind, xes: 'traces', label: `${name} (traces)` },
      { path, kind: 'events', xes: 'events', label: `${name} (events)` },
    ];
  });
}
