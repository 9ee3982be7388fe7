/** Building the status a pass persists: counts, weights, step progress, conditions, phase (§3, §4). */
import { formatLabelSelector } from '../selectors.js';
import { clone, rfc3339 } from '../types.js';
import { runStatusFields, type RunOutcome } from './analysis.js';
import { computeConditions, findCondition, invalidSpecCondition, phaseOf } from './conditions.js';
import type { Env } from './env.js';
import { SCALE_DOWN_DEADLINE, WORKLOAD_GENERATION, availableOf, replicasOf, type Rollout, type RolloutStatus, type WeightDestination } from './model.js';
import { progressSteps } from './progress.js';
import type { ReplicaSets } from './replicasets.js';
import { desiredWeight, hasTrafficRouting, isFullyPromoted, maxTrafficWeight, stepsOf, weightBefore } from './steps.js';
import { targetCounts } from './targets.js';

export interface PassView {
  readonly env: Env;
  /** The Rollout as stored (metadata) with the template resolved from any workloadRef. */
  readonly ro: Rollout;
  readonly sets: ReplicaSets;
  readonly podHash: string;
  readonly stepHash: string;
}

/**
 * With traffic routing the router moves to W only once the canary pods for W are available (§5.3).
 * Short of them, `reconcileTrafficRouting` (rollout/trafficrouting.go) uses the last setWeight
 * *before the current step index*, else 0: at a setWeight step being scaled to, the weight before
 * it; at a pause (a scale-up mid-pause, say), that pause's own weight.
 */
function canaryWeight(view: PassView, s: RolloutStatus): number {
  const { ro, sets } = view;
  const weight = desiredWeight(ro, s);
  const available = availableOf(sets.newRS);
  if (weight === 0 || available === 0) return 0;
  if (available >= targetCounts(ro, s).canary) return weight;
  const steps = stepsOf(ro);
  return Math.min(weight, weightBefore(steps, Math.min(s.currentStepIndex ?? steps.length, steps.length)));
}

function weights(view: PassView, s: RolloutStatus, canary: number): { canary: WeightDestination; stable: WeightDestination } {
  const c = view.ro.spec.strategy?.canary ?? {};
  const current = s.currentPodHash ?? '';
  const stableHash = isFullyPromoted(s) ? current : (s.stableRS ?? '');
  const w = s.abort || isFullyPromoted(s) ? 0 : canary;
  return {
    canary: { weight: w, podTemplateHash: current, ...(c.canaryService ? { serviceName: c.canaryService } : {}) },
    stable: { weight: maxTrafficWeight(view.ro) - w, podTemplateHash: stableHash, ...(c.stableService ? { serviceName: c.stableService } : {}) },
  };
}

function fillCounts(view: PassView, s: RolloutStatus): void {
  const sum = (f: (x: { replicas?: number; readyReplicas?: number; availableReplicas?: number }) => number | undefined): number =>
    view.sets.all.reduce((n, rs) => n + (f(rs.status ?? {}) ?? 0), 0);
  s.replicas = sum((x) => x.replicas);
  s.updatedReplicas = view.sets.newRS.status?.replicas ?? 0;
  s.readyReplicas = sum((x) => x.readyReplicas);
  s.availableReplicas = sum((x) => x.availableReplicas);
  s.HPAReplicas = s.replicas;
  s.selector = formatLabelSelector(view.ro.spec.selector);
}

function finish(view: PassView, prev: RolloutStatus, s: RolloutStatus, abortMessage?: string): RolloutStatus {
  const { ro, sets, env } = view;
  fillCounts(view, s);
  if (!s.pauseConditions?.length) {
    delete s.pauseConditions;
    delete s.controllerPause; // cleared once no pause condition is left (§5.4)
  }
  const oldPending = sets.all.some((rs) => rs !== sets.newRS && replicasOf(rs) > 0 && !!rs.metadata.annotations?.[SCALE_DOWN_DEADLINE]);
  s.conditions = computeConditions({
    ro, prev, next: s, newRS: sets.newRS, newRSCreated: sets.created, oldPending, now: env.clock.now(), abortMessage,
  });
  const progressing = findCondition(s, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded' && findCondition(prev, 'Progressing')?.reason !== 'ProgressDeadlineExceeded') {
    env.emit(ro, 'ProgressDeadlineExceeded', progressing.message, 'Warning');
    if (ro.spec.progressDeadlineAbort) s.abort = true;
  }
  const { phase, message } = phaseOf(ro, s);
  s.phase = phase;
  if (message) s.message = message;
  else delete s.message;
  return s;
}

