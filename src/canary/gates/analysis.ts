// `setWeight: W` held by inline `analysis` or `experiment` steps: the AnalysisRun decides and the
// controller advances on Successful; Failed/Error make it abort, Inconclusive makes it pause
// (reference §8, §11) — both seen by the health watch and named with the failing metric. The SLO
// gate samples while the analysis runs; a breach of ours aborts as anywhere else.
import type { Gate } from '../../rollouts/plan.js';
import { readAnalyses } from '../analysis-runs.js';
import { bakeWatched } from '../bake.js';
import { Stop, type GateContext } from '../context.js';
import { reachSteps, type Reached } from '../reach.js';
import { leadMs, requireWithin, samplesText, type GateRunner, type Judged } from './gate.js';

export const analysisGate: GateRunner = {
  async reach(ctx: GateContext, gate: Gate): Promise<Reached | undefined> {
    const reached = await reachSteps(ctx, gate, { from: gate.from, to: gate.to }, `${gate.percent}%`, leadMs(gate));
    // Already past: the analysis was quicker than our first look; its result is read on leaving.
    if (reached.passed) return undefined;
    ctx.event(`at ${gate.percent}% (step ${(reached.snapshot.stepIndex ?? 0) + 1}, ${holdsText(gate)}), canary ${ctx.canaryHash}`, gate.percent);
    return reached;
  },
  async judge(ctx, gate, reached): Promise<Judged> {
    if (!reached) return { passedBy: `${holdsText(gate)} completed before the SLO gate could sample` };
    const { bake, movedOn } = await bakeWatched(ctx, gate, { leavesBy: 'controller' });
    requireWithin(gate, bake, { shortened: Boolean(movedOn) });
    return { bake, shortened: Boolean(movedOn), passedBy: `SLO gate ${samplesText(bake)} within SLO while the analysis ran` };
  },
  async leave(ctx, gate, judged) {
    // step-timeout-minutes bounds how long the controller takes to reach a step, not how long an
    // analysis runs (interval × count, its own business): while the run is still running, wait on.
    for (;;) {
      try {
        await reachSteps(ctx, gate, { from: gate.to + 1, to: ctx.plan.stepCount }, `the controller to finish ${holdsText(gate)} at ${gate.percent}%`);
        break;
      } catch (error) {
        const running = error instanceof Stop && error.state === 'step_timeout' ? await stillRunning(ctx) : undefined;
        if (!running) throw error;
        ctx.event(`${running} still running at ${gate.percent}% after step-timeout-minutes: waiting for its result`, gate.percent);
      }
    }
    const analysis = (await readAnalyses(ctx)).filter((a) => a.stepIndex !== undefined && a.stepIndex >= gate.from && a.stepIndex <= gate.to);
    const results = analysis.map((a) => `${a.kind} ${a.name} ${a.phase}`).join(', ');
    ctx.event(`${holdsText(gate)} at ${gate.percent}% passed${results ? `: ${results}` : ''}`, gate.percent);
    return { ...judged, analysis, passedBy: `${results || `${holdsText(gate)} Successful`}; ${judged.passedBy}` };
  },
};

function holdsText(gate: Gate): string {
  return gate.holds.map((h) => `${h.kind === 'timed-pause' ? 'timed pause' : h.kind} step ${h.index + 1}${'templates' in h && h.templates.length > 0 ? ` (${h.templates.join(', ')})` : ''}`).join(', ');
}

/** The AnalysisRun or Experiment the rollout is waiting on, if one is still running. */
async function stillRunning(ctx: GateContext): Promise<string | undefined> {
  const rollout = await ctx.kube.getRollout(ctx.settings.namespace, ctx.settings.service);
  const canary = rollout?.status?.canary;
  const run = canary?.currentStepAnalysisRunStatus;
  if (run?.name && (run.status === undefined || run.status === '' || run.status === 'Pending' || run.status === 'Running')) return `AnalysisRun ${run.name}`;
  if (canary?.currentExperiment) return `Experiment ${canary.currentExperiment}`;
  return undefined;
}
