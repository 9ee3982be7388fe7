/**
 * Stand-in for the ReplicaSet controller and kubelet: pods appear when a ReplicaSet scales up and
 * become available `podReadyMs` later, unless a fault says they never will.
 */
import { REPLICASETS } from '../resources.js';
import type { Store } from '../store.js';
import type { SimClock } from '../types.js';
import type { ReplicaSet } from './model.js';

interface Batch {
  count: number;
  /** Epoch ms; Infinity for pods that never become available. */
  readyAt: number;
}

export interface PodSimOptions {
  readonly store: Store;
  readonly clock: SimClock;
  readonly readyMs: () => number;
  /** Decided when pods are created: true means this ReplicaSet's new pods never become ready. */
  readonly failing: (rs: ReplicaSet) => boolean;
}

export class PodSim {
  readonly #batches = new Map<string, Batch[]>();
  readonly #opts: PodSimOptions;

  constructor(opts: PodSimOptions) {
    this.#opts = opts;
  }

  /** One kubelet pass over every ReplicaSet; `instant` makes new pods ready at once (seeding). */
  sync(instant = false): void {
    const now = this.#opts.clock.now();
    const live = new Set<string>();
    for (const rs of this.#opts.store.list(REPLICASETS) as ReplicaSet[]) {
      const uid = rs.metadata.uid ?? '';
      live.add(uid);
      const batches = this.#batches.get(uid) ?? adopt(rs);
      this.#batches.set(uid, batches);
      const readyAt = instant ? now : this.#opts.failing(rs) ? Infinity : now + this.#opts.readyMs();
      resize(batches, rs.spec.replicas ?? 1, readyAt);
      this.#writeStatus(rs, batches, now);
    }
    for (const uid of this.#batches.keys()) if (!live.has(uid)) this.#batches.delete(uid);
  }

  /** Pods held back by a fault start becoming ready now. */
  heal(matches: (rs: ReplicaSet) => boolean): void {
    const readyAt = this.#opts.clock.now() + this.#opts.readyMs();
    for (const rs of this.#opts.store.list(REPLICASETS) as ReplicaSet[]) {
      if (!matches(rs)) continue;
      for (const b of this.#batches.get(rs.metadata.uid ?? '') ?? []) if (b.readyAt === Infinity) b.readyAt = readyAt;
    }
  }

  #writeStatus(rs: ReplicaSet, batches: Batch[], now: number): void {
    const replicas = batches.reduce((sum, b) => sum + b.count, 0);
    const available = batches.filter((b) => b.readyAt <= now).reduce((sum, b) => sum + b.count, 0);
    const status = {
      ...(rs.status ?? {}),
      replicas, fullyLabeledReplicas: replicas, readyReplicas: available, availableReplicas: available,
      observedGeneration: rs.metadata.generation,
    };
    // Real ReplicaSet status omits zero counts.
    for (const k of ['readyReplicas', 'availableReplicas', 'fullyLabeledReplicas'] as const) if (status[k] === 0) delete status[k];
    this.#opts.store.update(REPLICASETS, rs.metadata.namespace, rs.metadata.name, { ...rs, status }, { subresource: 'status', actor: 'controller' });
  }
}

function adopt(rs: ReplicaSet): Batch[] {
  const available = rs.status?.availableReplicas ?? 0;
  return available > 0 ? [{ count: available, readyAt: -Infinity }] : [];
}

/** Scale-up adds a batch; scale-down removes not-yet-ready pods first, newest first. */
function resize(batches: Batch[], want: number, readyAt: number): void {
  let have = batches.reduce((sum, b) => sum + b.count, 0);
  if (want > have) batches.push({ count: want - have, readyAt });
  batches.sort((a, b) => a.readyAt - b.readyAt);
  while (have > want) {
    const last = batches[batches.length - 1] as Batch;
    const drop = Math.min(last.count, have - want);
    last.count -= drop;
    have -= drop;
    if (last.count === 0) batches.pop();
  }
}
