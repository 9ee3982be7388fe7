// `setWeight: W` held only by `pause: {duration: D}`: the controller advances by itself when D has
// passed (reference §11). The SLO gate samples while the pause lasts and aborts on a breach; if the
// controller moves on before the window is sampled, the samples taken decide and the report says so.
import type { Gate } from '../../rollouts/plan.js';
import { formatDuration } from '../../rollouts/duration.js';
import { bakeWatched } from '../bake.js';
import { Stop, type GateContext } from '../context.js';
import { reachSteps, type Reached } from '../reach.js';
import { leadMs, requireWithin, samplesText, type GateRunner, type Judged } from './gate.js';

export const timedPauseGate: GateRunner = {
  async reach(ctx: GateContext, gate: Gate): Promise<Reached> {
    const reached = await reachSteps(ctx, gate, { from: gate.from, to: gate.to }, `${gate.percent}%`, leadMs(gate));
    if (reached.passed) throw movedOnUnsampled(gate);
    ctx.event(`at ${gate.percent}% (step ${(reached.snapshot.stepIndex ?? 0) + 1}, timed pause ${formatDuration(gate.holdSeconds ?? 0)}), canary ${ctx.canaryHash}`, gate.percent);
    return reached;
  },
  async judge(ctx, gate, _reached): Promise<Judged> {
    const { bake, movedOn } = await bakeWatched(ctx, gate, { leavesBy: 'controller' });
    if (movedOn && bake.samples.length === 0) throw movedOnUnsampled(gate);
    requireWithin(gate, bake, { shortened: Boolean(movedOn) });
    if (movedOn) ctx.event(`the controller moved on from ${gate.percent}% before the window was sampled: ${samplesText(bake)} decided (shortened bake)`, gate.percent);
    return { bake, shortened: Boolean(movedOn), passedBy: `timed pause ${formatDuration(gate.holdSeconds ?? 0)}: SLO gate ${movedOn ? `shortened to ${samplesText(bake)}` : `${samplesText(bake)}`} within SLO; the controller advanced` };
  },
  async leave(ctx, gate, judged) {
    // The controller holds the weight for the pause's whole duration, which may be far longer than
    // step-timeout-minutes (`pause: {duration: 1h}`): wait for it to move on, as long as that takes.
    await reachSteps(ctx, gate, { from: gate.to + 1, to: ctx.plan.stepCount }, `the controller to end the timed pause at ${gate.percent}%`, (gate.holdSeconds ?? 0) * 1000);
    return judged;
  },
};

function movedOnUnsampled(gate: Gate): Stop {
  const detail = `step skipped: the controller moved past the timed pause at ${gate.percent}% before the SLO gate took a sample`;
  return new Stop('step_skipped', 'skipped', detail, { tripped: { metric: 'step_skipped', value: null, threshold: null, detail } });
}
