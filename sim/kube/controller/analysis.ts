/**
 * AnalysisRuns and Experiments of one reconcile pass (rollout/analysis.go `reconcileAnalysisRuns`,
 * `reconcileStepBasedAnalysisRun`, `reconcileBackgroundAnalysisRun`, `newAnalysisRunFromRollout`;
 * rollout/experiment.go `reconcileExperiments`, `GetExperimentFromTemplate`): create the run a step
 * or the background analysis needs, terminate runs no longer wanted, and turn a run's end into an
 * abort (Failed/Error) or a pause (Inconclusive).
 */
import { ANALYSISRUNS, ANALYSISTEMPLATES, CLUSTERANALYSISTEMPLATES, EXPERIMENTS } from '../resources.js';
import { clone, isRecord, rfc3339, type KObject, type Labels } from '../types.js';
import type { Env } from './env.js';
import { HASH_LABEL, REVISION, podHashOf, type Rollout, type RolloutStatus } from './model.js';
import type { ReplicaSets } from './replicasets.js';
import { isCompleted, messageOfRun, phaseOfRun } from './runs.js';
import { isFullyPromoted, stepsOf } from './steps.js';

export const INCONCLUSIVE_ANALYSIS = 'InconclusiveAnalysisRun';
export const INCONCLUSIVE_EXPERIMENT = 'InconclusiveExperiment';

export interface RunStatus {
  name: string;
  status: string;
  message?: string;
}

/** What the pass learnt from its runs; status.ts and progress.ts apply it. */
export interface RunOutcome {
  /** Set: abort the rollout with this detail (`Step-based analysis phase error/failed: …`). */
  abortMessage?: string;
  /** Pause reasons to add (InconclusiveAnalysisRun / InconclusiveExperiment). */
  pauses: string[];
  stepRun?: KObject;
  backgroundRun?: KObject;
  experiment?: KObject;
  /** The experiment of the current step (also once Successful, for step completion). */
  stepExperiment?: KObject;
}

interface RolloutAnalysis {
  templates?: { templateName?: string; clusterScope?: boolean }[];
  args?: { name: string; value?: string; valueFrom?: { podTemplateHashValue?: string; fieldRef?: { fieldPath?: string } } }[];
  startingStep?: number;
  analysisRunMetadata?: { labels?: Labels; annotations?: Labels };
}

interface PassCtx {
  readonly env: Env;
  readonly ro: Rollout;
  readonly sets: ReplicaSets;
  readonly prev: RolloutStatus;
}

const AS_CONTROLLER = { actor: 'controller' } as const;

function owned(ro: Rollout, obj: KObject): boolean {
  return obj.metadata.ownerReferences?.some((o) => o.controller && o.uid === ro.metadata.uid) ?? false;
}

function find(ctx: PassCtx, def: typeof ANALYSISRUNS | typeof EXPERIMENTS, name: string | undefined): KObject | undefined {
  if (!name) return undefined;
  const obj = ctx.env.store.find(def, ctx.ro.metadata.namespace, name);
  return obj && owned(ctx.ro, obj) ? obj : undefined;
}

function hasPause(s: RolloutStatus, reason: string): boolean {
  return s.pauseConditions?.some((c) => c.reason === reason) ?? false;
}

/** `needsNewAnalysisRun`: none yet, or retrying an Inconclusive one after a resume, or after an abort. */
function needsNewRun(current: KObject | undefined, s: RolloutStatus): boolean {
  if (!current) return true;
  if (s.controllerPause && !hasPause(s, 'CanaryPauseStep')) return phaseOfRun(current) === 'Inconclusive';
  return s.abortedAt !== undefined;
}

