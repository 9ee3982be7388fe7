// Contract step 7: put production back on the stable version (reference §0 "Rollback has two
// cases"). Before full promotion: abort, then undo to the stable ReplicaSet's template — the
// controller's fast path goes Healthy without running steps. After full promotion: undo alone
// would start a new canary of the old version, so it is followed by promoteFull.
import type { Clock } from '../clock.js';
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
  const mode = canary.fullyPromoted ? 'undo+promoteFull' : 'abort+undo';
  const stableHash = canary.stableHash;
  const result = (status: RollbackResult['status'], detail: string, stableImages: readonly string[] = [], firstWriteAt?: string): RollbackResult => ({
    status, mode, detail, stableHash, stableImages, timeline, firstWriteAt, seconds: (clock.now().getTime() - started.getTime()) / 1000,
  });
  if (!stableHash) return result('failed', 'the stable ReplicaSet is unknown: nothing to roll back to');

  let firstWriteAt: string | undefined;
  if (mode === 'abort+undo') {
    await abort(kube, namespace, service);
    firstWriteAt = clock.now().toISOString();
    event(`abort sent (status subresource): traffic back to stable ${stableHash}`);
  }
  const rollout = await kube.getRollout(namespace, service);
  if (!rollout) return result('failed', `Rollout ${service} disappeared during rollback`, [], firstWriteAt);
  const template = await templateOfRevision(kube, namespace, rollout, stableHash);
  await undo(kube, namespace, rollout, template);
  firstWriteAt ??= clock.now().toISOString();
  event(`undo sent: pod template set back to stable ${stableHash}`);

  if (mode === 'undo+promoteFull') {
    // The undo starts a canary of the old version; promoteFull only once the controller has taken
    // the old template as current, or it would promote the breaching version instead.
    const started = await waitFor(kube, namespace, service, { weight: 0, canaryHash: stableHash, taken: true }, { clock, timeoutMs })
      .catch(() => undefined);
    if (!started || started.kind === 'timeout') return result('failed', `the controller did not take the undo within ${timeoutMs / 1000} s`, [], firstWriteAt);
    await promoteFull(kube, namespace, service);
    event('promoteFull sent: skip the steps of the old version');
  }

  const healthy = await waitFor(kube, namespace, service, { weight: 100, canaryHash: stableHash }, { clock, timeoutMs });
  if (healthy.kind !== 'reached' || healthy.position.kind !== 'healthy') {
    const why = healthy.kind === 'timeout' ? healthy.lastWhy : healthy.position.kind === 'degraded' ? `${healthy.position.reason}: ${healthy.position.message}` : healthy.position.kind;
    return result('failed', `Rollout ${service} did not become Healthy on the stable version within ${Math.round(timeoutMs / 1000)} s: ${why}`, [], firstWriteAt);
  }
  const owner = await templateOwner(kube, namespace, healthy.rollout);
  const images = containerImages(owner, container);
  event(`rollback complete: Healthy on stable ${stableHash} (${images.join(', ')})`);
  return result('rolled-back', `Healthy on the stable version ${images.join(', ')} (${stableHash})`, images, firstWriteAt);
}
