// What every gate kind gets to work with, and how it says the canary must stop. A gate never
// decides the run's ending itself: it throws a Stop, and the canary stage turns it into the result.
import type { Clock } from '../clock.js';
import type { KubePort } from '../kube/port.js';
import type { Plan } from '../rollouts/plan.js';
import type { Snapshot } from '../rollouts/observe.js';
import type { Settings } from '../settings.js';
import type { BakeResult, Sample } from '../slo/bake.js';
import type { SloProviderBackend } from '../slo/provider.js';

export type CanaryState =
  | 'promoted' | 'slo_breach' | 'gate_error' | 'degraded' | 'analysis_failed' | 'analysis_inconclusive' | 'not_ours'
  | 'step_timeout' | 'step_skipped' | 'cancelled' | 'error' | 'dry_run';

export type StepOutcome = 'passed' | 'breach' | 'degraded' | 'analysis-failed' | 'inconclusive' | 'not-ours' | 'timeout' | 'skipped' | 'cancelled' | 'error';

/** One metric of an AnalysisRun as the report shows it. */
export interface AnalysisMetric {
  readonly name: string;
  readonly phase: string;
  readonly message?: string;
  readonly counts: string;
  readonly lastValue?: string;
}

export interface AnalysisSummary {
  readonly name: string;
  readonly kind: 'AnalysisRun' | 'Experiment';
  /** `Step` (inline, with its step index) or `Background`. */
  readonly type: string;
  readonly stepIndex?: number;
  readonly phase: string;
  readonly message?: string;
  readonly metrics: readonly AnalysisMetric[];
}

export interface StepResult {
  /** The requested share of traffic, in percent (setWeight scaled by maxTrafficWeight). */
  readonly weight: number;
  /** `setWeight` as written in the Rollout (differs from `weight` under maxTrafficWeight). */
  readonly setWeight?: number;
  readonly gate: 'pause' | 'timed-pause' | 'analysis' | 'pass' | 'full';
  readonly startedAt: string;
  readonly reachedAt?: string;
  readonly waitSeconds: number;
  /** The canary's real share of traffic when the gate was reached, in percent. */
  readonly share?: number;
  readonly shareSource?: string;
  readonly bake?: BakeResult;
  /** The controller moved on before the window was fully sampled: the samples taken decided. */
  readonly shortened?: boolean;
  /** How the step was passed (or stopped), in words for the report. */
  readonly passedBy?: string;
  readonly analysis?: readonly AnalysisSummary[];
  readonly outcome: StepOutcome;
  readonly detail: string;
}

export interface TimelineEvent {
  readonly at: string;
  readonly what: string;
  readonly weight?: number;
}

export interface Tripped {
  readonly metric: string;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly weight: number;
  readonly at: string;
  readonly detail: string;
}

export interface GatePorts {
  readonly kube: KubePort;
  readonly slo: SloProviderBackend;
  readonly clock: Clock;
  readonly log: { info(message: string): void };
  readonly signal?: AbortSignal;
  readonly onSample?: (sample: Sample) => void;
}

/** Shared by the gates of one run; `canaryHash` is learnt at the first gate reached. */
export interface GateContext extends GatePorts {
  readonly settings: Settings;
  readonly plan: Plan;
  readonly image: string;
  readonly stableHash?: string;
  canaryHash?: string;
  /** The last step index seen on our canary before anything stopped it (for the weight in force). */
  lastStepIndex?: number;
  event(what: string, weight?: number): void;
  /** Remember what was seen, so a stop can name the weight in force. */
  saw(snapshot: Snapshot | undefined): void;
}

/** A gate's way of ending the canary: the stage records the step and returns this state. */
export class Stop extends Error {
  constructor(
    readonly state: CanaryState,
    readonly outcome: StepOutcome,
    readonly detail: string,
    readonly extra: { readonly tripped?: Omit<Tripped, 'weight' | 'at'>; readonly step?: Partial<StepResult>; readonly stepIndex?: number } = {},
  ) {
    super(detail);
    this.name = 'Stop';
  }
}

export function secondsSince(clock: Clock, started: Date): number {
  return (clock.now().getTime() - started.getTime()) / 1000;
}
