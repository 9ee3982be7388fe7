// Waiting for the controller: woken by a watch on the Rollout, with polling as the fallback when
// the watch cannot be opened or drops. Each wake-up re-reads the object and decides from it alone.
import type { Clock } from '../clock.js';
import type { KubePort } from '../kube/port.js';
import { locate, snapshot, trouble, type LocateTarget, type Position, type RolloutObject, type Snapshot, type Trouble } from './observe.js';

/** See LocateTarget: `taken` — reached once the controller works on `canaryHash`; `throughDegraded` — Degraded is waited through (a rollback). */
export type WaitTarget = LocateTarget;

export interface WaitOptions {
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** How often to re-read when no watch event arrives. */
  readonly pollMs?: number;
  readonly onWaiting?: (why: string) => void;
}

export type WaitResult =
  | { readonly kind: 'reached'; readonly position: Exclude<Position, { kind: 'waiting' }>; readonly rollout: RolloutObject; readonly snapshot: Snapshot }
  | { readonly kind: 'timeout'; readonly lastWhy: string; readonly rollout?: RolloutObject; readonly snapshot?: Snapshot };

/** Reads the Rollout (and, under workloadRef, the Deployment's generation) and locates it. */
export async function observe(kube: KubePort, namespace: string, name: string): Promise<{ rollout: RolloutObject; snapshot: Snapshot }> {
  const rollout = await kube.getRollout(namespace, name);
  if (!rollout) throw new Error(`Rollout ${name} disappeared from namespace ${namespace}`);
  const ref = rollout.spec.workloadRef;
  const workloadGeneration = ref?.name ? (await kube.getDeployment(namespace, ref.name))?.metadata.generation : undefined;
  return { rollout, snapshot: snapshot(rollout, workloadGeneration) };
}

export async function waitFor(kube: KubePort, namespace: string, name: string, target: WaitTarget, options: WaitOptions): Promise<WaitResult> {
  const { clock, timeoutMs, signal, pollMs = 2000 } = options;
  const deadline = clock.now().getTime() + timeoutMs;
  const watchStop = new AbortController();
  const stopWatch = () => watchStop.abort();
  signal?.addEventListener('abort', stopWatch, { once: true });
  let wake: (() => void) | undefined;
  let changed = false;
  const notify = () => {
    changed = true;
    wake?.();
  };
  // A failed or ended watch only means we poll: the decision never depends on the watch.
  const watching = kube.watchRollout(namespace, name, notify, watchStop.signal).catch(() => undefined);
  let lastWhy = 'not read yet';
  let last: { rollout: RolloutObject; snapshot: Snapshot } | undefined;
  try {
    for (;;) {
      signal?.throwIfAborted();
      changed = false;
      last = await observe(kube, namespace, name);
      const position = locate(last.snapshot, target);
      if (position.kind !== 'waiting') return { kind: 'reached', position, ...last };
      if (position.why !== lastWhy) options.onWaiting?.(position.why);
      lastWhy = position.why;
      const left = deadline - clock.now().getTime();
      if (left <= 0) return { kind: 'timeout', lastWhy, ...last };
      if (changed) continue;
      const tick = new AbortController();
      const onAbort = () => tick.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      wake = () => tick.abort();
      try {
        await clock.sleep(Math.min(pollMs, left), tick.signal);
      } catch {
        if (signal?.aborted) throw signal.reason;
      } finally {
        wake = undefined;
        signal?.removeEventListener('abort', onAbort);
      }
    }
  } finally {
    signal?.removeEventListener('abort', stopWatch);
    watchStop.abort();
    await watching;
  }
}

/** What stopped a watched bake: the canary in trouble, or the controller past the gate's steps. */
export type Interruption =
  | { readonly kind: 'trouble'; readonly trouble: Trouble; readonly at: string; readonly stepIndex?: number }
  | { readonly kind: 'moved-on'; readonly at: string; readonly stepIndex: number };

export interface HealthWatch {
  /** Aborted the moment the canary is in trouble (or, with `to`, past the gate's last step). */
  readonly signal: AbortSignal;
  interruption(): Interruption | undefined;
  /** The last state seen, for the report (the real share when the bake was stopped). */
  last(): Snapshot | undefined;
  stop(): Promise<void>;
}

export interface HealthWatchOptions {
  readonly clock: Clock;
  /** At most this long between two reads when no watch event arrives: one sample interval. */
  readonly pollMs: number;
  /** Past this step index (or fully promoted) the controller has moved on from the gate. */
  readonly to?: number;
}

/**
 * The health watch beside every bake (STYLE.md): a watch on the Rollout, and a re-read at least
 * every `pollMs` in case the watch is down, so a Degraded, aborted, inconclusive or replaced canary
 * is noticed within one sample interval (contract) and the bake is cancelled through `signal`.
 */
export function watchHealth(kube: KubePort, namespace: string, name: string, canaryHash: string | undefined, options: HealthWatchOptions): HealthWatch {
  const { clock, pollMs, to } = options;
  const stopped = new AbortController();
  const tripped = new AbortController();
  let found: Interruption | undefined;
  let seen: Snapshot | undefined;
  const judge = (s: Snapshot) => {
    if (found) return;
    seen = s;
    const t = trouble(s, canaryHash);
    const at = clock.now().toISOString();
    if (t) found = { kind: 'trouble', trouble: t, at, stepIndex: s.stepIndex };
    else if (to !== undefined && s.observed && s.canaryHash === canaryHash && !s.resuming && (s.fullyPromoted || (s.stepIndex ?? 0) > to)) {
      found = { kind: 'moved-on', at, stepIndex: s.fullyPromoted ? Math.max(s.stepIndex ?? 0, to + 1) : s.stepIndex ?? 0 };
    }
    if (found) tripped.abort(found);
  };
  // Watch events carry the whole object; under workloadRef the workload generation is not in it,
  // so an event is judged as observed — the poll reads the Deployment too.
  const watching = kube.watchRollout(namespace, name, (rollout) => judge(snapshot(rollout)), stopped.signal).catch(() => undefined);
  const polling = (async () => {
    while (!stopped.signal.aborted && !found) {
      try {
        await clock.sleep(pollMs, stopped.signal);
      } catch {
        return;
      }
      // A failed read is no news: the next one, or the watch, decides.
      const read = await observe(kube, namespace, name).catch(() => undefined);
      if (read && !stopped.signal.aborted) judge(read.snapshot);
    }
  })();
  return {
    signal: tripped.signal,
    interruption: () => found,
    last: () => seen,
    stop: async () => {
      stopped.abort();
      await Promise.all([watching, polling]);
    },
  };
}
