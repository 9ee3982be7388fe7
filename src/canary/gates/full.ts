// 100%: wait until the rollout is fully promoted and Healthy on our canary, then bake the full
// window (as in v1); a breach here rolls back with undo + promoteFull.
import type { Gate } from '../../rollouts/plan.js';
import { bakeWatched } from '../bake.js';
import type { GateContext } from '../context.js';
import { reachSteps, type Reached } from '../reach.js';
import { leadMs, requireWithin, samplesText, type GateRunner, type Judged } from './gate.js';

export const fullGate: GateRunner = {
  async reach(ctx: GateContext, gate: Gate): Promise<Reached> {
    const reached = await reachSteps(ctx, gate, {}, '100%', leadMs(gate));
    ctx.event(`fully promoted and Healthy at 100%, ${ctx.canaryHash}`, 100);
    return reached;
  },
  async judge(ctx, gate): Promise<Judged> {
    const { bake } = await bakeWatched(ctx, gate);
    requireWithin(gate, bake);
    return { bake, share: { percent: 100, source: 'fully promoted' }, passedBy: `SLO gate (${samplesText(bake)} within SLO) after full promotion` };
  },
  async leave(_ctx, _gate, judged) {
    return judged;
  },
};
