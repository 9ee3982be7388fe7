// Bake one canary step: sample the SLO at 0, interval, 2·interval … up to the window end, stop at
// the first breach or gate error. With slo.compare: stable, each sample is also compared with
// stable (compare/): a comparison breach stops the step like a threshold breach, and with
// early_promote a canary shown within tolerance ends it early. Time comes from the injected
// clock, so tests run a 5-minute window in microseconds.
import pRetry from 'p-retry';
import type { Clock } from '../clock.js';
import type { Slo } from '../settings.js';
import { startComparison, type SampleComparison } from './compare/step.js';
import { judge, type Breach, type Judgement, type Verdict } from './judge.js';
import type { Measurement, SloContext, SloProviderBackend } from './provider.js';

/** One reading with everything the report needs: which metric tripped, its value and its threshold. */
export interface Sample {
  /** ISO time the sample was taken. */
  readonly at: string;
  readonly elapsedSeconds: number;
  readonly step: number;
  readonly errorRate: number | null;
  readonly p95LatencyMs: number | null;
  readonly requests: number | null;
  readonly extra?: Readonly<Record<string, number>>;
  readonly verdict: Verdict;
  readonly breaches: readonly Breach[];
  readonly summary: string;
  readonly thresholds: { readonly errorRateMax: number; readonly p95LatencyMs: number };
  readonly gateError?: string;
  /** With slo.compare: stable, below 100%. */
  readonly comparison?: SampleComparison;
}

export interface BakeResult {
  /** A gate error is a breach (its sample says `gate-error`). */
  readonly verdict: 'within' | 'breach';
  readonly samples: readonly Sample[];
  /** The sample that failed the step. */
  readonly breach?: Sample;
  readonly startedAt: string;
  readonly endedAt: string;
  /** early_promote ended the step before its window: the canary was shown within tolerance. */
  readonly endedEarly?: boolean;
  /** The comparison's levels for this step, when it compared. */
  readonly comparison?: { readonly alphaShare: number; readonly alpha: number; readonly tolerance: number };
}

export interface BakeOptions {
  readonly signal?: AbortSignal;
  /** Called as soon as a sample is judged, before the bake acts on it (progress, abort latency). */
  readonly onSample?: (sample: Sample) => void;
  /** First pause before asking an unavailable backend again (doubling, at most 4 s); 250 ms by default. */
  readonly retryMinTimeoutMs?: number;
  /**
   * The percent of every gate of the release: the comparison splits the release's alpha equally
   * over those below 100%. Default: this step alone (the whole alpha).
   */
  readonly releaseWeights?: readonly number[];
}

export async function bake(provider: SloProviderBackend, context: SloContext, slo: Slo, clock: Clock, options: BakeOptions = {}): Promise<BakeResult> {
  const { signal, onSample } = options;
  const started = clock.now();
  const intervalMs = Math.max(1, Math.round(slo.intervalSeconds * 1000));
  // Whole milliseconds first, so that a 1-minute window at 30 s gives samples 0, 30, 60 and float
  // noise (0.1 min × 60 000) cannot drop or add the last one.
  const lastIndex = Math.floor(Math.round(slo.windowMinutes * 60_000) / intervalMs);
  const samples: Sample[] = [];
  // A step's gate starts when the bake does (the rollout has reached the weight): min_window_minutes counts from here.
  const comparison = startComparison(slo, context.step, options.releaseWeights);
  const levels = comparison ? { comparison: { alphaShare: comparison.alphaShare, alpha: comparison.alpha, tolerance: comparison.tolerance } } : {};
  const finish = (verdict: BakeResult['verdict'], breach?: Sample, endedEarly = false): BakeResult => ({
    verdict, samples, breach, startedAt: started.toISOString(), endedAt: clock.now().toISOString(), ...(endedEarly ? { endedEarly } : {}), ...levels,
  });

  for (let index = 0; index <= lastIndex; index += 1) {
    // Scheduled from the start, not from the previous sample, so slow queries do not stretch the window.
    const wait = started.getTime() + index * intervalMs - clock.now().getTime();
    if (wait > 0) await clock.sleep(wait, signal);
    signal?.throwIfAborted();
    const at = clock.now();
    const measurement = await measureWithinPeriod(provider, { ...context, slo }, clock, started.getTime() + (index + 1) * intervalMs, options);
    let judgement = judge(measurement, slo);
    if (index === lastIndex && judgement.verdict === 'no-data' && slo.noData === 'breach') judgement = noDataBreach(measurement, slo, judgement);
    const compared = comparison?.observe(measurement, (at.getTime() - started.getTime()) / 1000);
    // The absolute thresholds are guardrails: they trip at once and speak first.
    if (compared?.verdict === 'breach' && (judgement.verdict === 'within' || judgement.verdict === 'no-data')) judgement = comparisonBreach(compared);
    // compare: stable asked a second question; a window that ends without an answer to it has not
    // shown the canary as good as stable (missing counts are no data, contract), whatever the
    // thresholds say: slo.no_data decides, as it does for them.
    if (index === lastIndex && compared?.verdict === 'no-data' && judgement.verdict === 'within' && slo.noData === 'breach') judgement = comparisonNoDataBreach(judgement);
    const sample = { ...toSample(measurement, judgement, at, started, context.step, slo), ...(compared ? { comparison: compared } : {}) };
    samples.push(sample);
    onSample?.(sample);
    if (sample.verdict === 'breach' || sample.verdict === 'gate-error') return finish('breach', sample);
    if (compared?.verdict === 'pass-early' && sample.verdict === 'within' && index < lastIndex) return finish('within', undefined, true);
  }
  return finish('within');
}

