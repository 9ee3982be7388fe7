// Leaving a gate held by indefinite pauses: promote each, in order, once the window has been
// sampled — only at the step observed, only on our canary (contract "One release per Rollout":
// ownership checked before every promote; the promote itself is conditional, actions.promote).
// A pause the controller re-adds at the same index after our promote is the stale-cache bug of
// Argo ≤ v1.9.1 (reference §9.4, §11; argo-rollouts issue #720): promoted once more, a bounded
// number of times, and noted in the timeline.
import { promote } from '../rollouts/actions.js';
import { NotOurCanaryError, verifyOwnCanary } from '../rollouts/ownership.js';
import type { Gate } from '../rollouts/plan.js';
import { Stop, type GateContext } from './context.js';
import { reachSteps } from './reach.js';

const MAX_REPROMOTES = 3;

export async function promotePauses(ctx: GateContext, gate: Gate): Promise<number> {
  const { kube, settings } = ctx;
  let repromoted = 0;
  for (const index of gate.promote) {
    const at = `the pause at step ${index + 1} (${gate.percent}%)`;
    // Timed pauses before this pause in the gate hold the rollout that long first.
    const timedBefore = gate.holds.reduce((sum, h) => sum + (h.kind === 'timed-pause' && h.index < index ? h.seconds : 0), 0);
    let paused = await reachSteps(ctx, gate, { from: index, to: index, paused: true }, at, timedBefore * 1000);
    if (paused.passed && gate.kind === 'pass') {
      ctx.event(`${at} was already passed: it held no canary traffic`, gate.percent);
      continue;
    }
    if (paused.passed) {
      const detail = `step skipped: the rollout moved past ${at} before release-to-prod promoted it (someone else promoted it)`;
      throw new Stop('step_skipped', 'skipped', detail, { tripped: { metric: 'step_skipped', value: null, threshold: null, detail } });
    }
    for (let attempt = 0; ; attempt += 1) {
      const hash = await ours(ctx, paused.rollout);
      const answer = await promote(kube, settings.namespace, settings.service, { stepIndex: index, canaryHash: hash });
      ctx.event(`promoted ${gate.kind === 'pass' ? 'at once' : 'after the SLO gate'}: step ${index + 1} (pause) at ${gate.percent}%${answer === 'already-promoted' ? ' (an earlier request had landed)' : ''}`, gate.percent);
      const after = await reachSteps(ctx, gate, { from: index, to: index, paused: true }, `the controller to act on the promote of step ${index + 1}`);
      if (after.passed) break;
      if (attempt >= MAX_REPROMOTES) {
        throw new Stop('step_timeout', 'timeout', `the controller paused step ${index + 1} again after ${MAX_REPROMOTES + 1} promotes: it does not take the promote`);
      }
      repromoted += 1;
      ctx.event(`step ${index + 1} paused again at the same index after the promote (stale controller cache, Argo ≤ v1.9.1, argo-rollouts #720): promoted once more`, gate.percent);
      paused = after;
    }
  }
  return repromoted;
}

async function ours(ctx: GateContext, rollout: Parameters<typeof verifyOwnCanary>[2]): Promise<string> {
  try {
    return await verifyOwnCanary(ctx.kube, ctx.settings.namespace, rollout, { image: ctx.image, canaryHash: ctx.canaryHash, container: ctx.settings.container });
  } catch (error) {
    if (error instanceof NotOurCanaryError) throw new Stop('not_ours', 'not-ours', error.message, { tripped: { metric: 'not_ours', value: null, threshold: null, detail: error.message } });
    throw error;
  }
}
