/** Status conditions (reference §3) and the phase/message computed from them (§4). */
import { rfc3339 } from '../types.js';
import { availableOf, revisionOf, type Condition, type ReplicaSet, type Rollout, type RolloutStatus } from './model.js';
import { hasTrafficRouting, isFullyPromoted, stepsOf } from './steps.js';

export interface ConditionInputs {
  readonly ro: Rollout;
  readonly prev: RolloutStatus;
  /** The new status with everything but conditions, phase and message filled in. */
  readonly next: RolloutStatus;
  readonly newRS: ReplicaSet;
  readonly newRSCreated: boolean;
  /** Old ReplicaSets are waiting out a scale-down deadline (no deadline check then, PR #3711). */
  readonly oldPending: boolean;
  readonly now: number;
  /** Detail of an abort raised in this pass (`RolloutAbortedMessage: <detail>`, rollout/sync.go). */
  readonly abortMessage?: string;
}

type Draft = Pick<Condition, 'type' | 'status' | 'reason' | 'message'>;

/** Keeps lastTransitionTime while the status is unchanged and lastUpdateTime while nothing changed. */
function stamp(draft: Draft, prev: Condition | undefined, now: number, touch = false): Condition {
  const t = rfc3339(now);
  const same = prev && prev.status === draft.status;
  const unchanged = same && prev.reason === draft.reason && prev.message === draft.message && !touch;
  return {
    ...draft,
    lastUpdateTime: unchanged ? prev.lastUpdateTime : t,
    lastTransitionTime: same ? prev.lastTransitionTime : t,
  };
}

