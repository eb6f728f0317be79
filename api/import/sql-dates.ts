/**
 * The data contract's timestamps parsed in DuckDB SQL, set-based, with exactly the answers of `parseTimestamp`
 * (api/lib/dates.ts, which the API's filters keep using): ISO 8601 and Solar Hijri in Latin, Persian and
 * Arabic-Indic digits, `date_order` for NN/NN/YYYY, and naive times read in the import's zone with the same
 * choice in daylight-saving gaps and overlaps. test/import/sql-dates.test.ts holds the two side by side on
 * 100,000 random strings.
 *
 * How:
 * - Every cell is text (a Jalali date must never meet DuckDB's own timestamp cast, which would read 1401 as a
 *   Gregorian year). The fixed shapes (2022-07-24, 2022-07-24 10:03[:00], 1401/05/02 10:03, 2022-07-24T10:03:00+04:30
 *   or …Z, in any of the three digit systems) are cut at fixed positions; every other cell goes through the
 *   regular expressions of dates.ts, rewritten for RE2 (no back-references; JavaScript's \s, `.` and trim()
 *   spelled out).
 * - Jalali → Gregorian: a table of Jalali years 1–1699 (the day number of 1 Farvardin and the leap flag) made in
 *   SQL by the same Borkowski "break years" rule as jalali.ts, so a date is a join plus month arithmetic.
 * - Wall-clock → instant: the zone's offsets, sampled where dates.ts samples them (UTC half-hours for Tehran,
 *   quarter-hours elsewhere) and turned into one row per local day for 1900–2100: the offset at the day's start
 *   and, on a day the clocks change, the local second from which the new offset holds (a skipped time is read
 *   with the old offset; a repeated one as its first occurrence — dates.ts's rule). The offsets come from the
 *   same lookup as dates.ts (Node's ICU): DuckDB's ICU carries other tz data for some years. Days outside that
 *   range (garbage years, mostly) ask DuckDB's ICU row by row with dates.ts's own procedure.
 *
 * `dateLayers` is the parser as layers (each one projection over the one below, so an intermediate value is
 * computed once per row). The importer runs it on DISTINCT values only (`dateKeyTable`: the date part of a
 * fixed-shape cell, or the whole of any other cell) and gives each row its day, time digits and zone by joins
 * (`keyedDateLayers`). No scalar subqueries per row: DuckDB plans each as a cross product.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type DateOrder, zoneOffsetMs } from '../lib/dates.ts';

/** JavaScript's \s and String.prototype.trim() set. */
const WS =
  '[\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]';
/** JavaScript's `.` without the s flag. */
const DOT = '[^\\n\\r\\x{2028}\\x{2029}]';

const D = '[0-9۰-۹٠-٩]';
const FAST_RE = `${D}{4}[-/]${D}{2}[-/]${D}{2}(?:[ T]${D}{2}:${D}{2}(?::${D}{2})?)?`;
// dates.ts YMD: /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:(?:[T ]|\s+)(.*))?$/ (the back-reference as two branches)
const YMD_RE = `^(\\d{4})(?:-(\\d{1,2})-(\\d{1,2})|/(\\d{1,2})/(\\d{1,2}))(?:(?:[T ]|${WS}+)(${DOT}*))?$`;
// dates.ts SLASH_Y_LAST: /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:\s+(.*))?$/
const SLASH_RE = `^(\\d{1,2})(?:/(\\d{1,2})/|\\.(\\d{1,2})\\.|-(\\d{1,2})-)(\\d{4})(?:${WS}+(${DOT}*))?$`;
// dates.ts TIME
const TIME_RE = `^(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?${WS}*(?:([AaPp])\\.?[Mm]\\.?)?${WS}*(Z|[+-]\\d{2}(?::?\\d{2})?)?$`;

const sq = (s: string) => `'${s.replace(/'/g, "''")}'`;

// Jalali year boundaries of the Borkowski algorithm (jalali.ts BREAKS).
const BREAKS = [
  -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178,
];

/** First and last (exclusive) local day of the per-day zone table: 1900-01-01 and 2100-01-01. */
export const ZONE_DAYS = { lo: -25_567, hi: 47_482 } as const;

