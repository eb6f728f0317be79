/**
 * Funnel plots for institutional comparison — Spiegelhalter 2005, "Funnel plots for comparing
 * institutional performance", Statistics in Medicine 24:1185–1202, with the over-dispersion
 * adjustment of Spiegelhalter 2005, "Handling over-dispersion of performance indicators",
 * Quality & Safety in Health Care 14:347–351. DESIGN "Metric definitions" 6 (limits) and 7
 * (flags): slow_share is a proportion with target 0.5; complaint and bribe-report rates are
 * per-case Poisson rates with the city-wide rate as target.
 *
 * For group i with volume n_i > 0 and value y_i:
 *   s_i = √(p₀(1−p₀)/n_i) (proportion) or √(p₀/n_i) (rate);  z_i = (y_i − p₀)/s_i.
 * φ = mean of z_i² over the *tested* groups (n_i ≥ minN) after winsorising their z_i at the
 * 10th and 90th percentiles (type-7, `quantileSorted`), so a few genuine outliers do not inflate
 * the limits that are meant to catch them. φ is reported as computed; the limits and z use
 * s_i·√φ* with φ* = max(φ, 1) — under-dispersion never narrows them. With fewer than 2 tested
 * groups there is nothing to estimate dispersion from and φ = 1.
 *
 * Limits p₀ ± 1.959964·s_i·√φ* (95%) and p₀ ± 3.090232·s_i·√φ* (99.8%), the DESIGN constants.
 * Lower limits are NOT clipped at 0 (nor upper ones at 1): they are reported raw so that the
 * arithmetic can be checked; a chart may clip them for display.
 *
 * p = two-sided from the adjusted z; q = Benjamini–Hochberg over the tested groups only; flag
 * 'above'/'below' only for tested groups with y outside the 99.8% limits. Groups below minN
 * still get z, p and limits (they are drawn) but no q and no flag. Groups with n = 0 get nulls
 * everywhere. If p₀ gives zero variance (a proportion target of 0 or 1, or a rate target of 0,
 * e.g. no complaints at all in the window), there is no test: z, p, q are null, the limits
 * collapse to p₀ and nothing is flagged.
 */
import { bhQValues } from './bh.ts';
import { twoSidedP } from './distributions.ts';
import { quantileSorted } from './quantile.ts';

/** DESIGN's normal quantiles for the 95% and 99.8% two-sided limits. */
export const Z95 = 1.959964;
export const Z998 = 3.090232;

export type FunnelKind = 'proportion' | 'rate';

export interface FunnelInput {
  key: string;
  n: number;
  y: number;
}

export interface FunnelRow extends FunnelInput {
  z: number | null;
  p: number | null;
  q: number | null;
  lo95: number | null;
  hi95: number | null;
  lo998: number | null;
  hi998: number | null;
  flag: 'above' | 'below' | null;
  tested: boolean;
}

export interface FunnelOptions {
  kind: FunnelKind;
  target: number;
  minN: number;
}

export interface FunnelResult {
  target: number;
  phi: number;
  rows: FunnelRow[];
}

/** Per-unit variance of the indicator at the target: p₀(1−p₀) or p₀. */
function unitVariance(kind: FunnelKind, target: number): number {
  if (kind === 'proportion') {
    if (!(target >= 0 && target <= 1))
      throw new RangeError(`funnel: proportion target must be in [0, 1], got ${target}`);
    return target * (1 - target);
  }
  if (kind === 'rate') {
    if (!(target >= 0 && Number.isFinite(target)))
      throw new RangeError(`funnel: rate target must be ≥ 0, got ${target}`);
    return target;
  }
  throw new RangeError(`funnel: kind must be 'proportion' or 'rate', got ${String(kind)}`);
}

function checkGroup(g: FunnelInput, i: number, kind: FunnelKind): void {
  if (!(Number.isFinite(g.n) && g.n >= 0))
    throw new RangeError(`funnel: group ${i} (${g.key}) n must be ≥ 0, got ${g.n}`);
  const ok = kind === 'proportion' ? g.y >= 0 && g.y <= 1 : g.y >= 0 && Number.isFinite(g.y);
  if (!ok) {
    const want = kind === 'proportion' ? 'a proportion in [0, 1]' : 'a rate ≥ 0';
    throw new RangeError(`funnel: group ${i} (${g.key}) y must be ${want}, got ${g.y}`);
  }
}

