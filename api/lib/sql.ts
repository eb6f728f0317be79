/** How values cross from DuckDB rows to JSON answers: nullable numbers, and instants as ISO 8601 UTC text. */

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** ISO 8601 UTC text for a TIMESTAMPTZ expression ('2022-07-24T05:33:00Z'). */
export const isoSql = (expr: string): string =>
  `strftime((${expr}) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ')`;

/** The same text for an epoch-seconds value. */
export const isoFromEpoch = (s: number | null): string | null =>
  s === null ? null : new Date(Math.round(s) * 1000).toISOString().replace('.000Z', 'Z');
