/**
 * Stand-in for Argo's analysis and experiment controllers: an AnalysisRun or Experiment the rollout
 * controller created ends as a test scripted it (or by default), on the simulated clock. The objects
 * live in the API (argoproj.io/v1alpha1 analysisruns / experiments); no metric is really measured.
 */
import { ANALYSISRUNS, EXPERIMENTS } from '../resources.js';
import type { Store } from '../store.js';
import { rfc3339, type KObject, type SimClock } from '../types.js';

export type RunPhase = 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

export interface MetricScript {
  readonly name: string;
  readonly phase: RunPhase;
  /** Becomes the metric's (and the last measurement's) message. */
  readonly message?: string;
  /** Measurements as Argo records them (`{phase, value, startedAt, finishedAt, message}`); default one of `phase`. */
  readonly measurements?: readonly Record<string, unknown>[];
}

export interface AnalysisScript {
  readonly phase: RunPhase;
  /** Simulated-clock ms after creation (default `controller.analysisMs`). */
  readonly afterMs?: number;
  /** The run's `status.message`; default Argo's `Metric "<m>" assessed <Phase> due to …` for a bad run. */
  readonly message?: string;
  readonly metricResults?: readonly MetricScript[];
  readonly namespace?: string;
  /** Only runs of this type (label `rollout-type`): `Step` or `Background`. */
  readonly kind?: 'Step' | 'Background';
  /** Only the step run of this step index. */
  readonly stepIndex?: number;
}

export interface ExperimentScript {
  readonly phase: RunPhase;
  readonly afterMs?: number;
  readonly message?: string;
  readonly namespace?: string;
}

interface Scripted<S> {
  readonly rollout: string;
  readonly script: S;
}

interface Plan {
  readonly def: typeof ANALYSISRUNS | typeof EXPERIMENTS;
  readonly namespace: string;
  readonly name: string;
  /** Undefined: runs until terminated (a background analysis without a script). */
  readonly endAt?: number;
  readonly analysis?: AnalysisScript;
  readonly experiment?: ExperimentScript;
}

const WHY: Record<Exclude<RunPhase, 'Successful'>, (limit: number | undefined) => string> = {
  // analysis/analysis.go assessMetricFailureInconclusiveOrError
  Failed: (limit) => `failed (${(limit ?? 0) + 1}) > failureLimit (${limit ?? 0})`,
  Inconclusive: (limit) => `inconclusive (${(limit ?? 0) + 1}) > inconclusiveLimit (${limit ?? 0})`,
  Error: (limit) => `consecutiveErrors (${(limit ?? 4) + 1}) > consecutiveErrorLimit (${limit ?? 4})`,
};
const LIMIT_FIELD = { Failed: 'failureLimit', Inconclusive: 'inconclusiveLimit', Error: 'consecutiveErrorLimit' } as const;
/** `analysisStatusOrder` of utils/analysis/helpers.go (IsWorse): Successful < Running/Pending < Inconclusive < Error < Failed. */
const RANK: Record<string, number> = { Successful: 0, Running: 1, Pending: 1, Inconclusive: 2, Error: 3, Failed: 4 };

export class RunRuntime {
  /** Default life of a step AnalysisRun and of an Experiment, in simulated-clock ms. */
  analysisMs = 50;
  experimentMs = 50;
  readonly #analysis: Scripted<AnalysisScript>[] = [];
  readonly #experiments: Scripted<ExperimentScript>[] = [];
  readonly #plans = new Map<string, Plan>();
  readonly #store: Store;
  readonly #clock: SimClock;

  constructor(store: Store, clock: SimClock) {
    this.#store = store;
    this.#clock = clock;
  }

  scriptAnalysis(rollout: string, script: AnalysisScript): void {
    this.#analysis.push({ rollout, script });
  }

  scriptExperiment(rollout: string, script: ExperimentScript): void {
    this.#experiments.push({ rollout, script });
  }

