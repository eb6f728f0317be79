/**
 * DESIGN 1's order statistics (median, p90, Kaplan–Meier median) for any filter, without a sort per
 * request: the cases of `case_facts` held in memory in their Kaplan–Meier order (`km_order`: time,
 * events before censorings at a tied time, case id), in typed arrays, one entry per case that has a
 * duration or an age. Walking them once in that order, every group sees its own rows in its own
 * Kaplan–Meier order, and its closed cases in duration order, so:
 *
 * - median and p90 are quantile_cont's order statistics around (n − 1)·q, interpolated as DuckDB does
 *   (lo·(1 − d) + hi·d, to the bit), with each group's closed-case count from the request's SQL aggregate;
 * - the Kaplan–Meier median follows processing.ts's rule on the same row numbers: row r of a group of
 *   N has S = (N − r)/N · e^(−C), C summing ln(1 − 1/(N − p + 1)) over the censored rows p before it;
 *   t* is the first event row with r ≥ ⌈N − 0.5·N·e^C − 1e-9⌉, and where S after t*'s last event is
 *   0.5 (to 1e-9) the median is the midpoint with the next event time.
 *
 * The SQL path sorts the filtered cases per request (a window over millions of rows was most of an
 * uncached request's time on the full city); this pass reads every case once whatever the filter, so
 * processing.ts uses it only for selections large enough to gain. Each group's rows counted in the
 * pass must equal the SQL count, or the answer is not used (a guard against the two filters ever
 * meaning different things). Equal to the SQL on random filters: test/api/case-order.test.ts.
 *
 * The arrays belong to one data signature (api/cache.ts builds and drops them with the fact tables).
 * About 26 bytes per case: 260 MB at ten million cases.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db.ts';
import type { Filters } from '../filters.ts';

type MonthKey = 'mk_gregorian' | 'mk_jalali';
type BaseKey = 'district' | 'office' | 'service' | 'category' | 'city';

/**
 * What a group is keyed by, as in processing.ts's group keys: one of them, a month, or (trends) one of
 * them and the month, the key then being `<group>|<month>`.
 */
export type OrderKey = BaseKey | MonthKey | `${BaseKey}|${MonthKey}`;

export interface OrderStats {
  median_days: number | null;
  p90_days: number | null;
  km_median_days: number | null;
}

/** The whole selection's figures from a grouped pass, and how many rows it counted (for the SQL's check). */
export interface SelectionTotal {
  stats: Map<string, OrderStats>;
  rows: number;
}

/** A group's case counts from the SQL aggregate: closed cases (with a duration) and open ones (with an age). */
export interface GroupCounts {
  n_closed: number;
  n_open: number;
}

/**
 * Each dictionary as a CTE `d(k, i, x)`: the key, its code (row number in key order) and what the
 * filters need of it (an office's district, a service's category).
 */
const DICTIONARIES = {
  office: `d AS (SELECT k, (row_number() OVER (ORDER BY k) - 1)::INTEGER AS i, x FROM
    (SELECT office_id AS k, any_value(district)::INTEGER AS x FROM case_facts GROUP BY 1))`,
  service: `d AS (SELECT k, (row_number() OVER (ORDER BY k) - 1)::INTEGER AS i, x FROM
    (SELECT service_code AS k, any_value(coalesce(category, '')) AS x FROM case_facts GROUP BY 1))`,
  jalali: `d AS (SELECT k, (row_number() OVER (ORDER BY k) - 1)::INTEGER AS i, NULL AS x FROM
    (SELECT DISTINCT mk_jalali AS k FROM case_facts))`,
  gregorian: `d AS (SELECT k, (row_number() OVER (ORDER BY k) - 1)::INTEGER AS i, NULL AS x FROM
    (SELECT DISTINCT mk_gregorian AS k FROM case_facts))`,
};

/** Cases one statement of the load reads, in km_order. */
const LOAD_SLICE = 1 << 20;

/** Cases a pass reads before it lets other work run (about 20 ms). */
const PASS_SLICE = 1 << 20;

const CHANNEL_CODES: Record<string, number> = { in_person: 0, online: 1 };
/** Any other channel (or none) gets this code, which no channel filter selects. */
const OTHER_CHANNEL = 2;