const MACROS = [
  // Persian and Arabic-Indic digits to Latin (digits.ts toLatinDigits)
  `CREATE OR REPLACE TEMP MACRO sh_latin(s) AS translate(s, '۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩', '01234567890123456789')`,
  // String.prototype.trim()
  `CREATE OR REPLACE TEMP MACRO sh_js_trim(s) AS regexp_replace(s, ${sq(`^${WS}+|${WS}+$`)}, '', 'g')`,
  // JavaScript's s.length (UTF-16 units)
  `CREATE OR REPLACE TEMP MACRO sh_js_len(s) AS
     length(s) + length(regexp_replace(s, '[^\\x{10000}-\\x{10FFFF}]', '', 'g'))`,
  // JavaScript's s.slice(0, n): n UTF-16 units; a character cut in half becomes U+FFFD, as Node writes it out
  `CREATE OR REPLACE TEMP MACRO sh_js_left(s, n) AS CASE
     WHEN NOT regexp_matches(s, '[\\x{10000}-\\x{10FFFF}]') THEN left(s, n)
     ELSE array_to_string(list_filter(list_transform(string_split(s, ''), (ch, i) ->
       CASE WHEN list_sum(list_transform(string_split(s, '')[1:i], x -> CASE WHEN unicode(x) > 65535 THEN 2 ELSE 1 END)) <= n THEN ch
            WHEN list_sum(list_transform(string_split(s, '')[1:i], x -> CASE WHEN unicode(x) > 65535 THEN 2 ELSE 1 END)) - 1 = n
                 AND unicode(ch) > 65535 THEN '\uFFFD' END), x -> x IS NOT NULL), '') END`,
  // days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil); like Date.UTC, years
  // 0–99 are read as 1900–1999
  `CREATE OR REPLACE TEMP MACRO sh_civil_y(y0, m) AS
     (CASE WHEN y0 BETWEEN 0 AND 99 THEN y0 + 1900 ELSE y0 END)::BIGINT - (m <= 2)::BIGINT`,
  `CREATE OR REPLACE TEMP MACRO sh_civil_era(y) AS (CASE WHEN y >= 0 THEN y ELSE y - 399 END) // 400`,
  `CREATE OR REPLACE TEMP MACRO sh_civil_day2(y, era, m, d) AS
     era * 146097 + (y - era * 400) * 365 + (y - era * 400) // 4 - (y - era * 400) // 100
     + (153 * (m + CASE WHEN m > 2 THEN -3 ELSE 9 END) + 2) // 5 + d - 1 - 719468`,
  `CREATE OR REPLACE TEMP MACRO sh_civil_day(y0, m, d) AS
     sh_civil_day2(sh_civil_y(y0, m), sh_civil_era(sh_civil_y(y0, m)), m, d)`,
  `CREATE OR REPLACE TEMP MACRO sh_greg_valid(y, m, d) AS
     m BETWEEN 1 AND 12 AND d >= 1 AND y >= 1 AND d <= CASE
       WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
       WHEN m IN (4, 6, 9, 11) THEN 30 ELSE 31 END`,
];

/** Macros that hold the zone: its name (checked against Intl's list of zones) and dates.ts's sampling. */
function zoneMacros(zone: string, bucket: number, win: number): string[] {
  return [
    // ICU's UTC offset (seconds) of the import's zone at a UTC second
    `CREATE OR REPLACE TEMP MACRO sh_icu_off(u) AS (epoch(timezone(${sq(zone)}, to_timestamp(u)))::BIGINT - u)`,
    // dates.ts's offset lookup: ICU at the start of the sampling bucket that holds the instant (ms)
    `CREATE OR REPLACE TEMP MACRO sh_bucket_off(x) AS sh_icu_off(floor(x / ${1000 * bucket})::BIGINT * ${bucket})`,
    // dates.ts zonedLocalToUtcMs / tehranLocalToUtcMs step by step (before/after, then which reading is valid)
    `CREATE OR REPLACE TEMP MACRO sh_pick(l, before, after) AS CASE
       WHEN before = after THEN l - 1000 * before
       WHEN sh_bucket_off(l - 1000 * before) = before AND sh_bucket_off(l - 1000 * after) = after
         THEN least(l - 1000 * before, l - 1000 * after)
       WHEN sh_bucket_off(l - 1000 * before) = before THEN l - 1000 * before
       WHEN sh_bucket_off(l - 1000 * after) = after THEN l - 1000 * after
       ELSE l - 1000 * before END`,
    `CREATE OR REPLACE TEMP MACRO sh_local_to_utc_slow(l) AS
       sh_pick(l, sh_bucket_off(l - ${1000 * win}), sh_bucket_off(l + ${1000 * win}))`,
  ];
}

/**
 * Jalali years 1–1699 as lists indexed by the year: the day number (days since 1970-01-01) of 1 Farvardin, and
 * whether Esfand has 30 days. jalali.ts jalCal, line by line.
 */
const JALALI_YEARS = `CREATE OR REPLACE TEMP TABLE sh_jy AS
WITH b AS (SELECT unnest(${`[${BREAKS.join(', ')}]`}) AS v, generate_subscripts(${`[${BREAKS.join(', ')}]`}, 1) AS i),
seg AS (SELECT lag(v) OVER (ORDER BY i) AS jp, v AS jm, v - lag(v) OVER (ORDER BY i) AS jump FROM b),
seg2 AS (
  SELECT jp, jm, jump,
    -14 + coalesce(sum(jump // 33 * 8 + (jump % 33) // 4) OVER (ORDER BY jm ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS base
  FROM seg WHERE jp IS NOT NULL),
y AS (SELECT t.jy::BIGINT AS jy, jp, jump, base, t.jy - jp AS n FROM range(1, 1700) t(jy) JOIN seg2 ON t.jy >= jp AND t.jy < jm),
z AS (
  SELECT jy, jump, n,
    base + n // 33 * 8 + (n % 33 + 3) // 4 + CASE WHEN jump % 33 = 4 AND jump - n = 4 THEN 1 ELSE 0 END AS leap_j,
    (jy + 621) // 4 - ((jy + 621) // 100 + 1) * 3 // 4 - 150 AS leap_g,
    CASE WHEN jump - n < 6 THEN n - jump + (jump + 4) // 33 * 33 ELSE n END AS n2
  FROM y),
r AS (
  SELECT jy, sh_civil_day(jy + 621, 3, 20 + leap_j - leap_g) AS farvardin1,
    CASE WHEN ((n2 + 1) % 33 - 1) % 4 = -1 THEN 4 ELSE ((n2 + 1) % 33 - 1) % 4 END = 0 AS leap
  FROM z)
SELECT jy::INTEGER AS jy, farvardin1::INTEGER AS farvardin1, leap FROM r`;

