// Contract step 7: put production back on the stable version (reference §0 "Rollback has two
// cases"). Before full promotion: abort, then undo to the stable ReplicaSet's template — the
// controller's fast path goes Healthy without running steps. After full promotion: undo alone
// would start a new canary of the old version, so it is followed by promoteFull.
import type { Clock } from '../clock.js';
import { kubeErrorMessage } from '../kube/errors.js';
import type { KubePort } from '../kube/port.js';
import { abort, promoteFull, templateOfRevision, undo } from '../rollouts/actions.js';
import { containerImages, templateOwner } from '../rollouts/image.js';
import { waitFor } from '../rollouts/wait.js';
import type { Settings } from '../settings.js';
import type { CanaryResult, TimelineEvent } from './canary.js';

export interface RollbackResult {
  readonly status: 'rolled-back' | 'failed';
  readonly mode: 'abort+undo' | 'undo+promoteFull';
  readonly detail: string;
  readonly stableHash?: string;
  readonly stableImages: readonly string[];
  readonly timeline: readonly TimelineEvent[];
  /** When the abort request (or, after full promotion, the undo) was sent. */
  readonly firstWriteAt?: string;
  readonly seconds: number;
}

export interface RollbackPorts {
  readonly kube: KubePort;
  readonly clock: Clock;
  readonly log: { info(message: string): void };
  /** Not the run's cancel signal: a cancelled run still rolls back, within its own deadline. */
  readonly timeoutMs: number;
}

export async function rollback(settings: Settings, canary: CanaryResult, ports: RollbackPorts): Promise<RollbackResult> {
  const { kube, clock, log, timeoutMs } = ports;
  const { namespace, service, container } = settings;
  const started = clock.now();
  const timeline: TimelineEvent[] = [];
  const event = (what: string) => {
    timeline.push({ at: clock.now().toISOString(), what });
    log.info(`  ${what}`);
  };
  const stableHash = canary.stableHash;
  let mode: RollbackResult['mode'] = canary.fullyPromoted ? 'undo+promoteFull' : 'abort+undo';
  let firstWriteAt: string | undefined;
  const result = (status: RollbackResult['status'], detail: string, stableImages: readonly string[] = []): RollbackResult => ({
    status, mode, detail, stableHash, stableImages, timeline, firstWriteAt, seconds: (clock.now().getTime() - started.getTime()) / 1000,
  });
  if (!stableHash) return result('failed', 'the stable ReplicaSet is unknown: nothing to roll back to');

  try {
    // The live object decides the case, not the canary's bookkeeping: a rollout can be fully
    // promoted behind our back (a skipped step) or before it reads Healthy (a timeout at 100%).
    const live = await kube.getRollout(namespace, service);
    if (!live) return result('failed', `Rollout ${service} disappeared during rollback`);
    if (live.status?.stableRS && live.status.stableRS !== stableHash) mode = 'undo+promoteFull';
    if (mode === 'abort+undo') {
      await abort(kube, namespace, service);
      firstWriteAt = clock.now().toISOString();
      event(`abort sent (status subresource): traffic back to stable ${stableHash}`);
    }
    const restored = await templateOfRevision(kube, namespace, live, stableHash);
    await undo(kube, namespace, live, restored.template);
    firstWriteAt ??= clock.now().toISOString();
    const injected = restored.stripped.length > 0 ? ` (without what the controller injected: ${restored.stripped.join(', ')})` : '';
    event(`undo sent: pod template set back to stable ${stableHash}${injected}`);

    if (mode === 'undo+promoteFull') {
      // The undo starts a canary of the old version; promoteFull only once the controller has taken
      // the old template as current, or it would promote the breaching version instead.
      const taken = await waitFor(kube, namespace, service, { weight: 0, canaryHash: stableHash, taken: true }, { clock, timeoutMs });
      if (taken.kind === 'timeout') return result('failed', `the controller did not take the undo within ${Math.round(timeoutMs / 1000)} s: ${taken.lastWhy}`);
      await promoteFull(kube, namespace, service);
      event('promoteFull sent: skip the steps of the old version');
    }

    const healthy = await waitFor(kube, namespace, service, { weight: 100, canaryHash: stableHash, throughDegraded: true }, { clock, timeoutMs });
    if (healthy.kind !== 'reached' || healthy.position.kind !== 'healthy') {
      const why = healthy.kind === 'timeout' ? healthy.lastWhy : healthy.position.kind === 'degraded' ? healthy.position.message || healthy.position.reason : healthy.position.kind;
      return result('failed', `Rollout ${service} did not become Healthy on the stable version within ${Math.round(timeoutMs / 1000)} s: ${why}`);
    }
    const owner = await templateOwner(kube, namespace, healthy.rollout);
    const images = containerImages(owner, container);
    event(`rollback complete: Healthy on stable ${stableHash} (${images.join(', ')})`);
    return result('rolled-back', `Healthy on the stable version ${images.join(', ')} (${stableHash})`, images);
  } catch (error) {
    // Reported, not thrown: the incident must still be opened, saying the rollback did not finish.
    const detail = `rollback stopped by an error${firstWriteAt ? '' : ' before the abort was sent'}: ${kubeErrorMessage(error)}`;
    event(detail);
    return result('failed', detail);
  }
}
