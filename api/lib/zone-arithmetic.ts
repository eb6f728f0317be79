/**
 * A local date and a deadline N calendar days on, for ten million timestamps, without a time-zone conversion
 * per row. DuckDB's ICU converts each TIMESTAMPTZ on its own: `ts::DATE` costs about 1 s per ten million
 * cases, and `ts + to_days(n)` 1.8 s (metrics/facts.ts makes both for every case).
 *
 * Most UTC days lie well inside one UTC offset. `zoneArithmetic` works out, with ICU, once per UTC day of the data's
 * span, the session zone's offset on the days whose offset holds from the start of the day before to the end of
 * the day after (hour by hour, and the last second). On such a day, the local date is the day of the instant plus
 * that offset, and a deadline whose instant N × 24 h on falls on a day of the same offset is exactly that instant:
 * its wall clock is the start's, N days on. Any other instant (a day near a change of offset, out of the span, a
 * NULL) takes ICU's own conversion, so each expression equals ICU's wherever it is used (tested against ICU every
 * 61 minutes from 1968 to 2035, in Tehran, in zones that change by 30 minutes or skip a whole day, and in UTC).
 *
 * The import has a table of its own per day (import/sql-dates.ts `zoneDays`), the other way round: a local day's
 * offsets, to turn a written wall-clock time into an instant, from Node's ICU so that it gives the instants the
 * API's filters give. This one must equal DuckDB's `::DATE` and `to_days`, which the fact tables used before it.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

const DAY_US = 86_400_000_000;
/** Beyond ± this many days a deadline takes ICU's addition. */
const MAX_DAYS = 100_000;
/** The longest span of days on the arithmetic (55 years; the list is some 120 kB of SQL, seven times over in facts.ts). */
const MAX_SPAN = 20_000;

export interface ZoneArithmetic {
  /** How many UTC days take the arithmetic (the rest take ICU). */
  fastDays: number;
  /** SQL for the local DATE of the TIMESTAMPTZ expression `ts`; equals `ts::DATE`. */
  localDate(ts: string): string;
  /** SQL for `ts + to_days(n)` (INTEGER `n`), as ICU adds calendar days in the session's zone. */
  addDays(ts: string, n: string): string;
}

const ICU_ONLY: ZoneArithmetic = {
  fastDays: 0,
  localDate: (ts) => `${ts}::DATE`,
  addDays: (ts, n) => `${ts} + to_days(${n})`,
};

/**
 * The offsets of the UTC days `fromSql`..`toSql` (SQL for TIMESTAMPTZ bounds, e.g. min and max of a column),
 * in the connection's session time zone, as a list literal that the expressions index by day.
 */
export async function zoneArithmetic(
  c: DuckDBConnection,
  fromSql: string,
  toSql: string,
): Promise<ZoneArithmetic> {
  const span = (
    await c.runAndReadAll(
      `SELECT (epoch_us(${fromSql}) // ${DAY_US})::INTEGER AS lo, (epoch_us(${toSql}) // ${DAY_US})::INTEGER AS hi`,
    )
  ).getRowObjects()[0] as { lo: number | null; hi: number | null };
  // the integer division truncates towards zero, so a local time must not fall before 1970: the arithmetic starts
  // on 3 January 1970 (no offset is more than a day), and the instants before it keep ICU
  if (span.lo === null || span.hi === null || span.hi < 2) return ICU_ONLY;
  const lo = Math.max(span.lo, 2);
  // a list of at most MAX_SPAN days (the SQL carries it): the days after it keep ICU
  const hi = Math.min(span.hi, lo + MAX_SPAN - 1);
  // the offset (seconds) at each hour and at the last second of each UTC day from the day before the span to the day
  // after it, once; then, for each day d, whether the days d - 1, d and d + 1 all have one offset
  const rows = (
    await c.runAndReadAll(
      `SELECT d, CASE WHEN lo3 = hi3 THEN lo3 END::INTEGER AS o
       FROM (SELECT d, min(lo1) OVER w AS lo3, max(hi1) OVER w AS hi3
         FROM (SELECT d, min(o) AS lo1, max(o) AS hi1
           FROM (SELECT d, epoch(to_timestamp(d * 86400 + s)::TIMESTAMP) - (d * 86400 + s) AS o
             FROM range(${lo - 1}, ${hi + 2}) r(d), (SELECT unnest(range(0, 86400, 3600)) AS s UNION ALL SELECT 86399))
           GROUP BY d)
         WINDOW w AS (ORDER BY d ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING))
       WHERE d BETWEEN ${lo} AND ${hi}
       ORDER BY d`,
    )
  ).getRowObjects() as { d: number; o: number | null }[];
  const list = `([${rows.map((r) => r.o ?? 'NULL').join(',')}]::INTEGER[])`;
  // the offset of the day holding the instant `us` (microseconds), NULL outside the span (a list index below 1
  // would count from the list's end)
  const offset = (us: string) =>
    `CASE WHEN ${us} >= ${lo * DAY_US} THEN ${list}[(${us} // ${DAY_US})::INTEGER - ${lo - 1}] END`;
  return {
    fastDays: rows.filter((r) => r.o !== null).length,
    localDate: (ts) =>
      `coalesce(DATE '1970-01-01' + ((epoch_us(${ts}) + ${offset(`epoch_us(${ts})`)}::BIGINT * 1000000) // ${DAY_US})::INTEGER, ${ts}::DATE)`,
    // n is clamped inside the condition so that no sum overflows; a clamped n fails the condition's first part
    addDays: (ts, n) => {
      const at = `(epoch_us(${ts}) + least(greatest(${n}, -${MAX_DAYS}), ${MAX_DAYS})::BIGINT * ${DAY_US})`;
      return `CASE WHEN ${n} BETWEEN -${MAX_DAYS} AND ${MAX_DAYS} AND ${offset(`epoch_us(${ts})`)} = ${offset(at)}
        THEN make_timestamptz(${at}) ELSE ${ts} + to_days(${n}) END`;
    },
  };
}
