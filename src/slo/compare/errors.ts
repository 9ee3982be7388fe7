// Errors: is the canary's error rate above (1 + tolerance) × stable's? Pure: cumulative counts in,
// evidence out. The test itself is sequential.ts; this file only says what the events are.
import { logEvidence, ratioInterval, shareUnder, splitPrior } from './sequential.js';
import type { CompareCounts, CompareLevels, Evidence } from './types.js';

/** undefined when either group served no request since the gate started (no data). */
export function errorEvidence(counts: CompareCounts, levels: CompareLevels): Evidence | undefined {
  const { canary, stable } = counts;
  if (!(canary.requests > 0 && stable.requests > 0)) return undefined;
  const split = canary.requests / (canary.requests + stable.requests);
  const prior = splitPrior(split);
  const boundary = 1 + levels.tolerance;
  const x = clampEvents(canary.errors, canary.requests);
  const y = clampEvents(stable.errors, stable.requests);
  const { above, below } = logEvidence(x, y, shareUnder(boundary, split), prior);
  const interval = levels.interval === false ? {} : ratioInterval(x, y, split, prior, levels.breachAlpha, levels.promoteAlpha);
  return { metric: 'error_rate', logEWorse: above, logEWithin: below, estimate: rateRatio(x, canary.requests, y, stable.requests), ...interval, boundary, canaryEvents: x, stableEvents: y };
}

/** (x / n) ÷ (y / m); null when stable has no event (0 ÷ 0 or x ÷ 0 says nothing as a ratio). */
export function rateRatio(x: number, n: number, y: number, m: number): number | null {
  return y > 0 ? x / n / (y / m) : null;
}

// Rounding of extrapolated counters can put errors a hair above requests, or below zero.
export function clampEvents(events: number, requests: number): number {
  return Math.min(Math.max(0, events), requests);
}