function base(view: PassView, prev: RolloutStatus): RolloutStatus {
  const s = clone(prev);
  s.observedGeneration = String(view.ro.metadata.generation ?? 0);
  s.currentPodHash = view.podHash;
  s.currentStepHash = view.stepHash;
  const workloadGeneration = view.ro.metadata.annotations?.[WORKLOAD_GENERATION];
  if (view.ro.spec.workloadRef && workloadGeneration) s.workloadObservedGeneration = workloadGeneration;
  s.blueGreen = {};
  delete s.conditions;
  return s;
}

function setIndex(view: PassView, s: RolloutStatus, index: number): void {
  if (stepsOf(view.ro).length > 0) s.currentStepIndex = index;
  else delete s.currentStepIndex;
}

/** A new pod template or new steps restart the canary (§5.1 step 5); back on stable = fast rollback. */
export function resetStatus(view: PassView, prev: RolloutStatus): RolloutStatus {
  const s = base(view, prev);
  for (const k of ['pauseConditions', 'controllerPause', 'abort', 'abortedAt', 'promoteFull'] as const) delete s[k];
  const toStable = !!prev.stableRS && prev.stableRS === view.podHash;
  if (toStable) view.env.emit(view.ro, 'SkipSteps', 'Rollback to stable ReplicaSets');
  setIndex(view, s, toStable ? stepsOf(view.ro).length : 0);
  s.canary = hasTrafficRouting(view.ro) ? { weights: weights(view, s, 0) } : {};
  return finish(view, prev, s);
}

export function progressStatus(view: PassView, prev: RolloutStatus, mayPause: boolean, runs?: RunOutcome): RolloutStatus {
  const s = base(view, prev);
  const traffic = hasTrafficRouting(view.ro);
  const before = traffic ? canaryWeight(view, s) : undefined;
  // pauseContext.AddAbort: a Failed/Error run aborts in this very pass (rollout/analysis.go).
  const abortMessage = runs?.abortMessage && !s.abort && !isFullyPromoted(s) ? runs.abortMessage : undefined;
  if (abortMessage) s.abort = true;
  const adding = runs?.pauses ?? [];
  const from = s.currentStepIndex;
  setIndex(view, s, progressSteps({
    env: view.env, ro: view.ro, sets: view.sets, mayPause: mayPause && adding.length === 0, canaryWeight: before, runs, abortMessage,
  }, s));
  // CalculatePauseConditions (rollout/pause.go): new reasons appended with controllerPause; none while aborted.
  if (!s.abort) {
    for (const reason of adding) {
      if (s.pauseConditions?.some((c) => c.reason === reason)) continue;
      s.pauseConditions = [...(s.pauseConditions ?? []), { reason, startTime: rfc3339(view.env.clock.now()) }];
      s.controllerPause = true;
      view.env.emit(view.ro, 'RolloutPaused', `Rollout is paused (${reason})`);
    }
  }
  // A completed step drops the step run's status (syncRolloutStatusCanary).
  const fields = runStatusFields(s.currentStepIndex !== from ? { ...runs, pauses: [], stepRun: undefined } : runs);
  if (traffic) {
    s.canary = { ...fields, weights: weights(view, s, canaryWeight(view, s)) };
    const was = prev.canary?.weights?.canary.weight;
    const now = s.canary.weights?.canary.weight;
    if (was !== undefined && was !== now) view.env.emit(view.ro, 'TrafficWeightUpdated', `Traffic weight updated from ${was} to ${now}`);
  } else s.canary = fields;
  return finish(view, prev, s, abortMessage);
}

export function invalidStatus(view: { env: Env; ro: Rollout }, prev: RolloutStatus, problem: string): RolloutStatus {
  const s = clone(prev);
  s.observedGeneration = String(view.ro.metadata.generation ?? 0);
  const cond = invalidSpecCondition(prev, view.ro.metadata.name, problem, view.env.clock.now());
  if (!findCondition(prev, 'InvalidSpec')) view.env.emit(view.ro, 'InvalidSpec', cond.message, 'Warning');
  s.conditions = [...(prev.conditions ?? []).filter((c) => c.type !== 'InvalidSpec'), cond].sort((a, b) => a.type.localeCompare(b.type));
  const { phase, message } = phaseOf(view.ro, s);
  s.phase = phase;
  s.message = message;
  return s;
}