export class CaseOrder {
  private constructor(
    readonly size: number,
    /** Duration (closed) or age (open), days. */
    private readonly t: Float64Array,
    private readonly censored: Uint8Array,
    private readonly submitted: Float64Array,
    private readonly office: Uint16Array,
    private readonly service: Uint16Array,
    private readonly channel: Uint8Array,
    private readonly monthJalali: Uint16Array,
    private readonly monthGregorian: Uint16Array,
    private readonly offices: string[],
    private readonly officeDistrict: number[],
    private readonly services: string[],
    private readonly serviceCategory: string[],
    private readonly jalaliKeys: string[],
    private readonly gregorianKeys: string[],
    /** Cases per channel code, and the first and last submission instant: for `estimate`. */
    private readonly channelCounts: number[],
    private readonly firstSubmitted: number,
    private readonly lastSubmitted: number,
  ) {}

  /** 1 for each office (by its code) and each service `f` keeps: its office, district, scope, service and category. */
  private masks(f: Filters): { officeOk: Uint8Array; serviceOk: Uint8Array } {
    const officeOk = Uint8Array.from(this.offices, (o, i) => {
      const d = this.officeDistrict[i];
      return (f.office === undefined || o === f.office) &&
        (f.district === undefined || d === f.district) &&
        (!f.scope || f.scope.includes(d))
        ? 1
        : 0;
    });
    const serviceOk = Uint8Array.from(this.services, (s, i) =>
      (f.service === undefined || s === f.service) &&
      (f.category === undefined || this.serviceCategory[i] === f.category)
        ? 1
        : 0,
    );
    return { officeOk, serviceOk };
  }

  /**
   * About how many cases `f` keeps, from the share of offices, services, channels and days it keeps:
   * only to choose between this pass (a cost per case held) and the SQL (a cost per case selected),
   * which give the same numbers, so no more is needed.
   */
  estimate(f: Filters): number {
    const { officeOk, serviceOk } = this.masks(f);
    const offices = officeOk.reduce((n, ok) => n + ok, 0);
    const services = serviceOk.reduce((n, ok) => n + ok, 0);
    const channel =
      f.channel === undefined ? this.size : (this.channelCounts[CHANNEL_CODES[f.channel] ?? -1] ?? 0);
    const span = this.lastSubmitted - this.firstSubmitted;
    const from = Math.max(f.fromS ?? -Infinity, this.firstSubmitted);
    const to = Math.min(f.toS ?? Infinity, this.lastSubmitted);
    const days = span > 0 ? Math.max(0, Math.min(1, (to - from) / span)) : 1;
    return (
      (offices / Math.max(1, this.offices.length)) *
      (services / Math.max(1, this.services.length)) *
      channel *
      days
    );
  }

  /**
   * Reads case_facts (which must match the current data) in the Kaplan–Meier order, `slice` cases a statement
   * (tests: a few, so a small city is read in many).
   */
  static async load(db: Db, slice = LOAD_SLICE): Promise<CaseOrder> {
    const c = await db.connect();
    try {
      // one snapshot for the dictionaries and every slice (an import may commit meanwhile)
      await c.run('BEGIN TRANSACTION');
      const arrays = await CaseOrder.read(c, slice);
      await c.run('COMMIT');
      return arrays;
    } finally {
      c.closeSync();
    }
  }

