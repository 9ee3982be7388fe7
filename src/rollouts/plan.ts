// The plan: a Rollout's canary steps compiled, in preflight, into the gates release-to-prod runs
// (contract "Rollouts as teams write them"; STYLE.md "Where the canary is going"). Pure: the
// Rollout object and the settings in, ordered gates or refusals (each with its fix) out.
//
// A gate belongs to one weight: the `setWeight` that starts a segment of steps, up to the next
// `setWeight`. How the weight is held decides the gate's kind:
//   pause        an indefinite `pause: {}` in the segment: bake the full window, then we promote;
//   timed-pause  only `pause: {duration}`: the controller advances, we bake while it lasts;
//   analysis     only inline `analysis`/`experiment`: the controller advances when it succeeds;
//   pass         an indefinite pause holding no canary traffic (before any setWeight, after
//                setWeight 0, or at 100 before full promotion): promoted at once;
//   full         100%: bake after full promotion, as in v1.
import type { Weight } from '../settings.js';
import { durationSeconds, formatDuration } from './duration.js';
import type { RolloutObject } from './observe.js';
import { basicCanaryCounts, basicCanaryShare, coarseLimit, replicasWithinLimit, resolveMaxSurge } from './share.js';
import { describeStep, stepsBlock } from './steps.js';

export type GateKind = 'pause' | 'timed-pause' | 'analysis' | 'pass' | 'full';

export type Hold =
  | { readonly kind: 'pause'; readonly index: number }
  | { readonly kind: 'timed-pause'; readonly index: number; readonly seconds: number; readonly text: string }
  | { readonly kind: 'analysis' | 'experiment'; readonly index: number; readonly templates: readonly string[] };

export interface Gate {
  readonly kind: GateKind;
  /** `setWeight` as written (100, or maxTrafficWeight, for the full gate; 0 for a pass before any setWeight). */
  readonly weight: number;
  /** The requested share of traffic in percent: weight × 100 / maxTrafficWeight. */
  readonly percent: number;
  readonly setWeightIndex?: number;
  /** First step index at which the weight is held: the gate is reached there. */
  readonly from: number;
  /** Last step index of the weight's segment. */
  readonly to: number;
  readonly holds: readonly Hold[];
  /** Indefinite pauses in the segment, promoted (in order) when the gate is left. */
  readonly promote: readonly number[];
  /** Timed pauses in the segment, added up: how long the controller holds the weight. */
  readonly holdSeconds?: number;
  /** Timed pauses without canary traffic just before the gate: how long the controller waits before reaching it. */
  readonly leadSeconds?: number;
  readonly note?: string;
}

export interface Plan {
  readonly rollout: string;
  readonly gates: readonly Gate[];
  /** Every setWeight step with its share in percent: the weight in force at any step index. */
  readonly weights: readonly { readonly index: number; readonly percent: number }[];
  readonly stepCount: number;
  readonly trafficRouted: boolean;
  readonly maxTrafficWeight: number;
  readonly background?: { readonly templates: readonly string[]; readonly startingStep?: number };
  /** Steps the controller handles by itself (setCanaryScale, routes, plugins, no-traffic timed pauses…). */
  readonly recorded: readonly { readonly index: number; readonly what: string }[];
  readonly notes: readonly string[];
  /** Real share of the first gate, in percent, computed from replicas (basic canary only). */
  readonly firstShare?: { readonly percent: number; readonly share: number; readonly canaryPods: number; readonly totalPods: number };
}

export type Compiled = { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly problems: readonly string[]; readonly plan: Plan };

export interface PlanSettings {
  readonly canarySteps: 'auto' | readonly Weight[];
  readonly slo: { readonly windowMinutes: number; readonly intervalSeconds: number };
  readonly allowCoarseCanary?: boolean;
}

type Step = Readonly<Record<string, unknown>>;

interface CanarySpec {
  readonly steps?: readonly unknown[];
  readonly trafficRouting?: { readonly maxTrafficWeight?: number } & Record<string, unknown>;
  readonly analysis?: { readonly templates?: readonly { readonly templateName?: string }[]; readonly startingStep?: number };
  readonly maxSurge?: number | string;
}