/** Winsorised mean of z² (see the module comment); 1 when fewer than 2 values. */
export function overdispersion(zs: number[]): number {
  if (zs.length < 2) return 1;
  const sorted = Float64Array.from(zs).sort();
  const lo = quantileSorted(sorted, 0.1) as number;
  const hi = quantileSorted(sorted, 0.9) as number;
  let sum = 0;
  for (const z of zs) {
    const w = Math.min(hi, Math.max(lo, z));
    sum += w * w;
  }
  return sum / zs.length;
}

export function funnel(groups: FunnelInput[], opts: FunnelOptions): FunnelResult {
  const { kind, target, minN } = opts;
  const variance = unitVariance(kind, target);
  if (!(Number.isFinite(minN) && minN >= 0))
    throw new RangeError(`funnel: minN must be a number ≥ 0, got ${minN}`);
  for (const [i, g] of groups.entries()) checkGroup(g, i, kind);

  const sd = groups.map((g) => (g.n > 0 ? Math.sqrt(variance / g.n) : null));
  const tested = groups.map((g) => g.n > 0 && g.n >= minN);
  const degenerate = variance === 0;

  const testedZ: number[] = [];
  if (!degenerate) {
    groups.forEach((g, i) => {
      if (tested[i]) testedZ.push((g.y - target) / (sd[i] as number));
    });
  }
  const phi = overdispersion(testedZ);
  const inflate = Math.sqrt(Math.max(phi, 1));

  const rows: FunnelRow[] = groups.map((g, i) => {
    const s = sd[i];
    if (s === null) {
      return {
        ...g,
        z: null,
        p: null,
        q: null,
        lo95: null,
        hi95: null,
        lo998: null,
        hi998: null,
        flag: null,
        tested: false,
      };
    }
    const width = s * inflate;
    const z = degenerate ? null : (g.y - target) / width;
    const lo998 = target - Z998 * width;
    const hi998 = target + Z998 * width;
    const outside = g.y > hi998 ? 'above' : g.y < lo998 ? 'below' : null;
    return {
      ...g,
      z,
      p: z === null ? null : twoSidedP(z),
      q: null,
      lo95: target - Z95 * width,
      hi95: target + Z95 * width,
      lo998,
      hi998,
      flag: tested[i] && !degenerate ? outside : null,
      tested: tested[i],
    };
  });

  const q = bhQValues(rows.map((r) => (r.tested ? r.p : null)));
  rows.forEach((r, i) => {
    r.q = q[i];
  });
  return { target, phi, rows };
}

export interface FunnelCurveOptions {
  kind: FunnelKind;
  target: number;
  phi: number;
  nMin: number;
  nMax: number;
  count?: number;
}

export interface FunnelCurvePoint {
  n: number;
  lo95: number;
  hi95: number;
  lo998: number;
  hi998: number;
}

/**
 * Points (n, limits) for drawing the funnel: `count` (default 60) values of n spaced evenly on a
 * log scale from nMin to nMax, both included; n is not rounded, the curve is smooth. Uses the
 * same φ* = max(φ, 1) inflation as `funnel` and the same unclipped limits. nMin = nMax gives a
 * single point.
 */
export function funnelCurve(opts: FunnelCurveOptions): FunnelCurvePoint[] {
  const { kind, target, phi, nMin, nMax } = opts;
  const count = opts.count ?? 60;
  const variance = unitVariance(kind, target);
  if (!(Number.isFinite(phi) && phi >= 0))
    throw new RangeError(`funnelCurve: phi must be a number ≥ 0, got ${phi}`);
  if (!(nMin > 0 && Number.isFinite(nMax) && nMax >= nMin)) {
    throw new RangeError(`funnelCurve: need 0 < nMin ≤ nMax, got nMin=${nMin}, nMax=${nMax}`);
  }
  if (!(Number.isInteger(count) && count >= 2))
    throw new RangeError(`funnelCurve: count must be an integer ≥ 2, got ${count}`);
  const inflate = Math.sqrt(Math.max(phi, 1));
  const points = nMin === nMax ? 1 : count;
  const logMin = Math.log(nMin);
  const step = points === 1 ? 0 : (Math.log(nMax) - logMin) / (points - 1);
  return Array.from({ length: points }, (_, j) => {
    const n = j === 0 ? nMin : j === points - 1 ? nMax : Math.exp(logMin + j * step);
    const width = Math.sqrt(variance / n) * inflate;
    return {
      n,
      lo95: target - Z95 * width,
      hi95: target + Z95 * width,
      lo998: target - Z998 * width,
      hi998: target + Z998 * width,
    };
  });
}
