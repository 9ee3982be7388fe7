// Reaching a gate's steps: wait (watch + poll) until the controller holds the gate's weight on our
// canary, or say why the canary stopped. Shared by every gate kind, so none needs its own health checks.
import type { LocateTarget, RolloutObject, Snapshot, Trouble } from '../rollouts/observe.js';
import { waitFor } from '../rollouts/wait.js';
import type { Gate } from '../rollouts/plan.js';
import { readAnalyses, whatFailed } from './analysis-runs.js';
import { Stop, type GateContext } from './context.js';

export interface Reached {
  readonly rollout: RolloutObject;
  readonly snapshot: Snapshot;
  readonly reachedAt: Date;
  /** The controller was already past the gate's steps when we looked (it moved on by itself). */
  readonly passed: boolean;
}

/** `extraMs`: time the controller is known to hold before it gets there (timed pauses), on top of step-timeout-minutes. */
export async function reachSteps(ctx: GateContext, gate: Gate, target: Omit<LocateTarget, 'weight' | 'canaryHash' | 'strict'>, what: string, extraMs = 0): Promise<Reached> {
  const { kube, clock, log, signal, settings } = ctx;
  let waited;
  try {
    waited = await waitFor(kube, settings.namespace, settings.service, { ...target, weight: gate.percent, canaryHash: ctx.canaryHash, strict: true }, {
      clock, signal, timeoutMs: settings.stepTimeoutMinutes * 60_000 + extraMs,
      onWaiting: (why) => log.info(`  waiting for ${what}: ${why}`),
    });
  } catch (error) {
    if (signal?.aborted) throw new Stop('cancelled', 'cancelled', `the run was cancelled while waiting for ${what}`);
    throw error;
  }
  if (waited.kind === 'timeout') {
    ctx.saw(waited.snapshot);
    const detail = `step ${gate.percent}% not reached within ${settings.stepTimeoutMinutes} min (step-timeout-minutes): ${waited.lastWhy}`;
    throw new Stop('step_timeout', 'timeout', detail, { tripped: { metric: 'step_timeout', value: null, threshold: null, detail }, stepIndex: waited.snapshot?.stepIndex });
  }
  const position = waited.position;
  if (position.kind === 'stopped') throw await stopFor(ctx, position.trouble, waited.snapshot, `while waiting for ${what}`);
  if (position.kind === 'degraded') throw await stopFor(ctx, { kind: 'degraded', reason: position.reason, message: position.message }, waited.snapshot, `while waiting for ${what}`);
  if (position.kind === 'skipped') {
    const detail = `step skipped: ${position.why}`;
    throw new Stop('step_skipped', 'skipped', detail, { tripped: { metric: 'step_skipped', value: null, threshold: null, detail } });
  }
  ctx.canaryHash ??= waited.snapshot.canaryHash;
  ctx.saw(waited.snapshot);
  return { rollout: waited.rollout, snapshot: waited.snapshot, reachedAt: clock.now(), passed: position.kind === 'passed' };
}

/** The Stop for a canary in trouble, naming the analysis and its failing metric when one decided. */
export async function stopFor(ctx: GateContext, trouble: Trouble, snapshot: Snapshot | undefined, when: string): Promise<Stop> {
  if (trouble.kind === 'not-ours') {
    return new Stop('not_ours', 'not-ours', `${trouble.message} (${when}): not promoted`, { tripped: { metric: 'not_ours', value: null, threshold: null, detail: trouble.message } });
  }
  const analyses = await readAnalyses(ctx);
  if (trouble.kind === 'inconclusive') {
    const failed = whatFailed(analyses, ['Inconclusive']);
    const detail = `${failed?.text ?? trouble.message} ${when}: an inconclusive analysis is a breach`;
    return new Stop('analysis_inconclusive', 'inconclusive', detail, { tripped: { metric: failed?.metric?.name ?? trouble.reason, value: null, threshold: null, detail }, step: { analysis: analyses } });
  }
  const failed = /analysis|experiment/i.test(trouble.message) || analyses.some((a) => a.phase === 'Failed' || a.phase === 'Error') ? whatFailed(analyses, ['Failed', 'Error']) : undefined;
  if (failed || /analysis|experiment/i.test(trouble.message)) {
    const detail = `${failed?.text ?? trouble.message} ${when}: the controller aborted the rollout (${trouble.message || trouble.reason})`;
    return new Stop('analysis_failed', 'analysis-failed', detail, { tripped: { metric: failed?.metric?.name ?? failed?.summary.name ?? trouble.reason, value: null, threshold: null, detail }, step: { analysis: analyses }, ...indexOf(snapshot) });
  }
  const detail = `rollout turned Degraded ${when}: ${trouble.message || trouble.reason}`;
  return new Stop('degraded', 'degraded', detail, { tripped: { metric: trouble.reason, value: null, threshold: null, detail }, ...indexOf(snapshot) });
}

// An aborted rollout's index is reset to 0: it no longer says where the canary was.
function indexOf(snapshot: Snapshot | undefined): { stepIndex?: number } {
  return snapshot && !snapshot.aborted && snapshot.stepIndex !== undefined ? { stepIndex: snapshot.stepIndex } : {};
}
