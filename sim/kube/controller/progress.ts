/**
 * Step progression of one pass (§5.1 step 9, §5.2, §5.4): full promotion, abort bookkeeping, step
 * completion and the pause handshake. Mutates the draft status and reports through env.emit.
 */
import { rfc3339 } from '../types.js';
import type { Env } from './env.js';
import { availableOf, podHashOf, replicasOf, revisionOf, type CanaryStep, type Rollout, type RolloutStatus } from './model.js';
import type { ReplicaSets } from './replicasets.js';
import { describeStep, desiredWeight, durationSeconds, hasTrafficRouting, isFullyPromoted, stepsOf } from './steps.js';
import { targetCounts } from './targets.js';
import type { RunOutcome } from './analysis.js';
import { phaseOfRun } from './runs.js';

export interface StepContext {
  readonly env: Env;
  readonly ro: Rollout;
  readonly sets: ReplicaSets;
  /** False when this pass scaled something: a new pause waits for the next pass (§5.1 steps 7-8). */
  readonly mayPause: boolean;
  /** The canary traffic weight this pass computed (traffic routing only). */
  readonly canaryWeight: number | undefined;
  /** The runs of this pass (analysis and experiment steps complete on theirs). */
  readonly runs?: RunOutcome;
  /** Detail of an abort this pass raised (a Failed/Error run). */
  readonly abortMessage?: string;
}

const PAUSE_REASON = 'CanaryPauseStep';

/**
 * `AtDesiredReplicaCountsForCanary` (utils/replicaset/canary.go): the canary at its target and all
 * available; the stable at its target (not checked under dynamicStableScale); for a basic canary no
 * other ReplicaSet left; with traffic routing the simulator also waits for the router weight.
 */
function atDesiredCounts(ctx: StepContext, s: RolloutStatus): boolean {
  const { ro, sets } = ctx;
  const { newRS, stableRS } = sets;
  const others = sets.all.filter((rs) => rs !== newRS && rs !== stableRS);
  const want = targetCounts(ro, s);
  const canaryReady = replicasOf(newRS) === want.canary && availableOf(newRS) >= want.canary;
  if (hasTrafficRouting(ro)) {
    const stableReady = !stableRS || !!ro.spec.strategy?.canary?.dynamicStableScale || availableOf(stableRS) >= want.stable;
    return canaryReady && stableReady && (ctx.canaryWeight ?? 0) === desiredWeight(ro, s);
  }
  return canaryReady && (!stableRS || (replicasOf(stableRS) === want.stable && availableOf(stableRS) >= want.stable))
    && others.every((rs) => replicasOf(rs) === 0);
}

function completeStep(ctx: StepContext, index: number, step: CanaryStep): number {
  const total = stepsOf(ctx.ro).length;
  ctx.env.emit(ctx.ro, 'RolloutStepCompleted', `Rollout step ${index + 1}/${total} completed (${describeStep(step)})`);
  return index + 1;
}

/** The pause handshake: add the condition once, or finish the step when resumed or timed out. */
function pauseStep(ctx: StepContext, s: RolloutStatus, index: number, step: CanaryStep): number {
  const now = ctx.env.clock.now();
  const cond = s.pauseConditions?.find((c) => c.reason === PAUSE_REASON);
  if (cond) {
    const seconds = durationSeconds(step.pause?.duration);
    // CompletedCanaryPauseStep (rollout/pause.go): done once now is *after* startTime + D.
    if (seconds === undefined || now <= Date.parse(cond.startTime) + seconds * 1000) return index;
    s.pauseConditions = s.pauseConditions?.filter((c) => c !== cond);
    return completeStep(ctx, index, step);
  }
  // controllerPause with the condition gone is how a human's promote looks (§2.2).
  if (s.controllerPause) {
    ctx.env.emit(ctx.ro, 'RolloutResumed', 'Rollout is resumed');
    return completeStep(ctx, index, step);
  }
  if (!ctx.mayPause) return index;
  s.pauseConditions = [...(s.pauseConditions ?? []), { reason: PAUSE_REASON, startTime: rfc3339(now) }];
  s.controllerPause = true;
  ctx.env.emit(ctx.ro, 'RolloutPaused', `Rollout is paused (${PAUSE_REASON})`);
  return index;
}

function promote(ctx: StepContext, s: RolloutStatus, why: string): void {
  const hash = podHashOf(ctx.sets.newRS) ?? '';
  s.stableRS = hash;
  delete s.pauseConditions;
  delete s.controllerPause;
  delete s.abort;
  delete s.abortedAt;
  delete s.promoteFull;
  ctx.env.emit(ctx.ro, 'RolloutCompleted', `Completed rollout update to revision ${revisionOf(ctx.sets.newRS)} (${hash}): ${why}`);
}

/** Applies abort, promoteFull, promotion and at most one step completion to `s`; returns the step index. */
export function progressSteps(ctx: StepContext, s: RolloutStatus): number {
  const { ro, env } = ctx;
  const steps = stepsOf(ro);
  const replicas = ro.spec.replicas ?? 1;
  let index = Math.min(s.currentStepIndex ?? 0, steps.length);
  if (s.abort && isFullyPromoted(s)) {
    delete s.abort; // a stale abort on a fully promoted rollout is simply dropped
    delete s.abortedAt;
  }
  if (s.promoteFull) {
    delete s.pauseConditions;
    delete s.controllerPause;
    delete s.abort;
    delete s.abortedAt;
    index = steps.length;
  }
  if (s.abort) {
    if (!s.abortedAt) {
      s.abortedAt = rfc3339(env.clock.now());
      const detail = ctx.abortMessage ? `: ${ctx.abortMessage}` : '';
      env.emit(ro, 'RolloutAborted', `Rollout aborted update to revision ${revisionOf(ctx.sets.newRS)}${detail}`, 'Warning');
    }
    delete s.pauseConditions;
    delete s.controllerPause;
    return isFullyPromoted(s) ? steps.length : 0;
  }
  delete s.abortedAt;
  if (ro.spec.paused) return index;
  const initial = !s.stableRS;
  const due = initial || s.promoteFull || index >= steps.length;
  if (due && !isFullyPromoted(s)) {
    if (availableOf(ctx.sets.newRS) >= replicas) {
      promote(ctx, s, initial ? 'Initial deploy' : s.promoteFull ? 'Full promotion requested' : 'Completed all steps');
      return steps.length;
    }
    return index;
  }
  const step = steps[index];
  if (!step || isFullyPromoted(s)) return index;
  if (step.setWeight !== undefined || step.setCanaryScale !== undefined) {
    return atDesiredCounts(ctx, { ...s, currentStepIndex: index }) ? completeStep(ctx, index, step) : index;
  }
  if (step.pause !== undefined) return pauseStep(ctx, s, index, step);
  // completedCurrentCanaryStep (rollout/canary.go): an analysis or experiment step waits for its
  // run to be Successful; route and plugin steps complete at once.
  if (step.analysis !== undefined) return phaseOfRun(ctx.runs?.stepRun) === 'Successful' ? completeStep(ctx, index, step) : index;
  if (step.experiment !== undefined) return phaseOfRun(ctx.runs?.stepExperiment) === 'Successful' ? completeStep(ctx, index, step) : index;
  return completeStep(ctx, index, step);
}