interface ZoneDays {
  offs: number[];
  /** Offset at the start of the day after the range. */
  nextOff: number;
  bsec: (number | null)[];
  boff: (number | null)[];
}

const zoneDaysCache = new Map<string, ZoneDays>();

/**
 * The zone's offsets per local day of ZONE_DAYS (see the module comment), from the same offset lookup as dates.ts
 * (Node's ICU): DuckDB's own ICU carries other tz data for some years (it starts Tehran's 1979 summer time a day
 * earlier), and the import must give the instants the API's filters give.
 */
export function zoneDays(zone: string): ZoneDays {
  const hit = zoneDaysCache.get(zone);
  if (hit) return hit;
  const bucket = (zone === 'Asia/Tehran' ? 1800 : 900) * 1000;
  const f = (ms: number) => zoneOffsetMs(zone, ms) / 1000;
  const DAY = 86_400_000;
  const from = (ZONE_DAYS.lo - 2) * DAY;
  const to = (ZONE_DAYS.hi + 2) * DAY;
  const step = 7 * DAY;
  // transitions: [UTC ms of the first bucket with the new offset, offset before, offset after]
  const transitions: [number, number, number][] = [];
  let u = from;
  let cur = f(u);
  const first = cur;
  while (u < to) {
    const next = Math.min(u + step, to);
    if (f(next) !== cur) {
      let lo = Math.floor(u / bucket);
      let hi = Math.floor(next / bucket);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (f(mid * bucket) === cur) lo = mid;
        else hi = mid;
      }
      const t = hi * bucket;
      const after = f(t);
      transitions.push([t, cur, after]);
      cur = after;
      u = t;
      continue;
    }
    u = next;
  }
  // a local time from T + max(before, after) on reads with the new offset (dates.ts's gap and overlap rule)
  const bounds = transitions.map(([t, a, b]) => [t / 1000 + Math.max(a, b), b] as const);
  const n = ZONE_DAYS.hi - ZONE_DAYS.lo;
  const out: ZoneDays = {
    offs: new Array(n),
    nextOff: 0,
    bsec: new Array(n).fill(null),
    boff: new Array(n).fill(null),
  };
  let k = 0;
  let off = first;
  for (let i = 0; i < n; i++) {
    const start = (ZONE_DAYS.lo + i) * 86_400;
    while (k < bounds.length && bounds[k][0] <= start) off = bounds[k++][1];
    out.offs[i] = off;
    if (k < bounds.length && bounds[k][0] < start + 86_400) {
      out.bsec[i] = bounds[k][0] - start;
      out.boff[i] = bounds[k][1];
    }
  }
  const end = ZONE_DAYS.hi * 86_400;
  while (k < bounds.length && bounds[k][0] <= end) off = bounds[k++][1];
  out.nextOff = off;
  zoneDaysCache.set(zone, out);
  return out;
}

/**
 * Creates the macros and tables the date layers use, on this connection, for the import's zone. Tehran samples
 * offsets per UTC half-hour within ±12 h, other zones per quarter-hour within ±14 h (dates.ts).
 */
export async function installDateSql(c: DuckDBConnection, zone = 'Asia/Tehran'): Promise<void> {
  const tehran = zone === 'Asia/Tehran';
  if (!tehran && !Intl.supportedValuesOf('timeZone').includes(zone) && zone !== 'UTC') {
    throw new RangeError(`time zone "${zone}" is not an IANA time zone`);
  }
  for (const m of [...MACROS, ...zoneMacros(zone, tehran ? 1800 : 900, tehran ? 12 * 3600 : 14 * 3600)]) {
    await c.run(m);
  }
  await c.run(JALALI_YEARS);
  const days = zoneDays(zone);
  const n = days.offs.length;
  await c.run(
    `CREATE OR REPLACE TEMP TABLE sh_tzday AS
     SELECT (${ZONE_DAYS.lo} + i - 1)::INTEGER AS day, offs[i] AS off, bsec[i] AS bsec, boff[i] AS boff,
       offs[i + 1] AS noff
     FROM (SELECT $offs::INTEGER[] AS offs, $bsec::INTEGER[] AS bsec, $boff::INTEGER[] AS boff),
       range(1, ${n} + 1) t(i)`,
    {
      offs: JSON.stringify([...days.offs, days.nextOff]),
      bsec: JSON.stringify(days.bsec),
      boff: JSON.stringify(days.boff),
    },
  );
}

export interface DateLayerOptions {
  order?: DateOrder;
}

