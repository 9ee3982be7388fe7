// Errors: is the canary's error rate above (1 + tolerance) × stable's? Pure: cumulative counts in,
// one reading per sample, evidence out. Each sample's increments since the last are one interval
// of the sequential test (sequential.ts), with that interval's own traffic share; this file only
// says what the events are.
import { EMPTY_STREAM, extend, informative, logMixture, ratioInterval, shareTerms, type EventStream } from './sequential.js';
import type { CompareCounts, CompareLevels, Evidence } from './types.js';

/** The error test through a step. */
export interface ErrorTest {
  /** The cumulative counts taken in so far: the next interval starts here. */
  readonly seen: { readonly canaryRequests: number; readonly canaryErrors: number; readonly stableRequests: number; readonly stableErrors: number };
  readonly stream: EventStream;
  /** The last reading had no error count for a group: no data, whatever was counted before. */
  readonly missing: boolean;
}

const START: ErrorTest = { seen: { canaryRequests: 0, canaryErrors: 0, stableRequests: 0, stableErrors: 0 }, stream: EMPTY_STREAM, missing: false };

/**
 * The test after one more cumulative reading (`previous` undefined: the reading is the first
 * interval). A reading without error counts adds nothing; its interval merges into the next one.
 */
export function foldErrors(previous: ErrorTest | undefined, counts: CompareCounts, tolerance: number): ErrorTest {
  const before = previous ?? START;
  const { canary, stable } = counts;
  if (canary.errors === undefined || stable.errors === undefined) return { ...before, missing: true };
  const seen = { canaryRequests: canary.requests, canaryErrors: canary.errors, stableRequests: stable.requests, stableErrors: stable.errors };
  const n = canary.requests - before.seen.canaryRequests;
  const m = stable.requests - before.seen.stableRequests;
  if (!informative(n, m)) return { seen, stream: before.stream, missing: false };
  const interval = { canaryRequests: n, stableRequests: m, canaryEvents: clampEvents(canary.errors - before.seen.canaryErrors, n), stableEvents: clampEvents(stable.errors - before.seen.stableErrors, m) };
  return { seen, stream: extend(before.stream, interval, shareTerms(n, m, 1 + tolerance)), missing: false };
}

/**
 * undefined when either group served no request since the gate started, or a group's error count
 * is missing (no data). `test`: the step's test with `counts` as its last reading (default: the
 * counts as a single interval).
 */
export function errorEvidence(counts: CompareCounts, levels: CompareLevels, test: ErrorTest = foldErrors(undefined, counts, levels.tolerance)): Evidence | undefined {
  const { canary, stable } = counts;
  if (test.missing || canary.errors === undefined || stable.errors === undefined || !(canary.requests > 0 && stable.requests > 0)) return undefined;
  const x = clampEvents(canary.errors, canary.requests);
  const y = clampEvents(stable.errors, stable.requests);
  const interval = levels.interval === false ? {} : ratioInterval(test.stream.intervals, levels.breachAlpha, levels.promoteAlpha);
  return {
    metric: 'error_rate', logEWorse: logMixture(test.stream.sums.worse), logEWithin: logMixture(test.stream.sums.within),
    estimate: rateRatio(x, canary.requests, y, stable.requests), ...interval, boundary: 1 + levels.tolerance, canaryEvents: x, stableEvents: y,
  };
}

/** (x / n) ÷ (y / m); null when stable has no event (0 ÷ 0 or x ÷ 0 says nothing as a ratio). */
export function rateRatio(x: number, n: number, y: number, m: number): number | null {
  return y > 0 ? x / n / (y / m) : null;
}

// Rounding of extrapolated counters can put errors a hair above requests, or below zero.
export function clampEvents(events: number, requests: number): number {
  return Math.min(Math.max(0, events), requests);
}
