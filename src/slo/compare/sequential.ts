// The one sequential test both comparisons use, pure. Events of one kind (errors; requests slower
// than a bound) arrive in the canary or in stable; r is the canary's event rate ÷ stable's.
//
// Per sampling interval, not per step. Without traffic routing the canary's share of requests is
// not constant through a step (one canary pod against HPA-scaled stable pods goes from 20% to 5% of
// the traffic as stable scales out), and event rates move with the load. Pooling a step's counts
// and reading the share from its totals then makes an identical canary look worse (its events
// concentrate where its share was high). So each sample's interval t keeps its own counts: n_t
// canary and m_t stable requests, x_t canary and y_t stable events, q_t = stable's event rate in
// the interval (anything: it moves with load), r_t = the canary's ÷ q_t. Given the past and the
// interval's requests, x_t ~ Binomial(n_t, r_t·q_t) and y_t ~ Binomial(m_t, q_t) (or Poisson: the
// multinomial reduction of Lindon & Malek, "Anytime-Valid Inference for Multinomial Count Data",
// NeurIPS 2022). Each interval is scored with the likelihood of "which group had each event" at
// its own share: p_t(r) = r·n_t / (r·n_t + m_t).
//
// Proof sketch (null H0: r_t ≤ r0 in every interval; r0 = 1 + tolerance for errors).
// 1. For a fixed alternative r1 > r0, interval t's likelihood ratio
//        Λ_t = a^x_t · b^y_t,   a = p_t(r1)/p_t(r0) > 1,   b = (1 − p_t(r1))/(1 − p_t(r0)) < 1,
//    has, given the past and (n_t, m_t), E Λ_t = (1 + r_t q_t (a − 1))^n_t (1 + q_t (b − 1))^m_t
//    ≤ exp(q_t [r_t n_t (a − 1) + m_t (b − 1)])   ((1 + u)^n ≤ e^{nu}; equality for Poisson).
//    With p0 = p_t(r0): r0 n_t (a − 1) = (p1 − p0)(r0 n_t + m_t) = −m_t (b − 1), so the exponent is
//    q_t n_t (a − 1)(r_t − r0) ≤ 0 under H0, whatever q_t. (Equivalently: given the interval's k_t
//    events, x_t is Binomial(k_t, p_t(r_t)), monotone likelihood ratio in p, p_t increasing in r.)
// 2. Hence E_T(r1) = Π_{t≤T} Λ_t is a non-negative supermartingale with E_0 = 1 in the filtration of
//    the intervals — whatever the shares n_t, m_t were, since each factor uses its own.
// 3. A mixture Σ_g w_g E_T(r_g) with weights fixed before the data (Σ w_g = 1) is one too. The grid:
//    r_g = r0·e^{δ_g}, δ_g geometric from 0.03 to ~4.7 (16 points, equal weights); a mixture over
//    the canary's share of events, as a beta prior on p, is NOT possible across intervals, since p
//    means a different r in each.
// 4. Ville's inequality: P(sup_T mixture ≥ 1/α) ≤ α, so the test may be read after every sample.
// The mirror image (r_g = r0·e^{−δ_g}) tests H0': r ≥ r0 (early promotion: the canary shown within
// tolerance). Inverting both at every r gives a confidence sequence for a constant r.
// Fractional counts (Prometheus extrapolates) enter the same formulas; the bound is then an
// approximation, as is an interval merged across a sample with missing counts.

/** One sampling interval's counts for one kind of event. */
export interface IntervalEvents {
  readonly canaryEvents: number;
  readonly stableEvents: number;
  readonly canaryRequests: number;
  readonly stableRequests: number;
}

/** The alternatives' log offsets δ_g (r_g = r0·e^{±δ_g}), equally weighted; fixed before any data. */
export const GRID: readonly number[] = Array.from({ length: 16 }, (_, g) => 0.03 * 1.4 ** g);

/** Log likelihood ratios summed over the intervals so far, per alternative: above r0 and below it. */
export interface RatioSums {
  readonly worse: readonly number[];
  readonly within: readonly number[];
}

export const NO_EVIDENCE: RatioSums = { worse: GRID.map(() => 0), within: GRID.map(() => 0) };

/**
 * One interval's log likelihood ratio per alternative, as coefficients of a canary event and of a
 * stable event. With D(r) = log(r·n + m): log(p(r1)/p(r0)) = log(r1/r0) − (D(r1) − D(r0)) and
 * log((1 − p(r1))/(1 − p(r0))) = −(D(r1) − D(r0)). Shared by every stream with the same requests
 * (all the latency bounds of an interval).
 */