  private static async read(c: DuckDBConnection, slice: number): Promise<CaseOrder> {
    // dictionaries: each row stores small integer codes into these (a code is the key's row number); held in
    // temp tables of this connection, so case_facts is scanned for them once
    const dict = async (name: string, cte: string) => {
      await c.run(`CREATE OR REPLACE TEMP TABLE ${name} AS WITH ${cte} SELECT * FROM d`);
      return (await c.runAndReadAll(`SELECT k, x FROM ${name} ORDER BY i`))
        .getRowObjectsJson()
        .map((r) => ({ k: String(r.k), x: r.x as string | number }));
    };
    const offices = await dict('_co_o', DICTIONARIES.office);
    const services = await dict('_co_s', DICTIONARIES.service);
    const jalali = await dict('_co_j', DICTIONARIES.jalali);
    const gregorian = await dict('_co_g', DICTIONARIES.gregorian);
    if (Math.max(offices.length, services.length, jalali.length, gregorian.length) > 0xffff)
      throw new Error('case order: more than 65,535 offices, services or months');
    const count = (
      await c.runAndReadAll('SELECT count(km_order)::INTEGER AS n FROM case_facts')
    ).getRowObjectsJson();
    const n = Number(count[0]?.n ?? 0);
    const t = new Float64Array(n);
    const censored = new Uint8Array(n);
    const submitted = new Float64Array(n);
    const office = new Uint16Array(n);
    const service = new Uint16Array(n);
    const channel = new Uint8Array(n);
    const monthJalali = new Uint16Array(n);
    const monthGregorian = new Uint16Array(n);
    let at = 0;
    // km_order numbers the cases 1…n: read in slices of it, so DuckDB sorts a slice at a time (a tenth of the
    // memory of one sort of ten million cases, which its allocator would keep long after)
    for (let lo = 0; lo < n; lo += slice) {
      const result = await c.stream(
        `SELECT coalesce(f.dur, f.age) AS t, (f.dur IS NULL)::INTEGER AS cens, f.sub_s::DOUBLE AS sub,
           o.i AS office, s.i AS service,
           CASE f.channel WHEN 'in_person' THEN ${CHANNEL_CODES.in_person} WHEN 'online' THEN ${CHANNEL_CODES.online}
             ELSE ${OTHER_CHANNEL} END::INTEGER AS channel,
           j.i AS mj, g.i AS mg
         FROM case_facts f
         JOIN _co_o o ON o.k = f.office_id JOIN _co_s s ON s.k = f.service_code
         JOIN _co_j j ON j.k IS NOT DISTINCT FROM f.mk_jalali JOIN _co_g g ON g.k IS NOT DISTINCT FROM f.mk_gregorian
         WHERE f.km_order > ${lo} AND f.km_order <= ${lo + slice} ORDER BY f.km_order`,
      );
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const m = chunk.rowCount;
        if (at + m > n) throw new Error('case order: case_facts changed while it was read');
        // the vectors' own typed arrays (no value conversion): DOUBLE → Float64Array, INTEGER → Int32Array
        const col = <A extends ArrayLike<number>>(i: number) =>
          (chunk.getColumnVector(i) as unknown as { items: A }).items;
        t.set(col<Float64Array>(0), at);
        submitted.set(col<Float64Array>(2), at);
        const cens = col<Int32Array>(1);
        const off = col<Int32Array>(3);
        const svc = col<Int32Array>(4);
        const ch = col<Int32Array>(5);
        const mj = col<Int32Array>(6);
        const mg = col<Int32Array>(7);
        for (let r = 0; r < m; r++) {
          censored[at + r] = cens[r];
          office[at + r] = off[r];
          service[at + r] = svc[r];
          channel[at + r] = ch[r];
          monthJalali[at + r] = mj[r];
          monthGregorian[at + r] = mg[r];
        }
        at += m;
      }
      if (at !== Math.min(n, lo + slice)) throw new Error(`case order: km_order is not 1…${n}`);
    }
    const channelCounts = [0, 0, 0];
    let firstSubmitted = Infinity;
    let lastSubmitted = -Infinity;
    for (let r = 0; r < n; r++) {
      channelCounts[channel[r]]++;
      if (submitted[r] < firstSubmitted) firstSubmitted = submitted[r];
      if (submitted[r] > lastSubmitted) lastSubmitted = submitted[r];
    }
    return new CaseOrder(
      n,
      t,
      censored,
      submitted,
      office,
      service,
      channel,
      monthJalali,
      monthGregorian,
      offices.map((r) => r.k),
      offices.map((r) => Number(r.x)),
      services.map((r) => r.k),
      services.map((r) => String(r.x)),
      jalali.map((r) => r.k),
      gregorian.map((r) => r.k),
      channelCounts,
      firstSubmitted,
      lastSubmitted,
    );
  }

  /**
   * The group keys of `key` and, per row code (office, service or month), the group it falls in; for a
   * `<group>|<month>` key also the month codes, the row's group then being group·months + month.
   */
  private groups(key: OrderKey): {
    keys: string[];
    codes: Uint16Array;
    group: Int32Array;
    months?: { codes: Uint16Array; count: number };
  } {
    const cut = key.indexOf('|');
    if (cut >= 0) {
      const outer = this.groups(key.slice(0, cut) as BaseKey);
      const inner = this.groups(key.slice(cut + 1) as MonthKey);
      const keys = outer.keys.flatMap((o) => inner.keys.map((m) => `${o}|${m}`));
      return {
        keys,
        codes: outer.codes,
        group: outer.group,
        months: { codes: inner.codes, count: inner.keys.length },
      };
    }
    const index = (keys: string[], of: string[]) => {
      const at = new Map(keys.map((k, i) => [k, i]));
      return Int32Array.from(of, (k) => at.get(k) ?? -1);
    };
    const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
    switch (key as BaseKey | MonthKey) {
      case 'district': {
        const keys = [...new Set(this.officeDistrict)].map(String);
        return { keys, codes: this.office, group: index(keys, this.officeDistrict.map(String)) };
      }
      case 'office':
        return { keys: this.offices, codes: this.office, group: identity(this.offices.length) };
      case 'service':
        return { keys: this.services, codes: this.service, group: identity(this.services.length) };
      case 'category': {
        const keys = [...new Set(this.serviceCategory)];
        return { keys, codes: this.service, group: index(keys, this.serviceCategory) };
      }
      case 'mk_jalali':
        return { keys: this.jalaliKeys, codes: this.monthJalali, group: identity(this.jalaliKeys.length) };
      case 'mk_gregorian':
        return {
          keys: this.gregorianKeys,
          codes: this.monthGregorian,
          group: identity(this.gregorianKeys.length),
        };
      case 'city':
        return { keys: ['all'], codes: this.office, group: new Int32Array(this.offices.length) };
    }
  }

  /**
   * The whole selection's order statistics from grouped passes (by the filters' JSON), so that a
   * request's city total (processing.ts asks for its groups and its total at once) needs no pass of
   * its own: a promise from `announce` until the pass has run. The last few selections only.
   */
  private totals = new Map<
    string,
    { value: Promise<SelectionTotal | null>; resolve: (t: SelectionTotal | null) => void }
  >();

  /** A grouped pass over `f` is coming: `total(f)` waits for it. Returns `done`, to call after it (or instead). */
  announce(f: Filters): () => void {
    const k = JSON.stringify(f);
    let entry = this.totals.get(k);
    if (!entry) {
      let resolve!: (t: SelectionTotal | null) => void;
      const value = new Promise<SelectionTotal | null>((r) => {
        resolve = r;
      });
      entry = { value, resolve };
      this.totals.set(k, entry);
      while (this.totals.size > 16) this.totals.delete(this.totals.keys().next().value as string);
    }
    const e = entry;
    return () => e.resolve(null); // a promise settles once: no effect after the pass resolved it
  }

  /** The selection's total from a grouped pass over the same filters, if one was announced. */
  total(f: Filters): Promise<SelectionTotal | null> | undefined {
    return this.totals.get(JSON.stringify(f))?.value;
  }

  /**
   * Median, p90 and Kaplan–Meier median per group of the cases `f` keeps, for the groups in `counts`
   * (the SQL aggregate's counts under the same filters). Null when a group's rows in the pass differ
   * from its counts, which would mean the pass and the SQL filtered differently. A grouped pass also
   * computes the whole selection (the groups partition it) for `total`.
   */
  async stats(
    f: Filters,
    key: OrderKey,
    counts: Map<string, GroupCounts>,
  ): Promise<Map<string, OrderStats> | null> {
    const { officeOk, serviceOk } = this.masks(f);
    const wantChannel = f.channel === undefined ? -1 : (CHANNEL_CODES[f.channel] ?? OTHER_CHANNEL + 1);
    const hasFrom = f.fromS !== undefined;
    const hasTo = f.toS !== undefined;
    const from = f.fromS ?? 0;
    const to = f.toS ?? 0;

    const { keys, codes, group, months } = this.groups(key);
    const G = keys.length;
    const monthCodes = months?.codes;
    const M = months?.count ?? 0;
    // slot G: the whole selection, beside the groups
    const withTotal = key !== 'city';
    const T = G;
    const slots = withTotal ? G + 1 : G;
    const all: GroupCounts = { n_closed: 0, n_open: 0 };
    for (const c of counts.values()) {
      all.n_closed += c.n_closed;
      all.n_open += c.n_open;
    }
    const cnt = (g: number): GroupCounts | undefined => (g < G ? counts.get(keys[g]) : all);
    const n = new Float64Array(slots);
    const q50 = new Float64Array(slots);
    const q90 = new Float64Array(slots);
    // order statistics around (n − 1)·q: the closed cases numbered floor and ceil of it
    const at50 = new Int32Array(slots * 2).fill(-1);
    const at90 = new Int32Array(slots * 2).fill(-1);
    for (let g = 0; g < slots; g++) {
      const c = cnt(g);
      if (!c) continue;
      n[g] = c.n_closed + c.n_open;
      q50[g] = (c.n_closed - 1) * 0.5;
      q90[g] = (c.n_closed - 1) * 0.9;
      at50[2 * g] = Math.floor(q50[g]);
      at50[2 * g + 1] = Math.ceil(q50[g]);
      at90[2 * g] = Math.floor(q90[g]);
      at90[2 * g + 1] = Math.ceil(q90[g]);
    }
    const lo50 = new Float64Array(slots).fill(Number.NaN);
    const hi50 = new Float64Array(slots).fill(Number.NaN);
    const lo90 = new Float64Array(slots).fill(Number.NaN);
    const hi90 = new Float64Array(slots).fill(Number.NaN);
    const rank = new Float64Array(slots);
    const closedRank = new Int32Array(slots);
    const c = new Float64Array(slots);
    // the first event row at or past this is t*'s (it moves only with C, i.e. on a censored row)
    const threshold = Float64Array.from(n, (N) => Math.ceil(N - 0.5 * N * Math.exp(0) - 1e-9));
    // Kaplan–Meier: 0 before t*, 1 on t*'s events, 2 after them (waiting for the next event time), 3 done
    const state = new Uint8Array(slots);
    const tStar = new Float64Array(slots).fill(Number.NaN);
    const rLast = new Float64Array(slots);
    const cAtStar = new Float64Array(slots);
    const tNext = new Float64Array(slots).fill(Number.NaN);

    /** One row of the selection, in the Kaplan–Meier order, for slot h. */
    const visit = (h: number, isCensored: boolean, tr: number) => {
      const p = ++rank[h];
      const s = state[h];
      if (isCensored) {
        if (s === 0) {
          const N = n[h];
          c[h] += N - p > 0 ? Math.log(1 - 1 / (N - p + 1)) : -1e300;
          threshold[h] = Math.ceil(N - 0.5 * N * Math.exp(c[h]) - 1e-9);
        } else if (s === 1) state[h] = 2;
        return;
      }
      const j = closedRank[h]++;
      if (j === at50[2 * h]) lo50[h] = tr;
      if (j === at50[2 * h + 1]) hi50[h] = tr;
      if (j === at90[2 * h]) lo90[h] = tr;
      if (j === at90[2 * h + 1]) hi90[h] = tr;
      if (s === 0) {
        if (p >= threshold[h]) {
          state[h] = 1;
          tStar[h] = tr;
          rLast[h] = p;
          cAtStar[h] = c[h];
        }
      } else if (s === 1 && tr === tStar[h]) {
        rLast[h] = p;
      } else if (s !== 3) {
        tNext[h] = tr;
        state[h] = 3;
      }
    };

    const { t, censored, submitted, service, channel } = this;
    const office = this.office;
    // in slices, giving the event loop back between them: a pass over ten million cases takes a few
    // hundred milliseconds, which other requests (cached answers among them) should not wait for
    for (let start = 0; start < this.size; start += PASS_SLICE) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      const end = Math.min(this.size, start + PASS_SLICE);
      for (let r = start; r < end; r++) {
        if (officeOk[office[r]] === 0 || serviceOk[service[r]] === 0) continue;
        if (wantChannel >= 0 && channel[r] !== wantChannel) continue;
        if (hasFrom && !(submitted[r] >= from)) continue;
        if (hasTo && !(submitted[r] < to)) continue;
        const o = group[codes[r]];
        if (o < 0) return null;
        const g = monthCodes ? o * M + monthCodes[r] : o;
        const isCensored = censored[r] === 1;
        visit(g, isCensored, t[r]);
        if (withTotal) visit(T, isCensored, t[r]);
      }
    }

    const interpolate = (q: number, lo: number, hi: number) => {
      const d = q - Math.floor(q);
      return d === 0 ? lo : lo * (1 - d) + hi * d;
    };
    const result = (g: number, closed: number): OrderStats => {
      let km: number | null = null;
      if (!Number.isNaN(tStar[g])) {
        const N = n[g];
        const atHalf = Math.abs(((N - rLast[g]) / N) * Math.exp(-cAtStar[g]) - 0.5) < 1e-9;
        km = atHalf && !Number.isNaN(tNext[g]) ? (tStar[g] + tNext[g]) / 2 : tStar[g];
      }
      return {
        median_days: closed > 0 ? interpolate(q50[g], lo50[g], hi50[g]) : null,
        p90_days: closed > 0 ? interpolate(q90[g], lo90[g], hi90[g]) : null,
        km_median_days: rank[g] > 0 ? km : null,
      };
    };
    const out = new Map<string, OrderStats>();
    const at = new Map(keys.map((k, g) => [k, g]));
    for (let g = 0; g < G; g++) if (rank[g] > 0 && !counts.has(keys[g])) return null;
    for (const [k, cnt] of counts) {
      const g = at.get(k) ?? -1;
      const rows = g < 0 ? 0 : rank[g];
      if (rows !== cnt.n_closed + cnt.n_open) return null;
      out.set(
        k,
        g < 0 ? { median_days: null, p90_days: null, km_median_days: null } : result(g, cnt.n_closed),
      );
    }
    if (withTotal) {
      this.totals
        .get(JSON.stringify(f))
        ?.resolve({ stats: new Map([['all', result(T, all.n_closed)]]), rows: rank[T] });
    }
    return out;
  }
}
