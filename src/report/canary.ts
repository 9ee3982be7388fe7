// The canary and rollback sections of the report: each step, each sample against its thresholds,
// and a Mermaid chart (GitHub renders it in the report and the job summary) with the breach marked.
import type { Settings } from '../settings.js';
import type { Sample } from '../slo/bake.js';
import { formatValue, type CanaryResult } from '../stages/canary.js';
import type { RollbackResult } from '../stages/rollback.js';
import { formatShare } from '../canary/share.js';
import { describeGate } from '../rollouts/plan.js';
import { code, inert, table } from './markdown.js';
import { comparisonSection } from './verdict.js';
import { COLOURS, xychart } from './chart.js';

const MAX_SAMPLE_ROWS = 200;

const GATE_WORDS: Readonly<Record<string, string>> = {
  pause: 'pause {} (we promote)',
  'timed-pause': 'timed pause (the controller advances)',
  analysis: 'analysis / experiment (it decides)',
  pass: 'pause without canary traffic',
  full: 'full promotion',
};

/** The plan the canary ran: its gates, what the controller did by itself, and notes. */
function planSection(canary: CanaryResult): string {
  const plan = canary.plan;
  if (!plan) return '';
  const lines = [
    ...plan.gates.map((g) => `- ${inert(describeGate(g))}`),
    ...plan.notes.map((n) => `- ${inert(n)}`),
    ...plan.recorded.map((r) => `- ${inert(r.what)}`),
  ];
  return `### Plan (from the Rollout's ${plan.stepCount} step${plan.stepCount === 1 ? '' : 's'}${plan.trafficRouted ? ', traffic routing' : ', no traffic routing: shares are replica ratios'}${plan.maxTrafficWeight !== 100 ? `, maxTrafficWeight ${plan.maxTrafficWeight}` : ''})\n${lines.join('\n')}`;
}

/** Each AnalysisRun and Experiment the controller ran for this canary, with its metrics. */
function analysisSection(canary: CanaryResult): string {
  const seen = new Map<string, NonNullable<CanaryResult['steps'][number]['analysis']>[number]>();
  for (const a of canary.steps.flatMap((s) => s.analysis ?? [])) seen.set(`${a.kind}/${a.name}`, a);
  if (seen.size === 0) return '';
  const rows = [...seen.values()].flatMap((a) => (a.metrics.length > 0 ? a.metrics : [undefined]).map((m) => [
    { markdown: code(a.name) }, `${a.kind}, ${a.type === 'Background' ? 'background' : a.stepIndex !== undefined ? `step ${a.stepIndex + 1}` : a.type}`, a.phase,
    m?.name ?? '—', m?.phase ?? '—', m?.counts ?? '—', m?.lastValue ?? '—', m?.message ?? a.message ?? '',
  ]));
  return `### Analysis\n${table(['Run', 'Kind', 'Phase', 'Metric', 'Metric phase', 'Measurements', 'Last value', 'Message'], rows)}`;
}

export function canarySection(canary: CanaryResult, settings: Settings): string {
  const parts = [`## Canary: ${canary.state.replace(/_/g, ' ')}`];
  parts.push(`Image ${code(canary.image)}; canary pods ${code(canary.canaryHash ?? '—')}, stable ${code(canary.stableHash ?? '—')}.`);
  if (canary.tripped) {
    const t = canary.tripped;
    parts.push(`**Tripped at ${t.weight}%** (${t.at}): ${inert(t.detail)}.`);
  }
  if (canary.steps.length > 0) {
    parts.push(table(['Step', 'Real share', 'Held by', 'Reached after (s)', 'Samples', 'Max error rate', 'Max p95 (ms)', 'How it was passed'], canary.steps.map((s) => {
      const samples = s.bake?.samples ?? [];
      return [
        `${s.weight}%${s.setWeight !== undefined ? ` (setWeight ${s.setWeight})` : ''}`,
        s.share !== undefined ? `${formatShare(s.share)}${s.shareSource ? ` (${s.shareSource})` : ''}` : '—',
        GATE_WORDS[s.gate] ?? s.gate,
        s.waitSeconds.toFixed(1),
        `${samples.length}${s.shortened ? ' (shortened: the controller moved on)' : ''}`,
        formatValue(worst(samples.map((x) => x.errorRate))),
        formatValue(worst(samples.map((x) => x.p95LatencyMs))),
        s.outcome === 'passed' ? s.passedBy ?? s.detail : `${s.outcome}: ${s.detail}`,
      ];
    })));
  }
  const plan = planSection(canary);
  if (plan) parts.push(plan);
  const analysis = analysisSection(canary);
  if (analysis) parts.push(analysis);
  const samples = canary.steps.flatMap((s) => s.bake?.samples ?? []);
  if (samples.length > 0) {
    parts.push(chart(samples, canary, settings));
    const shown = samples.slice(-MAX_SAMPLE_ROWS);
    parts.push(`### Samples${shown.length < samples.length ? ` (the last ${shown.length} of ${samples.length})` : ''}\n${table(
      ['Time (UTC)', 'Step', 'Error rate', `≤ ${settings.slo.errorRateMax}`, 'p95 (ms)', `≤ ${settings.slo.p95LatencyMs}`, 'Requests', 'Verdict'],
      shown.map((s) => [s.at.slice(11, 19), `${s.step}%`, formatValue(s.errorRate), mark(s, 'error_rate'), formatValue(s.p95LatencyMs), mark(s, 'p95_latency_ms'), s.requests ?? '', s.gateError ? `${s.verdict}: ${s.gateError}` : s.verdict]),
    )}`);
  }
  return [...parts, comparisonSection(canary.steps, settings)].filter(Boolean).join('\n\n');
}