const RECORDED = ['setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'plugin'] as const;

export function compilePlan(rollout: RolloutObject, settings: PlanSettings): Compiled {
  const name = rollout.metadata.name ?? '?';
  const canary = (rollout.spec.strategy?.canary ?? {}) as CanarySpec;
  const steps = (canary.steps ?? []) as readonly Step[];
  const maxTrafficWeight = canary.trafficRouting ? Number(canary.trafficRouting.maxTrafficWeight ?? 100) : 100;
  const percentOf = (w: number) => (w * 100) / maxTrafficWeight;
  const problems: string[] = [];
  const notes: string[] = [];
  const recorded: { index: number; what: string }[] = [];
  const gates: Gate[] = [];
  const window = settings.slo.windowMinutes * 60 + settings.slo.intervalSeconds;

  // Segments: each setWeight starts one; steps before the first belong to weight 0.
  const segments: { weight: number; setWeightIndex?: number; indices: number[] }[] = [{ weight: 0, indices: [] }];
  steps.forEach((step, index) => {
    if (isObject(step) && 'setWeight' in step) segments.push({ weight: Number(step.setWeight), setWeightIndex: index, indices: [] });
    else segments.at(-1)!.indices.push(index);
  });

  // Timed pauses that hold no traffic delay the next gate: its wait allows for them.
  let lead = 0;
  const leadOf = () => {
    const seconds = lead;
    lead = 0;
    return seconds > 0 ? { leadSeconds: seconds } : {};
  };
  for (const segment of segments) {
    const holds: Hold[] = [];
    for (const index of segment.indices) {
      const step = steps[index]!;
      const kind = isObject(step) ? Object.keys(step)[0] : undefined;
      if (kind === 'pause') {
        const pause = step.pause;
        const duration = isObject(pause) ? pause.duration : undefined;
        if (duration === undefined || duration === null) holds.push({ kind: 'pause', index });
        else {
          const seconds = durationSeconds(duration);
          if (seconds === undefined) problems.push(`Rollout ${name} step ${index + 1} is ${describeStep(step)}: the duration is not one Argo accepts (seconds, or e.g. "30s", "10m", "1h")`);
          else holds.push({ kind: 'timed-pause', index, seconds, text: String(duration) });
        }
      } else if (kind === 'analysis' || kind === 'experiment') {
        holds.push({ kind, index, templates: templatesOf(step[kind]) });
      } else if (kind && (RECORDED as readonly string[]).includes(kind)) {
        recorded.push({ index, what: `step ${index + 1} ${describeStep(step)}: the controller's business` });
      } else {
        recorded.push({ index, what: `step ${index + 1} ${describeStep(step)}: not a step release-to-prod knows; left to the controller` });
      }
    }
    const w = segment.weight;
    const noTraffic = w <= 0 || percentOf(w) >= 100;
    if (noTraffic) {
      // Nothing to judge at 0% (and 100% is judged after full promotion): promote its pauses at once.
      const pauses = holds.filter((h) => h.kind === 'pause').map((h) => h.index);
      for (const h of holds) {
        if (h.kind !== 'pause') recorded.push({ index: h.index, what: `step ${h.index + 1} ${describeStep(steps[h.index])} at ${w}%: left to the controller` });
        if (h.kind === 'timed-pause') lead += h.seconds;
      }
      if (pauses.length > 0) {
        const why = w <= 0 ? (segment.setWeightIndex === undefined ? 'before any setWeight' : 'after setWeight: 0') : 'at 100% before full promotion (judged after it)';
        gates.push({
          kind: 'pass', weight: w, percent: percentOf(Math.max(0, w)), setWeightIndex: segment.setWeightIndex, from: pauses[0]!, to: pauses.at(-1)!, holds: holds.filter((h) => h.kind === 'pause'), promote: pauses,
          note: `pause${pauses.length > 1 ? 's' : ''} at step${pauses.length > 1 ? 's' : ''} ${pauses.map((i) => i + 1).join(', ')} ${why}: no canary traffic to judge, promoted at once`,
        });
      }
      continue;
    }
    const at = `step ${segment.setWeightIndex! + 1} \`setWeight: ${w}\``;
    if (holds.length === 0) {
      problems.push(`Rollout ${name} ${at} is held by no pause, analysis or experiment before ${nextStepText(segments, segment)}: the SLO gate would have no time at ${w}%. Add \`pause: {}\` after it (or remove it)`);
      continue;
    }
    const pauses = holds.filter((h) => h.kind === 'pause').map((h) => h.index);
    const timed = holds.filter((h): h is Extract<Hold, { kind: 'timed-pause' }> => h.kind === 'timed-pause');
    const kind: GateKind = pauses.length > 0 ? 'pause' : holds.some((h) => h.kind === 'analysis' || h.kind === 'experiment') ? 'analysis' : 'timed-pause';
    const holdSeconds = timed.reduce((sum, h) => sum + h.seconds, 0);
    if (kind === 'timed-pause' && holdSeconds < window) {
      const first = timed[0]!;
      const which = timed.length === 1 ? `step ${first.index + 1} is \`pause: {duration: ${first.text}}\`` : `steps ${timed.map((h) => h.index + 1).join(', ')} pause ${formatDuration(holdSeconds)} in all`;
      problems.push(
        `Rollout ${name} ${which} after ${at}, shorter than the SLO window (${settings.slo.windowMinutes} min) plus one sample (${settings.slo.intervalSeconds} s): ` +
          `make it \`pause: {}\` or at least \`${formatDuration(window)}\``,
      );
    }
    gates.push({
      kind, weight: w, percent: percentOf(w), setWeightIndex: segment.setWeightIndex, from: holds[0]!.index, to: segment.indices.at(-1)!, holds, promote: pauses, ...leadOf(),
      ...(timed.length > 0 ? { holdSeconds } : {}),
      ...(pauses.length > 1 ? { note: `${pauses.length} pauses at ${w}% share one gate: each is promoted once the window has been sampled` } : {}),
    });
  }
  const steady = gates.filter((g) => g.kind !== 'pass');
  if (steady.length === 0) notes.push(`no setWeight below 100: gated only at 100%`);
  gates.push({ kind: 'full', weight: maxTrafficWeight, percent: 100, from: steps.length, to: steps.length, holds: [], promote: [], ...leadOf() });

  const background = canary.analysis ? { templates: templatesOf(canary.analysis), ...(canary.analysis.startingStep !== undefined ? { startingStep: canary.analysis.startingStep } : {}) } : undefined;
  if (background) notes.push(`background analysis ${background.templates.join(', ') || '(no template named)'}${background.startingStep !== undefined ? ` from step ${background.startingStep + 1}` : ''}: a failure aborts, an inconclusive run is a breach`);

  const weights = segments.flatMap((sg) => (sg.setWeightIndex === undefined ? [] : [{ index: sg.setWeightIndex, percent: percentOf(sg.weight) }]));
  const plan: Plan = { rollout: name, gates, weights, stepCount: steps.length, trafficRouted: Boolean(canary.trafficRouting), maxTrafficWeight, background, recorded, notes, ...firstShareOf(rollout, canary, steady[0]) };

  if (settings.canarySteps !== 'auto') {
    const have = [...steady.map((g) => g.percent), 100];
    const want = [...settings.canarySteps];
    if (have.join(',') !== want.join(',')) {
      problems.unshift(
        `Rollout ${name}'s setWeight steps give ${have.join(' → ')}%, canary-steps asks for ${want.join(' → ')}%. ` +
          `Set canary-steps to \`auto\` to follow the Rollout, or give the Rollout these steps:\n${stepsBlock(settings.canarySteps)}`,
      );
    }
  }
  const coarse = coarseProblem(plan, rollout, canary, settings);
  if (coarse) problems.push(coarse);
  return problems.length > 0 ? { ok: false, problems, plan } : { ok: true, plan };
}

function firstShareOf(rollout: RolloutObject, canary: CanarySpec, first: Gate | undefined): Pick<Plan, 'firstShare'> {
  if (!first || canary.trafficRouting) return {};
  const replicas = replicasOf(rollout);
  const counts = basicCanaryCounts(replicas, first.weight, 100, resolveMaxSurge(canary.maxSurge, replicas));
  return { firstShare: { percent: first.percent, share: basicCanaryShare(replicas, first.weight, 100, resolveMaxSurge(canary.maxSurge, replicas)), canaryPods: counts.canary, totalPods: counts.canary + counts.stable } };
}

function coarseProblem(plan: Plan, rollout: RolloutObject, canary: CanarySpec, settings: PlanSettings): string | undefined {
  const s = plan.firstShare;
  if (!s || settings.allowCoarseCanary || s.share <= coarseLimit(s.percent) + 1e-9) return undefined;
  const replicas = replicasOf(rollout);
  const enough = replicasWithinLimit(replicas, s.percent, 100, (r) => resolveMaxSurge(canary.maxSurge, r));
  return (
    `Rollout ${plan.rollout} has ${replicas} replica${replicas === 1 ? '' : 's'} and no traffic routing: at its first gate, \`setWeight: ${s.percent}\`, Argo runs ` +
    `${s.canaryPods} canary pod${s.canaryPods === 1 ? '' : 's'} of ${s.totalPods}, so the canary takes ${round(s.share)}% of the traffic, not ${s.percent}% ` +
    `(the limit is max(2·W, W + 10) = ${coarseLimit(s.percent)}%). ` +
    `${enough ? `Set \`spec.replicas: ${enough}\` (or more)` : 'Use traffic routing'}, or set \`allow-coarse-canary: true\` to accept it`
  );
}