/** BuildArgumentsForRolloutAnalysisRun: literal values, pod-template hashes, metadata field refs. */
function resolveArgs(ctx: PassCtx, args: RolloutAnalysis['args']): { name: string; value: string }[] {
  return (args ?? []).map((a) => {
    let value = a.value ?? '';
    const hash = a.valueFrom?.podTemplateHashValue;
    if (hash === 'Latest') value = podHashOf(ctx.sets.newRS) ?? '';
    else if (hash === 'Stable') value = ctx.sets.stableRS ? (podHashOf(ctx.sets.stableRS) ?? '') : '';
    const path = a.valueFrom?.fieldRef?.fieldPath;
    if (path?.startsWith('metadata.')) {
      const m = /^metadata\.(name|namespace|labels|annotations)(?:\['(.+)'\])?$/.exec(path);
      const meta = ctx.ro.metadata as Record<string, unknown>;
      const field = m ? meta[m[1] as string] : undefined;
      value = m?.[2] && isRecord(field) ? String(field[m[2]] ?? '') : typeof field === 'string' ? field : value;
    }
    return { name: a.name, value };
  });
}

/** The metrics of the referenced templates, `{{args.x}}` filled in (the simulator measures nothing). */
function metricsOf(ctx: PassCtx, analysis: RolloutAnalysis, args: { name: string; value: string }[]): unknown[] {
  const metrics: unknown[] = [];
  for (const ref of analysis.templates ?? []) {
    const def = ref.clusterScope ? CLUSTERANALYSISTEMPLATES : ANALYSISTEMPLATES;
    const tpl = ctx.env.store.find(def, ref.clusterScope ? undefined : ctx.ro.metadata.namespace, ref.templateName ?? '');
    const list = (tpl?.spec as { metrics?: unknown[] } | undefined)?.metrics ?? [{ name: ref.templateName ?? 'metric' }];
    let text = JSON.stringify(list);
    for (const a of args) text = text.split(`{{args.${a.name}}}`).join(a.value);
    metrics.push(...(JSON.parse(text) as unknown[]));
  }
  return metrics;
}

/** `CreateWithCollisionCounter`: a taken name gets `.1`, `.2`, … */
function freeName(ctx: PassCtx, def: typeof ANALYSISRUNS | typeof EXPERIMENTS, base: string): string {
  let name = base;
  for (let n = 1; ctx.env.store.find(def, ctx.ro.metadata.namespace, name); n += 1) name = `${base}.${n}`;
  return name;
}

function ownerRef(ro: Rollout): NonNullable<KObject['metadata']['ownerReferences']>[number] {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: ro.metadata.name, uid: ro.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

function createRun(ctx: PassCtx, analysis: RolloutAnalysis, labels: Labels, infix: string): KObject {
  const { env, ro } = ctx;
  const hash = podHashOf(ctx.sets.newRS) ?? '';
  const revision = ro.metadata.annotations?.[REVISION] ?? '';
  const args = resolveArgs(ctx, analysis.args);
  const name = freeName(ctx, ANALYSISRUNS, [ro.metadata.name, hash, revision, ...(infix ? [infix] : [])].join('-'));
  const run: KObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisRun',
    metadata: {
      name, namespace: ro.metadata.namespace,
      labels: { ...labels, ...(analysis.analysisRunMetadata?.labels ?? {}), ...(ro.spec.selector?.matchLabels ?? {}) },
      annotations: { [REVISION]: revision, ...(analysis.analysisRunMetadata?.annotations ?? {}) },
      ownerReferences: [ownerRef(ro)],
    },
    spec: { metrics: metricsOf(ctx, analysis, args), ...(args.length > 0 ? { args } : {}) },
    status: { phase: 'Running', startedAt: rfc3339(env.clock.now()) },
  };
  const created = env.store.create(ANALYSISRUNS, ro.metadata.namespace, run, AS_CONTROLLER);
  env.runs.planAnalysisRun(ro, created);
  return created;
}

function terminate(ctx: PassCtx, def: typeof ANALYSISRUNS | typeof EXPERIMENTS, obj: KObject | undefined): void {
  if (!obj || (obj.spec as { terminate?: boolean } | undefined)?.terminate || isCompleted(obj)) return;
  ctx.env.runs.terminate(def, obj);
}

