/** The new ReplicaSet for the current template: find or create it, keep revision numbers (§5.1 step 4, §2.6). */
import { REPLICASETS } from '../resources.js';
import { clone } from '../types.js';
import { createReplicaSet, editReplicaSet, editRolloutMetadata, type Env } from './env.js';
import { DESIRED_REPLICAS, HASH_LABEL, REVISION, REVISION_HISTORY, podHashOf, revisionOf, type ReplicaSet, type Rollout } from './model.js';

export interface ReplicaSets {
  readonly newRS: ReplicaSet;
  /** The ReplicaSet whose hash is status.stableRS, when it still exists. */
  readonly stableRS?: ReplicaSet;
  readonly all: readonly ReplicaSet[];
  readonly created: boolean;
}

export function ownedReplicaSets(env: Env, ro: Rollout): ReplicaSet[] {
  return (env.store.list(REPLICASETS, ro.metadata.namespace) as ReplicaSet[]).filter((rs) =>
    rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === ro.metadata.uid));
}

function newReplicaSet(ro: Rollout, hash: string, revision: number): ReplicaSet {
  const template = clone(ro.spec.template ?? {});
  const labels = { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${ro.metadata.name}-${hash}`,
      namespace: ro.metadata.namespace,
      labels,
      annotations: { [REVISION]: String(revision), [DESIRED_REPLICAS]: String(ro.spec.replicas ?? 1) },
      ownerReferences: [{
        apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: ro.metadata.name,
        uid: ro.metadata.uid ?? '', controller: true, blockOwnerDeletion: true,
      }],
    },
    spec: {
      replicas: 0,
      selector: { ...clone(ro.spec.selector ?? {}), matchLabels: { ...(ro.spec.selector?.matchLabels ?? {}), [HASH_LABEL]: hash } },
      // A real controller round-trips the template through Go structs, which leaves this null behind;
      // an undo copies it back (reference §2.6).
      template: { ...template, metadata: { ...(template.metadata ?? {}), labels, creationTimestamp: null } },
    },
  };
}

/** A reused ReplicaSet moves to the top revision and remembers its old one (rollback). */
function promoteRevision(env: Env, rs: ReplicaSet, top: number): ReplicaSet {
  const old = revisionOf(rs);
  editReplicaSet(env, rs, (cur) => {
    const ann = (cur.metadata.annotations ??= {});
    const history = ann[REVISION_HISTORY] ? ann[REVISION_HISTORY].split(',') : [];
    ann[REVISION_HISTORY] = [...history, String(old)].join(',');
    ann[REVISION] = String(top);
  });
  return env.store.get(REPLICASETS, rs.metadata.namespace, rs.metadata.name) as ReplicaSet;
}

export function syncReplicaSets(env: Env, ro: Rollout, hash: string): ReplicaSets {
  const owned = ownedReplicaSets(env, ro);
  const top = Math.max(0, ...owned.map(revisionOf));
  let newRS = owned.find((rs) => podHashOf(rs) === hash);
  let created = false;
  if (!newRS) {
    newRS = createReplicaSet(env, newReplicaSet(ro, hash, top + 1));
    created = true;
    env.emit(ro, 'NewReplicaSetCreated', `Created ReplicaSet ${newRS.metadata.name} (revision ${top + 1})`);
  } else if (revisionOf(newRS) < top) {
    newRS = promoteRevision(env, newRS, top + 1);
  }
  const revision = String(revisionOf(newRS));
  if (ro.metadata.annotations?.[REVISION] !== revision) {
    editRolloutMetadata(env, ro, (meta) => {
      meta.annotations = { ...(meta.annotations ?? {}), [REVISION]: revision };
    });
    env.emit(ro, 'RolloutUpdated', `Rollout updated to revision ${revision}`);
  }
  const all = [...owned.filter((rs) => rs.metadata.uid !== newRS.metadata.uid), newRS];
  const stableHash = ro.status?.stableRS;
  const stableRS = stableHash ? all.find((rs) => podHashOf(rs) === stableHash) : undefined;
  return { newRS, stableRS, all, created };
}
