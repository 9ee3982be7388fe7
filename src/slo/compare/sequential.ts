// The one sequential test both comparisons use, pure. Events of one kind (errors; requests slower
// than a bound) arrive in the canary or in stable. When the router splits requests at random, a
// share π to the canary, each event is the canary's with probability
//     p = r·π / (r·π + 1 − π),   r = canary's event rate ÷ stable's,
// independently of when it happens, however traffic rises and falls (Lindon & Malek, "Anytime-Valid
// Inference for Multinomial Count Data", NeurIPS 2022: time-inhomogeneous Poisson processes with
// proportional intensities reduce to a multinomial, here a binomial, on the arm of each event).
//
// Testing "r ≤ r0" is then testing "p ≤ p0" on a stream of Bernoulli trials. The e-value is the
// beta-binomial mixture likelihood ratio with the beta prior restricted to p > p0:
//     E = ∫_{p>p0} p^x (1−p)^y dBeta(p) / P(p > p0) / (p0^x (1−p0)^y).
// For each p' > p0 the factor p'/p0 (canary event) or (1−p')/(1−p0) (stable event) has expectation
// p·p'/p0 + (1−p)(1−p')/(1−p0), which is 1 at p = p0 and increases with p; so under any p ≤ p0
// (a canary as good as the tolerance allows, or better) every component, and the mixture, is a
// non-negative supermartingale, and by Ville's inequality P(ever E ≥ 1/α) ≤ α: the test may be
// read after every sample without inflating the false-abort rate. The mirror image (prior on p < p0)
// tests "r ≥ r0"; inverting both gives a confidence sequence for r.
//
// The split π is not known in advance (replica counts and routers round it): it is read from the
// request counts so far, which say nothing about which requests fail or are slow. It settles within
// the first samples; the simulated type-I error of the whole procedure, π estimated as here, stays
// under alpha (__tests__/slo-compare-*.test.ts, bench/judge.ts).

/** log Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i += 1) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** log(1 − e^v) for v ≤ 0, accurate near both ends. */
function log1mExp(v: number): number {
  if (v >= 0) return -Infinity;
  return v > -Math.LN2 ? Math.log(-Math.expm1(v)) : Math.log1p(-Math.exp(v));
}

// Continued fraction of the incomplete beta function (modified Lentz), converging for
// x < (a + 1) / (a + b + 2); its iteration count grows like √max(a, b).
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100_000; m += 1) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** log of both tails of the regularized incomplete beta: log I_x(a, b) and log(1 − I_x(a, b)). */
export function logBetaTails(x: number, a: number, b: number): { readonly lower: number; readonly upper: number } {
  if (x <= 0) return { lower: -Infinity, upper: 0 };
  if (x >= 1) return { lower: 0, upper: -Infinity };
  const front = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  // Each tail is computed directly on the side where the fraction converges, so a tail of 1e-300
  // keeps its digits instead of being lost as 1 − (1 − tiny).
  if (x < (a + 1) / (a + b + 2)) {
    const lower = front + Math.log(betaContinuedFraction(x, a, b)) - Math.log(a);
    return { lower, upper: log1mExp(lower) };
  }
  const upper = front + Math.log(betaContinuedFraction(1 - x, b, a)) - Math.log(b);
  return { lower: log1mExp(upper), upper };
}

/** Beta prior on p: centred on the traffic split (r = 1), `concentration` pseudo-events wide. */
export interface Prior {
  readonly a: number;
  readonly b: number;
}

/** The prior this project uses: Beta(κπ, κ(1 − π)), κ = 20 (see bench/README.md for the choice). */
export function splitPrior(split: number, concentration = 20): Prior {
  const a = Math.max(0.5, concentration * split);
  const b = Math.max(0.5, concentration * (1 - split));
  return { a, b };
}

/** The canary's share of events under rate ratio r, for a canary traffic share π. */
export function shareUnder(ratio: number, split: number): number {
  return (ratio * split) / (ratio * split + 1 - split);
}

/**
 * log e-values from x canary events and y stable events, at the boundary p0:
 * `above` against "p ≤ p0" (evidence the canary is worse than the boundary), `below` against
 * "p ≥ p0" (evidence it is better). Counts may be fractional (Prometheus extrapolates).
 */
export function logEvidence(x: number, y: number, p0: number, prior: Prior): { readonly above: number; readonly below: number } {
  const { a, b } = prior;
  const likelihood = logBeta(a + x, b + y) - logBeta(a, b) - x * Math.log(p0) - y * Math.log1p(-p0);
  const posterior = logBetaTails(p0, a + x, b + y);
  const priorTails = logBetaTails(p0, a, b);
  return { above: likelihood + posterior.upper - priorTails.upper, below: likelihood + posterior.lower - priorTails.lower };
}

/**
 * The confidence sequence for r: the rate ratios that neither one-sided test rejects, the lower
 * end at level alphaLow, the upper at alphaHigh. 0 and Infinity when the data cannot bound a side.
 * Found by bisection on log r (the e-values are monotone in r0).
 */
export function ratioInterval(x: number, y: number, split: number, prior: Prior, alphaLow: number, alphaHigh: number): { readonly lower: number; readonly upper: number } {
  const rejectsBelow = (logR: number) => logEvidence(x, y, shareUnder(Math.exp(logR), split), prior).above >= Math.log(1 / alphaLow);
  const rejectsAbove = (logR: number) => logEvidence(x, y, shareUnder(Math.exp(logR), split), prior).below >= Math.log(1 / alphaHigh);
  const span = 12;
  const lower = rejectsBelow(-span) ? Math.exp(edge(-span, span, rejectsBelow)) : 0;
  const upper = rejectsAbove(span) ? Math.exp(edge(-span, span, (v) => !rejectsAbove(v))) : Infinity;
  return { lower, upper };
}

// The last point of [lo, hi] where `holds` is true, for a predicate true then false.
function edge(lo: number, hi: number, holds: (v: number) => boolean): number {
  if (!holds(lo)) return lo;
  if (holds(hi)) return hi;
  for (let i = 0; i < 50; i += 1) {
    const mid = (lo + hi) / 2;
    if (holds(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
