/**
 * The mapping file: how a real export's names and words map onto the contract, so an analyst never edits the
 * export itself. Everything is optional; an empty mapping means "the files already follow the contract".
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { normalizeText } from '../lib/text.ts';
import {
  CASE_STATUSES,
  CHANNELS,
  COMPLAINT_CATEGORIES,
  COMPLAINT_SOURCES,
  EVENT_ACTORS,
  LIFECYCLES,
} from '../lib/vocab.ts';
import { CONTRACT, KINDS, type Kind } from './contract.ts';
import { parseXesSection, XesMappingError, type XesPlan } from './xes-mapping.ts';

const fileSpec = z.strictObject({
  /** Globs (`*` wildcard, case-insensitive) on the file's base name that mark a file as this kind. */
  names: z.array(z.string()).optional(),
  /** Export header → contract column. Header spelling is matched loosely (case, spaces/underscores). */
  columns: z.record(z.string(), z.string()).optional(),
  /** Contract column built from several export columns joined with " / " (e.g. office = agency + borough). */
  combine: z.record(z.string(), z.array(z.string()).min(1)).optional(),
  /**
   * Contract column → one value for every row, used when the file has no column for it (e.g. the operator of a
   * file of one licensee's offices). Checked by the column's rules like a cell.
   */
  constants: z.record(z.string(), z.string()).optional(),
});

const valueMap = z.record(z.string(), z.string());

export const mappingSchema = z.strictObject({
  $comment: z.union([z.string(), z.array(z.string())]).optional(),
  /** `flat`: one sheet per case with office and service columns (issue 5). Default: detected. */
  mode: z.enum(['contract', 'flat']).optional(),
  /** `tehran` (default: districts 1–22) or another city's name (any text district is a label). */
  city: z.string().min(1).optional(),
  /** Day/month order of `NN/NN/YYYY` dates. Never guessed. */
  date_order: z.enum(['mdy', 'dmy']).optional(),
  /** IANA zone of times without an offset (default Asia/Tehran). */
  timezone: z.string().min(1).optional(),
  /**
   * Text encoding of CSV files. Default: UTF-8; a file that is not valid UTF-8 is read as Windows-1256 only when
   * it reads as Arabic script, and the report says so. `windows-1256` (Excel's "CSV" on Persian Windows) reads
   * every CSV that is not valid UTF-8 as Windows-1256; `utf-8` turns the detection off.
   */
  encoding: z.enum(['utf-8', 'windows-1256']).optional(),
  /** Cell values that mean "no value" (e.g. "Unspecified", "N/A"). */
  null_values: z.array(z.string()).optional(),
  status_values: valueMap.optional(),
  channel_values: valueMap.optional(),
  category_values: valueMap.optional(),
  source_values: valueMap.optional(),
  files: z.partialRecord(z.enum(KINDS), fileSpec).optional(),
  /** Event lifecycle words → start, complete, or ignore (such events are counted in the report, not loaded). */
  lifecycle_values: valueMap.optional(),
  /** Actor words → office, municipality, citizen, other (events and stages). */
  actor_values: valueMap.optional(),
  /** XES logs (issue 11): where case columns and event columns come from; see xes-mapping.ts. */
  xes: z
    .strictObject({
      $comment: z.union([z.string(), z.array(z.string())]).optional(),
      case: z.record(z.string(), z.unknown()).optional(),
      event: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

export type Mapping = z.infer<typeof mappingSchema>;
export type FileSpec = z.infer<typeof fileSpec>;

export class MappingError extends Error {}

/** Header key used for matching: "Unique Key", "unique_key" and " UNIQUE-KEY " are one column. */
export function headerKey(h: string): string {
  return normalizeText(h)
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_');
}

/** Word key used for value maps: case and spacing do not matter ("In Progress" = "in progress"). */
export function wordKey(v: string): string {
  return normalizeText(v)
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

export function isTehran(city: string | undefined): boolean {
  if (!city) return true;
  const k = wordKey(city);
  return k === 'tehran' || k === 'تهران';
}

function checkTargets(m: Mapping): void {
  const vocab: [keyof Mapping, readonly string[]][] = [
    ['status_values', CASE_STATUSES],
    ['channel_values', CHANNELS],
    ['category_values', COMPLAINT_CATEGORIES],
    ['source_values', COMPLAINT_SOURCES],
    ['lifecycle_values', [...LIFECYCLES, 'ignore']],
    ['actor_values', EVENT_ACTORS],
  ];
  for (const [key, allowed] of vocab) {
    const map = m[key] as Record<string, string> | undefined;
    for (const [from, to] of Object.entries(map ?? {})) {
      if (!allowed.includes(to)) {
        throw new MappingError(
          `${key}: "${from}" maps to "${to}", which is not one of ${allowed.join(', ')}`,
        );
      }
    }
  }
  for (const [kind, spec] of Object.entries(m.files ?? {}) as [Kind, FileSpec][]) {
    const cols = CONTRACT[kind].columns;
    for (const [from, to] of Object.entries(spec.columns ?? {})) {
      if (!cols.includes(to)) {
        throw new MappingError(
          `files.${kind}.columns: "${from}" maps to "${to}", not a ${kind} column (${cols.join(', ')})`,
        );
      }
    }
    for (const to of Object.keys(spec.combine ?? {})) {
      if (!cols.includes(to))
        throw new MappingError(`files.${kind}.combine: "${to}" is not a ${kind} column`);
    }
    for (const to of Object.keys(spec.constants ?? {})) {
      if (!cols.includes(to)) {
        throw new MappingError(
          `files.${kind}.constants: "${to}" is not a ${kind} column (${cols.join(', ')})`,
        );
      }
    }
  }
  if (m.timezone) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: m.timezone });
    } catch {
      throw new MappingError(`timezone "${m.timezone}" is not an IANA time zone (e.g. America/New_York)`);
    }
  }
}

export function parseMapping(json: unknown, label = 'mapping'): Mapping {
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MappingError(`${label}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  checkTargets(parsed.data);
  if (parsed.data.xes) xesPlan(parsed.data, label);
  return parsed.data;
}

/** The mapping's `xes` section, checked and in the reader's form; MappingError (naming the key) when it is wrong. */
export function xesPlan(m: Mapping, label = 'mapping'): XesPlan {
  const statuses = wordMap(CASE_STATUSES, m.status_values);
  try {
    return parseXesSection(m.xes ?? {}, (w) => statuses.get(w) ?? statuses.get(wordKey(w)));
  } catch (err) {
    if (err instanceof XesMappingError) throw new MappingError(`${label}: ${err.message}`);
    throw err;
  }
}

export function loadMapping(path: string): Mapping {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new MappingError(`mapping ${path}: cannot read it as JSON (${(err as Error).message})`);
  }
  return parseMapping(json, `mapping ${path}`);
}

/** A value map keyed by `wordKey`, with the contract's own words mapping to themselves. */
export function wordMap(
  vocab: readonly string[],
  extra: Record<string, string> | undefined,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of vocab) out.set(wordKey(v), v);
  for (const [from, to] of Object.entries(extra ?? {})) out.set(wordKey(from), to);
  return out;
}
