/**
 * How many pods the canary and stable ReplicaSets should run for the rollout's current step
 * (utils/replicaset/canary.go: `GetCanaryReplicasOrWeight`, `UseSetCanaryScale`,
 * `CalculateReplicaCountsForBasicCanary`'s target, `CalculateReplicaCountsForTrafficRoutedCanary`).
 */
import { basicCanarySplit, fenceposts, trafficCanaryCount, trafficWeightToReplicas, withMinPods, type CanarySplit } from './counts.js';
import type { Rollout, RolloutStatus } from './model.js';
import { desiredWeight, hasTrafficRouting, maxTrafficWeight, stepsOf } from './steps.js';

export interface SetCanaryScale {
  replicas?: number;
  weight?: number;
  matchTrafficWeight?: boolean;
}

/**
 * `UseSetCanaryScale`: the last setCanaryScale at or before the current step, unless a
 * `matchTrafficWeight` came last; only with traffic routing, and ignored once aborted unless the
 * user keeps the canary up (`abortScaleDownDelaySeconds: 0`).
 */
export function activeCanaryScale(ro: Rollout, status: RolloutStatus): SetCanaryScale | undefined {
  const canary = ro.spec.strategy?.canary;
  if (!canary?.trafficRouting) return undefined;
  if (status.abort && canary.abortScaleDownDelaySeconds !== 0) return undefined;
  const steps = stepsOf(ro);
  const index = status.currentStepIndex ?? 0;
  if (steps.length === 0 || index >= steps.length) return undefined;
  for (let i = index; i >= 0; i -= 1) {
    const scs = steps[i]?.setCanaryScale as SetCanaryScale | undefined;
    if (scs === undefined) continue;
    return scs.matchTrafficWeight ? undefined : scs;
  }
  return undefined;
}

/**
 * Target pod counts for the canary (new) and stable ReplicaSets. Basic canary: Argo's approximation
 * of the weight by pod counts. Traffic routing: ceil(replicas × W / maxTrafficWeight) canary pods
 * (or setCanaryScale's), at least minPodsPerReplicaSet; stable stays at spec.replicas unless
 * `dynamicStableScale`, where it follows the larger of the desired and the actual stable weight.
 */
export function targetCounts(ro: Rollout, status: RolloutStatus): CanarySplit {
  const replicas = ro.spec.replicas ?? 1;
  const canary = ro.spec.strategy?.canary ?? {};
  const weight = desiredWeight(ro, status);
  if (!hasTrafficRouting(ro)) return basicCanarySplit(replicas, weight, fenceposts(canary, replicas).maxSurge);
  const max = maxTrafficWeight(ro);
  const minPods = canary.minPodsPerReplicaSet;
  const fullyOn = weight === max && !status.abort;
  const scs = fullyOn ? undefined : activeCanaryScale(ro, status);
  let canaryCount = scs?.replicas ?? trafficCanaryCount(replicas, scs?.weight ?? weight, max, minPods);
  if (!canary.dynamicStableScale) return { canary: canaryCount, stable: replicas };
  let stable = trafficWeightToReplicas(replicas, max - weight, max);
  const actual = status.canary?.weights;
  if (actual) {
    stable = Math.max(stable, trafficWeightToReplicas(replicas, actual.stable.weight, max));
    // Aborting: the canary keeps the pods its actual traffic needs until traffic is back on stable.
    if (status.abort) canaryCount = Math.max(canaryCount, trafficWeightToReplicas(replicas, actual.canary.weight, max));
  }
  return { canary: withMinPods(canaryCount, replicas, minPods), stable: withMinPods(stable, replicas, minPods) };
}
