// Contract step 6: set the image once, then for each weight wait until the controller pauses
// there (or is Healthy, for 100), let the SLO gate bake and sample, and promote only then.
// Any other ending — a breach, Degraded, a step not reached in time, a skipped step, a
// cancellation — stops the canary and hands over to the rollback stage.
import type { Clock } from '../clock.js';
import { kubeErrorMessage } from '../kube/errors.js';
import type { KubePort } from '../kube/port.js';
import { promote } from '../rollouts/actions.js';
import { setImage, type SetImageResult } from '../rollouts/image.js';
import { waitFor } from '../rollouts/wait.js';
import type { Settings } from '../settings.js';
import { bake, type BakeResult, type Sample } from '../slo/bake.js';
import type { SloProviderBackend } from '../slo/provider.js';
import type { ClusterPreflight } from './preflight-cluster.js';

export type CanaryState = 'promoted' | 'slo_breach' | 'gate_error' | 'degraded' | 'step_timeout' | 'step_skipped' | 'cancelled' | 'error' | 'dry_run';

export interface StepResult {
  readonly weight: number;
  readonly startedAt: string;
  readonly reachedAt?: string;
  readonly waitSeconds: number;
  readonly bake?: BakeResult;
  readonly outcome: 'passed' | 'breach' | 'degraded' | 'timeout' | 'skipped' | 'cancelled' | 'error';
  readonly detail: string;
}

export interface TimelineEvent {
  readonly at: string;
  readonly what: string;
  readonly weight?: number;
}

export interface Tripped {
  readonly metric: string;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly weight: number;
  readonly at: string;
  readonly detail: string;
}

export interface CanaryResult {
  readonly state: CanaryState;
  readonly image: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly setImage?: SetImageResult;
  readonly canaryHash?: string;
  readonly stableHash?: string;
  readonly steps: readonly StepResult[];
  readonly abortedAtStep?: number;
  /** The canary had reached 100% and was fully promoted when it stopped. */
  readonly fullyPromoted: boolean;
  readonly tripped?: Tripped;
  readonly timeline: readonly TimelineEvent[];
}

export interface CanaryPorts {
  readonly kube: KubePort;
  readonly slo: SloProviderBackend;
  readonly clock: Clock;
  readonly log: { info(message: string): void };
  readonly signal?: AbortSignal;
  /** Called with each sample as it returns (progress output; the benchmark measures reaction time). */
  readonly onSample?: (sample: Sample) => void;
}

