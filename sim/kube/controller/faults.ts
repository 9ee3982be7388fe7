/** Pod-level misbehaviour a test can ask for: canary pods that never become available. */
import { ROLLOUTS } from '../resources.js';
import type { Store } from '../store.js';
import { podHashOf, type ReplicaSet, type Rollout } from './model.js';
import { desiredWeight } from './steps.js';

export type PodFault =
  | { readonly kind: 'fail'; readonly name?: string; readonly namespace?: string }
  | { readonly kind: 'stall'; readonly name: string; readonly namespace?: string; readonly atStepIndex: number }
  | { readonly kind: 'degrade'; readonly name?: string; readonly namespace?: string; readonly weight: number };

export function ownerRolloutName(rs: ReplicaSet): string | undefined {
  return rs.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Rollout')?.name;
}

/** Whether pods created now for `rs` should never become available. Only canary pods are affected. */
export function podsFail(faults: readonly PodFault[], store: Store, rs: ReplicaSet): boolean {
  const name = ownerRolloutName(rs);
  if (!name || faults.length === 0) return false;
  const ro = store.find(ROLLOUTS, rs.metadata.namespace, name) as Rollout | undefined;
  const status = ro?.status;
  if (!ro || !status || podHashOf(rs) !== status.currentPodHash || status.currentPodHash === status.stableRS) return false;
  return faults.some((f) => {
    if (f.name !== undefined && f.name !== name) return false;
    if (f.namespace !== undefined && f.namespace !== rs.metadata.namespace) return false;
    if (f.kind === 'fail') return true;
    if (f.kind === 'stall') return (status.currentStepIndex ?? 0) === f.atStepIndex;
    return desiredWeight(ro, status) >= f.weight;
  });
}

export function faultTargets(fault: PodFault, rolloutName: string | undefined, namespace: string | undefined): boolean {
  return (rolloutName === undefined || fault.name === undefined || fault.name === rolloutName)
    && (namespace === undefined || fault.namespace === undefined || fault.namespace === namespace);
}
