/**
 * Tail probabilities for the tests in DESIGN "Metric definitions": the chi-square upper tail for
 * Kruskal–Wallis (metric 3) and the normal tails and quantiles for the funnel plots (metric 6).
 *
 * One special function does the work: the regularized incomplete gamma, computed as in Press et
 * al., Numerical Recipes (3rd ed., 2007) §6.2 — power series for P(a, x) when x < a + 1, the
 * Legendre continued fraction for Q(a, x) (modified Lentz, Lentz 1976 / Thompson & Barnett 1986)
 * otherwise — so each branch computes the *small* one of P and Q directly and the far tail keeps
 * its relative accuracy. The normal tail reuses it through erfc(x) = Q(1/2, x²)
 * (Abramowitz & Stegun 7.1.2 and 6.5.17), which avoids a second set of magic coefficients.
 */

const EPS = 1e-16;
const MAX_ITER = 100_000;
const TINY = 1e-300;

/**
 * Lanczos coefficients for g = 7, n = 9 (Godfrey's set, as published with the Lanczos
 * approximation, Lanczos 1964 SIAM J. Numer. Anal. B 1:86): ~1e-15 relative for Γ on the reals.
 */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const LN_SQRT_2PI = 0.9189385332046728;

/** ln Γ(a) for a > 0 (reflection below 0.5 keeps the Lanczos sum in its accurate range). */
export function lnGamma(a: number): number {
  if (!(a > 0)) throw new RangeError(`lnGamma: argument must be > 0, got ${a}`);
  if (a < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * a)) - lnGamma(1 - a);
  const x = a - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (x + i);
  const t = x + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln of x^a e^−x / Γ(a), the common prefactor of both expansions. */
function lnPrefactor(a: number, x: number): number {
  // ln Γ(1/2) = ln √π exactly; the normal tail hits this case on every call.
  const lg = a === 0.5 ? 0.5723649429247001 : lnGamma(a);
  return a * Math.log(x) - x - lg;
}

/** P(a, x) by its power series; converges quickly for x < a + 1. */
function lowerSeries(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let i = 0; i < MAX_ITER; i++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) return sum * Math.exp(lnPrefactor(a, x));
  }
  throw new Error(`incomplete gamma series did not converge (a=${a}, x=${x})`);
}

/** Q(a, x) by its continued fraction (modified Lentz); converges quickly for x ≥ a + 1. */
function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) return Math.exp(lnPrefactor(a, x)) * h;
  }
  throw new Error(`incomplete gamma continued fraction did not converge (a=${a}, x=${x})`);
}

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`gammaQ: shape must be > 0, got ${a}`);
  if (Number.isNaN(x)) throw new RangeError('gammaQ: x is NaN');
  if (x <= 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperContinuedFraction(a, x);
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x)/Γ(a). */
export function gammaP(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError(`gammaP: shape must be > 0, got ${a}`);
  if (Number.isNaN(x)) throw new RangeError('gammaP: x is NaN');
  if (x <= 0) return 0;
  if (x === Number.POSITIVE_INFINITY) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperContinuedFraction(a, x);
}

/** Chi-square upper tail P(X ≥ x) for df degrees of freedom: Q(df/2, x/2). */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0) || !Number.isFinite(df))
    throw new RangeError(`chiSquareSf: df must be a finite number > 0, got ${df}`);
  if (Number.isNaN(x)) throw new RangeError('chiSquareSf: x is NaN');
  return gammaQ(df / 2, x / 2);
}

/** Complementary error function, full relative accuracy in the upper tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) throw new RangeError('erfc: x is NaN');
  if (x >= 0) return gammaQ(0.5, x * x);
  return 1 + gammaP(0.5, x * x);
}

/** Standard normal upper tail 1 − Φ(z) = erfc(z/√2)/2, accurate far into the tail. */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) throw new RangeError('normalSf: z is NaN');
  if (z >= 0) return 0.5 * gammaQ(0.5, (z * z) / 2);
  return 0.5 + 0.5 * gammaP(0.5, (z * z) / 2);
}

/** Standard normal CDF Φ(z), accurate far into the lower tail. */
export function normalCdf(z: number): number {
  return normalSf(-z);
}

/** Two-sided p-value 2·(1 − Φ(|z|)), capped at 1. */
export function twoSidedP(z: number): number {
  if (Number.isNaN(z)) throw new RangeError('twoSidedP: z is NaN');
  return Math.min(1, 2 * normalSf(Math.abs(z)));
}

// Acklam's rational approximation to Φ⁻¹ (P. J. Acklam, "An algorithm for computing the inverse
// normal cumulative distribution function", 2003), ~1.15e-9 relative before refinement.
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklamLower(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/**
 * Inverse standard normal CDF: Acklam's approximation, then one Halley step against the
 * accurate Φ above (Acklam's own refinement), giving near full double precision.
 * normalQuantile(0.975) = 1.959963984540054, normalQuantile(0.999) = 3.090232306167813.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // Work in the lower half: 1 − p is exact for p ≥ 0.5, and Φ is accurate in the lower tail.
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = acklamLower(p);
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  x -= u / (1 + (x * u) / 2);
  return x;
}
