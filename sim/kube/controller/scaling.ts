/**
 * Scaling the ReplicaSets toward the desired weight (§5.1 step 7, §5.3, §5.5): scale-downs first
 * within the availability budget, then scale-ups within the surge budget; with traffic routing,
 * old and aborted ReplicaSets wait for a `scale-down-deadline`.
 */
import { rfc3339 } from '../types.js';
import { fenceposts } from './counts.js';
import { editReplicaSet, type Env } from './env.js';
import { DESIRED_REPLICAS, SCALE_DOWN_DEADLINE, availableOf, replicasOf, revisionOf, type ReplicaSet, type Rollout, type RolloutStatus } from './model.js';
import type { ReplicaSets } from './replicasets.js';
import { hasTrafficRouting, isFullyPromoted } from './steps.js';
import { targetCounts } from './targets.js';

const DEFAULT_SCALE_DOWN_DELAY_S = 30;

interface Plan {
  readonly rs: ReplicaSet;
  target: number;
  /** Seconds to wait (via the deadline annotation) before scaling to 0; undefined = scale now. */
  readonly delayS?: number;
}

/** For a delayed scale-down: the count to keep now, stamping or honouring the deadline annotation. */
function delayedTarget(env: Env, rs: ReplicaSet, delayS: number): number {
  if (replicasOf(rs) === 0) return 0;
  if (delayS === 0) return replicasOf(rs); // abortScaleDownDelaySeconds: 0 keeps the canary up indefinitely
  const deadline = rs.metadata.annotations?.[SCALE_DOWN_DEADLINE];
  if (!deadline) {
    const at = rfc3339(env.clock.now() + delayS * 1000);
    editReplicaSet(env, rs, (cur) => {
      cur.metadata.annotations = { ...(cur.metadata.annotations ?? {}), [SCALE_DOWN_DEADLINE]: at };
    });
    return replicasOf(rs);
  }
  return env.clock.now() >= Date.parse(deadline) ? 0 : replicasOf(rs);
}

function plans(ro: Rollout, status: RolloutStatus, sets: ReplicaSets): Plan[] {
  const replicas = ro.spec.replicas ?? 1;
  const canary = ro.spec.strategy?.canary ?? {};
  const traffic = hasTrafficRouting(ro);
  const target = targetCounts(ro, status);
  const { newRS, stableRS } = sets;
  const oldDelay = traffic ? (canary.scaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_S) : undefined;
  const out: Plan[] = [];
  if (!stableRS || stableRS.metadata.uid === newRS.metadata.uid) {
    out.push({ rs: newRS, target: replicas });
  } else if (traffic) {
    const aborted = !!status.abort && !isFullyPromoted(status);
    if (aborted && availableOf(stableRS) >= replicas) {
      out.push({ rs: newRS, target: 0, delayS: canary.abortScaleDownDelaySeconds ?? DEFAULT_SCALE_DOWN_DELAY_S });
    } else {
      out.push({ rs: newRS, target: aborted ? Math.max(replicasOf(newRS), target.canary) : target.canary });
    }
    out.push({ rs: stableRS, target: aborted ? replicas : target.stable });
  } else {
    out.push({ rs: newRS, target: target.canary }, { rs: stableRS, target: target.stable });
  }
  const planned = new Set(out.map((p) => p.rs.metadata.uid));
  for (const rs of sets.all) if (!planned.has(rs.metadata.uid)) out.push({ rs, target: 0, delayS: oldDelay });
  return out;
}

function scaleTo(env: Env, ro: Rollout, rs: ReplicaSet, replicas: number): void {
  const from = replicasOf(rs);
  editReplicaSet(env, rs, (cur) => {
    cur.spec.replicas = replicas;
    const ann = (cur.metadata.annotations ??= {});
    ann[DESIRED_REPLICAS] = String(ro.spec.replicas ?? 1);
    if (replicas === 0) delete ann[SCALE_DOWN_DEADLINE];
  });
  const dir = replicas > from ? 'up' : 'down';
  env.emit(ro, 'ScalingReplicaSet', `Scaled ${dir} ReplicaSet ${rs.metadata.name} (revision ${revisionOf(rs)}) from ${from} to ${replicas}`);
}

/** A ReplicaSet that is wanted again (rollback onto it) must not keep a pending scale-down deadline. */
function clearDeadline(env: Env, rs: ReplicaSet): void {
  if (rs.metadata.annotations?.[SCALE_DOWN_DEADLINE] === undefined) return;
  editReplicaSet(env, rs, (cur) => {
    delete cur.metadata.annotations?.[SCALE_DOWN_DEADLINE];
  });
}

/** Returns true when any ReplicaSet was scaled (the pass then persists status and stops). */
export function reconcileReplicaSets(env: Env, ro: Rollout, status: RolloutStatus, sets: ReplicaSets): boolean {
  const replicas = ro.spec.replicas ?? 1;
  const canary = ro.spec.strategy?.canary ?? {};
  const all = plans(ro, status, sets);
  for (const p of all) {
    if (p.delayS !== undefined) p.target = delayedTarget(env, p.rs, p.delayS);
    else if (p.target > 0) clearDeadline(env, p.rs);
  }
  const { maxSurge, maxUnavailable } = fenceposts(canary, replicas);
  const minAvailable = replicas - maxUnavailable;
  let available = all.reduce((sum, p) => sum + availableOf(p.rs), 0);
  let total = 0;
  let scaled = false;
  const next = new Map<ReplicaSet, number>();
  for (const p of all) {
    const current = replicasOf(p.rs);
    let keep = current;
    if (p.target < current) {
      const unready = current - Math.min(current, availableOf(p.rs));
      const need = current - p.target;
      const free = Math.min(need, unready);
      // Deadline-driven scale-downs already waited; the availability budget guards rolling ones.
      const budget = p.delayS !== undefined ? need - free : Math.max(0, available - minAvailable);
      const readyDrop = Math.min(need - free, budget);
      keep = current - free - readyDrop;
      available -= readyDrop;
    }
    next.set(p.rs, keep);
    total += keep;
  }
  const cap = hasTrafficRouting(ro) ? Infinity : replicas + maxSurge;
  for (const p of all) {
    const keep = next.get(p.rs) ?? 0;
    if (p.target > keep) {
      const grow = Math.max(0, Math.min(p.target - keep, cap - total));
      next.set(p.rs, keep + grow);
      total += grow;
    }
  }
  // Scale-downs are written before scale-ups, so the pod total never exceeds the surge budget even
  // between two writes (rollout/canary.go reconcileCanaryReplicaSets scales stable, then new, then old).
  const changes = all.filter((p) => (next.get(p.rs) ?? 0) !== replicasOf(p.rs))
    .sort((x, y) => ((next.get(x.rs) ?? 0) - replicasOf(x.rs)) - ((next.get(y.rs) ?? 0) - replicasOf(y.rs)));
  for (const p of changes) {
    scaleTo(env, ro, p.rs, next.get(p.rs) ?? 0);
    scaled = true;
  }
  return scaled;
}