function replicasOf(rollout: RolloutObject): number {
  const replicas = (rollout.spec as { replicas?: number }).replicas;
  return replicas === undefined || replicas === null ? 1 : Number(replicas);
}

function nextStepText(segments: readonly { setWeightIndex?: number }[], segment: { setWeightIndex?: number }): string {
  const next = segments[segments.indexOf(segment) + 1];
  return next?.setWeightIndex !== undefined ? `the next setWeight (step ${next.setWeightIndex + 1})` : 'the end of the steps';
}

function templatesOf(value: unknown): string[] {
  if (!isObject(value)) return [];
  const templates = (value.templates ?? []) as unknown[];
  return templates.flatMap((t) => (isObject(t) && typeof t.templateName === 'string' ? [t.templateName] : isObject(t) && typeof t.name === 'string' ? [t.name] : []));
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function round(value: number): number {
  return Number(value.toFixed(value < 10 ? 1 : 0));
}

/** One line per gate, for the log and the report's plan. */
export function describeGate(gate: Gate): string {
  const at = `${gate.percent}%`;
  switch (gate.kind) {
    case 'pause':
      return `${at}: held by \`pause: {}\` at step ${gate.promote.map((i) => i + 1).join(', ')}; SLO gate for the full window, then promote`;
    case 'timed-pause':
      return `${at}: held by a timed pause (${formatDuration(gate.holdSeconds ?? 0)}); SLO gate while it lasts, abort on a breach`;
    case 'analysis':
      return `${at}: held by ${gate.holds.map((h) => `${h.kind} at step ${h.index + 1}${'templates' in h && h.templates.length ? ` (${h.templates.join(', ')})` : ''}`).join(', ')}; the analysis decides, SLO gate while it runs`;
    case 'pass':
      return `${gate.note}`;
    case 'full':
      return `100%: SLO gate for the full window after full promotion`;
  }
}

/** The canary's share in force at a step index (reference §5.3: the last setWeight at or before it; 100 past the last step). */
export function weightAt(plan: Plan, stepIndex: number): number {
  if (stepIndex >= plan.stepCount) return 100;
  return plan.weights.filter((w) => w.index <= stepIndex).at(-1)?.percent ?? 0;
}

/** The canary's gates as one line, e.g. `5% → 25% → 100%`; `auto` until the Rollout has been read. */
export function canaryStepsText(steps: 'auto' | readonly number[], plan?: Plan): string {
  if (plan) return plan.gates.filter((g) => g.kind !== 'pass').map((g) => `${g.percent}%`).join(' → ');
  return steps === 'auto' ? 'auto (the Rollout\'s own setWeight steps)' : steps.map((w) => `${w}%`).join(' → ');
}