/**
 * CASE branches (WHEN … ELSE …, without the closing END) turning a naive local time `loc` (ms) into the
 * instant: from the local day's zone row (`zd` its day, `zo` its offset, `zb`/`zbo` a change within the
 * day and the offset after it), else the slow per-value conversion.
 */
const zonedInstantSql = (loc: string, zd: string, zo: string, zb: string, zbo: string) =>
  `WHEN ${zd} IS NOT NULL THEN ${loc} - 1000 * CASE WHEN ${zb} IS NOT NULL AND ${loc} - ${zd}::BIGINT * 86400000 >= 1000 * ${zb} THEN ${zbo} ELSE ${zo} END
        ELSE sh_local_to_utc_slow(${loc})`;

/** The same for the last millisecond of `loc`'s local day (`znoff`: the next day's offset). */
const zonedDayEndSql = (loc: string, zd: string, znoff: string) =>
  `WHEN ${zd} IS NOT NULL THEN (${zd} + 1)::BIGINT * 86400000 - 1000 * ${znoff} - 1
        ELSE sh_local_to_utc_slow((floor(${loc} / 86400000)::BIGINT + 1) * 86400000) - 1`;

/**
 * The reject message and reason of a date cell `r` from its error code `e2` (dates.ts's words); the
 * message quotes the cell in double quotes, cut to 60 characters.
 */
function dateErrorColumns(col: string, r: string, e2: string): string[] {
  const quoted = `'"' || CASE WHEN sh_js_len(${r}) > 60 THEN sh_js_left(${r}, 60) || '…' ELSE ${r} END || '"'`;
  return [
    `CASE ${e2}
      WHEN 'empty' THEN 'empty date'
      WHEN 'format' THEN 'not a date in a recognised form (ISO 2022-07-24 or Solar Hijri 1401/05/02): ' || ${quoted}
      WHEN 'order' THEN 'day/month order is ambiguous; declare date_order (mdy or dmy) in the mapping: ' || ${quoted}
      WHEN 'time_format' THEN 'time is not in a recognised form (hh:mm[:ss]): ' || ${quoted}
      WHEN 'ampm' THEN 'hour must be 1–12 with AM/PM: ' || ${quoted}
      WHEN 'offset' THEN 'offset out of range: ' || ${quoted}
      WHEN 'time' THEN 'time out of range: ' || ${quoted}
      WHEN 'jalali' THEN 'no such Solar Hijri date: ' || ${quoted}
      WHEN 'date' THEN 'no such date: ' || ${quoted}
     END AS ${col}__e`,
    `CASE WHEN ${e2} = 'empty' THEN 'empty' WHEN ${e2} IN ('format', 'order', 'time_format') THEN 'format'
      WHEN ${e2} IS NOT NULL THEN 'invalid_date' END AS ${col}__reason`,
  ];
}

/**
 * SQL for one date column, as expressions per layer (see `applyLayers`). Input: column `${col}__r`, the cell as
 * read (trimmed, NULL when empty). Output columns after the last layer:
 * - `${col}__ms` BIGINT: the instant in epoch milliseconds, or NULL;
 * - `${col}__ht` BOOLEAN: whether a time was given;
 * - `${col}__e` VARCHAR: parseTimestamp's message when the cell is not a valid date (NULL when it is, or is NULL);
 * - `${col}__reason` VARCHAR: parseTimestamp's reason (empty, format, invalid_date).
 * Scalar columns only: DuckDB 1.5 crashed on pruned struct columns built in CASE branches.
 */
