// The ReplicaSets a Rollout owns, found as the kubectl plugin finds them (reference §2.6): by the
// pod-template hash label, kept only when a controller ownerReference points at the Rollout's UID
// (under workloadRef too: the controller, not the Deployment, owns them).
import type { KubePort, PodTemplateHolder } from '../kube/port.js';
import type { RolloutObject } from './observe.js';

export const HASH_LABEL = 'rollouts-pod-template-hash';

export async function ownedReplicaSet(kube: KubePort, namespace: string, rollout: RolloutObject, hash: string): Promise<PodTemplateHolder | undefined> {
  const sets = await kube.listReplicaSets(namespace, `${HASH_LABEL}=${hash}`);
  const uid = (rollout.metadata as { uid?: string }).uid;
  return sets.find((rs) => !uid || (rs.metadata.ownerReferences ?? []).some((o) => o.uid === uid));
}

/** Every image of a ReplicaSet's pod template (of `container` only, when given). */
export function templateImages(rs: PodTemplateHolder | undefined, container?: string): string[] {
  const spec = rs?.spec.template?.spec ?? {};
  return [spec.initContainers, spec.containers, spec.ephemeralContainers].flatMap((list) => (list ?? []).filter((c) => !container || c.name === container).map((c) => c.image ?? ''));
}
