// Waiting for the controller: woken by a watch on the Rollout, with polling as the fallback when
// the watch cannot be opened or drops. Each wake-up re-reads the object and decides from it alone.
import type { Clock } from '../clock.js';
import type { KubePort } from '../kube/port.js';
import { locate, snapshot, type Position, type RolloutObject, type Snapshot } from './observe.js';

export interface WaitTarget {
  readonly weight: number;
  readonly pauseIndex?: number;
  readonly canaryHash?: string;
  /** Reached as soon as the controller works on `canaryHash`, at any step. */
  readonly taken?: boolean;
  /** Degraded is a state to wait through (a rollback), not an answer. */
  readonly throughDegraded?: boolean;
}

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
