/** One reconcile pass for one Rollout, in the order of reference §5.1. */
import { DEPLOYMENTS, ROLLOUTS } from '../resources.js';
import { INCONCLUSIVE_ANALYSIS, reconcileRuns } from './analysis.js';
import { editRolloutMetadata, writeRolloutStatus, type Env } from './env.js';
import { podTemplateHash, stepsHash } from './hash.js';
import { REVISION, WORKLOAD_GENERATION, podHashOf, type Rollout } from './model.js';
import { reconcileEphemeralMetadata, syncReplicaSets } from './replicasets.js';
import { reconcileReplicaSets } from './scaling.js';
import { invalidStatus, progressStatus, resetStatus } from './status.js';
import { stepsOf } from './steps.js';
import { validateRollout } from './validate.js';
import { resolveWorkload } from './workload.js';

export function reconcileRollout(env: Env, namespace: string, name: string): void {
  let stored = env.read(namespace, name);
  if (!stored || stored.metadata.deletionTimestamp) return;

  const resolved = resolveWorkload(env.store, stored);
  const generation = resolved.workloadGeneration;
  if (generation !== undefined && stored.metadata.annotations?.[WORKLOAD_GENERATION] !== String(generation)) {
    // A Deployment change is seen as a metadata-only edit of the Rollout: no generation bump (§7).
    editRolloutMetadata(env, stored, (meta) => {
      meta.annotations = { ...(meta.annotations ?? {}), [WORKLOAD_GENERATION]: String(generation) };
    });
    stored = env.read(namespace, name) ?? stored;
  }
  const ro: Rollout = { ...stored, spec: resolved.rollout.spec };
  const prev = stored.status ?? {};
  const problem = resolved.problem ?? validateRollout(ro);
  if (problem) {
    writeRolloutStatus(env, stored, invalidStatus({ env, ro }, prev, problem));
    return;
  }
  if (stored.spec.replicas === undefined) {
    env.store.mutate(ROLLOUTS, namespace, name, (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: 1 } }), { actor: 'controller' });
    return;
  }

  const stepHash = stepsHash(stepsOf(ro));
  const templateHash = podTemplateHash(ro.spec.template);
  const sets = syncReplicaSets(env, ro, templateHash);
  // calculateBaseStatus (rollout/sync.go): currentPodHash is the new ReplicaSet's own hash label, not
  // the hash of the Rollout's template — they differ when FindNewReplicaSet matched by its deep-equal
  // pass (an undo of a template carrying API-server defaults, or injected metadata the Rollout's own
  // labels shared), and a rollback to stable is recognised by that label.
  const podHash = podHashOf(sets.newRS) ?? templateHash;
  const view = { env, ro, sets, podHash, stepHash };
  if (prev.currentPodHash !== podHash || prev.currentStepHash !== stepHash) {
    writeRolloutStatus(env, stored, resetStatus(view, prev));
    return;
  }
  reconcileEphemeralMetadata(env, ro, sets);
  const runs = reconcileRuns({ env, ro, sets, prev });
  // haltProgress (rollout/context.go): no scaling while spec.paused or an inconclusive analysis
  // holds the rollout; a pause just added ends the pass before scaling (rolloutCanary).
  const halted = !!ro.spec.paused || !!prev.pauseConditions?.some((c) => c.reason === INCONCLUSIVE_ANALYSIS) || runs.pauses.length > 0;
  const scaled = !halted && reconcileReplicaSets(env, ro, prev, sets);
  writeRolloutStatus(env, stored, progressStatus(view, prev, !scaled, runs));
  scaleDownWorkload(env, ro);
}

/**
 * `scaleDown: onsuccess` (rollout/sync.go): once the first revision is Healthy the referenced
 * Deployment is scaled to 0. `never` (the default, types.go / docs/migrating.md) leaves it alone;
 * `progressively` is not simulated.
 */
function scaleDownWorkload(env: Env, ro: Rollout): void {
  const ref = ro.spec.workloadRef;
  if (ref?.scaleDown !== 'onsuccess' || ro.metadata.annotations?.[REVISION] !== '1') return;
  const now = env.store.find(ROLLOUTS, ro.metadata.namespace, ro.metadata.name) as Rollout | undefined;
  const dep = env.store.find(DEPLOYMENTS, ro.metadata.namespace, ref.name ?? '');
  if (now?.status?.phase !== 'Healthy' || !dep || ((dep.spec as { replicas?: number }).replicas ?? 1) === 0) return;
  env.store.mutate(DEPLOYMENTS, dep.metadata.namespace, dep.metadata.name, (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas: 0 } }), { actor: 'controller' });
}