function mark(sample: Sample, metric: string): string {
  return sample.breaches.some((b) => b.metric === metric) ? '✗ breach' : sample.verdict === 'no-data' ? '—' : '✓';
}

/** The largest measured value, ignoring samples without data. */
export function worst(values: readonly (number | null)[]): number | null {
  const numbers = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return numbers.length > 0 ? Math.max(...numbers) : null;
}

/**
 * Mermaid xychart-beta: one axis per chart, so weight, error rate and p95 each get their own, all
 * from 0 (a 5% bar reads as 5% of 100), in the palette of chart.ts. The breach is marked on the
 * chart of the metric that breached (title and ✗ on its sample) and nowhere else.
 */
function chart(samples: readonly Sample[], canary: CanaryResult, settings: Settings): string {
  const shown = samples.slice(-60);
  // Seconds since the canary started: unique where clock times repeat within a second.
  const start = Date.parse(canary.startedAt);
  const since = (s: Sample) => `+${((Date.parse(s.at) - start) / 1000).toFixed(1)}s`;
  const measured = (name: string, unit: string, metric: 'error_rate' | 'p95_latency_ms', values: readonly (number | null)[], threshold: number) => {
    const over = new Set(shown.filter((s) => s.breaches.some((b) => b.metric === metric)));
    const first = shown.find((s) => over.has(s));
    const numbers = values.filter((v): v is number => v !== null && Number.isFinite(v));
    return xychart({
      title: `${name} vs ${threshold}${first ? ` — ✗ breach at ${first.at.slice(11, 19)}` : ''}`,
      xLabels: shown.map((s) => `${since(s)}${over.has(s) ? ' ✗' : ''}`),
      yLabel: unit,
      yMax: Math.max(threshold * 1.5, ...numbers.map((v) => v * 1.1)),
      series: [{ kind: 'line', values, colour: COLOURS.measured }, { kind: 'line', values: shown.map(() => threshold), colour: COLOURS.threshold }],
    });
  };
  const tripped = canary.tripped;
  return [
    `### Canary over time${tripped ? ` — ✗ ${tripped.metric} at ${tripped.at.slice(11, 19)}` : ''}`,
    `Time in seconds since the canary started (${canary.startedAt}). Bars (blue): the canary's weight. Lines: the measured value (orange) against its threshold (grey, flat); ✗ marks a sample over that threshold.`,
    xychart({ title: 'Canary weight (%)', xLabels: shown.map(since), yLabel: '%', yMax: 100, series: [{ kind: 'bar', values: shown.map((s) => s.step), colour: COLOURS.secondary }] }),
    measured('Error rate', 'ratio', 'error_rate', shown.map((s) => s.errorRate), settings.slo.errorRateMax),
    measured('p95 latency (ms)', 'ms', 'p95_latency_ms', shown.map((s) => s.p95LatencyMs), settings.slo.p95LatencyMs),
  ].join('\n\n');
}

export function rollbackSection(rollback: RollbackResult): string {
  return [
    `## Rollback: ${rollback.status === 'rolled-back' ? 'complete' : 'FAILED'}`,
    `${rollback.mode === 'abort+undo' ? 'Abort, then undo to the stable ReplicaSet' : 'Undo after full promotion, then promoteFull'} — ${inert(rollback.detail)} (${rollback.seconds.toFixed(1)} s).`,
  ].join('\n\n');
}

export function timelineSection(canary: CanaryResult | undefined, rollback: RollbackResult | undefined): string {
  const events = [...(canary?.timeline ?? []), ...(rollback?.timeline ?? [])];
  if (events.length === 0) return '';
  return `## Timeline (UTC)\n${events.map((e) => `- ${e.at.slice(11, 23)} ${inert(e.what)}`).join('\n')}`;
}