export function dateLayers(col: string, opts: DateLayerOptions = {}): string[][] {
  const n = (x: string) => `${col}__${x}`;
  const [r, f, t, ym, sm] = ['r', 'f', 't', 'ym', 'sm'].map(n);
  const [err, y, mo, d, rest, jal] = ['err', 'y', 'mo', 'd', 'rest', 'jal'].map(n);
  const [x, tok, th, tmi, ts, tfrac, tap, toff] = ['x', 'tok', 'th', 'tmi', 'ts', 'tfrac', 'tap', 'toff'].map(
    n,
  );
  const [h, frac, off, badap, badoff, e2, loc] = ['h', 'frac', 'off', 'badap', 'badoff', 'e2', 'loc'].map(n);
  const [jy, f1, leap, zd, zo, zb, zbo, znoff] = ['jy', 'f1', 'leap', 'zd', 'zo', 'zb', 'zbo', 'znoff'].map(
    n,
  );
  const ord = opts.order;
  const int = (v: string) => `TRY_CAST(${v} AS INTEGER)`;
  // a digit's value in any of the three systems: 0–9, ۰–۹ and ٠–٩ all end in 0x0…0x9
  const dg = (i: number) => `(unicode(substr(${r}, ${i}, 1)) % 16)`;
  const num2 = (i: number) => `(${dg(i)} * 10 + ${dg(i + 1)})`;
  const ymd = (i: number) => `regexp_extract(${t}, ${sq(YMD_RE)}, ${i})`;
  const slash = (i: number) => `regexp_extract(${t}, ${sq(SLASH_RE)}, ${i})`;
  const time = (i: number) => `regexp_extract(${x}, ${sq(TIME_RE)}, ${i})`;
  const slashMid = `coalesce(nullif(${slash(2)}, ''), nullif(${slash(3)}, ''), ${slash(4)})`;
  const offDigits = `replace(${toff}, ':', '')`;
  const day = `floor(${loc} / 86400000)::INTEGER`;
  return [
    // 1: the fixed-position shape (dates.ts parseCommon, and the same reading of it in Persian or Arabic digits)
    [
      `coalesce(length(${r}) IN (10, 16, 19) AND regexp_full_match(${r}, ${sq(FAST_RE)}) AND substr(${r}, 5, 1) = substr(${r}, 8, 1), false) AS ${f}`,
    ],
    // 2: everything else, in Latin digits and trimmed
    [`CASE WHEN ${r} IS NULL OR ${f} THEN NULL ELSE sh_js_trim(sh_latin(${r})) END AS ${t}`],
    // 3: which general form
    [
      `CASE WHEN ${t} IS NULL OR ${t} = '' THEN NULL ELSE regexp_matches(${t}, ${sq(YMD_RE)}) END AS ${ym}`,
      `CASE WHEN ${t} IS NULL OR ${t} = '' OR regexp_matches(${t}, ${sq(YMD_RE)}) THEN NULL ELSE regexp_matches(${t}, ${sq(SLASH_RE)}) END AS ${sm}`,
    ],
    // 4: date parts, or an error state
    [
      `CASE WHEN ${r} IS NULL OR ${f} OR ${ym} THEN NULL WHEN ${t} = '' THEN 'empty' WHEN NOT ${sm} THEN 'format'
        ${ord ? '' : `ELSE 'order'`} END AS ${err}`,
      `CASE WHEN ${f} THEN ${dg(1)} * 1000 + ${dg(2)} * 100 + ${num2(3)} WHEN ${ym} THEN ${int(ymd(1))} WHEN ${sm} THEN ${int(slash(5))} END AS ${y}`,
      `CASE WHEN ${f} THEN ${num2(6)} WHEN ${ym} THEN ${int(`coalesce(nullif(${ymd(2)}, ''), ${ymd(4)})`)}
        WHEN ${sm} THEN ${int(ord === 'dmy' ? slashMid : slash(1))} END AS ${mo}`,
      `CASE WHEN ${f} THEN ${num2(9)} WHEN ${ym} THEN ${int(`coalesce(nullif(${ymd(3)}, ''), ${ymd(5)})`)}
        WHEN ${sm} THEN ${int(ord === 'dmy' ? slash(1) : slashMid)} END AS ${d}`,
      `CASE WHEN ${f} THEN CASE WHEN length(${r}) > 10 THEN '' END WHEN ${ym} THEN ${ymd(6)}
        WHEN ${sm} THEN ${slash(6)} END AS ${rest}`,
    ],
    // 5: Jalali when the year is below 1700; the time text (NULL: no time)
    [
      `((${f} OR coalesce(${ym}, false)) AND coalesce(${y} < 1700, false)) AS ${jal}`,
      `CASE WHEN ${err} IS NOT NULL OR ${rest} IS NULL THEN NULL WHEN ${f} THEN '' ELSE nullif(sh_js_trim(${rest}), '') END AS ${x}`,
    ],
    // 6: whether the time is one; the Jalali year's first day and leap flag
    [
      `CASE WHEN ${x} IS NULL THEN NULL WHEN ${f} THEN true ELSE regexp_matches(${x}, ${sq(TIME_RE)}) END AS ${tok}`,
      `LEFT JOIN (SELECT jy AS ${jy}, farvardin1 AS ${f1}, leap AS ${leap} FROM sh_jy) AS ${col}__jt ON ${jy} = CASE WHEN ${jal} THEN ${y} END`,
    ],
    // 7: time parts
    [
      `CASE WHEN ${tok} IS NOT TRUE THEN NULL WHEN ${f} THEN ${num2(12)} ELSE ${int(time(1))} END AS ${th}`,
      `CASE WHEN ${tok} IS NOT TRUE THEN NULL WHEN ${f} THEN ${num2(15)} ELSE ${int(time(2))} END AS ${tmi}`,
      `CASE WHEN ${tok} IS NOT TRUE THEN NULL WHEN ${f} THEN CASE WHEN length(${r}) = 19 THEN ${num2(18)} END ELSE ${int(time(3))} END AS ${ts}`,
      `CASE WHEN ${tok} IS NOT TRUE OR ${f} THEN '' ELSE ${time(4)} END AS ${tfrac}`,
      `CASE WHEN ${tok} IS NOT TRUE OR ${f} THEN '' ELSE ${time(5)} END AS ${tap}`,
      `CASE WHEN ${tok} IS NOT TRUE OR ${f} THEN '' ELSE ${time(6)} END AS ${toff}`,
    ],
    // 8: time values (dates.ts: AM/PM, then the offset)
    [
      `CASE WHEN ${th} IS NULL THEN 0 WHEN ${tap} = '' THEN ${th}
        ELSE ${th} % 12 + CASE WHEN lower(${tap}) = 'p' THEN 12 ELSE 0 END END AS ${h}`,
      `CASE WHEN ${tfrac} = '' THEN 0 ELSE round(TRY_CAST('0.' || ${tfrac} AS DOUBLE) * 1000)::BIGINT END AS ${frac}`,
      `CASE WHEN ${toff} = '' THEN NULL WHEN ${toff} = 'Z' THEN 0
        ELSE (CASE WHEN ${toff}[1] = '-' THEN -1 ELSE 1 END) * (${int(`substr(${offDigits}, 2, 2)`)} * 60 + coalesce(${int(`substr(${offDigits}, 4, 2)`)}, 0)) END AS ${off}`,
      `coalesce(${tap} <> '' AND NOT (${th} BETWEEN 1 AND 12), false) AS ${badap}`,
      `coalesce(${toff} NOT IN ('', 'Z') AND (${int(`substr(${offDigits}, 2, 2)`)} > 14 OR coalesce(${int(`substr(${offDigits}, 4, 2)`)}, 0) > 59), false) AS ${badoff}`,
    ],
    // 9: the checks in dates.ts's order
    [
      `CASE WHEN ${r} IS NULL THEN NULL WHEN ${err} IS NOT NULL THEN ${err}
          WHEN NOT coalesce(${tok}, true) THEN 'time_format'
          WHEN ${badap} THEN 'ampm'
          WHEN ${badoff} THEN 'offset'
          WHEN ${x} IS NOT NULL AND (${h} > 23 OR coalesce(${tmi}, 0) > 59 OR coalesce(${ts}, 0) > 59) THEN 'time'
          WHEN ${jal} AND NOT coalesce(${y} BETWEEN 1 AND 1699 AND ${mo} BETWEEN 1 AND 12 AND ${d} >= 1 AND ${d} <= CASE
              WHEN ${mo} <= 6 THEN 31 WHEN ${mo} <= 11 THEN 30 WHEN ${leap} THEN 30 ELSE 29 END, false) THEN 'jalali'
          WHEN NOT ${jal} AND NOT coalesce(sh_greg_valid(${y}, ${mo}, ${d}), false) THEN 'date'
        END AS ${e2}`,
    ],
    // 10: the wall-clock time as if UTC
    [
      `CASE WHEN ${e2} IS NULL AND ${r} IS NOT NULL THEN (CASE WHEN ${jal}
            THEN ${f1} + (${mo} - 1) * 31 - (${mo} // 7) * (${mo} - 7) + ${d} - 1
            ELSE sh_civil_day(${y}, ${mo}, ${d}) END)::BIGINT * 86400000
          + ${h} * 3600000 + coalesce(${tmi}, 0) * 60000 + coalesce(${ts}, 0) * 1000 + ${frac} END AS ${loc}`,
    ],
    // 11: the zone's offsets on that local day
    [
      `LEFT JOIN (SELECT day AS ${zd}, off AS ${zo}, bsec AS ${zb}, boff AS ${zbo}, noff AS ${znoff} FROM sh_tzday) AS ${col}__zt
         ON ${zd} = CASE WHEN ${loc} IS NOT NULL AND ${off} IS NULL THEN ${day} END`,
    ],
    // 12: the instant, the end of its local day, and the message
    [
      `(CASE WHEN ${loc} IS NULL THEN NULL WHEN ${off} IS NOT NULL THEN ${loc} - ${off} * 60000
        ${zonedInstantSql(loc, zd, zo, zb, zbo)} END)::BIGINT AS ${col}__ms`,
      `(CASE WHEN ${loc} IS NULL THEN NULL ${zonedDayEndSql(loc, zd, znoff)} END)::BIGINT AS ${col}__eod`,
      `CASE WHEN ${loc} IS NOT NULL THEN ${x} IS NOT NULL END AS ${col}__ht`,
      ...dateErrorColumns(col, r, e2),
    ],
  ];
}

