// The writes of the canary, each sent where the controller honours it (reference §2, §9): promote,
// abort and promoteFull are merge patches to /status (on the main URL they are silently dropped);
// undo is a JSON Patch of the pod template.
import pRetry from 'p-retry';
import { isTransient } from '../kube/errors.js';
import type { KubePort, PodTemplate } from '../kube/port.js';
import type { RolloutObject } from './observe.js';

// Each of these writes is idempotent, and a lost one leaves production mid-canary: send it again
// when the API server was briefly unavailable, never when it refused the request.
const persist = <T>(write: () => Promise<T>): Promise<T> => pRetry(write, { retries: 5, minTimeout: 100, maxTimeout: 2000, shouldRetry: ({ error }) => isTransient(error) });

const HASH_LABEL = 'rollouts-pod-template-hash';

/**
 * Resume from a `pause: {}` step. Only ever called when the rollout was just read Paused at the
 * expected step: removing the pause conditions is then idempotent, unlike the plugin's promote on
 * an unpaused canary, which bumps currentStepIndex and skips a step.
 */
export async function promote(kube: KubePort, namespace: string, name: string): Promise<void> {
  await persist(() => kube.patchRolloutStatus(namespace, name, { status: { pauseConditions: null } }));
}

export async function abort(kube: KubePort, namespace: string, name: string): Promise<void> {
  await persist(() => kube.patchRolloutStatus(namespace, name, { status: { abort: true } }));
}

export async function promoteFull(kube: KubePort, namespace: string, name: string): Promise<void> {
  await persist(() => kube.patchRolloutStatus(namespace, name, { status: { promoteFull: true } }));
}

/** The pod template of the ReplicaSet with this hash, owned by the Rollout, hash label removed (§2.6). */
export async function templateOfRevision(kube: KubePort, namespace: string, rollout: RolloutObject, hash: string): Promise<PodTemplate> {
  const sets = await persist(() => kube.listReplicaSets(namespace, `${HASH_LABEL}=${hash}`));
  const uid = (rollout.metadata as { uid?: string }).uid;
  const owned = sets.find((rs) => !uid || (rs.metadata.ownerReferences ?? []).some((o) => o.uid === uid));
  const template = owned?.spec.template;
  if (!template) throw new Error(`no ReplicaSet of Rollout ${name(rollout)} has pod template hash ${hash}: cannot roll back to it`);
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[HASH_LABEL];
  return { ...template, metadata: { ...template.metadata, labels } };
}

/** Put the stable ReplicaSet's template back (on the Deployment under workloadRef). */
export async function undo(kube: KubePort, namespace: string, rollout: RolloutObject, template: PodTemplate): Promise<void> {
  const patch = [{ op: 'replace', path: '/spec/template', value: template }];
  const ref = rollout.spec.workloadRef;
  if (ref?.name) await persist(() => kube.jsonPatchDeployment(namespace, ref.name!, patch));
  else await persist(() => kube.jsonPatchRollout(namespace, name(rollout), patch));
}

function name(rollout: RolloutObject): string {
  return rollout.metadata.name ?? '?';
}
