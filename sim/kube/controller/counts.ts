/** Replica arithmetic of reference §5.3: weights to pod counts, surge and unavailability budgets. */

/** `maxSurge`/`maxUnavailable` as an integer or a percentage of replicas (default 25%). */
export function intOrPercent(value: number | string | undefined, replicas: number, roundUp: boolean): number {
  if (value === undefined) return intOrPercent('25%', replicas, roundUp);
  if (typeof value === 'number') return value;
  const pct = /^(\d+)%$/.exec(value);
  if (!pct) return Number(value) || 0;
  const exact = (replicas * Number(pct[1])) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export interface CanarySplit {
  readonly canary: number;
  readonly stable: number;
}

/**
 * Basic canary: traffic splits by pod count, so pick the (canary, total) pair whose share is
 * closest to the weight. The total may be replicas+1 when surge is allowed, and a weight strictly
 * between 0 and 100 keeps at least one pod on each side.
 */
export function basicCanarySplit(replicas: number, weight: number, maxSurge: number): CanarySplit {
  if (replicas === 0) return { canary: 0, stable: 0 };
  if (weight <= 0) return { canary: 0, stable: replicas };
  if (weight >= 100) return { canary: replicas, stable: 0 };
  const candidates = maxSurge > 0 ? [replicas, replicas + 1] : [replicas];
  const totals = candidates.some((t) => t >= 2) ? candidates.filter((t) => t >= 2) : candidates;
  let best: (CanarySplit & { error: number }) | undefined;
  for (const total of totals) {
    const exact = (total * weight) / 100;
    for (const canary of new Set([Math.floor(exact), Math.ceil(exact)])) {
      const bounded = total >= 2 ? Math.min(Math.max(canary, 1), total - 1) : canary;
      const error = Math.abs(bounded / total - weight / 100);
      if (!best || error < best.error - 1e-9) best = { canary: bounded, stable: total - bounded, error };
    }
  }
  return { canary: best?.canary ?? 0, stable: best?.stable ?? replicas };
}

/** Traffic-routed canary: the canary gets ceil(replicas × W%) pods; stable stays at full size. */
export function trafficCanaryCount(replicas: number, weight: number): number {
  return Math.min(replicas, Math.ceil((replicas * weight) / 100));
}