/**
 * Wraps `base` (a SELECT) in layers: layer i is `SELECT *, <every column's i-th expressions> FROM (<i - 1>)`, and a
 * layer's `LEFT JOIN …` items join small tables to it.
 */
export function applyLayers(base: string, layers: string[][][]): string {
  const depth = Math.max(0, ...layers.map((l) => l.length));
  let sql = base;
  for (let i = 0; i < depth; i++) {
    const items = layers.flatMap((l) => l[i] ?? []);
    const joins = items.filter((e) => e.startsWith('LEFT JOIN'));
    const exprs = items.filter((e) => !e.startsWith('LEFT JOIN'));
    if (items.length > 0) {
      sql = `SELECT *${exprs.length > 0 ? `, ${exprs.join(', ')}` : ''} FROM (${sql}) ${joins.join(' ')}`;
    }
  }
  return sql;
}

/**
 * Most cells have the fixed shape (2022-07-24 10:03, ۱۴۰۱/۰۵/۰۲ ۱۰:۰۳): their date part repeats across millions
 * of rows, so it is parsed once per DISTINCT value (`dateKeyTable`), and each row only reads its time digits and
 * joins the day and the zone. Any other cell is parsed once per distinct cell. Same answers as `dateLayers`.
 */
// the ISO shape with seconds and an offset (2022-07-24T10:03:00+04:30, …Z): its date part is a key as well; so is
// the date part of either shape with a fraction of a second after the seconds (…10:03:00.546+02:00, as event logs
// write every time): times that are all different still share their days
const FRAC = `[.,]${D}{1,9}`;
const OFFSET_RE = `${D}{4}-${D}{2}-${D}{2}[T ]${D}{2}:${D}{2}:${D}{2}(?:${FRAC})?(?:Z|[+-]${D}{2}:?${D}{2})`;
const FAST_FRAC_RE = `${D}{4}[-/]${D}{2}[-/]${D}{2}[ T]${D}{2}:${D}{2}:${D}{2}${FRAC}`;
// CASE, not AND: DuckDB evaluates both sides of an AND in a projection, so each regular expression would run on
// every cell; a CASE runs it on the cells of its lengths only (ten million cells: 0.67 s → 0.25 s for the offset's)
const fastSql = (v: string) =>
  `CASE WHEN length(${v}) IN (10, 16, 19) THEN regexp_full_match(${v}, ${sq(FAST_RE)})
       AND substr(${v}, 5, 1) = substr(${v}, 8, 1)
     WHEN length(${v}) BETWEEN 21 AND 29 THEN regexp_full_match(${v}, ${sq(FAST_FRAC_RE)})
       AND substr(${v}, 5, 1) = substr(${v}, 8, 1)
     ELSE false END`;
