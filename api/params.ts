/**
 * Query-parameter schemas that several endpoints share, and `query()`, which every endpoint's query
 * schema goes through: a strict object, so a parameter the endpoint does not know is a 400 that names
 * it (a typo such as `distrcit=5` must not answer with the whole city's numbers) and suggests the
 * nearest known name.
 */
import { z } from '@hono/zod-openapi';

/** Longest accepted parameter value: a 10 KB value is a clean 400, not a slow query. */
export const MAX_PARAM_LENGTH = 200;

export const text = (description: string) => z.string().max(MAX_PARAM_LENGTH).openapi({ description });

export const intParam = (name: string, min: number, max: number, description: string) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`)
    .openapi({ description, type: 'integer' });

export const CALENDARS = ['gregorian', 'jalali'] as const;
export type Calendar = (typeof CALENDARS)[number];

export const CalendarParam = z.enum(CALENDARS).default('gregorian').openapi({
  description: "Month keys: Gregorian 'YYYY-MM' or Solar Hijri (Jalali) 'YYYY-MM', Tehran local time",
});

/**
 * `format=xlsx` on a table endpoint: the same answer as an Excel workbook (api/export/xlsx.ts, the
 * endpoints listed in api/export/sheets.ts), recorded in the audit log as an export.
 */
export const FormatParam = z.enum(['json', 'xlsx']).optional().openapi({
  description:
    'xlsx: the same rows as an Excel workbook (right-to-left sheet, Persian headers, the filters in the first rows); each download is recorded in the audit log',
});

/**
 * DESIGN 6: how over-dispersion widens the funnel: multiplicative φ (default) or the additive
 * random-effects τ² (FunnelPlotR's SHMI way), for when large groups would otherwise be flagged for
 * differences too small to matter.
 */
export const FunnelMethodParam = z.enum(['multiplicative', 'additive']).default('multiplicative').openapi({
  description:
    "Over-dispersion: multiplicative (limits × √φ) or additive (random effects: τ² added to each group's variance)",
});

/** DESIGN 6 and 7: groups below min_n (default 30) are shown but take no part in the tests. */
export const FunnelMinN = intParam(
  'min_n',
  0,
  1_000_000,
  'Groups with a smaller volume are shown but not tested',
).default(30);

/** Edit distance, for "did you mean …?" (names are short, so the quadratic table is nothing). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** The message for parameters an endpoint does not take; the error's `parameter` is the first of them. */
export function unknownParameterMessage(keys: readonly string[], known: readonly string[]): string {
  const name = keys[0] ?? '';
  const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
  const near = known
    .map((k) => [k, distance(name.toLowerCase(), k)] as const)
    .filter(([k, d]) => d <= Math.max(1, Math.floor(k.length / 3)))
    .sort((a, b) => a[1] - b[1])[0]?.[0];
  const others = keys.length > 1 ? ` (and ${keys.length - 1} more unknown)` : '';
  const hint = near
    ? `did you mean ${near}?`
    : known.length
      ? `it takes ${known.join(', ')}`
      : 'it takes no parameters';
  return `${shown} is not a parameter of this endpoint${others}; ${hint}`;
}

/** An endpoint's query schema: exactly these parameters, an unknown one is a 400 naming it. */
export function query<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? unknownParameterMessage(issue.keys, known) : undefined,
  });
}
