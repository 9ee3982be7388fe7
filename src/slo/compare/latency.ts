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
// Per sample, not per step: each bound's two streams take the sample's increments as one interval
// with that interval's own request counts (sequential.ts), stable's slower-than-b / (1 + tolerance)
// interpolated in the increments of its buckets.
import { clampEvents, rateRatio } from './errors.js';
import { EMPTY_STREAM, extend, informative, logMixture, ratioInterval, shareTerms, type EventStream } from './sequential.js';
import type { Bucket, CompareCounts, CompareLevels, Evidence } from './types.js';

export const MIN_TAIL = 0.01;

/** The latency test through a step: per finite bound of the canary's buckets, two event streams. */
export interface LatencyTest {
  /** The cumulative buckets taken in so far: the next interval starts here. */
  readonly seen: { readonly canary: readonly Bucket[]; readonly stable: readonly Bucket[] };
  readonly bounds: ReadonlyMap<number, { readonly slow: EventStream; readonly fast: EventStream }>;
  /** The last reading had no buckets for a group: no data, whatever was counted before. */
  readonly missing: boolean;
}

const START: LatencyTest = { seen: { canary: [], stable: [] }, bounds: new Map(), missing: false };

/** Requests slower than `ms` in cumulative buckets (stable's interpolated), within [0, total]. */
function slowerThan(buckets: readonly Bucket[], ms: number): number {
  const n = total(buckets);
  return clampEvents(n - cumulativeAt(buckets, ms), n);
}

/** The test after one more cumulative reading (`previous` undefined: the reading is the first interval). */
export function foldLatency(previous: LatencyTest | undefined, counts: CompareCounts, tolerance: number): LatencyTest {
  const before = previous ?? START;
  const canary = counts.canary.buckets;
  const stable = counts.stable.buckets;
  if (!canary?.length || !stable?.length) return { ...before, missing: true };
  const stretch = 1 + tolerance;
  const n = total(canary) - total(before.seen.canary);
  const m = total(stable) - total(before.seen.stable);
  const seen = { canary, stable };
  if (!informative(n, m)) return { seen, bounds: before.bounds, missing: false };
  const terms = shareTerms(n, m, 1);
  const bounds = new Map(before.bounds);
  for (const bucket of canary) {
    if (!Number.isFinite(bucket.leMs)) continue;
    const x = clampEvents(slowerThan(canary, bucket.leMs) - slowerThan(before.seen.canary, bucket.leMs), n);
    const y = clampEvents(slowerThan(stable, bucket.leMs / stretch) - slowerThan(before.seen.stable, bucket.leMs / stretch), m);
    const streams = bounds.get(bucket.leMs) ?? { slow: EMPTY_STREAM, fast: EMPTY_STREAM };
    bounds.set(bucket.leMs, {
      slow: extend(streams.slow, { canaryRequests: n, stableRequests: m, canaryEvents: x, stableEvents: y }, terms),
      fast: extend(streams.fast, { canaryRequests: n, stableRequests: m, canaryEvents: n - x, stableEvents: m - y }, terms),
    });
  }
  return { seen, bounds, missing: false };
}

/**
 * undefined without buckets, or when either group served nothing since the gate started. `test`:
 * the step's test with `counts` as its last reading (default: the counts as a single interval).
 */
export function latencyEvidence(counts: CompareCounts, levels: CompareLevels, test: LatencyTest = foldLatency(undefined, counts, levels.tolerance)): Evidence | undefined {
  const { canary, stable } = counts;
  if (test.missing || !canary.buckets?.length || !stable.buckets?.length) return undefined;
  const nc = total(canary.buckets);
  const ns = total(stable.buckets);
  if (!(nc > 0 && ns > 0)) return undefined;
  const stretch = 1 + levels.tolerance;
  const perBound = [...test.bounds].sort((a, b) => a[0] - b[0]).map(([boundMs, { slow, fast }]) => ({
    boundMs, slow,
    x: slowerThan(canary.buckets!, boundMs),
    y: slowerThan(stable.buckets!, boundMs / stretch),
    worse: logMixture([logMixture(slow.sums.worse), logMixture(fast.sums.within)]),
    within: logMixture([logMixture(slow.sums.within), logMixture(fast.sums.worse)]),
  }));
  if (perBound.length === 0) return undefined;
  const logEWorse = logMixture(perBound.map((b) => b.worse));
  const body = perBound.filter((b) => b.y >= MIN_TAIL * ns && b.y <= (1 - MIN_TAIL) * ns);
  const logEWithin = body.length > 0 ? Math.min(...body.map((b) => b.within)) : 0;
  // Shown: the bound with the most evidence of a regression among those where stable has slow
  // requests to compare with (a ratio to zero says nothing).
  const comparable = perBound.filter((b) => b.y > 0);
  const shown = (comparable.length > 0 ? comparable : perBound).reduce((best, b) => (b.worse > best.worse ? b : best));
  const interval = levels.interval === false ? {} : ratioInterval(shown.slow.intervals, levels.breachAlpha, levels.promoteAlpha);
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