const offsetSql = (v: string) =>
  `CASE WHEN length(${v}) BETWEEN 20 AND 35 THEN regexp_full_match(${v}, ${sq(OFFSET_RE)}) ELSE false END`;

/**
 * A date column's shape flags over its cell `${col}__r`: `${col}__f` the fixed shape, `${col}__fo` the ISO shape
 * with an offset. Computed once per row where the cells are stored (rules.ts), read by `dateKeyTable` and
 * `keyedDateLayers`.
 */
export function dateFlagColumns(col: string): string[] {
  const r = `${col}__r`;
  return [`${fastSql(r)} AS ${col}__f`, `${offsetSql(r)} AS ${col}__fo`];
}

/**
 * CREATE TABLE of the distinct date keys of column `col` of `from` (a table with `${col}__r` and the flags of
 * `dateFlagColumns`), parsed with `dateLayers`: the date part of a fixed-shape cell, or the whole of any other.
 */
export function dateKeyTable(table: string, col: string, from: string, opts: DateLayerOptions = {}): string {
  const [r, f, fo] = [`${col}__r`, `${col}__f`, `${col}__fo`];
  const inner = `SELECT DISTINCT CASE WHEN ${f} OR ${fo} THEN left(${r}, 10) ELSE ${r} END AS k__r
    FROM ${from} WHERE ${r} IS NOT NULL`;
  // with the zone's row of the key's local day: a local date and time keyed by its date needs no join of its own
  return `CREATE OR REPLACE TEMP TABLE ${table} AS
    SELECT k__r AS k, k__e2 AS e2, k__loc AS loc, k__ms AS ms, k__ht AS ht, k__eod AS eod,
      k__zd AS zd, k__zo AS zo, k__zb AS zb, k__zbo AS zbo, k__znoff AS znoff
    FROM (${applyLayers(inner, [dateLayers('k', opts)])})`;
}

/**
 * Layers for one date column over a key table from `dateKeyTable`: input `${col}__r` and its flags
 * (`dateFlagColumns`); outputs `${col}__ms`, `${col}__ht`, `${col}__e`, `${col}__reason`, `${col}__eod` (end of
 * the local day), `${col}__loc` and `${col}__off` (wall-clock ms and the written offset in minutes, for calendar
 * days), as `dateLayers`.
 */
