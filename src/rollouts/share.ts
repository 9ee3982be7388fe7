// The real canary share (contract "The real canary share"). Without traffic routing Argo's weight is
// a replica ratio: `approximateWeightedCanaryStableReplicaCounts` in argo-rollouts
// utils/replicaset/canary.go (reference §11) picks, among floor/ceil of replicas × W / maxWeight over
// `replicas` and (when maxSurge > 0) `replicas + 1` pods, the split closest to W — ties round up, and
// a weight of 1..99 never gets zero canary pods unless 1 replica with maxSurge 0 (`zeroAllowed`).
// With traffic routing the router weight is exact, so only the basic canary can be coarse.

export interface CanaryCounts {
  readonly canary: number;
  readonly stable: number;
}

/** Argo's canary/stable pod counts for a basic canary at `weight` of `maxWeight`. */
export function basicCanaryCounts(replicas: number, weight: number, maxWeight: number, maxSurge: number): CanaryCounts {
  if (replicas === 0) return { canary: 0, stable: 0 };
  const exact = (replicas * weight) / maxWeight;
  const ceil = Math.ceil(exact);
  const floor = Math.floor(exact);
  const tied = (total: number) => ((total * weight) / maxWeight) % 1 === 0.5;
  const zeroAllowed = weight === maxWeight || weight === 0 || (replicas === 1 && maxSurge === 0);
  const options: { canary: number; total: number }[] = [];
  if (ceil < replicas || zeroAllowed) options.push({ canary: ceil, total: replicas });
  if (!tied(replicas) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas });
  if (maxSurge > 0) {
    options.push({ canary: ceil, total: replicas + 1 });
    if (!tied(replicas + 1) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas + 1 });
  }
  if (options.length === 0) return { canary: 0, stable: replicas };
  const delta = (o: { canary: number; total: number }) => Math.abs((o.canary * maxWeight) / o.total - weight);
  // Strictly smaller wins, so the first option (ceil) is kept on equal distance, as in Argo.
  const best = options.reduce((a, b) => (delta(b) < delta(a) ? b : a));
  return { canary: best.canary, stable: best.total - best.canary };
}

/**
 * `maxSurge` resolved against replicas as Argo does (`resolveFenceposts`, utils/replicaset/replicaset.go):
 * an int, or a percentage rounded up; default 25%.
 */
export function resolveMaxSurge(maxSurge: unknown, replicas: number): number {
  if (maxSurge === undefined || maxSurge === null) return Math.ceil(replicas * 0.25);
  if (typeof maxSurge === 'number') return maxSurge;
  const percent = /^(\d+)%$/.exec(String(maxSurge));
  if (percent) return Math.ceil((replicas * Number(percent[1])) / 100);
  return Number(maxSurge) || 0;
}

/** Percent of traffic on the canary for a basic canary at `weight`. */
export function basicCanaryShare(replicas: number, weight: number, maxWeight: number, maxSurge: number): number {
  const { canary, stable } = basicCanaryCounts(replicas, weight, maxWeight, maxSurge);
  return canary + stable === 0 ? 0 : (canary * 100) / (canary + stable);
}

/** The largest share the contract lets a first gate of `percent` have: max(2·W, W + 10). */
export function coarseLimit(percent: number): number {
  return Math.max(2 * percent, percent + 10);
}

/** The smallest replica count (≥ the current one) that keeps the share within the limit, if any up to 1000. */
export function replicasWithinLimit(replicas: number, weight: number, maxWeight: number, maxSurge: (replicas: number) => number): number | undefined {
  const limit = coarseLimit((weight * 100) / maxWeight);
  for (let r = Math.max(1, replicas); r <= 1000; r += 1) {
    if (basicCanaryShare(r, weight, maxWeight, maxSurge(r)) <= limit + 1e-9) return r;
  }
  return undefined;
}
