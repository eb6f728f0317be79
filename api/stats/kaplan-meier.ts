/**
 * Kaplan–Meier product-limit estimator (Kaplan & Meier 1958, "Nonparametric estimation from
 * incomplete observations", JASA 53:457–481) for DESIGN "Metric definitions" 1, `km_median_days`:
 * closed cases are events at their duration, open cases are censored at their age on the as-of
 * time, withdrawn cases are not passed in at all.
 *
 * S(t) = Π_{event times u ≤ t} (1 − d_u / n_u), n_u = cases still at risk just before u.
 * Ties follow the standard convention (Kalbfleisch & Prentice 2002 §1.4; R `survfit`): cases
 * censored at u are still at risk at u, i.e. events are taken to happen before censorings.
 *
 * Median (DESIGN 1, R `survival`'s rule — `survfit`'s print/`quantile` method): the smallest event
 * time t with S(t) < 0.5, except that where S(t) is exactly 0.5 (to rounding, 1e-9) on an interval
 * [t_i, t_{i+1}) between two event times, the midpoint of that interval; so with no open cases it
 * is the ordinary median. If S sits at 0.5 to the end (no later event), R reports t_i, and so does
 * this. Null if S never falls to 0.5 (too many cases still open to tell).
 */

/** One distinct time: events (closed cases) and censorings (open cases) observed at it. */
export interface KmCount {
  t: number;
  events: number;
  censored: number;
}

export interface KmPoint {
  t: number;
  s: number;
  atRisk: number;
  events: number;
}

/**
 * The product S is rounded at every step, so an S that is exactly 0.5 in exact arithmetic can
 * land a few ulps either side of it: within this of 0.5 it counts as exactly 0.5 (DESIGN 1's
 * tolerance; R uses √ε ≈ 1.5e-8, a difference no real group of cases can show).
 */
export const KM_HALF_TOLERANCE = 1e-9;

function checkDurations(durations: ArrayLike<number>, events: ArrayLike<boolean>): void {
  if (durations.length !== events.length) {
    throw new RangeError(
      `kaplanMeier: durations (${durations.length}) and events (${events.length}) differ in length`,
    );
  }
  for (let i = 0; i < durations.length; i++) {
    const d = durations[i];
    if (!(Number.isFinite(d) && d >= 0)) {
      throw new RangeError(`kaplanMeier: duration at index ${i} must be a finite number ≥ 0, got ${d}`);
    }
  }
}

/** Sorted distinct times with their event and censoring counts, from raw durations. */
function countsFromDurations(durations: ArrayLike<number>, events: ArrayLike<boolean>): KmCount[] {
  checkDurations(durations, events);
  let nEvents = 0;
  for (let i = 0; i < events.length; i++) if (events[i]) nEvents++;
  const ev = new Float64Array(nEvents);
  const ce = new Float64Array(durations.length - nEvents);
  for (let i = 0, a = 0, b = 0; i < durations.length; i++) {
    if (events[i]) ev[a++] = durations[i];
    else ce[b++] = durations[i];
  }
  ev.sort();
  ce.sort();
  // Merge the two sorted runs, collapsing equal times into one row.
  const out: KmCount[] = [];
  let i = 0;
  let j = 0;
  while (i < ev.length || j < ce.length) {
    const t = j >= ce.length || (i < ev.length && ev[i] <= ce[j]) ? ev[i] : ce[j];
    let e = 0;
    let c = 0;
    while (i < ev.length && ev[i] === t) {
      e++;
      i++;
    }
    while (j < ce.length && ce[j] === t) {
      c++;
      j++;
    }
    out.push({ t, events: e, censored: c });
  }
  return out;
}

/** Validates, merges duplicate times and sorts pre-aggregated counts. */
function normaliseCounts(rows: KmCount[]): KmCount[] {
  const byTime = new Map<number, KmCount>();
  rows.forEach((r, i) => {
    if (!(Number.isFinite(r.t) && r.t >= 0)) {
      throw new RangeError(`kaplanMeier: row ${i} time must be a finite number ≥ 0, got ${r.t}`);
    }
    for (const k of ['events', 'censored'] as const) {
      if (!(Number.isInteger(r[k]) && r[k] >= 0)) {
        throw new RangeError(`kaplanMeier: row ${i} ${k} must be an integer ≥ 0, got ${r[k]}`);
      }
    }
    const seen = byTime.get(r.t);
    if (seen) {
      seen.events += r.events;
      seen.censored += r.censored;
    } else byTime.set(r.t, { t: r.t, events: r.events, censored: r.censored });
  });
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

/** The product-limit walk over sorted counts; `visit` sees every distinct time. */
function walk(counts: KmCount[], visit: (p: KmPoint) => boolean | undefined): void {
  let atRisk = 0;
  for (const r of counts) atRisk += r.events + r.censored;
  let s = 1;
  for (const r of counts) {
    if (r.events > 0) s *= (atRisk - r.events) / atRisk;
    if (visit({ t: r.t, s, atRisk, events: r.events })) return;
    atRisk -= r.events + r.censored;
  }
}

function medianOf(counts: KmCount[]): number | null {
  let found: number | null = null;
  let atHalf = false;
  walk(counts, (p) => {
    if (p.events === 0) return false;
    if (found === null) {
      if (p.s >= 0.5 + KM_HALF_TOLERANCE) return false;
      found = p.t;
      atHalf = Math.abs(p.s - 0.5) < KM_HALF_TOLERANCE;
      return !atHalf;
    }
    // S sat at 0.5 from `found` until this event time: the median is the interval's midpoint
    found = (found + p.t) / 2;
    return true;
  });
  return found;
}

/** Kaplan–Meier median from raw durations and event flags (true = closed, false = open). */
export function kaplanMeierMedian(durations: ArrayLike<number>, events: ArrayLike<boolean>): number | null {
  return medianOf(countsFromDurations(durations, events));
}

/**
 * The step function at every distinct time, censoring-only times included (events 0, s
 * unchanged) so a chart can mark them; atRisk is the count just before t. Empty input gives [].
 */
export function kaplanMeierCurve(durations: ArrayLike<number>, events: ArrayLike<boolean>): KmPoint[] {
  const out: KmPoint[] = [];
  walk(countsFromDurations(durations, events), (p) => {
    out.push(p);
    return false;
  });
  return out;
}

/**
 * The same median from counts the SQL side has already grouped by duration
 * (`GROUP BY t` with `count(*) FILTER (closed)` / `FILTER (open)`); rows in any order,
 * repeated times are summed.
 */
export function kaplanMeierMedianFromCounts(
  rows: { t: number; events: number; censored: number }[],
): number | null {
  return medianOf(normaliseCounts(rows));
}
