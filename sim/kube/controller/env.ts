/** What a reconcile pass may touch: the store (as the controller), the clock, and the event log. */
import { createMergePatch, mergePatch } from '../patch.js';
import { REPLICASETS, ROLLOUTS } from '../resources.js';
import type { Store } from '../store.js';
import type { KObject, SimClock } from '../types.js';
import type { ReplicaSet, Rollout, RolloutStatus } from './model.js';
import type { RunRuntime } from './runs.js';

export interface ControllerEvent {
  readonly at: number;
  /** `namespace/name` of the Rollout. */
  readonly rollout: string;
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

export interface Env {
  readonly store: Store;
  readonly clock: SimClock;
  /** The Rollout as the controller's informer cache holds it (possibly stale, §9.4). */
  readonly read: (namespace: string, name: string) => Rollout | undefined;
  readonly emit: (ro: KObject, reason: string, message: string, type?: 'Normal' | 'Warning') => void;
  /** The analysis and experiment controllers' stand-in: how created runs end. */
  readonly runs: RunRuntime;
}

const AS_CONTROLLER = { actor: 'controller' } as const;

/**
 * Metadata edits go through the main URL and start from the stored object, never from the
 * in-memory view (which may carry a template copied from a workloadRef).
 */
export function editRolloutMetadata(env: Env, ro: KObject, edit: (meta: KObject['metadata']) => void): void {
  env.store.mutate(ROLLOUTS, ro.metadata.namespace, ro.metadata.name, (cur) => {
    edit(cur.metadata);
    return cur;
  }, AS_CONTROLLER);
}

/**
 * The controller's status write (§4): a two-way merge patch from the status it read to the one it
 * computed, sent to /status. Computed from a stale read, it can re-add what a user just removed.
 */
export function writeRolloutStatus(env: Env, ro: Rollout, status: RolloutStatus): void {
  const patch = createMergePatch(ro.status ?? {}, status);
  if (patch === undefined) return;
  env.store.mutate(ROLLOUTS, ro.metadata.namespace, ro.metadata.name, (cur) => ({ ...cur, status: mergePatch(cur.status ?? {}, patch) }), {
    ...AS_CONTROLLER,
    subresource: 'status',
  });
}

export function editReplicaSet(env: Env, rs: ReplicaSet, edit: (cur: ReplicaSet) => void): void {
  env.store.mutate(REPLICASETS, rs.metadata.namespace, rs.metadata.name, (cur) => {
    edit(cur as ReplicaSet);
    return cur;
  }, AS_CONTROLLER);
}

export function createReplicaSet(env: Env, rs: ReplicaSet): ReplicaSet {
  return env.store.create(REPLICASETS, rs.metadata.namespace, rs, AS_CONTROLLER) as ReplicaSet;
}
