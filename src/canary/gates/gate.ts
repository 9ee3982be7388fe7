// One small interface for every kind of gate (STYLE.md "Where the canary is going"): reach it,
// judge it, leave it. The canary stage reads `for each gate in the plan: reach, judge, leave`;
// each kind lives in its own file and is picked by `gate.kind` (gates/index.ts).
import type { Gate } from '../../rollouts/plan.js';
import type { BakeResult } from '../../slo/bake.js';
import { formatValue } from '../format.js';
import { Stop, type AnalysisSummary, type GateContext } from '../context.js';
import type { Reached } from '../reach.js';
import type { Share } from '../share.js';

export interface Judged {
  readonly bake?: BakeResult;
  readonly shortened?: boolean;
  readonly share?: Share;
  readonly analysis?: readonly AnalysisSummary[];
  /** How the step was passed, in words for the report. */
  readonly passedBy: string;
}

export interface GateRunner {
  /** Wait until the controller holds the gate's weight on our canary (undefined: nothing to wait for). */
  reach(ctx: GateContext, gate: Gate): Promise<Reached | undefined>;
  /** Decide whether the canary may go on; throws Stop when it may not. */
  judge(ctx: GateContext, gate: Gate, reached: Reached | undefined): Promise<Judged>;
  /** Let the rollout go on past the gate (promote, or wait for the controller to do it). */
  leave(ctx: GateContext, gate: Gate, judged: Judged): Promise<Judged>;
}

/** A bake that breached (or had a gate error) stops the canary, naming the metric and threshold. */
export function requireWithin(gate: Gate, bake: BakeResult, extra: { readonly shortened?: boolean } = {}): void {
  if (bake.verdict !== 'breach') return;
  const sample = bake.breach!;
  const first = sample.breaches[0];
  const detail = first
    ? `${first.metric} ${formatValue(first.value)} over threshold ${formatValue(first.threshold)} at ${gate.percent}%${sample.gateError ? `: ${sample.gateError}` : ''}`
    : `breach at ${gate.percent}%`;
  throw new Stop(first?.metric === 'gate_error' ? 'gate_error' : 'slo_breach', 'breach', `SLO gate breached: ${detail}`, {
    tripped: { metric: first?.metric ?? 'unknown', value: first?.value ?? null, threshold: first?.threshold ?? null, detail },
    step: { bake, ...(extra.shortened ? { shortened: true } : {}) },
  });
}

export function samplesText(bake: BakeResult | undefined): string {
  const n = bake?.samples.length ?? 0;
  return `${n} sample${n === 1 ? '' : 's'}`;
}

/** How much longer than step-timeout-minutes reaching the gate may take: timed pauses without traffic before it. */
export function leadMs(gate: Gate): number {
  return (gate.leadSeconds ?? 0) * 1000;
}
