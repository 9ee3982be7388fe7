// The rollout's AnalysisRuns and Experiments, read through the Kubernetes API like the Rollout
// itself. The controller labels them with the canary's pod-template hash, `rollout-type`
// (Step/Background) and, for inline steps, `step-index` (argo-rollouts utils/analysis/factory.go
// `StepLabels`, `BackgroundLabels`), so the runs of this canary are one label query away.
import type { AnalysisRunObject } from '../kube/port.js';
import type { AnalysisMetric, AnalysisSummary, GateContext } from './context.js';

const HASH_LABEL = 'rollouts-pod-template-hash';

/** Every AnalysisRun and Experiment of our canary, oldest first; [] when they cannot be read. */
export async function readAnalyses(ctx: GateContext): Promise<AnalysisSummary[]> {
  const hash = ctx.canaryHash;
  if (!hash) return [];
  const { namespace } = ctx.settings;
  const [runs, experiments] = await Promise.all([
    ctx.kube.listAnalysisRuns(namespace, `${HASH_LABEL}=${hash}`).catch(() => []),
    ctx.kube.listExperiments(namespace, `${HASH_LABEL}=${hash}`).catch(() => []),
  ]);
  const byAge = (a: AnalysisRunObject, b: AnalysisRunObject) => String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? ''));
  return [
    ...[...runs].sort(byAge).map((r) => summarize(r, 'AnalysisRun')),
    ...[...experiments].sort(byAge).map((r) => summarize(r, 'Experiment')),
  ];
}

export function summarize(run: AnalysisRunObject, kind: AnalysisSummary['kind']): AnalysisSummary {
  const labels = run.metadata.labels ?? {};
  const index = labels['step-index'];
  const metrics = (run.status?.metricResults ?? []).map((m): AnalysisMetric => {
    const last = m.measurements?.at(-1)?.value;
    return {
      name: m.name ?? '?',
      phase: m.phase ?? 'Pending',
      ...(m.message ? { message: m.message } : {}),
      counts: `${m.successful ?? 0} successful, ${m.failed ?? 0} failed, ${m.inconclusive ?? 0} inconclusive, ${m.error ?? 0} errors`,
      ...(last !== undefined ? { lastValue: last } : {}),
    };
  });
  return {
    name: run.metadata.name ?? '?',
    kind,
    type: labels['rollout-type'] ?? (kind === 'Experiment' ? 'Step' : 'unknown'),
    ...(index !== undefined && /^\d+$/.test(index) ? { stepIndex: Number(index) } : {}),
    phase: run.status?.phase ?? 'Pending',
    ...(run.status?.message ? { message: run.status.message } : {}),
    metrics,
  };
}

/** The first run that did not succeed, with its first metric that did not, in words. */
export function whatFailed(analyses: readonly AnalysisSummary[], phases: readonly string[]): { summary: AnalysisSummary; metric?: AnalysisMetric; text: string } | undefined {
  const summary = analyses.find((a) => phases.includes(a.phase));
  if (!summary) return undefined;
  const metric = summary.metrics.find((m) => phases.includes(m.phase)) ?? summary.metrics.find((m) => m.phase !== 'Successful');
  const where = summary.type === 'Background' ? 'background analysis' : summary.stepIndex !== undefined ? `analysis step ${summary.stepIndex + 1}` : summary.kind.toLowerCase();
  const text = `${summary.kind} ${summary.name} (${where}) ${summary.phase}` +
    (metric ? `: metric "${metric.name}" ${metric.phase}${metric.message ? ` (${metric.message})` : ''}${metric.lastValue !== undefined ? `, last value ${metric.lastValue}` : ''}` : summary.message ? `: ${summary.message}` : '');
  return { summary, metric, text };
}
