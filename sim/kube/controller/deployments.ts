/**
 * Stand-in for the Kubernetes Deployment controller (pkg/controller/deployment, RollingUpdate only),
 * so a `workloadRef` Deployment that still asks for pods behaves as on a cluster: a template change
 * rolls every one of its pods to the new template, outside the Rollout's canary (reference §11).
 * A Deployment that has never had pods (spec.replicas 0 from the start, as docs/migrating.md has it)
 * is left without a ReplicaSet (a cluster would show one at 0 replicas).
 */
import { DEPLOYMENTS, REPLICASETS } from '../resources.js';
import type { Store } from '../store.js';
import { clone, type KObject } from '../types.js';
import { fenceposts } from './counts.js';
import { shortHash } from './hash.js';
import type { LabelSelector, PodTemplate, ReplicaSet } from './model.js';

export const DEPLOYMENT_HASH_LABEL = 'pod-template-hash';
const REVISION = 'deployment.kubernetes.io/revision';
const AS_CONTROLLER = { actor: 'controller' } as const;

interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  paused?: boolean;
}

const replicasOf = (rs: ReplicaSet): number => rs.spec.replicas ?? 0;
const availableOf = (rs: ReplicaSet): number => rs.status?.availableReplicas ?? 0;

function owned(store: Store, dep: KObject): ReplicaSet[] {
  return (store.list(REPLICASETS, dep.metadata.namespace) as ReplicaSet[])
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === dep.metadata.uid));
}

/** Kubernetes' ComputeHash differs from Argo's ComputePodTemplateHash: never the same ReplicaSet name for one template. */
function templateHash(template: PodTemplate | undefined): string {
  const copy = clone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[DEPLOYMENT_HASH_LABEL];
  return shortHash({ kubernetesDeployment: copy });
}

function newReplicaSet(dep: KObject, spec: DeploymentSpec, hash: string, revision: number): ReplicaSet {
  const template = clone(spec.template ?? {});
  const labels = { ...(template.metadata?.labels ?? {}), [DEPLOYMENT_HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${dep.metadata.name}-${hash}`, namespace: dep.metadata.namespace, labels,
      annotations: { [REVISION]: String(revision) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.metadata.name, uid: dep.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas: 0,
      selector: { ...clone(spec.selector ?? {}), matchLabels: { ...(spec.selector?.matchLabels ?? {}), [DEPLOYMENT_HASH_LABEL]: hash } },
      template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
    },
  };
}

function scale(store: Store, rs: ReplicaSet, replicas: number): void {
  store.mutate(REPLICASETS, rs.metadata.namespace, rs.metadata.name, (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas } }), AS_CONTROLLER);
}

/** One pass of the rolling update for one Deployment (`rolloutRolling`: scale up new within surge, old down within availability). */
function syncDeployment(store: Store, dep: KObject): void {
  const spec = (dep.spec ?? {}) as DeploymentSpec;
  const replicas = spec.replicas ?? 1;
  const sets = owned(store, dep);
  if (sets.length === 0 && replicas === 0) return;
  const hash = templateHash(spec.template);
  let fresh = sets.find((rs) => rs.metadata.labels?.[DEPLOYMENT_HASH_LABEL] === hash);
  if (!fresh) {
    const top = Math.max(0, ...sets.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)));
    fresh = store.create(REPLICASETS, dep.metadata.namespace, newReplicaSet(dep, spec, hash, top + 1), AS_CONTROLLER) as ReplicaSet;
  }
  const old = sets.filter((rs) => rs.metadata.uid !== fresh?.metadata.uid);
  if (!spec.paused) {
    const rolling = spec.strategy?.rollingUpdate;
    const { maxSurge, maxUnavailable } = fenceposts({ maxSurge: rolling?.maxSurge, maxUnavailable: rolling?.maxUnavailable }, replicas);
    const all = [...old, fresh];
    const total = all.reduce((n, rs) => n + replicasOf(rs), 0);
    if (replicasOf(fresh) > replicas) scale(store, fresh, replicas);
    else if (replicasOf(fresh) < replicas) {
      const room = Math.max(0, replicas + maxSurge - total);
      if (room > 0) scale(store, fresh, Math.min(replicas, replicasOf(fresh) + room));
    }
    // Old pods that are not available can go at once; available ones only down to minAvailable.
    let budget = Math.max(0, all.reduce((n, rs) => n + availableOf(rs), 0) - (replicas - maxUnavailable));
    for (const rs of old) {
      const unavailable = Math.max(0, replicasOf(rs) - availableOf(rs));
      const drop = Math.min(replicasOf(rs), unavailable + budget);
      budget -= Math.max(0, drop - unavailable);
      if (drop > 0) scale(store, rs, replicasOf(rs) - drop);
    }
  }
  writeStatus(store, dep, fresh, old, replicas);
}

function writeStatus(store: Store, dep: KObject, fresh: ReplicaSet, old: ReplicaSet[], replicas: number): void {
  const cur = owned(store, dep);
  const sum = (f: (rs: ReplicaSet) => number): number => cur.reduce((n, rs) => n + f(rs), 0);
  const freshNow = cur.find((rs) => rs.metadata.uid === fresh.metadata.uid) ?? fresh;
  const available = sum(availableOf);
  const status: Record<string, unknown> = {
    observedGeneration: dep.metadata.generation,
    replicas: sum((rs) => rs.status?.replicas ?? 0),
    updatedReplicas: freshNow.status?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.status?.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, replicas - available),
  };
  for (const k of Object.keys(status)) if (status[k] === 0) delete status[k];
  const done = (freshNow.status?.availableReplicas ?? 0) >= replicas && old.every((rs) => replicasOf(rs) === 0);
  const prev = (dep.status ?? {}) as { conditions?: { type: string; status: string; reason: string; message: string }[] };
  const conditions = [
    { type: 'Available', status: available >= replicas - fenceposts(undefined, replicas).maxUnavailable ? 'True' : 'False', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
    done
      ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${fresh.metadata.name}" has successfully progressed.` }
      : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${fresh.metadata.name}" is progressing.` },
  ];
  const next = { ...status, conditions: conditions.map((c) => ({ ...(prev.conditions?.find((p) => p.type === c.type && p.status === c.status && p.reason === c.reason) ?? {}), ...c })) };
  store.mutate(DEPLOYMENTS, dep.metadata.namespace, dep.metadata.name, (d) => ({ ...d, status: next }), { ...AS_CONTROLLER, subresource: 'status' });
}

export function syncDeployments(store: Store): void {
  for (const dep of store.list(DEPLOYMENTS)) syncDeployment(store, dep);
}
