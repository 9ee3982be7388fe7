// Where is the canary? Computed from the object just read, never remembered (reference §0, §4, §9;
// like the controller's own CalculateRolloutPhase). Pure: the driver reads, this decides.

/** The parts of a Rollout this module reads (the rest of the object is passed through untouched). */
export interface RolloutObject {
  readonly metadata: { readonly name?: string; readonly generation?: number; readonly resourceVersion?: string; readonly annotations?: Record<string, string> };
  readonly spec: {
    readonly paused?: boolean;
    readonly workloadRef?: { readonly kind?: string; readonly name?: string };
    readonly template?: unknown;
    readonly strategy?: { readonly canary?: { readonly steps?: unknown[]; readonly trafficRouting?: unknown } };
    readonly [key: string]: unknown;
  };
  readonly status?: RolloutStatus;
}

export interface RolloutStatus {
  readonly observedGeneration?: string | number;
  readonly workloadObservedGeneration?: string | number;
  readonly phase?: string;
  readonly message?: string;
  readonly currentPodHash?: string;
  readonly stableRS?: string;
  readonly currentStepIndex?: number;
  readonly pauseConditions?: readonly { readonly reason: string; readonly startTime?: string }[] | null;
  readonly controllerPause?: boolean;
  readonly abort?: boolean;
  readonly abortedAt?: string;
  readonly promoteFull?: boolean;
  readonly conditions?: readonly { readonly type: string; readonly status: string; readonly reason?: string; readonly message?: string }[];
  readonly replicas?: number;
  readonly updatedReplicas?: number;
  readonly availableReplicas?: number;
  readonly canary?: {
    readonly weights?: { readonly canary?: { readonly weight?: number } };
    readonly currentStepAnalysisRunStatus?: AnalysisRunRef;
    readonly currentBackgroundAnalysisRunStatus?: AnalysisRunRef;
    readonly currentExperiment?: string;
  };
}

/** `{name, status, message}` of the rollout's current step or background AnalysisRun (reference §3). */
export interface AnalysisRunRef {
  readonly name?: string;
  readonly status?: string;
  readonly message?: string;
}

export interface Snapshot {
  /** The controller has reconciled the latest spec (and, under workloadRef, the Deployment's). */
  readonly observed: boolean;
  readonly phase: string;
  readonly message: string;
  readonly stepIndex: number | undefined;
  readonly canaryHash: string | undefined;
  readonly stableHash: string | undefined;
  readonly fullyPromoted: boolean;
  readonly pausedAtStep: boolean;
  /** A promote was sent and the controller has not acted on it yet. */
  readonly resuming: boolean;
  readonly aborted: boolean;
  readonly degraded?: { readonly reason: string; readonly message: string };
  /** Paused by the controller because an AnalysisRun or Experiment came back Inconclusive (reference §11). */
  readonly inconclusive?: { readonly reason: string; readonly message: string };
  /** Pods as the status counts them, for progress lines: the new ReplicaSet's, and available of all. */
  readonly pods: { readonly updated: number; readonly available: number; readonly desired: number };
}

