// Contract step 6: set the image once, then for each gate of the plan (compiled from the Rollout's
// own steps in preflight) — reach it, judge it, leave it. Each kind of gate is one file under
// src/canary/gates/; a health watch beside every bake stops it the moment the canary is in trouble.
// Any ending other than full promotion — a breach, a failed or inconclusive analysis, Degraded, a
// step not reached in time, a skipped step, a cancellation — stops the canary and hands over to
// the rollback stage (or, for a canary that is not ours, to none).
import { Stop, type CanaryState, type GateContext, type GatePorts, type StepResult, type TimelineEvent, type Tripped } from '../canary/context.js';
import { GATES, type Judged } from '../canary/gates/index.js';
import type { Reached } from '../canary/reach.js';
import { formatShare, realShare, type Share } from '../canary/share.js';
import type { Clock } from '../clock.js';
import { kubeErrorMessage } from '../kube/errors.js';
import { setImage, type SetImageResult } from '../rollouts/image.js';
import { weightAt, type Gate, type Plan } from '../rollouts/plan.js';
import type { Settings } from '../settings.js';
import type { ClusterPreflight } from './preflight-cluster.js';

export type { CanaryState, StepResult, TimelineEvent, Tripped } from '../canary/context.js';
export { formatValue } from '../canary/format.js';

export interface CanaryResult {
  readonly state: CanaryState;
  readonly image: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly setImage?: SetImageResult;
  readonly canaryHash?: string;
  readonly stableHash?: string;
  readonly plan?: Plan;
  readonly steps: readonly StepResult[];
  /** The canary's share in force (percent) when it was stopped. */
  readonly abortedAtStep?: number;
  /** The canary had reached 100% and was fully promoted when it stopped. */
  readonly fullyPromoted: boolean;
  readonly tripped?: Tripped;
  readonly timeline: readonly TimelineEvent[];
}