export function findCondition(status: RolloutStatus | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

const PROGRESS_FIELDS = ['updatedReplicas', 'readyReplicas', 'availableReplicas', 'currentStepIndex', 'currentStepHash', 'stableRS', 'currentPodHash'] as const;

export function madeProgress(prev: RolloutStatus, next: RolloutStatus): boolean {
  return PROGRESS_FIELDS.some((f) => prev[f] !== next[f]);
}

function isPaused(ro: Rollout, s: RolloutStatus): boolean {
  return !!ro.spec.paused || (s.pauseConditions?.length ?? 0) > 0;
}

/** `isIndefiniteStep` (rollout/sync.go): no progress deadline at a pause, analysis or experiment step (§5.6). */
function atWaitingStep(ro: Rollout, s: RolloutStatus): boolean {
  const step = stepsOf(ro)[s.currentStepIndex ?? 0];
  return step?.pause !== undefined || step?.analysis !== undefined || step?.experiment !== undefined;
}

function isComplete(ro: Rollout, s: RolloutStatus, newRS: ReplicaSet): boolean {
  const replicas = ro.spec.replicas ?? 1;
  return isFullyPromoted(s) && (s.updatedReplicas ?? 0) === replicas && availableOf(newRS) >= replicas;
}

function progressing(inp: ConditionInputs): { draft: Draft; touch: boolean } {
  const { ro, prev, next, newRS, now } = inp;
  const name = newRS.metadata.name;
  const before = findCondition(prev, 'Progressing');
  const progress = madeProgress(prev, next);
  const draft = (status: Condition['status'], reason: string, message: string): Draft => ({ type: 'Progressing', status, reason, message });
  if (next.abort) {
    // SetRolloutCondition keeps a condition whose status and reason are unchanged, message included.
    if (before?.reason === 'RolloutAborted' && before.status === 'False') return { draft: before, touch: false };
    const detail = inp.abortMessage ? `: ${inp.abortMessage}` : '';
    return { draft: draft('False', 'RolloutAborted', `Rollout aborted update to revision ${revisionOf(newRS)}${detail}`), touch: false };
  }
  if (isPaused(ro, next)) return { draft: draft('Unknown', 'RolloutPaused', 'Rollout is paused'), touch: false };
  if (isComplete(ro, next, newRS)) {
    return { draft: draft('True', 'NewReplicaSetAvailable', `ReplicaSet "${name}" has successfully progressed.`), touch: false };
  }
  if (inp.newRSCreated) return { draft: draft('True', 'NewReplicaSetCreated', `Created new replica set "${name}"`), touch: true };
  if (progress) return { draft: draft('True', 'ReplicaSetUpdated', `ReplicaSet "${name}" is progressing.`), touch: true };
  if (before?.reason === 'RolloutAborted') return { draft: draft('Unknown', 'RolloutRetry', 'Retrying Rollout after abort'), touch: false };
  if (before?.reason === 'RolloutPaused') return { draft: draft('Unknown', 'RolloutResumed', 'Rollout is resumed'), touch: false };
  const timedOut = draft('False', 'ProgressDeadlineExceeded', `ReplicaSet "${name}" has timed out progressing.`);
  if (before?.reason === 'ProgressDeadlineExceeded') return { draft: timedOut, touch: false };
  const deadlineMs = (ro.spec.progressDeadlineSeconds ?? 600) * 1000;
  const checkable = !atWaitingStep(ro, next) && !inp.oldPending && before !== undefined && before.reason !== 'NewReplicaSetAvailable';
  if (checkable && now - Date.parse(before.lastUpdateTime) > deadlineMs) return { draft: timedOut, touch: false };
  if (before && before.reason !== 'NewReplicaSetAvailable') return { draft: before, touch: false };
  return { draft: draft('True', 'ReplicaSetUpdated', `ReplicaSet "${name}" is progressing.`), touch: true };
}

export function computeConditions(inp: ConditionInputs): Condition[] {
  const { ro, prev, next, now } = inp;
  const replicas = ro.spec.replicas ?? 1;
  const was = (type: string): Condition | undefined => findCondition(prev, type);
  const steps = stepsOf(ro);
  const paused = isPaused(ro, next);
  const progress = progressing(inp);
  const healthy = (next.updatedReplicas ?? 0) === replicas && (next.availableReplicas ?? 0) >= replicas
    && prev.observedGeneration === String(ro.metadata.generation) && (next.currentStepIndex ?? 0) >= steps.length
    && isFullyPromoted(next) && (next.replicas ?? 0) === replicas && !paused;
  const available = (next.availableReplicas ?? 0) >= replicas;
  const drafts: [Draft, boolean][] = [
    [{ type: 'Available', status: available ? 'True' : 'False', reason: 'AvailableReason', message: available ? 'Rollout has minimum availability' : 'Rollout does not have minimum availability' }, false],
    [{ type: 'Completed', status: isFullyPromoted(next) ? 'True' : 'False', reason: 'RolloutCompleted', message: 'RolloutCompleted' }, false],
    [{ type: 'Healthy', status: healthy ? 'True' : 'False', reason: 'RolloutHealthy', message: healthy ? 'Rollout is healthy' : 'Rollout is not healthy' }, false],
    // While aborted the controller does not touch the Paused condition, so it keeps its last value.
    [next.abort && was('Paused') ? (was('Paused') as Condition) : { type: 'Paused', status: paused ? 'True' : 'False', reason: 'RolloutPaused', message: 'Rollout is paused' }, false],
    [progress.draft, progress.touch],
  ];
  return drafts
    .map(([d, touch]) => stamp(d, was(d.type), now, touch))
    .sort((a, b) => a.type.localeCompare(b.type));
}

export function invalidSpecCondition(prev: RolloutStatus, name: string, problem: string, now: number): Condition {
  const draft: Draft = { type: 'InvalidSpec', status: 'True', reason: 'InvalidSpec', message: `The Rollout "${name}" is invalid: ${problem}` };
  return stamp(draft, findCondition(prev, 'InvalidSpec'), now);
}

/** `CalculateRolloutPhase`: the first matching rule wins. */
export function phaseOf(ro: Rollout, s: RolloutStatus): { phase: string; message: string } {
  const replicas = ro.spec.replicas ?? 1;
  const invalid = findCondition(s, 'InvalidSpec');
  if (invalid) return { phase: 'Degraded', message: `InvalidSpec: ${invalid.message}` };
  const bad = s.conditions?.find((c) => c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded');
  if (bad) return { phase: 'Degraded', message: `${bad.reason}: ${bad.message}` };
  if (ro.spec.paused) return { phase: 'Paused', message: 'manually paused' };
  const pause = s.pauseConditions?.[0];
  if (pause) return { phase: 'Paused', message: pause.reason };
  const updated = s.updatedReplicas ?? 0;
  if (updated < replicas) return { phase: 'Progressing', message: 'more replicas need to be updated' };
  if ((s.availableReplicas ?? 0) < updated) return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  if (!hasTrafficRouting(ro) && (s.replicas ?? 0) > updated) return { phase: 'Progressing', message: 'old replicas are pending termination' };
  if (!isFullyPromoted(s)) return { phase: 'Progressing', message: 'waiting for all steps to complete' };
  return { phase: 'Healthy', message: '' };
}
