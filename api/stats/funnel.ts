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
 *
 * `method: 'additive'` (random effects; Spiegelhalter 2005, the way R's FunnelPlotR does it for
 * SHMI) instead adds a between-group variance to every group:
 *   τ² = max(0, (N·φ − (N − 1)) / (Σw_i − Σw_i²/Σw_i)),  w_i = 1/s_i²,
 * over the N tested groups with the same winsorised φ, and uses √(s_i² + τ²) where the
 * multiplicative method uses s_i·√φ* (for z and for the limits). Multiplicative widens every
 * funnel in proportion; additive widens the narrow end most, so that large groups are not flagged
 * for differences too small to matter.
 *
 * Limits are clipped to what the indicator can be (DESIGN 6): [0, 1] for proportions, [0, ∞) for
 * rates. A value is flagged against the clipped limits, which changes nothing: no value lies below
 * 0 or above 1.
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

export const FUNNEL_METHODS = ['multiplicative', 'additive'] as const;
export type FunnelMethod = (typeof FUNNEL_METHODS)[number];

export interface FunnelOptions {
  kind: FunnelKind;
  target: number;
  minN: number;
  /** Over-dispersion: φ multiplies the variance (default) or τ² is added to it. */
  method?: FunnelMethod;
}

export interface FunnelResult {
  target: number;
  phi: number;
  /** Between-group variance of the additive method (0 for multiplicative). */
  tau2: number;
  method: FunnelMethod;
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

/**
 * τ² of the additive method from the tested groups' s_i and φ (DerSimonian–Laird with the
 * winsorised φ): max(0, (Nφ − (N−1)) / (Σw − Σw²/Σw)), w = 1/s². 0 with fewer than 2 groups.
 */
export function additiveTau2(sds: number[], phi: number): number {
  const n = sds.length;
  if (n < 2) return 0;
  let sw = 0;
  let sw2 = 0;
  for (const s of sds) {
    const w = 1 / (s * s);
    sw += w;
    sw2 += w * w;
  }
  const denom = sw - sw2 / sw;
  if (!(denom > 0)) return 0;
  return Math.max(0, (n * phi - (n - 1)) / denom);
}

/** Clips a limit to the range the indicator can take. */
function clip(kind: FunnelKind, v: number): number {
  return kind === 'proportion' ? Math.min(1, Math.max(0, v)) : Math.max(0, v);
}

/** The half-width unit of the limits for a group with sampling SD `s`: s·√φ* or √(s² + τ²). */
function widthFn(method: FunnelMethod, phi: number, tau2: number): (s: number) => number {
  if (method === 'additive') return (s) => Math.sqrt(s * s + tau2);
  const inflate = Math.sqrt(Math.max(phi, 1));
  return (s) => s * inflate;
}

export function funnel(groups: FunnelInput[], opts: FunnelOptions): FunnelResult {
  const { kind, target, minN } = opts;
  const method = opts.method ?? 'multiplicative';
  if (!(FUNNEL_METHODS as readonly string[]).includes(method))
    throw new RangeError(`funnel: method must be 'multiplicative' or 'additive', got ${String(method)}`);
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
  const tau2 =
    method === 'additive' && !degenerate
      ? additiveTau2(
          sd.filter((_, i) => tested[i]).map((x) => x as number),
          phi,
        )
      : 0;
  const widthOf = widthFn(method, phi, tau2);

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
    const width = widthOf(s);
    const z = degenerate ? null : (g.y - target) / width;
    const lo998 = clip(kind, target - Z998 * width);
    const hi998 = clip(kind, target + Z998 * width);
    const outside = g.y > hi998 ? 'above' : g.y < lo998 ? 'below' : null;
    return {
      ...g,
      z,
      p: z === null ? null : twoSidedP(z),
      q: null,
      lo95: clip(kind, target - Z95 * width),
      hi95: clip(kind, target + Z95 * width),
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
  return { target, phi, tau2, method, rows };
}

export interface FunnelCurveOptions {
  kind: FunnelKind;
  target: number;
  phi: number;
  /** Default multiplicative; additive needs `tau2` (from `funnel`). */
  method?: FunnelMethod;
  tau2?: number;
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
 * same widening (φ* = max(φ, 1), or τ²) and the same clipping as `funnel`. nMin = nMax gives a
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
  const tau2 = opts.tau2 ?? 0;
  if (!(Number.isFinite(tau2) && tau2 >= 0))
    throw new RangeError(`funnelCurve: tau2 must be a number ≥ 0, got ${tau2}`);
  const widthOf = widthFn(opts.method ?? 'multiplicative', phi, tau2);
  const points = nMin === nMax ? 1 : count;
  const logMin = Math.log(nMin);
  const step = points === 1 ? 0 : (Math.log(nMax) - logMin) / (points - 1);
  return Array.from({ length: points }, (_, j) => {
    const n = j === 0 ? nMin : j === points - 1 ? nMax : Math.exp(logMin + j * step);
    const width = widthOf(Math.sqrt(variance / n));
    return {
      n,
      lo95: clip(kind, target - Z95 * width),
      hi95: clip(kind, target + Z95 * width),
      lo998: clip(kind, target - Z998 * width),
      hi998: clip(kind, target + Z998 * width),
    };
  });
}
