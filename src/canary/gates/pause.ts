// `setWeight: W` held by an indefinite `pause: {}` (v1's only shape): wait until the controller is
// paused there with the canary available, bake the full window, then promote each pause at W.
import type { Gate } from '../../rollouts/plan.js';
import { bakeWatched } from '../bake.js';
import { Stop, type GateContext } from '../context.js';
import { promotePauses } from '../promote.js';
import { reachSteps, type Reached } from '../reach.js';
import { leadMs, requireWithin, samplesText, type GateRunner, type Judged } from './gate.js';

export const pauseGate: GateRunner = {
  async reach(ctx: GateContext, gate: Gate): Promise<Reached> {
    const reached = await reachSteps(ctx, gate, { from: gate.from, to: gate.promote.at(-1)!, paused: gate.holds[0]?.kind === 'pause' }, `${gate.percent}%`, leadMs(gate));
    if (reached.passed) {
      const detail = `step skipped: the rollout is past step ${gate.promote.at(-1)! + 1} before the ${gate.percent}% gate ran`;
      throw new Stop('step_skipped', 'skipped', detail, { tripped: { metric: 'step_skipped', value: null, threshold: null, detail } });
    }
    ctx.event(`paused at ${gate.percent}% (step ${(reached.snapshot.stepIndex ?? 0) + 1}), canary ${ctx.canaryHash}`, gate.percent);
    return reached;
  },
  async judge(ctx, gate, _reached): Promise<Judged> {
    const { bake } = await bakeWatched(ctx, gate);
    requireWithin(gate, bake);
    return { bake, passedBy: `SLO gate (${samplesText(bake)} within SLO), then promote` };
  },
  async leave(ctx, gate, judged) {
    const repromoted = await promotePauses(ctx, gate);
    return repromoted > 0 ? { ...judged, passedBy: `${judged.passedBy} (re-paused ${repromoted}× by a stale controller cache, promoted again)` } : judged;
  },
};
