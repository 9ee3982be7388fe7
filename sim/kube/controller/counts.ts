/** Replica arithmetic of reference §5.3 / §11: weights to pod counts, surge and unavailability budgets. */
import type { CanaryStrategy } from './model.js';

/** An int-or-percent resolved against replicas (k8s intstr.GetValueFromIntOrPercent); default 25%. */
export function intOrPercent(value: number | string | undefined, replicas: number, roundUp: boolean): number {
  if (value === undefined) return intOrPercent('25%', replicas, roundUp);
  if (typeof value === 'number') return value;
  const pct = /^(\d+)%$/.exec(value);
  if (!pct) return Number(value) || 0;
  const exact = (replicas * Number(pct[1])) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * `MaxSurge` / `MaxUnavailable` of utils/replicaset/replicaset.go via `resolveFenceposts`: surge
 * rounds up, unavailable rounds down, and when both resolve to 0 unavailable becomes 1;
 * unavailable is capped at replicas (0 with 0 replicas).
 */
export function fenceposts(canary: CanaryStrategy | undefined, replicas: number): { maxSurge: number; maxUnavailable: number } {
  const maxSurge = intOrPercent(canary?.maxSurge, replicas, true);
  let maxUnavailable = intOrPercent(canary?.maxUnavailable, replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: replicas === 0 ? 0 : Math.min(maxUnavailable, replicas) };
}

export interface CanarySplit {
  readonly canary: number;
  readonly stable: number;
}

/** `floorCeilingTied`: replicas × weight lands exactly on .5, so floor and ceiling are equally close. */
function tied(weight: number, maxWeight: number, total: number): boolean {
  const x = total * (weight / maxWeight);
  return x - Math.trunc(x) === 0.5;
}

/**
 * Basic canary (no traffic routing): `approximateWeightedCanaryStableReplicaCounts` of
 * utils/replicaset/canary.go. Candidates are (ceil or floor of replicas × W / maxWeight) canary pods
 * out of replicas, or out of replicas + 1 when surge is allowed; the closest share wins, the first
 * candidate on equal distance, and ties (.5) round up. A floor of 0 is a candidate only when
 * `zeroAllowed` (W is 0 or max, or 1 replica with maxSurge 0), so 1 replica at "5%" is one canary
 * pod beside one stable pod (50%), and 1 replica with maxSurge 0 at 20% is zero canary pods.
 */
export function basicCanarySplit(replicas: number, weight: number, maxSurge: number, maxWeight = 100): CanarySplit {
  if (replicas === 0) return { canary: 0, stable: 0 };
  const ceil = Math.ceil((replicas * weight) / maxWeight);
  const floor = Math.floor((replicas * weight) / maxWeight);
  const zeroAllowed = weight === maxWeight || weight === 0 || (replicas === 1 && maxSurge === 0);
  const options: { canary: number; total: number }[] = [];
  if (ceil < replicas || zeroAllowed) options.push({ canary: ceil, total: replicas });
  if (!tied(weight, maxWeight, replicas) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas });
  if (maxSurge > 0) {
    options.push({ canary: ceil, total: replicas + 1 });
    if (!tied(weight, maxWeight, replicas + 1) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas + 1 });
  }
  if (options.length === 0) return { canary: 0, stable: replicas }; // "should not get here"
  const delta = (o: { canary: number; total: number }): number => Math.abs((o.canary * maxWeight) / o.total - weight);
  let best = options[0] as { canary: number; total: number };
  for (const o of options.slice(1)) if (delta(o) < delta(best)) best = o;
  return { canary: best.canary, stable: best.total - best.canary };
}

/** `trafficWeightToReplicas`: ceil(replicas × W / maxWeight). */
export function trafficWeightToReplicas(replicas: number, weight: number, maxWeight = 100): number {
  return Math.ceil((weight * replicas) / maxWeight);
}

/** `CheckMinPodsPerReplicaSet`: a non-zero count is raised to minPodsPerReplicaSet (capped at replicas). */
export function withMinPods(count: number, replicas: number, minPods: number | undefined): number {
  if (count === 0 || minPods === undefined) return count;
  return Math.max(count, Math.min(minPods, replicas));
}

/** Traffic-routed canary (no setCanaryScale): the canary gets ceil(replicas × W / maxWeight) pods. */
export function trafficCanaryCount(replicas: number, weight: number, maxWeight = 100, minPods?: number): number {
  return withMinPods(trafficWeightToReplicas(replicas, weight, maxWeight), replicas, minPods);
}