export function keyedDateLayers(col: string, keyTable: string): string[][] {
  const n = (x: string) => `${col}__${x}`;
  const [r, f, fo, key, kk, ke2, kloc, kms, kht, keod] = [
    'r',
    'f',
    'fo',
    'key',
    'kk',
    'ke2',
    'kloc',
    'kms',
    'kht',
    'keod',
  ].map(n);
  const [tbad, tod, ooff, obad, e2, loc, zd, zo, zb, zbo, znoff] = [
    'tbad',
    'tod',
    'ooff',
    'obad',
    'e2',
    'loc',
    'zd',
    'zo',
    'zb',
    'zbo',
    'znoff',
  ].map(n);
  const dg = (i: number) => `(unicode(substr(${r}, ${i}, 1)) % 16)`;
  const num2 = (i: number) => `(${dg(i)} * 10 + ${dg(i + 1)})`;
  // the offset of the ISO shape, at the end: +hh:mm, +hhmm or Z (after a fraction of a second, if any)
  const len = `length(${r})`;
  const olen = `CASE WHEN right(${r}, 1) = 'Z' THEN 1 WHEN substr(${r}, ${len} - 2, 1) = ':' THEN 6 ELSE 5 END`;
  const ostart = `(${len} - ${olen} + 1)`;
  const oh = `((unicode(substr(${r}, ${ostart} + 1, 1)) % 16) * 10 + (unicode(substr(${r}, ${ostart} + 2, 1)) % 16))`;
  const om = `CASE WHEN ${olen} = 6 THEN (unicode(substr(${r}, ${len} - 1, 1)) % 16) * 10 + (unicode(substr(${r}, ${len}, 1)) % 16)
    WHEN ${olen} = 5 THEN (unicode(substr(${r}, ${len} - 1, 1)) % 16) * 10 + (unicode(substr(${r}, ${len}, 1)) % 16) ELSE 0 END`;
  // the fraction's digits (dates.ts: Math.round(Number('0.' + digits) * 1000))
  const fracDigits = `substr(${r}, 21, CASE WHEN ${fo} THEN ${ostart} ELSE ${len} + 1 END - 21)`;
  const fracMs = `CASE WHEN (${f} OR ${fo}) AND ${len} > 20 AND substr(${r}, 20, 1) IN ('.', ',')
    THEN round(TRY_CAST('0.' || sh_latin(${fracDigits}) AS DOUBLE) * 1000)::BIGINT ELSE 0 END`;
  const [th, tmi, ts, toh, tom] = ['th', 'tmi', 'ts', 'toh', 'tom'].map(n);
  return [
    [
      `CASE WHEN ${f} OR ${fo} THEN left(${r}, 10) ELSE ${r} END AS ${key}`,
      `CASE WHEN (${f} OR ${fo}) AND length(${r}) > 10 THEN ${num2(12)} END AS ${th}`,
      `CASE WHEN (${f} OR ${fo}) AND length(${r}) > 10 THEN ${num2(15)} END AS ${tmi}`,
      `CASE WHEN (${f} OR ${fo}) AND length(${r}) >= 19 THEN ${num2(18)} ELSE 0 END AS ${ts}`,
      `CASE WHEN ${fo} AND ${olen} > 1 THEN ${oh} ELSE 0 END AS ${toh}`,
      `CASE WHEN ${fo} THEN ${om} ELSE 0 END AS ${tom}`,
      `${fracMs} AS ${n('tfr')}`,
    ],
    [
      `LEFT JOIN (SELECT k AS ${kk}, e2 AS ${ke2}, loc AS ${kloc}, ms AS ${kms}, ht AS ${kht}, eod AS ${keod},
         zd AS ${n('kzd')}, zo AS ${n('kzo')}, zb AS ${n('kzb')}, zbo AS ${n('kzbo')}, znoff AS ${n('kznoff')}
       FROM ${keyTable}) AS ${col}__kt ON ${kk} = ${key}`,
      `coalesce(${th} > 23 OR ${tmi} > 59 OR ${ts} > 59, false) AS ${tbad}`,
      `coalesce(${th} * 3600000 + ${tmi} * 60000 + ${ts} * 1000 + ${n('tfr')}, 0) AS ${tod}`,
      `CASE WHEN ${fo} THEN CASE WHEN ${olen} = 1 THEN 0 ELSE (CASE WHEN substr(${r}, ${ostart}, 1) = '-' THEN -1 ELSE 1 END) * (${toh} * 60 + ${tom}) END END AS ${ooff}`,
      `(${toh} > 14 OR ${tom} > 59) AS ${obad}`,
    ],
    [
      `CASE WHEN ${r} IS NULL THEN NULL WHEN ${obad} THEN 'offset' WHEN ${tbad} THEN 'time' ELSE ${ke2} END AS ${e2}`,
      `CASE WHEN ${ke2} IS NULL AND NOT ${tbad} AND NOT ${obad} AND (${f} OR ${fo}) THEN ${kloc} + ${tod} END AS ${n('wall')}`,
    ],
    [
      // the zone's row of the wall time's day: its date's, from the key table (NULL, so the slow conversion, in the
      // one case where the day differs: a fraction rounded up to the next midnight)
      `CASE WHEN ${f} AND ${n('wall')} IS NOT NULL AND floor(${n('wall')} / 86400000)::INTEGER = ${n('kzd')}
         THEN ${n('kzd')} END AS ${zd}`,
      `${n('kzo')} AS ${zo}`,
      `${n('kzb')} AS ${zb}`,
      `${n('kzbo')} AS ${zbo}`,
      `${n('kznoff')} AS ${znoff}`,
      // the wall-clock time in the import's zone (NULL when an offset was written) and the written offset
      `CASE WHEN ${f} THEN ${n('wall')} END AS ${loc}`,
      `${ooff} AS ${col}__off`,
    ],
    [
      `(CASE WHEN ${e2} IS NOT NULL OR ${r} IS NULL THEN NULL WHEN ${fo} THEN ${n('wall')} - ${ooff} * 60000
        WHEN NOT ${f} THEN ${kms}
        ${zonedInstantSql(loc, zd, zo, zb, zbo)} END)::BIGINT AS ${col}__ms`,
      `(CASE WHEN ${e2} IS NOT NULL OR ${r} IS NULL OR ${fo} THEN NULL WHEN NOT ${f} THEN ${keod}
        ${zonedDayEndSql(loc, zd, znoff)} END)::BIGINT AS ${col}__eod`,
      `CASE WHEN ${e2} IS NOT NULL OR ${r} IS NULL THEN NULL WHEN ${f} OR ${fo} THEN length(${r}) > 10 ELSE ${kht} END AS ${col}__ht`,
      ...dateErrorColumns(col, r, e2),
    ],
  ];
}
