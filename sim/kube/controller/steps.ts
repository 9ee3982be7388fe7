/** Reading canary steps: durations, the weight in force at an index, event wording. */
import type { CanaryStep, Rollout, RolloutStatus } from './model.js';

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 0.001, s: 1, m: 60, h: 3600 };
const GO_DURATION = /^([+-]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;

/**
 * `RolloutPause.DurationSeconds` (pkg/apis/rollouts/v1alpha1/types.go): an integer, or a string of
 * digits, is seconds; anything else goes through Go's `time.ParseDuration` and is truncated to whole
 * seconds (`int32(d.Seconds())`: "1.9s" is 1, "500ms" is 0); unparseable is -1. Undefined: no
 * duration, an indefinite pause.
 */
export function durationSeconds(duration: number | string | undefined): number | undefined {
  if (duration === undefined) return undefined;
  if (typeof duration === 'number') return Math.trunc(duration);
  if (/^[+-]?\d+$/.test(duration)) return Number(duration);
  const m = GO_DURATION.exec(duration);
  if (!m) return -1;
  const parts = [...(m[2] as string).matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)];
  const seconds = parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_SECONDS[p[2] as string] as number), 0);
  return Math.trunc(m[1] === '-' ? -seconds : seconds) || 0;
}

export function stepsOf(ro: Rollout): CanaryStep[] {
  return ro.spec.strategy?.canary?.steps ?? [];
}

export function hasTrafficRouting(ro: Rollout): boolean {
  return ro.spec.strategy?.canary?.trafficRouting !== undefined;
}

/** `weightutil.MaxTrafficWeight`: trafficRouting.maxTrafficWeight, else 100 (also for a basic canary). */
export function maxTrafficWeight(ro: Rollout): number {
  const max = ro.spec.strategy?.canary?.trafficRouting?.maxTrafficWeight;
  return typeof max === 'number' ? max : 100;
}

/** The last setWeight at an index below `index`, or 0. */
export function weightBefore(steps: readonly CanaryStep[], index: number): number {
  for (let i = Math.min(index, steps.length) - 1; i >= 0; i -= 1) {
    const w = steps[i]?.setWeight;
    if (w !== undefined) return w;
  }
  return 0;
}

export function isFullyPromoted(status: RolloutStatus | undefined): boolean {
  return !!status?.stableRS && status.stableRS === status.currentPodHash;
}

/**
 * The weight the ReplicaSets should be scaled for (reference §5.3), in maxTrafficWeight units
 * (`GetCanaryReplicasOrWeight` / `GetCurrentSetWeight`, utils/replicaset/canary.go).
 */
export function desiredWeight(ro: Rollout, status: RolloutStatus): number {
  const steps = stepsOf(ro);
  const max = maxTrafficWeight(ro);
  if (status.abort && !isFullyPromoted(status)) return 0;
  if (status.promoteFull || !status.stableRS || isFullyPromoted(status)) return max;
  const index = status.currentStepIndex ?? 0;
  if (index >= steps.length) return max;
  return weightBefore(steps, index + 1);
}

export function describeStep(step: CanaryStep): string {
  if (step.setWeight !== undefined) return `setWeight: ${step.setWeight}`;
  if (step.pause) return step.pause.duration === undefined ? 'pause' : `pause: ${String(step.pause.duration)}`;
  const kind = Object.keys(step)[0];
  return kind ?? 'unknown';
}