function stepRun(ctx: PassCtx, out: RunOutcome, current: KObject | undefined): KObject | undefined {
  const { prev: s, ro } = ctx;
  if ((s.pauseConditions?.length ?? 0) > 0 || s.abort) return current;
  const steps = stepsOf(ro);
  const index = s.currentStepIndex ?? 0;
  const step = steps[index];
  const analysis = step?.analysis as RolloutAnalysis | undefined;
  const fromPreviousStep = !!analysis && !!current && current.metadata.labels?.['step-index'] !== String(index);
  if (!analysis || (analysis.templates ?? []).length === 0 || fromPreviousStep) {
    terminate(ctx, ANALYSISRUNS, current);
    return undefined;
  }
  if (needsNewRun(current, s)) {
    const hash = podHashOf(ctx.sets.newRS) ?? '';
    return createRun(ctx, analysis, { [HASH_LABEL]: hash, 'rollout-type': 'Step', 'step-index': String(index) }, String(index));
  }
  react(out, current, 'Step-based analysis phase error/failed', INCONCLUSIVE_ANALYSIS);
  return current;
}

function backgroundRun(ctx: PassCtx, out: RunOutcome, current: KObject | undefined): KObject | undefined {
  const { prev: s, ro } = ctx;
  const analysis = ro.spec.strategy?.canary?.analysis as RolloutAnalysis | undefined;
  if (!analysis || (analysis.templates ?? []).length === 0) {
    terminate(ctx, ANALYSISRUNS, current);
    return undefined;
  }
  const beforeStart = analysis.startingStep !== undefined && stepsOf(ro).length > 0 && (s.currentStepIndex ?? 0) < analysis.startingStep;
  if (isFullyPromoted(s) || !s.stableRS || !s.currentPodHash || beforeStart) return undefined;
  if (hasPause(s, INCONCLUSIVE_ANALYSIS)) return current;
  if (needsNewRun(current, s)) {
    return createRun(ctx, analysis, { [HASH_LABEL]: podHashOf(ctx.sets.newRS) ?? '', 'rollout-type': 'Background' }, '');
  }
  react(out, current, 'Background analysis phase error/failed', INCONCLUSIVE_ANALYSIS);
  return current;
}

function react(out: RunOutcome, run: KObject | undefined, abortPrefix: string, pauseReason: string): void {
  const phase = phaseOfRun(run);
  if (phase === 'Inconclusive') out.pauses.push(pauseReason);
  if (phase === 'Failed' || phase === 'Error') {
    const detail = messageOfRun(run);
    out.abortMessage = detail ? `${abortPrefix}: ${detail}` : abortPrefix;
  }
}

function experiment(ctx: PassCtx, out: RunOutcome): void {
  const { prev: s, ro, env } = ctx;
  const current = find(ctx, EXPERIMENTS, s.canary?.currentExperiment as string | undefined);
  if (s.abort || s.promoteFull) {
    for (const ex of env.store.list(EXPERIMENTS, ro.metadata.namespace).filter((e) => owned(ro, e))) terminate(ctx, EXPERIMENTS, ex);
    return;
  }
  if (hasPause(s, INCONCLUSIVE_ANALYSIS)) {
    out.experiment = current;
    return;
  }
  const index = s.currentStepIndex ?? 0;
  const step = stepsOf(ro)[index];
  if (step?.experiment !== undefined) {
    const hash = podHashOf(ctx.sets.newRS) ?? '';
    const revision = ro.metadata.annotations?.[REVISION] ?? '';
    const name = `${ro.metadata.name}-${hash}-${revision}-${index}`;
    let ex = current ?? find(ctx, EXPERIMENTS, name);
    if (!ex && ctx.sets.stableRS) {
      ex = createExperiment(ctx, name, hash, revision, step.experiment as Record<string, unknown>);
    }
    out.stepExperiment = ex;
    const phase = phaseOfRun(ex);
    if (phase === 'Inconclusive') out.pauses.push(INCONCLUSIVE_EXPERIMENT);
    else if (phase === 'Failed' || phase === 'Error') {
      const detail = messageOfRun(ex);
      out.abortMessage = `Experiment analysis phase is error/failed${detail ? `: ${detail}` : ''}`;
    } else if (phase !== 'Successful') out.experiment = ex;
    return;
  }
  terminate(ctx, EXPERIMENTS, current);
}

