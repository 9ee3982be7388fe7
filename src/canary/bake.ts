// A bake with the health watch beside it (STYLE.md): the SLO gate samples the canary while a watch
// on the Rollout cancels it — through the AbortSignal bake already takes — the moment the rollout is
// Degraded, aborted, inconclusive or no longer ours, or (for a gate the controller leaves by itself)
// has moved past the gate's steps. The samples taken until then are kept: they decide a shortened bake.
import type { Gate } from '../rollouts/plan.js';
import { watchHealth, type Interruption } from '../rollouts/wait.js';
import { bake, type BakeResult, type Sample } from '../slo/bake.js';
import { Stop, type GateContext } from './context.js';
import { stopFor } from './reach.js';

export interface WatchedBake {
  readonly bake: BakeResult;
  /** Why the bake ended before its window, when it did (a moved-on controller; trouble is thrown). */
  readonly movedOn?: Extract<Interruption, { kind: 'moved-on' }>;
}

export async function bakeWatched(ctx: GateContext, gate: Gate, options: { readonly leavesBy?: 'controller' } = {}): Promise<WatchedBake> {
  const { settings, clock, signal } = ctx;
  const watch = watchHealth(ctx.kube, settings.namespace, settings.service, ctx.canaryHash, {
    clock,
    // Within one sample interval (contract), and a little sooner so the bake's next sample is not taken first.
    pollMs: Math.max(50, Math.min(2000, settings.slo.intervalSeconds * 1000 / 2)),
    ...(options.leavesBy === 'controller' || gate.kind === 'pause' ? { to: lastHeldStep(gate) } : {}),
  });
  const samples: Sample[] = [];
  const started = clock.now();
  try {
    return {
      bake: await bake(ctx.slo, {
        service: settings.service, namespace: settings.namespace, version: settings.version.tag, sha: settings.sha, step: gate.percent,
        canaryHash: ctx.canaryHash ?? '', stableHash: ctx.stableHash ?? '', slo: settings.slo,
      }, settings.slo, clock, {
        signal: signal ? AbortSignal.any([signal, watch.signal]) : watch.signal,
        releaseWeights: ctx.plan.gates.filter((g) => g.kind !== 'pass').map((g) => g.percent),
        onSample: (sample) => {
          samples.push(sample);
          ctx.onSample?.(sample);
        },
      }),
    };
  } catch (error) {
    if (signal?.aborted) throw new Stop('cancelled', 'cancelled', `the run was cancelled during the bake at ${gate.percent}%`, { step: { bake: partial(samples, started, clock.now()) } });
    const stopped = watch.interruption();
    if (!stopped) throw error;
    ctx.saw(watch.last());
    const taken = partial(samples, started, new Date(stopped.at));
    if (stopped.kind === 'moved-on') {
      if (gate.kind === 'pause') {
        const detail = `step skipped: the rollout moved past step ${lastHeldStep(gate) + 1} while the ${gate.percent}% gate was baking (someone else promoted it)`;
        throw new Stop('step_skipped', 'skipped', detail, { tripped: { metric: 'step_skipped', value: null, threshold: null, detail }, step: { bake: taken } });
      }
      return { bake: taken, movedOn: stopped };
    }
    const stop = await stopFor(ctx, stopped.trouble, watch.last(), `during the bake at ${gate.percent}% (after ${samples.length} sample${samples.length === 1 ? '' : 's'})`);
    throw new Stop(stop.state, stop.outcome, stop.detail, { ...stop.extra, step: { ...stop.extra.step, bake: taken } });
  } finally {
    await watch.stop();
  }
}

/** For a pause gate, the last pause it promotes; otherwise the end of its weight's segment. */
function lastHeldStep(gate: Gate): number {
  return gate.kind === 'pause' ? gate.promote.at(-1)! : gate.to;
}

function partial(samples: readonly Sample[], started: Date, ended: Date): BakeResult {
  const breach = samples.find((s) => s.verdict === 'breach' || s.verdict === 'gate-error');
  return { verdict: breach ? 'breach' : 'within', samples, ...(breach ? { breach } : {}), startedAt: started.toISOString(), endedAt: ended.toISOString() };
}
