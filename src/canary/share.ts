// The canary's real share of traffic at a step (contract "The real canary share", reference §2.7
// "Displayed weights"): the traffic router's weight when there is one (as a share of
// maxTrafficWeight), else canary available replicas / all available replicas — what the kubectl
// plugin shows as ActualWeight.
import { ownedReplicaSet } from '../rollouts/replicasets.js';
import type { RolloutObject } from '../rollouts/observe.js';
import type { GateContext } from './context.js';

export interface Share {
  readonly percent: number;
  readonly source: string;
}

export async function realShare(ctx: GateContext, rollout: RolloutObject): Promise<Share | undefined> {
  const status = rollout.status ?? {};
  const routed = status.canary?.weights?.canary?.weight;
  if (ctx.plan.trafficRouted) {
    if (routed === undefined) return undefined;
    const percent = (routed * 100) / ctx.plan.maxTrafficWeight;
    return { percent, source: `traffic router weight ${routed}${ctx.plan.maxTrafficWeight !== 100 ? ` of maxTrafficWeight ${ctx.plan.maxTrafficWeight}` : ''}` };
  }
  const hash = status.currentPodHash;
  const all = status.availableReplicas ?? 0;
  if (!hash || all === 0) return undefined;
  const rs = await ownedReplicaSet(ctx.kube, ctx.settings.namespace, rollout, hash).catch(() => undefined);
  const canary = Number((rs?.status as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0);
  return { percent: (canary * 100) / all, source: `${canary} of ${all} available pods` };
}

export function formatShare(percent: number): string {
  return `${Number(percent.toFixed(percent < 10 ? 1 : 0))}%`;
}
