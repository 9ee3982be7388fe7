/**
 * The `kubectl argo rollouts` commands (reference §2) re-stated over @kubernetes/client-node, so
 * tests and demos can poke the simulator exactly as the plugin would, traps included (promote is
 * not idempotent). Not the action's client: src/ has its own.
 */
import * as k8s from '@kubernetes/client-node';
import { HASH_LABEL, REVISION, type PodTemplate, type ReplicaSet, type Rollout } from './controller/model.js';
import { formatLabelSelector } from './selectors.js';

const RO = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' } as const;
const MERGE = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const JSON_PATCH = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);

interface Container {
  name: string;
  image?: string;
}

function setContainerImage(template: PodTemplate | undefined, container: string, image: string): boolean {
  const lists = ['initContainers', 'containers', 'ephemeralContainers'].map((k) => (template?.spec?.[k] ?? []) as Container[]);
  let found = false;
  for (const c of lists.flat()) {
    if (container === '*' || c.name === container) {
      c.image = image;
      found = true;
    }
  }
  return found;
}

export class RolloutsPlugin {
  readonly custom: k8s.CustomObjectsApi;
  readonly apps: k8s.AppsV1Api;

  constructor(kubeconfig: string) {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(kubeconfig);
    this.custom = kc.makeApiClient(k8s.CustomObjectsApi);
    this.apps = kc.makeApiClient(k8s.AppsV1Api);
  }

  async get(namespace: string, name: string): Promise<Rollout> {
    return (await this.custom.getNamespacedCustomObject({ ...RO, namespace, name })) as Rollout;
  }

  /** GET, edit, PUT; a 409 Conflict starts over, up to 5 attempts (§2.1). */
  async setImage(namespace: string, name: string, container: string, image: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const ro = await this.get(namespace, name);
        const ref = ro.spec.workloadRef?.name;
        if (ref) {
          const dep = await this.apps.readNamespacedDeployment({ namespace, name: ref });
          if (!setContainerImage(dep.spec?.template as PodTemplate, container, image)) throw new Error(`unable to find container named "${container}"`);
          await this.apps.replaceNamespacedDeployment({ namespace, name: ref, body: dep });
        } else {
          if (!setContainerImage(ro.spec.template, container, image)) throw new Error(`unable to find container named "${container}"`);
          await this.custom.replaceNamespacedCustomObject({ ...RO, namespace, name, body: ro });
        }
        return;
      } catch (err) {
        if (!(err instanceof k8s.ApiException) || err.code !== 409 || attempt >= 5) throw err;
      }
    }
  }

  /** The default promote decision table of §2.2 (status patch first, then spec patch). */
  async promote(namespace: string, name: string): Promise<void> {
    const ro = await this.get(namespace, name);
    const steps = ro.spec.strategy?.canary?.steps ?? [];
    const status = ro.status ?? {};
    let statusPatch: Record<string, unknown> | undefined;
    // v1.7 (PR #3016, promote.go isInconclusive): a step analysis that came back Inconclusive is
    // left behind: pauses cleared, controllerPause false, next step.
    const inconclusive = status.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
    if (inconclusive && (status.pauseConditions ?? []).length > 0 && status.controllerPause) {
      statusPatch = { pauseConditions: null, controllerPause: false, currentStepIndex: Math.min((status.currentStepIndex ?? 0) + 1, steps.length) };
    } else if ((status.pauseConditions ?? []).length > 0) statusPatch = { pauseConditions: null };
    else if (steps.length > 0) {
      statusPatch = { pauseConditions: null, currentStepIndex: Math.min((status.currentStepIndex ?? 0) + 1, steps.length) };
    }
    if (statusPatch) await this.patchStatus(namespace, name, statusPatch);
    if (ro.spec.paused) await this.custom.patchNamespacedCustomObject({ ...RO, namespace, name, body: { spec: { paused: false } } }, MERGE);
  }

  async promoteFull(namespace: string, name: string): Promise<void> {
    const ro = await this.get(namespace, name);
    if (ro.status?.currentPodHash !== ro.status?.stableRS) await this.patchStatus(namespace, name, { promoteFull: true });
    if (ro.spec.paused) await this.custom.patchNamespacedCustomObject({ ...RO, namespace, name, body: { spec: { paused: false } } }, MERGE);
  }

  abort(namespace: string, name: string): Promise<void> {
    return this.patchStatus(namespace, name, { abort: true });
  }

  retry(namespace: string, name: string): Promise<void> {
    return this.patchStatus(namespace, name, { abort: false });
  }

  /** §2.6: second-highest revision among owned ReplicaSets, hash label dropped, JSON Patch of /spec/template. */
  async undo(namespace: string, name: string): Promise<void> {
    const ro = await this.get(namespace, name);
    const list = await this.apps.listNamespacedReplicaSet({ namespace, labelSelector: formatLabelSelector(ro.spec.selector) });
    const owned = (list.items as unknown as ReplicaSet[])
      .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === ro.metadata.uid))
      .sort((a, b) => Number(b.metadata.annotations?.[REVISION] ?? 0) - Number(a.metadata.annotations?.[REVISION] ?? 0));
    const target = owned[1];
    if (!target) throw new Error(`no revision found for rollout "${name}"`);
    const template = structuredClone(target.spec.template ?? {});
    delete template.metadata?.labels?.[HASH_LABEL];
    const patch = [{ op: 'replace', path: '/spec/template', value: template }];
    const ref = ro.spec.workloadRef?.name;
    if (ref) await this.apps.patchNamespacedDeployment({ namespace, name: ref, body: patch }, JSON_PATCH);
    else await this.custom.patchNamespacedCustomObject({ ...RO, namespace, name, body: patch }, JSON_PATCH);
  }

  async patchStatus(namespace: string, name: string, status: Record<string, unknown>): Promise<void> {
    await this.custom.patchNamespacedCustomObjectStatus({ ...RO, namespace, name, body: { status } }, MERGE);
  }
}