export function snapshot(rollout: RolloutObject, workloadGeneration?: number): Snapshot {
  const status = rollout.status ?? {};
  // observedGeneration is a string, metadata.generation a number (reference §3): compare as text.
  const observedSpec = status.observedGeneration !== undefined && String(status.observedGeneration) === String(rollout.metadata.generation);
  const observedWorkload = workloadGeneration === undefined || String(status.workloadObservedGeneration ?? '') === String(workloadGeneration);
  const pauseConditions = status.pauseConditions ?? [];
  const phase = status.phase ?? computePhase(rollout);
  const message = status.message ?? '';
  const degradedCondition = (status.conditions ?? []).find(
    (c) => c.type === 'InvalidSpec' || (c.type === 'Progressing' && (c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded')),
  );
  return {
    observed: observedSpec && observedWorkload,
    phase,
    message,
    stepIndex: status.currentStepIndex,
    canaryHash: status.currentPodHash,
    stableHash: status.stableRS,
    fullyPromoted: Boolean(status.currentPodHash) && status.currentPodHash === status.stableRS,
    pausedAtStep: phase === 'Paused' && pauseConditions.some((c) => c.reason === 'CanaryPauseStep') && status.abort !== true,
    resuming: status.controllerPause === true && pauseConditions.length === 0,
    aborted: status.abort === true,
    degraded: phase === 'Degraded'
      ? { reason: degradedCondition?.type === 'InvalidSpec' ? 'InvalidSpec' : degradedCondition?.reason ?? message.split(':')[0] ?? 'Degraded', message: message || degradedCondition?.message || '' }
      : undefined,
    inconclusive: inconclusiveOf(status, pauseConditions),
    pods: { updated: status.updatedReplicas ?? 0, available: status.availableReplicas ?? 0, desired: Number((rollout.spec as { replicas?: number }).replicas ?? 1) },
  };
}

function inconclusiveOf(status: RolloutStatus, pauseConditions: NonNullable<RolloutStatus['pauseConditions']>): Snapshot['inconclusive'] {
  const condition = pauseConditions.find((c) => c.reason === 'InconclusiveAnalysisRun' || c.reason === 'InconclusiveExperiment');
  if (!condition || status.abort) return undefined;
  const run = [status.canary?.currentStepAnalysisRunStatus, status.canary?.currentBackgroundAnalysisRunStatus].find((r) => r?.status === 'Inconclusive');
  return { reason: condition.reason, message: run ? `AnalysisRun ${run.name ?? '?'} is Inconclusive${run.message ? `: ${run.message}` : ''}` : `paused with ${condition.reason}` };
}

/**
 * Why the canary can no longer be judged, if it cannot: Degraded or aborted (the controller or
 * someone stopped it), paused on an inconclusive analysis (a breach, by the contract), or running
 * another pod template than ours. The same answer for the wait before a gate and the watch
 * beside a bake, so no gate needs health checks of its own.
 */
export type Trouble =
  | { readonly kind: 'degraded'; readonly reason: string; readonly message: string }
  | { readonly kind: 'inconclusive'; readonly reason: string; readonly message: string }
  | { readonly kind: 'not-ours'; readonly reason: 'NotOurCanary'; readonly message: string };

export function trouble(s: Snapshot, canaryHash: string | undefined): Trouble | undefined {
  if (!s.observed) return undefined;
  if (s.degraded) return { kind: 'degraded', ...s.degraded };
  if (s.aborted) return { kind: 'degraded', reason: 'RolloutAborted', message: s.message || 'the rollout was aborted' };
  if (s.inconclusive) return { kind: 'inconclusive', ...s.inconclusive };
  if (canaryHash && s.canaryHash && s.canaryHash !== canaryHash) return { kind: 'not-ours', reason: 'NotOurCanary', message: `the canary's pod-template hash changed from ${canaryHash} to ${s.canaryHash}: someone else changed the Rollout` };
  return undefined;
}

/** For controllers older than v1.0, which wrote no phase: reference §4, in order, first match wins. */
function computePhase(rollout: RolloutObject): string {
  const status = rollout.status ?? {};
  const conditions = status.conditions ?? [];
  if (conditions.some((c) => c.type === 'InvalidSpec')) return 'Degraded';
  if (conditions.some((c) => c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded')) return 'Degraded';
  if (rollout.spec.paused || (status.pauseConditions ?? []).length > 0) return 'Paused';
  const replicas = Number((rollout.spec as { replicas?: number }).replicas ?? 1);
  if ((status.updatedReplicas ?? 0) < replicas) return 'Progressing';
  if ((status.availableReplicas ?? 0) < (status.updatedReplicas ?? 0)) return 'Progressing';
  if (!rollout.spec.strategy?.canary?.trafficRouting && (status.replicas ?? 0) > (status.updatedReplicas ?? 0)) return 'Progressing';
  if (!status.stableRS || status.stableRS !== status.currentPodHash) return 'Progressing';
  return 'Healthy';
}

export type Position =
  | { readonly kind: 'waiting'; readonly why: string }
  | { readonly kind: 'at-step' }
  | { readonly kind: 'healthy' }
  | { readonly kind: 'degraded'; readonly reason: string; readonly message: string }
  | { readonly kind: 'skipped'; readonly why: string }
  /** The canary cannot be judged any more (only for `strict` targets). */
  | { readonly kind: 'stopped'; readonly trouble: Trouble }
  /** The controller is past the target's steps (`to`) on our canary: it moved on by itself. */
  | { readonly kind: 'passed'; readonly stepIndex: number };

export interface LocateTarget {
  readonly weight: number;
  /** The `pause: {}` to be paused at (v1 shape): the same as from = to = pauseIndex, paused. */
  readonly pauseIndex?: number;
  /** The steps that hold the gate's weight: reached when the step index is within [from, to]. */
  readonly from?: number;
  readonly to?: number;
  /** At `from`, also wait until the controller has paused there (an indefinite pause). */
  readonly paused?: boolean;
  readonly canaryHash?: string;
  /** Degraded, aborted, inconclusive or another canary stop the wait (a gate's wait, not a rollback's). */
  readonly strict?: boolean;
  readonly taken?: boolean;
  readonly throughDegraded?: boolean;
}

/**
 * Has the rollout reached the steps where the gate for `weight` may run? `from`..`to` are the step
 * indices that hold the weight (undefined for 100: fully promoted and Healthy); `canaryHash` the new
 * pod hash, once known, so that the old version being Healthy is never mistaken for the new one.
 */
export function locate(s: Snapshot, target: LocateTarget): Position {
  // Not observed first: right after an undo the status still shows the Degraded of our own abort
  // (or of the breach) until the controller reconciles the new generation.
  if (!s.observed) return { kind: 'waiting', why: 'the controller has not observed the change yet' };
  if (target.strict) {
    const t = trouble(s, target.canaryHash);
    if (t) return { kind: 'stopped', trouble: t };
  }
  if (s.degraded) {
    // During a rollback Degraded is expected for a pass or two: the reset pass that takes the undo
    // persists the old RolloutAborted condition before the next pass recomputes it.
    if (target.taken && target.canaryHash && s.canaryHash === target.canaryHash) return { kind: 'at-step' };
    if (target.throughDegraded || target.taken) return { kind: 'waiting', why: `Degraded - ${s.degraded.message || s.degraded.reason}` };
    return { kind: 'degraded', ...s.degraded };
  }
  if (target.canaryHash && s.canaryHash !== target.canaryHash) return { kind: 'waiting', why: `the current pod hash is ${s.canaryHash ?? 'unset'}, not ${target.canaryHash}` };
  // `taken`: only that the controller now works on this pod template, wherever it is.
  if (target.taken) return { kind: 'at-step' };
  if (s.resuming) return { kind: 'waiting', why: 'the controller has not acted on the promote yet' };
  const from = target.from ?? target.pauseIndex;
  const to = target.to ?? target.pauseIndex;
  if (from === undefined || to === undefined) {
    return s.fullyPromoted && s.phase === 'Healthy' ? { kind: 'healthy' } : { kind: 'waiting', why: `${s.phase}${s.message ? ` - ${s.message}` : ''}` };
  }
  const index = s.stepIndex ?? 0;
  if (target.pauseIndex !== undefined && target.from === undefined) {
    if (s.fullyPromoted) return { kind: 'skipped', why: `the rollout is fully promoted before the ${target.weight}% gate ran` };
    if (index > to) return { kind: 'skipped', why: `the rollout is at step ${index + 1}, past the pause after setWeight ${target.weight} (step ${to + 1})` };
  } else if (s.fullyPromoted || index > to) return { kind: 'passed', stepIndex: s.fullyPromoted ? Math.max(index, to + 1) : index };
  const paused = target.paused ?? target.pauseIndex !== undefined;
  if (index >= from && index <= to && (!paused || index > from || s.pausedAtStep)) return { kind: 'at-step' };
  // Progress for the log: one line each time it changes (wait.ts prints a why only when it differs).
  return { kind: 'waiting', why: `at step ${index + 1}, ${s.phase}${s.message ? ` - ${s.message}` : ''} (canary pods ${s.pods.updated}, available ${s.pods.available} of ${s.pods.desired} desired)` };
}