function createExperiment(ctx: PassCtx, name: string, hash: string, revision: string, step: Record<string, unknown>): KObject {
  const { env, ro, sets } = ctx;
  const templates = ((step.templates ?? []) as { name: string; specRef?: string; replicas?: number; selector?: unknown }[]).map((t) => {
    const rs = t.specRef === 'stable' ? sets.stableRS : sets.newRS;
    // The step's selector, else the ReplicaSet's own (hash label included).
    const selector = clone(t.selector ?? rs?.spec.selector ?? {});
    return { name: t.name, ...(t.replicas !== undefined ? { replicas: t.replicas } : {}), selector, template: clone(rs?.spec.template ?? {}) };
  });
  const ex: KObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: {
      name, namespace: ro.metadata.namespace,
      labels: { ...(ro.metadata.labels ?? {}), [HASH_LABEL]: hash },
      annotations: { [REVISION]: revision },
      ownerReferences: [ownerRef(ro)],
    },
    spec: { ...(step.duration !== undefined ? { duration: step.duration } : {}), templates, ...(step.analyses ? { analyses: clone(step.analyses) } : {}) },
    status: { phase: 'Running' },
  };
  const created = env.store.create(EXPERIMENTS, ro.metadata.namespace, ex, AS_CONTROLLER);
  env.runs.planExperiment(ro, created);
  env.emit(ro, 'ExperimentCreated', `Created Experiment '${name}'`);
  return created;
}

/** One pass over the rollout's runs, in the order of `rolloutCanary` (experiments, then analysis). */
export function reconcileRuns(ctx: PassCtx): RunOutcome {
  const { prev: s, ro, env } = ctx;
  const out: RunOutcome = { pauses: [] };
  experiment(ctx, out);
  const step = find(ctx, ANALYSISRUNS, s.canary?.currentStepAnalysisRunStatus?.name);
  const background = find(ctx, ANALYSISRUNS, s.canary?.currentBackgroundAnalysisRunStatus?.name);
  const rollback = !!s.stableRS && s.stableRS === s.currentPodHash;
  if (isFullyPromoted(s) || s.abort || s.promoteFull || rollback || !s.stableRS) {
    terminate(ctx, ANALYSISRUNS, step);
    terminate(ctx, ANALYSISRUNS, background);
    return out;
  }
  out.stepRun = stepRun(ctx, out, step);
  out.backgroundRun = backgroundRun(ctx, out, background);
  for (const [run, prevStatus, type] of [[out.stepRun, s.canary?.currentStepAnalysisRunStatus, 'Step'], [out.backgroundRun, s.canary?.currentBackgroundAnalysisRunStatus, 'Background']] as const) {
    const phase = phaseOfRun(run);
    if (!run || !phase) continue;
    if (!prevStatus || (prevStatus.name === run.metadata.name && prevStatus.status !== phase)) {
      const bad = phase === 'Failed' || phase === 'Error';
      env.emit(ro, `AnalysisRun${phase}`, `${type} Analysis Run '${run.metadata.name}' Status New: '${phase}' Previous: '${prevStatus?.status ?? 'NoPreviousStatus'}'`, bad ? 'Warning' : 'Normal');
    }
  }
  return out;
}

/** `SetCurrentAnalysisRuns` / `SetCurrentExperiment`: what status.canary says about the runs. */
export function runStatusFields(out: RunOutcome | undefined): Record<string, unknown> {
  const field = (run: KObject | undefined): RunStatus | undefined => {
    const status = phaseOfRun(run);
    if (!run || status === undefined) return undefined;
    const message = messageOfRun(run);
    return { name: run.metadata.name, status, ...(message ? { message } : {}) };
  };
  const step = field(out?.stepRun);
  const background = field(out?.backgroundRun);
  return {
    ...(step ? { currentStepAnalysisRunStatus: step } : {}),
    ...(background ? { currentBackgroundAnalysisRunStatus: background } : {}),
    ...(out?.experiment ? { currentExperiment: out.experiment.metadata.name } : {}),
  };
}