  /** Registers a run the rollout controller just created; consumes the first script that fits it. */
  planAnalysisRun(ro: KObject, run: KObject): void {
    const labels = run.metadata.labels ?? {};
    const kind = labels['rollout-type'];
    const index = labels['step-index'] === undefined ? undefined : Number(labels['step-index']);
    const at = this.#analysis.findIndex(({ rollout, script }) => rollout === ro.metadata.name
      && (script.namespace === undefined || script.namespace === ro.metadata.namespace)
      && (script.kind === undefined || script.kind === kind)
      && (script.stepIndex === undefined || script.stepIndex === index));
    const script = at >= 0 ? this.#analysis.splice(at, 1)[0]?.script : undefined;
    const now = this.#clock.now();
    const endAt = script ? now + (script.afterMs ?? this.analysisMs) : kind === 'Background' ? undefined : now + this.analysisMs;
    this.#plans.set(run.metadata.uid ?? '', {
      def: ANALYSISRUNS, namespace: run.metadata.namespace ?? '', name: run.metadata.name, endAt,
      analysis: script ?? { phase: 'Successful' },
    });
  }

  planExperiment(ro: KObject, ex: KObject): void {
    const at = this.#experiments.findIndex(({ rollout, script }) => rollout === ro.metadata.name
      && (script.namespace === undefined || script.namespace === ro.metadata.namespace));
    const script = at >= 0 ? this.#experiments.splice(at, 1)[0]?.script : undefined;
    this.#plans.set(ex.metadata.uid ?? '', {
      def: EXPERIMENTS, namespace: ex.metadata.namespace ?? '', name: ex.metadata.name,
      endAt: this.#clock.now() + (script?.afterMs ?? this.experimentMs), experiment: script ?? { phase: 'Successful' },
    });
  }

  /** One pass of the analysis/experiment controllers: runs whose time has come end as planned. */
  sync(): void {
    const now = this.#clock.now();
    for (const [uid, plan] of this.#plans) {
      if (plan.endAt === undefined || now < plan.endAt) continue;
      this.#plans.delete(uid);
      const obj = this.#store.find(plan.def, plan.namespace, plan.name);
      if (!obj || isCompleted(obj)) continue;
      const status = plan.analysis ? analysisResult(obj, plan.analysis, now) : experimentResult(plan.experiment ?? { phase: 'Successful' }, obj, now);
      this.#store.mutate(plan.def, plan.namespace, plan.name, (cur) => ({ ...cur, status }), { actor: 'controller' });
    }
  }

  /** `cancelAnalysisRuns` / `cancelExperiments`: spec.terminate, then the run ends Successful, "Run Terminated". */
  terminate(def: typeof ANALYSISRUNS | typeof EXPERIMENTS, obj: KObject): void {
    this.#plans.delete(obj.metadata.uid ?? '');
    const done = isCompleted(obj);
    const terminated = { ...(obj.spec as object), terminate: true };
    this.#store.mutate(def, obj.metadata.namespace, obj.metadata.name, (cur) => ({
      ...cur,
      spec: terminated,
      ...(done ? {} : { status: { ...(cur.status as object), phase: 'Successful', message: def === ANALYSISRUNS ? 'Run Terminated' : 'Experiment terminated', completedAt: rfc3339(this.#clock.now()) } }),
    }), { actor: 'controller' });
  }
}

export function phaseOfRun(obj: KObject | undefined): string | undefined {
  return (obj?.status as { phase?: string } | undefined)?.phase;
}

export function messageOfRun(obj: KObject | undefined): string | undefined {
  return (obj?.status as { message?: string } | undefined)?.message || undefined;
}

export function isCompleted(obj: KObject | undefined): boolean {
  const phase = phaseOfRun(obj);
  return phase === 'Successful' || phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}

interface MetricSpec {
  name?: string;
  failureLimit?: number;
  inconclusiveLimit?: number;
  consecutiveErrorLimit?: number;
}

function analysisResult(run: KObject, script: AnalysisScript, now: number): Record<string, unknown> {
  const t = rfc3339(now);
  const specMetrics = ((run.spec as { metrics?: MetricSpec[] } | undefined)?.metrics ?? []);
  const scripted: readonly MetricScript[] = script.metricResults
    ?? (specMetrics.length > 0 ? specMetrics : [{ name: 'metric' }]).map((m) => ({ name: m.name ?? 'metric', phase: script.phase }));
  const metricResults = scripted.map((m) => {
    const measurements = m.measurements ?? [{ phase: m.phase, startedAt: t, finishedAt: t, ...(m.message ? { message: m.message } : {}) }];
    const count = (p: string): number => measurements.filter((x) => x.phase === p).length;
    return {
      name: m.name, phase: m.phase, measurements, count: measurements.length,
      ...(count('Successful') ? { successful: count('Successful') } : {}), ...(count('Failed') ? { failed: count('Failed') } : {}),
      ...(count('Inconclusive') ? { inconclusive: count('Inconclusive') } : {}), ...(count('Error') ? { error: count('Error'), consecutiveError: count('Error') } : {}),
      ...(m.message ? { message: m.message } : {}),
    };
  });
  const worst = [...metricResults].sort((a, b) => (RANK[b.phase] ?? 0) - (RANK[a.phase] ?? 0))[0];
  const message = script.message ?? defaultMessage(worst, specMetrics);
  const summary = { count: metricResults.length, successful: 0, failed: 0, inconclusive: 0, error: 0 };
  for (const m of metricResults) {
    if (m.phase === 'Successful') summary.successful += 1;
    else if (m.phase === 'Failed') summary.failed += 1;
    else if (m.phase === 'Inconclusive') summary.inconclusive += 1;
    else summary.error += 1;
  }
  return {
    ...(run.status as object), phase: script.phase, ...(message ? { message } : {}), metricResults,
    runSummary: Object.fromEntries(Object.entries(summary).filter(([, v]) => v > 0)), completedAt: t,
  };
}

/** `Metric "<name>" assessed <Phase> due to <limit>[: "Error Message: <msg>"]` (analysis/analysis.go). */
function defaultMessage(worst: { name: string; phase: RunPhase; message?: string } | undefined, specMetrics: MetricSpec[]): string | undefined {
  if (!worst || worst.phase === 'Successful') return undefined;
  const limit = specMetrics.find((m) => m.name === worst.name)?.[LIMIT_FIELD[worst.phase]];
  const base = `Metric "${worst.name}" assessed ${worst.phase} due to ${WHY[worst.phase](limit)}`;
  return worst.message ? `${base}: "Error Message: ${worst.message}"` : base;
}

function experimentResult(script: ExperimentScript, ex: KObject, now: number): Record<string, unknown> {
  return { ...(ex.status as object), phase: script.phase, ...(script.message ? { message: script.message } : {}), completedAt: rfc3339(now) };
}