/** What the canary needs from outside: the gates' own ports (`onSample`: progress output; the benchmark measures reaction time). */
export type CanaryPorts = GatePorts;

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
  const plan = preflight.plan;
  const end = (state: CanaryState, extra: Partial<CanaryResult> = {}): CanaryResult => ({
    state, image, startedAt, finishedAt: clock.now().toISOString(), steps, timeline, fullyPromoted: false, stableHash: preflight.stableHash, ...(plan ? { plan } : {}), ...extra,
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
  if (!plan) throw new Error('preflight passed without a plan of the canary steps');

  const ctx: GateContext = {
    ...ports, settings, plan, image, stableHash: preflight.stableHash, event,
    saw(s) {
      // An aborted rollout's index is already reset to 0: it no longer says where the canary was.
      if (!s || !s.observed || s.aborted || (ctx.canaryHash && s.canaryHash !== ctx.canaryHash)) return;
      ctx.lastStepIndex = s.fullyPromoted ? plan.stepCount : s.stepIndex ?? ctx.lastStepIndex;
    },
  };
  let recordedUpTo = -1;
  const recordPassed = (upTo: number) => {
    for (const r of plan.recorded.filter((x) => x.index > recordedUpTo && x.index <= upTo)) event(`${r.what} (passed)`);
    recordedUpTo = Math.max(recordedUpTo, upTo);
  };

  // A run cancelled before the image is set deploys nothing (and so needs no rollback).
  signal?.throwIfAborted();
  let current: Gate = plan.gates[0]!;
  let lastReached: Gate | undefined;
  let fullyPromoted = false;
  const inForce = (stepIndex?: number): number => {
    const index = stepIndex ?? ctx.lastStepIndex;
    return index !== undefined ? weightAt(plan, index) : lastReached?.percent ?? 0;
  };
  try {
    // Inside the try: a PUT that was applied but whose answer was lost must still be rolled back.
    const imageResult = await setImage(kube, namespace, service, container, image);
    event(imageResult.changed ? `image of ${container} in ${imageResult.target} ${imageResult.name} set to ${image}${imageResult.attempts > 1 ? ` (after ${imageResult.attempts - 1} conflict${imageResult.attempts > 2 ? 's' : ''})` : ''}` : `${imageResult.target} ${imageResult.name} already runs ${image}`);
    for (const gate of plan.gates) {
      current = gate;
      const runner = GATES[gate.kind];
      const started = clock.now();
      let reached: Reached | undefined;
      let judged: Judged | undefined;
      let share: Share | undefined;
      try {
        reached = await runner.reach(ctx, gate);
        if (reached || gate.kind === 'pass') lastReached = gate;
        if (gate.kind === 'full') fullyPromoted = true;
        share = reached && gate.kind !== 'full' ? await realShare(ctx, reached.rollout) : undefined;
        if (share) event(`real canary share at ${gate.percent}%: ${formatShare(share.percent)} (${share.source})`, gate.percent);
        judged = await runner.judge(ctx, gate, reached);
        judged = await runner.leave(ctx, gate, judged);
      } catch (error) {
        const stop = error instanceof Stop ? error : signal?.aborted ? new Stop('cancelled', 'cancelled', `the run was cancelled at ${gate.percent}%`) : undefined;
        if (!stop) throw error;
        // The weight in force: the gate's own once it holds there; before, where the controller was.
        const weight = reached && gate.kind !== 'pass' ? gate.percent : inForce(stop.extra.stepIndex);
        steps.push({
          ...stepOf(gate, started, clock, reached, judged, share), ...stop.extra.step, outcome: stop.outcome, detail: stop.detail,
        });
        event(stop.detail, weight);
        const tripped = stop.extra.tripped ? { ...stop.extra.tripped, weight, at: stop.extra.step?.bake?.breach?.at ?? clock.now().toISOString() } : undefined;
        return end(stop.state, { abortedAtStep: weight, canaryHash: ctx.canaryHash, fullyPromoted: fullyPromoted && gate.kind === 'full', ...(tripped ? { tripped } : {}) });
      }
      if (gate.kind !== 'pass') steps.push({ ...stepOf(gate, started, clock, reached, judged, share), outcome: 'passed', detail: judged.passedBy });
      recordPassed(gate.kind === 'full' ? plan.stepCount : gate.to);
    }
  } catch (error) {
    // The image is set: whatever broke (the API, the network), production must not be left mid-canary.
    const weight = inForce();
    const detail = `canary stopped by an error at ${current.percent}%: ${kubeErrorMessage(error)}`;
    steps.push({ ...stepOf(current, clock.now(), clock, undefined, undefined), outcome: 'error', detail });
    event(detail, weight);
    return end('error', { abortedAtStep: weight, canaryHash: ctx.canaryHash, fullyPromoted, tripped: { metric: 'error', value: null, threshold: null, weight, at: clock.now().toISOString(), detail } });
  }
  event('canary complete: fully promoted');
  return end('promoted', { canaryHash: ctx.canaryHash, fullyPromoted: true });
}

function stepOf(gate: Gate, started: Date, clock: Clock, reached: Reached | undefined, judged: Judged | undefined, measured?: Share): Omit<StepResult, 'outcome' | 'detail'> {
  const share = measured ?? judged?.share;
  return {
    weight: gate.percent,
    ...(gate.weight !== gate.percent ? { setWeight: gate.weight } : {}),
    gate: gate.kind,
    startedAt: started.toISOString(),
    ...(reached ? { reachedAt: reached.reachedAt.toISOString() } : {}),
    waitSeconds: ((reached?.reachedAt ?? clock.now()).getTime() - started.getTime()) / 1000,
    ...(share ? { share: share.percent, shareSource: share.source } : {}),
    ...(judged?.bake ? { bake: judged.bake } : {}),
    ...(judged?.shortened ? { shortened: true } : {}),
    ...(judged?.analysis ? { analysis: judged.analysis } : {}),
    ...(judged ? { passedBy: judged.passedBy } : {}),
  };
}
