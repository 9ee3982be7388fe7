// The comparison through one step's bake: counter readings in, after each sample, a verdict with its
// evidence out. Holds the step's counter state (a bake's local, never module state). Only below
// 100%: at 100% there is no stable traffic, and only the absolute thresholds apply (contract).
import type { Slo } from '../../settings.js';
import type { Measurement } from '../provider.js';
import { advanceCounters, countsOf, type CounterState } from './counts.js';
import type { CompareCounts, Evidence } from './types.js';
import { accumulate, alphaPerStep, compare, type CompareState, type CompareVerdict } from './verdict.js';
import { describeEvidence } from './words.js';

/** What a sample carries about the comparison (the report and deploy-result.json show it). */
export interface SampleComparison {
  readonly verdict: CompareVerdict;
  readonly evidence: readonly Evidence[];
  readonly counts?: CompareCounts;
  /** The plain-words sentence of each metric. */
  readonly words: readonly string[];
  /** The metric that decided a breach. */
  readonly decidedBy?: Evidence['metric'];
}

export interface StepComparison {
  /** This step's share of the release's alpha (breach level, split again across the two metrics). */
  readonly alphaShare: number;
  readonly alpha: number;
  readonly tolerance: number;
  observe(measurement: Measurement, elapsedSeconds: number): SampleComparison;
}

/**
 * undefined when the step does not compare (compare: none, or 100%). `interval: false` skips the
 * confidence interval, which only the report reads (bench/judge.ts runs millions of samples).
 */
export function startComparison(slo: Slo, step: number, releaseWeights: readonly number[] = [step], options: { readonly interval?: boolean } = {}): StepComparison | undefined {
  const settings = slo.compare;
  if (!settings || step >= 100) return undefined;
  const alphaShare = alphaPerStep(settings.alpha, releaseWeights);
  let state: CounterState | undefined;
  let tests: CompareState | undefined;
  return {
    alphaShare,
    alpha: settings.alpha,
    tolerance: settings.tolerance,
    observe(measurement, elapsedSeconds) {
      if (measurement.counters) state = advanceCounters(state, measurement.counters.readings, measurement.counters.origin);
      // Missing counts in this sample are no data, whatever was counted before.
      const counts = measurement.counters ? countsOf(state) : undefined;
      // Every reading is an interval of the tests, enough requests or not: each keeps its own share.
      if (counts) tests = accumulate(tests, counts, settings.tolerance);
      // Too few canary requests says nothing: no data, never a pass (min_requests, as for the thresholds).
      const enough = counts && counts.canary.requests >= Math.max(1, slo.minRequests) ? counts : undefined;
      const result = compare(enough, {
        alphaShare, alpha: settings.alpha, tolerance: settings.tolerance, earlyPromote: settings.earlyPromote,
        elapsedSeconds, minWindowSeconds: settings.minWindowMinutes * 60, interval: options.interval ?? true,
      }, tests);
      return {
        verdict: result.verdict,
        evidence: result.evidence,
        ...(counts ? { counts } : {}),
        words: result.evidence.map((e) => describeEvidence(e, settings.alpha, elapsedSeconds, settings.tolerance)),
        ...(result.decidedBy ? { decidedBy: result.decidedBy.metric } : {}),
      };
    },
  };
}
