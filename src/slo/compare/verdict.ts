// The comparison's verdict after a sample, pure: breach as soon as one metric's evidence of a
// regression beyond tolerance reaches 1 / its alpha share; pass early (when asked, and not before
// min_window_minutes) once every metric is shown within tolerance with confidence 1 − alpha;
// otherwise continue. Too little data is never a pass: an empty comparison is no data.
import { errorEvidence, foldErrors, type ErrorTest } from './errors.js';
import { foldLatency, latencyEvidence, type LatencyTest } from './latency.js';
import type { CompareCounts, CompareLevels, Evidence } from './types.js';

export type CompareVerdict = 'breach' | 'pass-early' | 'continue' | 'no-data';

export interface CompareOptions {
  readonly alphaShare: number;
  readonly tolerance: number;
  readonly earlyPromote: boolean;
  /** Per step: early promotion's confidence is 1 − alpha. */
  readonly alpha: number;
  readonly elapsedSeconds: number;
  readonly minWindowSeconds: number;
  /** false: skip the confidence interval (only the report needs it). */
  readonly interval?: boolean;
}

export interface Comparison {
  readonly verdict: CompareVerdict;
  readonly evidence: readonly Evidence[];
  /** The metric that decided a breach. */
  readonly decidedBy?: Evidence;
}

/**
 * The two tests share the step's alpha in halves, always both counted (even when the backend has
 * no buckets), so the split never depends on the data.
 */
export const METRICS = 2;

export function levelsFor(options: Pick<CompareOptions, 'alphaShare' | 'alpha' | 'tolerance' | 'interval'>): CompareLevels {
  return { breachAlpha: options.alphaShare / METRICS, promoteAlpha: options.alpha, tolerance: options.tolerance, interval: options.interval ?? true };
}

/** Both tests through a step, one cumulative reading per sample (a bake's local, never module state). */
export interface CompareState {
  readonly errors: ErrorTest;
  readonly latency: LatencyTest;
}

/** The tests after one more cumulative reading: its increments are one interval (sequential.ts). */
export function accumulate(previous: CompareState | undefined, counts: CompareCounts, tolerance: number): CompareState {
  return { errors: foldErrors(previous?.errors, counts, tolerance), latency: foldLatency(previous?.latency, counts, tolerance) };
}

/**
 * `state`: the step's tests with `counts` as their last reading (accumulate); without it, the
 * counts are taken as a single interval (a share constant since the gate started).
 */
export function compare(counts: CompareCounts | undefined, options: CompareOptions, state?: CompareState): Comparison {
  if (!counts) return { verdict: 'no-data', evidence: [] };
  const levels = levelsFor(options);
  const tests = state ?? accumulate(undefined, counts, options.tolerance);
  const evidence = [errorEvidence(counts, levels, tests.errors), latencyEvidence(counts, levels, tests.latency)].filter((e): e is Evidence => e !== undefined);
  if (evidence.length === 0) return { verdict: 'no-data', evidence };
  const breachAt = Math.log(1 / levels.breachAlpha);
  const worst = evidence.reduce((a, b) => (b.logEWorse - breachAt > a.logEWorse - breachAt ? b : a));
  if (worst.logEWorse >= breachAt) return { verdict: 'breach', evidence, decidedBy: worst };
  const provenWithin = evidence.every((e) => e.logEWithin >= Math.log(1 / levels.promoteAlpha));
  if (options.earlyPromote && options.elapsedSeconds >= options.minWindowSeconds && provenWithin) return { verdict: 'pass-early', evidence };
  return { verdict: 'continue', evidence };
}

/** Each step below 100% that compares gets an equal share of the release's alpha. */
export function alphaPerStep(alpha: number, weights: readonly number[]): number {
  const compared = weights.filter((w) => w < 100).length;
  return alpha / Math.max(1, compared);
}