export async function canary(settings: Settings, preflight: ClusterPreflight, ports: CanaryPorts): Promise<CanaryResult> {
  const { kube, clock, log, signal } = ports;
  const { namespace, service, container } = settings;
  const image = `${settings.image}@${settings.digest ?? ''}`;
  const startedAt = clock.now().toISOString();
  const timeline: TimelineEvent[] = [];
  const event = (what: string, weight?: number) => {
    timeline.push({ at: clock.now().toISOString(), what, ...(weight !== undefined ? { weight } : {}) });
    log.info(`  ${what}`);
  };
  const steps: StepResult[] = [];
  const end = (state: CanaryState, extra: Partial<CanaryResult> = {}): CanaryResult => ({
    state, image, startedAt, finishedAt: clock.now().toISOString(), steps, timeline, fullyPromoted: false, stableHash: preflight.stableHash, ...extra,
  });

  if (settings.dryRun) {
    const result = await setImage(kube, namespace, service, container, image, { dryRun: true });
    event(`dry run: the API server accepted setting ${container} of ${result.target} ${result.name} to ${image} (dryRun=All, nothing stored)`);
    return end('dry_run', { setImage: result });
  }

  if (preflight.alreadyDeployed) {
    event(`${service} already runs ${image}, fully promoted (a re-run): nothing to deploy`);
    return end('promoted', { canaryHash: preflight.stableHash, fullyPromoted: true });
  }

  // A run cancelled before the image is set deploys nothing (and so needs no rollback).
  signal?.throwIfAborted();
  let canaryHash: string | undefined;
  let current = settings.canarySteps[0]!;
  try {
    // Inside the try: a PUT that was applied but whose answer was lost must still be rolled back.
    const imageResult = await setImage(kube, namespace, service, container, image);
    event(imageResult.changed ? `image of ${container} in ${imageResult.target} ${imageResult.name} set to ${image}${imageResult.attempts > 1 ? ` (after ${imageResult.attempts - 1} conflict${imageResult.attempts > 2 ? 's' : ''})` : ''}` : `${imageResult.target} ${imageResult.name} already runs ${image}`);
    for (const weight of settings.canarySteps) {
      current = weight;
      const stepStart = clock.now();
      const target = { weight, pauseIndex: weight < 100 ? preflight.pauseIndex.get(weight) : undefined, canaryHash };
      let waited;
      try {
        waited = await waitFor(kube, namespace, service, target, {
          clock, signal, timeoutMs: settings.stepTimeoutMinutes * 60_000,
          onWaiting: (why) => log.info(`  waiting for ${weight}%: ${why}`),
        });
      } catch (error) {
        if (!signal?.aborted) throw error;
        steps.push(stepRecord(weight, stepStart, clock, 'cancelled', 'the run was cancelled while waiting for the step'));
        event(`run cancelled while waiting for ${weight}%`, weight);
        return end('cancelled', { abortedAtStep: weight, canaryHash });
      }
      const waitedFor = (clock.now().getTime() - stepStart.getTime()) / 1000;
      if (waited.kind === 'timeout') {
        const detail = `step ${weight}% not reached within ${settings.stepTimeoutMinutes} min (step-timeout-minutes): ${waited.lastWhy}`;
        steps.push(stepRecord(weight, stepStart, clock, 'timeout', detail));
        event(detail, weight);
        return end('step_timeout', { abortedAtStep: weight, canaryHash: canaryHash ?? waited.snapshot?.canaryHash, tripped: trippedBy('step_timeout', weight, clock, detail) });
      }
      const position = waited.position;
      if (position.kind === 'degraded' || position.kind === 'skipped') {
        const detail = position.kind === 'degraded' ? `rollout turned Degraded at ${weight}%: ${position.message || position.reason}` : `step skipped: ${position.why}`;
        steps.push(stepRecord(weight, stepStart, clock, position.kind, detail));
        event(detail, weight);
        return end(position.kind === 'degraded' ? 'degraded' : 'step_skipped', {
          abortedAtStep: weight, canaryHash: canaryHash ?? waited.snapshot.canaryHash,
          tripped: trippedBy(position.kind === 'degraded' ? position.reason : 'step_skipped', weight, clock, detail),
        });
      }
      canaryHash ??= waited.snapshot.canaryHash;
      const reachedAt = clock.now().toISOString();
      event(weight < 100 ? `paused at ${weight}% (step ${target.pauseIndex}), canary ${canaryHash}` : `fully promoted and Healthy at 100%, ${canaryHash}`, weight);

      let baked: BakeResult;
      try {
        baked = await bake(ports.slo, {
          service, namespace, version: settings.version.tag, sha: settings.sha, step: weight,
          canaryHash: canaryHash ?? '', stableHash: preflight.stableHash ?? '', slo: settings.slo,
        }, settings.slo, clock, { signal, onSample: ports.onSample });
      } catch (error) {
        if (!signal?.aborted) throw error;
        steps.push({ ...stepRecord(weight, stepStart, clock, 'cancelled', 'the run was cancelled during the bake'), reachedAt });
        event(`run cancelled while baking at ${weight}%`, weight);
        return end('cancelled', { abortedAtStep: weight, canaryHash, fullyPromoted: weight === 100 });
      }
      if (baked.verdict === 'breach') {
        const sample = baked.breach!;
        const first = sample.breaches[0];
        const detail = first
          ? `${first.metric} ${formatValue(first.value)} over threshold ${formatValue(first.threshold)} at ${weight}%${sample.gateError ? `: ${sample.gateError}` : ''}`
          : `breach at ${weight}%`;
        steps.push({ weight, startedAt: stepStart.toISOString(), reachedAt, waitSeconds: waitedFor, bake: baked, outcome: 'breach', detail });
        event(`SLO gate breached: ${detail}`, weight);
        return end(first?.metric === 'gate_error' ? 'gate_error' : 'slo_breach', {
          abortedAtStep: weight, canaryHash, fullyPromoted: weight === 100,
          tripped: { metric: first?.metric ?? 'unknown', value: first?.value ?? null, threshold: first?.threshold ?? null, weight, at: sample.at, detail },
        });
      }
      steps.push({ weight, startedAt: stepStart.toISOString(), reachedAt, waitSeconds: waitedFor, bake: baked, outcome: 'passed', detail: `${baked.samples.length} sample${baked.samples.length === 1 ? '' : 's'} within SLO` });
      if (weight < 100) {
        await promote(kube, namespace, service, { stepIndex: waited.snapshot.stepIndex ?? 0, canaryHash: canaryHash ?? '' });
        event(`promoted past ${weight}%`, weight);
      }
    }
  } catch (error) {
    // The image is set: whatever broke (the API, the network), production must not be left mid-canary.
    const detail = `canary stopped by an error at ${current}%: ${kubeErrorMessage(error)}`;
    steps.push(stepRecord(current, clock.now(), clock, 'error', detail));
    event(detail, current);
    return end('error', { abortedAtStep: current, canaryHash, tripped: trippedBy('error', current, clock, detail) });
  }
  event('canary complete: fully promoted');
  return end('promoted', { canaryHash, fullyPromoted: true });
}

function stepRecord(weight: number, started: Date, clock: Clock, outcome: StepResult['outcome'], detail: string): StepResult {
  return { weight, startedAt: started.toISOString(), waitSeconds: (clock.now().getTime() - started.getTime()) / 1000, outcome, detail };
}

function trippedBy(metric: string, weight: number, clock: Clock, detail: string): Tripped {
  return { metric, value: null, threshold: null, weight, at: clock.now().toISOString(), detail };
}

export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'no data';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
