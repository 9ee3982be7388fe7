// Latency: is the canary slower than stable stretched by (1 + tolerance)? The contract's
// definition: for some bucket bound b, the canary's share of requests slower than b is above
// stable's share slower than b / (1 + tolerance), stable's share interpolated linearly between its
// bucket bounds. Each bound b is one comparison of event streams (canary requests slower than b,
// stable requests slower than b / (1 + tolerance)), tested by sequential.ts with r0 = 1.
//
// Each bound is tested twice over, averaged (a mean of e-values under the same null is an e-value):
// on the slow requests, and on the fast ones (canary faster than b vs stable faster than
// b / (1 + tolerance), the reverse direction). Events of the rarer kind carry the information: the
// slow ones at high bounds, the fast ones at low bounds, where both groups are ~100% "slower" and
// a ratio of slow shares near 1 could never be told apart.
//
// Multiplicity across bounds: breach reads the *mean* of the per-bound e-values. Each is a
// non-negative supermartingale under its own null in the filtration of all requests, so under the
// intersection (no bound worse) their mean is one too — an e-value for the whole hypothesis, never
// weaker than Bonferroni (mean ≥ max / K). Early promotion must show every bound within
// (an intersection-union test: each bound at level alpha, no correction needed), over the bounds
// between stable's MIN_TAIL and 1 − MIN_TAIL quantiles: where almost no request (or almost every
// one) is slower, "not worse" cannot be shown in a canary step; the far tails are left to the
// breach test and the absolute p95 guardrail.
import { clampEvents, rateRatio } from './errors.js';
import { logEvidence, ratioInterval, splitPrior } from './sequential.js';
import type { Bucket, CompareCounts, CompareLevels, Evidence } from './types.js';

export const MIN_TAIL = 0.01;

/** undefined without buckets, or when either group served nothing since the gate started. */
export function latencyEvidence(counts: CompareCounts, levels: CompareLevels): Evidence | undefined {
  const { canary, stable } = counts;
  if (!canary.buckets?.length || !stable.buckets?.length) return undefined;
  const nc = total(canary.buckets);
  const ns = total(stable.buckets);
  if (!(nc > 0 && ns > 0)) return undefined;
  const split = nc / (nc + ns);
  const prior = splitPrior(split);
  const stretch = 1 + levels.tolerance;
  const bounds = canary.buckets.filter((b) => Number.isFinite(b.leMs));
  if (bounds.length === 0) return undefined;

  const perBound = bounds.map((bucket) => {
    const slowC = clampEvents(nc - bucket.count, nc);
    const slowS = clampEvents(ns - cumulativeAt(stable.buckets!, bucket.leMs / stretch), ns);
    const slow = logEvidence(slowC, slowS, split, prior);
    const fast = logEvidence(nc - slowC, ns - slowS, split, prior);
    return { boundMs: bucket.leMs, x: slowC, y: slowS, worse: logMeanExp([slow.above, fast.below]), within: logMeanExp([slow.below, fast.above]) };
  });
  const logEWorse = logMeanExp(perBound.map((b) => b.worse));
  const body = perBound.filter((b) => b.y >= MIN_TAIL * ns && b.y <= (1 - MIN_TAIL) * ns);
  const logEWithin = body.length > 0 ? Math.min(...body.map((b) => b.within)) : 0;
  // Shown: the bound with the most evidence of a regression among those where stable has slow
  // requests to compare with (a ratio to zero says nothing).
  const comparable = perBound.filter((b) => b.y > 0);
  const shown = (comparable.length > 0 ? comparable : perBound).reduce((best, b) => (b.worse > best.worse ? b : best));
  const interval = levels.interval === false ? {} : ratioInterval(shown.x, shown.y, split, prior, levels.breachAlpha, levels.promoteAlpha);
  return {
    metric: 'latency', logEWorse, logEWithin, estimate: rateRatio(shown.x, nc, shown.y, ns), ...interval, boundary: 1,
    boundMs: shown.boundMs, canaryEvents: shown.x, stableEvents: shown.y,
  };
}

function total(buckets: readonly Bucket[]): number {
  return buckets.find((b) => b.leMs === Infinity)?.count ?? Math.max(0, ...buckets.map((b) => b.count));
}

/** Requests at or below `ms`, interpolated linearly between bounds (from 0 ms below the first). */
export function cumulativeAt(buckets: readonly Bucket[], ms: number): number {
  const finite = buckets.filter((b) => Number.isFinite(b.leMs)).sort((a, b) => a.leMs - b.leMs);
  let previous = { leMs: 0, count: 0 };
  for (const bucket of finite) {
    if (ms <= bucket.leMs) return previous.count + ((bucket.count - previous.count) * (ms - previous.leMs)) / (bucket.leMs - previous.leMs);
    previous = bucket;
  }
  // Past the last finite bound nothing can be interpolated: take the last bound's count (stable
  // then looks no slower than it is known to be, which favours the canary).
  return previous.count;
}

function logMeanExp(values: readonly number[]): number {
  const max = Math.max(...values);
  if (max === -Infinity) return -Infinity;
  return max + Math.log(values.reduce((sum, v) => sum + Math.exp(v - max), 0) / values.length);
}
