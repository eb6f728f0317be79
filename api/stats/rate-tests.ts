/**
 * Two tests of "did a rate change between two periods?" for the monthly report.
 *
 * `poissonRateTest`: two Poisson counts x₁, x₂ over exposures t₁, t₂ (complaints over cases). Given
 * the total n = x₁ + x₂, x₁ is Binomial(n, t₁/(t₁+t₂)) when the two rates are equal, so the exact
 * conditional test (Przyborowski & Wileński 1940) is a binomial test of x₁ — R's
 * `poisson.test(c(x1, x2), c(t1, t2))`, which calls `binom.test(x1, x1 + x2, t1 / (t1 + t2))`. Its
 * two-sided p-value is R's: the probability of every outcome no more likely than the one observed
 * (with R's relative tolerance 1 + 1e-7).
 *
 * `twoProportionTest`: x₁/n₁ against x₂/n₂ with the pooled proportion, z = (p̂₁ − p̂₂) /
 * √(p̄(1−p̄)(1/n₁ + 1/n₂)), two-sided normal p — R's `prop.test(c(x1, x2), c(n1, n2), correct = FALSE)`
 * (whose X² is z²).
 */
import { lnGamma, normalSf } from './distributions.ts';

export interface RateTestResult {
  /** (x₁/t₁) / (x₂/t₂); null when x₂ is 0. */
  ratio: number | null;
  p: number;
}

const REL_ERR = 1 + 1e-7;

function logBinomPmf(k: number, n: number, lnP: number, lnQ: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1) + k * lnP + (n - k) * lnQ;
}

/** R's two-sided binom.test p-value of x successes in n trials with success probability p. */
export function binomTestP(x: number, n: number, p: number): number {
  if (!Number.isInteger(x) || !Number.isInteger(n) || x < 0 || n < 0 || x > n)
    throw new RangeError(`binomTestP: need whole numbers 0 ≤ x ≤ n, got x=${x}, n=${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomTestP: p must lie in [0, 1], got ${p}`);
  if (n === 0) return 1;
  if (p === 0) return x === 0 ? 1 : 0;
  if (p === 1) return x === n ? 1 : 0;
  if (x === n * p) return 1;
  const lnP = Math.log(p);
  const lnQ = Math.log1p(-p);
  const d = logBinomPmf(x, n, lnP, lnQ) + Math.log(REL_ERR);
  let sum = 0;
  for (let k = 0; k <= n; k++) {
    const l = logBinomPmf(k, n, lnP, lnQ);
    if (l <= d) sum += Math.exp(l);
  }
  return Math.min(1, sum);
}

export function poissonRateTest(x1: number, t1: number, x2: number, t2: number): RateTestResult | null {
  if (!(t1 > 0 && t2 > 0)) return null;
  const ratio = x2 > 0 ? x1 / t1 / (x2 / t2) : null;
  return { ratio, p: binomTestP(x1, x1 + x2, t1 / (t1 + t2)) };
}

export interface ProportionTestResult {
  /** p̂₁ − p̂₂ */
  difference: number;
  z: number;
  p: number;
}

/** Null when either group is empty or the pooled proportion is 0 or 1 (no variance to test against). */
export function twoProportionTest(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
): ProportionTestResult | null {
  if (!(n1 > 0 && n2 > 0)) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return null;
  const difference = x1 / n1 - x2 / n2;
  const z = difference / se;
  return { difference, z, p: Math.min(1, 2 * normalSf(Math.abs(z))) };
}
