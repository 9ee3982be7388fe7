// The writes of the canary, each sent where the controller honours it (reference §2, §9): promote,
// abort and promoteFull are merge patches to /status (on the main URL they are silently dropped);
// undo is a JSON Patch of the pod template.
import pRetry, { AbortError } from 'p-retry';
import { isTransient, statusCode } from '../kube/errors.js';
import type { KubePort, PodTemplate } from '../kube/port.js';
import type { RolloutObject } from './observe.js';
import { NotOurCanaryError } from './ownership.js';
import { ownedReplicaSet, templateImages } from './replicasets.js';
import { restorableTemplate, type RestoredTemplate } from './stable-template.js';

// Each of these writes is idempotent, and a lost one leaves production mid-canary: send it again
// when the API server was briefly unavailable, never when it refused the request.
const persist = <T>(write: () => Promise<T>): Promise<T> => pRetry(write, { retries: 5, minTimeout: 100, maxTimeout: 2000, shouldRetry: ({ error }) => isTransient(error) });

/** Where the canary was when it was judged: promote acts only if it is still there. */
export interface ObservedStep {
  readonly stepIndex: number;
  readonly canaryHash: string;
}

/**
 * Resume from a `pause: {}` step, conditionally on the step the gate judged (reference §9.2, §11
 * "Lost answers"). A plain merge patch clearing pauseConditions is not idempotent across steps: if
 * its answer is lost after it was applied and the controller reaches the next pause meanwhile, a
 * retry clears that pause too — a gate skipped. So the promote is a JSON Patch whose `test`
 * operations make the API server apply it only while the rollout is still at the observed step
 * index, on the observed canary, and still paused:
 *   [test /status/currentStepIndex, test /status/currentPodHash, remove /status/pauseConditions]
 * Why `test` and not a resourceVersion precondition: the API server applies a JSON Patch to the
 * object as currently persisted, on every attempt of its optimistic-concurrency loop, and answers
 * 422 when an operation fails (k8s.io/apiserver/pkg/endpoints/handlers/patch.go: `applyPatch`
 * "is called every time GuaranteedUpdate asks for the updated object, and is given the currently
 * persisted object", `applyJSPatch` → StatusUnprocessableEntity). On a custom resource's /status
 * the object patched is the whole Rollout (the status strategy keeps only .status of the result),
 * so /status paths can be tested there. A resourceVersion in the patch is honoured too (the store
 * compares it before the update: 409), but the controller rewrites the status on every pass
 * (replica counts, readiness), so it would refuse promotes for changes that do not matter; the
 * `test` states exactly the precondition that does. `remove` also fails (422) when the pause
 * conditions are already gone: someone — or our own earlier request — already resumed.
 *
 * After an error whose outcome is unknown (a lost answer, a 5xx) or a refused precondition, the
 * rollout is re-read and decides: moved past the step, or resuming at it, means the promote landed
 * ('already-promoted'); still paused at it means it did not, and the same conditional patch is sent
 * again (it can never apply twice). A canary replaced meanwhile is never promoted.
 */
export async function promote(kube: KubePort, namespace: string, name: string, observed: ObservedStep): Promise<'promoted' | 'already-promoted'> {
  const patch = [
    { op: 'test', path: '/status/currentStepIndex', value: observed.stepIndex },
    { op: 'test', path: '/status/currentPodHash', value: observed.canaryHash },
    { op: 'remove', path: '/status/pauseConditions' },
  ];
  return pRetry(
    async () => {
      try {
        await kube.jsonPatchRolloutStatus(namespace, name, patch);
        return 'promoted' as const;
      } catch (error) {
        if (!isTransient(error) && statusCode(error) !== 422 && statusCode(error) !== 409) throw new AbortError(error as Error);
        const rollout = await kube.getRollout(namespace, name);
        const where = promoteLanded(rollout, observed);
        if (where === 'landed') return 'already-promoted' as const;
        if (where === 'not-ours') throw new AbortError(await canaryReplaced(kube, namespace, rollout!, observed));
        if (where === 'elsewhere') throw new AbortError(`not promoted: Rollout ${name} is no longer paused at step ${observed.stepIndex} (${describe(rollout)})`);
        throw error; // still paused at the observed step: the promote did not land, send it again
      }
    },
    { retries: 5, minTimeout: 100, maxTimeout: 2000 },
  );
}

/** Did a promote of `observed` land? Decided from the rollout read after an unknown outcome. */
export function promoteLanded(rollout: RolloutObject | undefined, observed: ObservedStep): 'landed' | 'not-landed' | 'not-ours' | 'elsewhere' {
  const status = rollout?.status;
  if (!status) return 'elsewhere';
  if (status.currentPodHash !== observed.canaryHash) return 'not-ours';
  if (status.abort) return 'elsewhere';
  const index = status.currentStepIndex ?? 0;
  if (index > observed.stepIndex) return 'landed';
  if (index < observed.stepIndex) return 'elsewhere';
  const paused = (status.pauseConditions ?? []).some((c) => c.reason === 'CanaryPauseStep');
  return paused ? 'not-landed' : 'landed';
}

async function canaryReplaced(kube: KubePort, namespace: string, rollout: RolloutObject, observed: ObservedStep): Promise<Error> {
  const hash = rollout.status?.currentPodHash ?? 'none';
  const rs = await ownedReplicaSet(kube, namespace, rollout, hash).catch(() => undefined);
  return new NotOurCanaryError(templateImages(rs).join(', ') || 'unknown', hash, `this run's canary was ${observed.canaryHash}`);
}

function describe(rollout: RolloutObject | undefined): string {
  const status = rollout?.status;
  if (!status) return 'not found';
  return `${status.phase ?? 'no phase'}${status.message ? ` - ${status.message}` : ''}, step ${status.currentStepIndex ?? 0}${status.abort ? ', aborted' : ''}`;
}

export async function abort(kube: KubePort, namespace: string, name: string): Promise<void> {
  await persist(() => kube.patchRolloutStatus(namespace, name, { status: { abort: true } }));
}

export async function promoteFull(kube: KubePort, namespace: string, name: string): Promise<void> {
  await persist(() => kube.patchRolloutStatus(namespace, name, { status: { promoteFull: true } }));
}

/**
 * The pod template of the ReplicaSet with this hash, owned by the Rollout, as the user wrote it:
 * without the hash label and without what the controller injected (stable-template.ts), so that
 * the undo lands on that very ReplicaSet.
 */
export async function templateOfRevision(kube: KubePort, namespace: string, rollout: RolloutObject, hash: string): Promise<RestoredTemplate> {
  const owned = await persist(() => ownedReplicaSet(kube, namespace, rollout, hash));
  if (!owned?.spec.template) throw new Error(`no ReplicaSet of Rollout ${name(rollout)} has pod template hash ${hash}: cannot roll back to it`);
  return restorableTemplate(owned, rollout);
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