// The contract: "a sample is retried within its period before it counts as no data". A single
// proxy 502 must not abort a healthy canary, and a retry must never push the next sample back.
// p-retry's own timers are wall-clock; its documented onFailedAttempt delay lets the backoff sleep
// on the injected clock instead, so tests and the bench control it.
async function measureWithinPeriod(provider: SloProviderBackend, context: SloContext, clock: Clock, periodEnd: number, options: BakeOptions): Promise<Measurement> {
  const { signal } = options;
  const first = options.retryMinTimeoutMs ?? 250;
  let last: Measurement | undefined;
  let attempts = 0;
  let again = false;
  try {
    return await pRetry(
      async () => {
        attempts += 1;
        const measurement = await measure(provider, context, signal);
        if (measurement.unavailable === undefined) return measurement;
        last = measurement;
        throw new Error(measurement.unavailable);
      },
      {
        retries: 20,
        minTimeout: 0,
        onFailedAttempt: async ({ attemptNumber }) => {
          const pause = Math.min(4000, first * 2 ** (attemptNumber - 1));
          again = clock.now().getTime() + pause < periodEnd;
          if (again) await clock.sleep(pause, signal);
        },
        shouldRetry: () => again,
        signal,
      },
    );
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (!last) throw error;
    return { ...last, unavailable: `${last.unavailable} (asked ${attempts} time${attempts === 1 ? '' : 's'} within the sample period)` };
  }
}

async function measure(provider: SloProviderBackend, context: SloContext, signal: AbortSignal | undefined): Promise<Measurement> {
  try {
    return await provider.measure(context, signal);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    // Providers report expected failures as gateError; anything thrown is still no answer.
    return { errorRate: null, p95LatencyMs: null, requests: null, gateError: `${provider.name} provider failed: ${messageOf(error)}` };
  }
}

// Duck-typed: an error may come from another realm, where instanceof Error is false.
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

// A canary that served nothing measurable through the whole window has not shown it is healthy.
function noDataBreach(measurement: Measurement, slo: Slo, judgement: Judgement): Judgement {
  return {
    verdict: 'breach',
    breaches: [{ metric: 'no_data', value: measurement.requests, threshold: slo.minRequests > 0 ? slo.minRequests : null }],
    summary: `breach: no data at the end of the window and slo.no_data is breach (${judgement.summary})`,
  };
}

function comparisonNoDataBreach(judgement: Judgement): Judgement {
  return {
    verdict: 'breach',
    breaches: [{ metric: 'no_data', value: null, threshold: null }],
    summary: `breach: no comparison with stable at the end of the window (no counts for both the canary and stable, or too few canary requests) and slo.no_data is breach (thresholds ${judgement.summary})`,
  };
}

function comparisonBreach(compared: SampleComparison): Judgement {
  const decisive = compared.evidence.find((e) => e.metric === compared.decidedBy)!;
  const words = compared.words[compared.evidence.indexOf(decisive)];
  return {
    verdict: 'breach',
    breaches: [{ metric: decisive.metric === 'error_rate' ? 'error_rate_vs_stable' : 'latency_vs_stable', value: decisive.estimate, threshold: decisive.boundary }],
    summary: `breach: canary worse than stable beyond tolerance: ${words}`,
  };
}

function toSample(m: Measurement, judgement: Judgement, at: Date, started: Date, step: number, slo: Slo): Sample {
  return {
    at: at.toISOString(),
    elapsedSeconds: (at.getTime() - started.getTime()) / 1000,
    step,
    errorRate: m.errorRate,
    p95LatencyMs: m.p95LatencyMs,
    requests: m.requests,
    ...(m.extra ? { extra: m.extra } : {}),
    verdict: judgement.verdict,
    breaches: judgement.breaches,
    summary: judgement.summary,
    thresholds: { errorRateMax: slo.errorRateMax, p95LatencyMs: slo.p95LatencyMs },
    ...(m.gateError !== undefined ? { gateError: m.gateError } : {}),
  };
}
