/** The new ReplicaSet for the current template: find or create it, keep revision numbers (§5.1 step 4, §2.6). */
import { REPLICASETS } from '../resources.js';
import { clone } from '../types.js';
import { createReplicaSet, editReplicaSet, editRolloutMetadata, type Env } from './env.js';
import { liveTemplateMatches, replicaSetAffinity, syncEphemeralMetadata } from './ephemeral.js';
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

/** `createDesiredReplicaSet` (rollout/sync.go): the template plus the injected affinity, labels, metadata. */
function newReplicaSet(ro: Rollout, hash: string, revision: number, stableExists: boolean): ReplicaSet {
  const template = clone(ro.spec.template ?? {});
  const affinity = replicaSetAffinity(ro, template, hash);
  if (affinity !== undefined) (template.spec ??= {}).affinity = affinity;
  const labels = { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash };
  const canary = ro.spec.strategy?.canary;
  const rs: ReplicaSet = {
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
  // A canary beside an existing stable gets canaryMetadata, anything else stableMetadata.
  const metadata = stableExists ? canary?.canaryMetadata : canary?.stableMetadata;
  return (metadata && syncEphemeralMetadata(rs, metadata)) || rs;
}

/** `IfInjectedAntiAffinityRuleNeedsUpdate`: the injected term still points at an older stable hash. */
function refreshAffinity(env: Env, ro: Rollout, rs: ReplicaSet, hash: string): void {
  const stable = ro.status?.stableRS;
  if (!ro.spec.strategy?.canary?.antiAffinity || !stable || stable === hash) return;
  const text = JSON.stringify(rs.spec.template?.spec?.affinity ?? {});
  const m = new RegExp(`"key":"${HASH_LABEL}","operator":"In","values":\\["([^"]*)"`).exec(text);
  if (!m || m[1] === stable) return;
  editReplicaSet(env, rs, (cur) => {
    const affinity = replicaSetAffinity(ro, ro.spec.template, hash);
    const spec = ((cur.spec.template ??= {}).spec ??= {});
    if (affinity === undefined) delete spec.affinity;
    else spec.affinity = affinity;
  });
}

/**
 * `reconcileEphemeralMetadata` (rollout/ephemeralmetadata.go): fully rolled out, the new ReplicaSet
 * carries stableMetadata; during a canary the new one canaryMetadata and the stable one
 * stableMetadata; any other ReplicaSet loses what was injected.
 */
export function reconcileEphemeralMetadata(env: Env, ro: Rollout, sets: ReplicaSets): void {
  const canary = ro.spec.strategy?.canary;
  if (!canary?.canaryMetadata && !canary?.stableMetadata) return;
  const stableHash = ro.status?.stableRS;
  const fullyRolledOut = !stableHash || stableHash === podHashOf(sets.newRS);
  const wanted = new Map<ReplicaSet, typeof canary.stableMetadata>();
  for (const rs of sets.all) wanted.set(rs, undefined);
  if (fullyRolledOut) wanted.set(sets.newRS, canary.stableMetadata);
  else {
    wanted.set(sets.newRS, canary.canaryMetadata);
    if (sets.stableRS) wanted.set(sets.stableRS, canary.stableMetadata);
  }
  for (const [rs, metadata] of wanted) {
    const synced = syncEphemeralMetadata(rs, metadata);
    if (!synced) continue;
    editReplicaSet(env, rs, (cur) => {
      cur.metadata.annotations = synced.metadata.annotations;
      cur.spec.template = synced.spec.template;
    });
  }
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
  // FindNewReplicaSet (utils/replicaset/replicaset.go): by hash, then by a deep-equal that strips the
  // injected metadata and anti-affinity from the live ReplicaSet only.
  let newRS = owned.find((rs) => podHashOf(rs) === hash) ?? owned.find((rs) => liveTemplateMatches(ro, rs));
  let created = false;
  const stableExists = !!ro.status?.stableRS && owned.some((rs) => podHashOf(rs) === ro.status?.stableRS);
  if (!newRS) {
    newRS = createReplicaSet(env, newReplicaSet(ro, hash, top + 1, stableExists && ro.status?.stableRS !== hash));
    created = true;
    env.emit(ro, 'NewReplicaSetCreated', `Created ReplicaSet ${newRS.metadata.name} (revision ${top + 1})`);
  } else {
    if (revisionOf(newRS) < top) newRS = promoteRevision(env, newRS, top + 1);
    refreshAffinity(env, ro, newRS, hash);
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