export interface ShareTerms {
  readonly worseCanary: readonly number[];
  readonly worseStable: readonly number[];
  readonly withinCanary: readonly number[];
  readonly withinStable: readonly number[];
}

const UP = GRID.map(Math.exp);
const DOWN = GRID.map((delta) => Math.exp(-delta));

export function shareTerms(canaryRequests: number, stableRequests: number, r0: number): ShareTerms {
  const d = (r: number) => Math.log(r * canaryRequests + stableRequests);
  const d0 = d(r0);
  const up = UP.map((f) => d(r0 * f) - d0);
  const down = DOWN.map((f) => d(r0 * f) - d0);
  return {
    worseCanary: GRID.map((delta, g) => delta - up[g]!),
    worseStable: up.map((v) => -v),
    withinCanary: GRID.map((delta, g) => -delta - down[g]!),
    withinStable: down.map((v) => -v),
  };
}

/** Whether an interval can carry evidence: both groups served requests (else every Λ_t is 1). */
export function informative(canaryRequests: number, stableRequests: number): boolean {
  return canaryRequests > 0 && stableRequests > 0;
}

/** The sums after one more interval with x canary and y stable events. */
export function addEvents(sums: RatioSums, terms: ShareTerms, x: number, y: number): RatioSums {
  if (x === 0 && y === 0) return sums;
  return {
    worse: sums.worse.map((s, g) => s + x * terms.worseCanary[g]! + y * terms.worseStable[g]!),
    within: sums.within.map((s, g) => s + x * terms.withinCanary[g]! + y * terms.withinStable[g]!),
  };
}

/** log of the equally weighted mixture Σ_g e^{L_g} / G. */
export function logMixture(logValues: readonly number[]): number {
  const max = Math.max(...logValues);
  if (max === -Infinity) return -Infinity;
  return max + Math.log(logValues.reduce((sum, v) => sum + Math.exp(v - max), 0) / logValues.length);
}

/**
 * log e-values from the intervals, at the boundary r0: `above` against "r ≤ r0" (evidence the
 * canary is worse than the boundary), `below` against "r ≥ r0" (evidence it is better).
 */
export function logEvidence(intervals: readonly IntervalEvents[], r0: number): { readonly above: number; readonly below: number } {
  let sums = NO_EVIDENCE;
  for (const i of intervals) {
    if (informative(i.canaryRequests, i.stableRequests)) sums = addEvents(sums, shareTerms(i.canaryRequests, i.stableRequests, r0), i.canaryEvents, i.stableEvents);
  }
  return { above: logMixture(sums.worse), below: logMixture(sums.within) };
}

/**
 * The confidence sequence for r (constant over the step): the rate ratios that neither one-sided
 * test rejects, the lower end at level alphaLow, the upper at alphaHigh. 0 and Infinity when the
 * data cannot bound a side. Found by bisection on log r (the e-values are monotone in r0).
 */
export function ratioInterval(intervals: readonly IntervalEvents[], alphaLow: number, alphaHigh: number): { readonly lower: number; readonly upper: number } {
  const rejectsBelow = (logR: number) => logEvidence(intervals, Math.exp(logR)).above >= Math.log(1 / alphaLow);
  const rejectsAbove = (logR: number) => logEvidence(intervals, Math.exp(logR)).below >= Math.log(1 / alphaHigh);
  const span = 12;
  const lower = rejectsBelow(-span) ? Math.exp(edge(-span, span, rejectsBelow)) : 0;
  const upper = rejectsAbove(span) ? Math.exp(edge(-span, span, (v) => !rejectsAbove(v))) : Infinity;
  return { lower, upper };
}

// The last point of [lo, hi] where `holds` is true, for a predicate true then false.
function edge(lo: number, hi: number, holds: (v: number) => boolean): number {
  if (!holds(lo)) return lo;
  if (holds(hi)) return hi;
  for (let i = 0; i < 32; i += 1) {
    const mid = (lo + hi) / 2;
    if (holds(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * One kind of event through a step: the running sums at the boundary r0, and the intervals (for
 * the confidence sequence, which needs the sums at every r).
 */
export interface EventStream {
  readonly sums: RatioSums;
  readonly intervals: readonly IntervalEvents[];
}

export const EMPTY_STREAM: EventStream = { sums: NO_EVIDENCE, intervals: [] };

/** The stream after one more interval; `terms` are shareTerms of the interval's requests at r0. */
export function extend(stream: EventStream, interval: IntervalEvents, terms: ShareTerms): EventStream {
  return { sums: addEvents(stream.sums, terms, interval.canaryEvents, interval.stableEvents), intervals: [...stream.intervals, interval] };
}
