// The report's "Canary vs stable" section and deploy-result.json's comparison figures (issue 9):
// each step's verdict in plain words with its evidence, a table of the figures, and a chart of
// the estimate and its confidence interval over time against the tolerance. Empty without
// slo.compare. Every text here is built from numbers; nothing from elsewhere is shown.
import type { Settings } from '../settings.js';
import type { BakeResult, Sample } from '../slo/bake.js';
import type { SampleComparison } from '../slo/compare/step.js';
import type { Evidence } from '../slo/compare/types.js';
import { METRICS } from '../slo/compare/verdict.js';
import { ratio } from '../slo/compare/words.js';
import { table } from './markdown.js';
import { COLOURS } from './chart.js';

interface Step {
  readonly weight: number;
  readonly bake?: BakeResult;
}

// The report's chart colours (chart.ts), readable on GitHub's white and dark pages alike: estimate
// orange, interval blue (both ends), tolerance grey. Mermaid's default palette follows the page
// theme and can make two lines the same colour.
const PALETTE = [COLOURS.measured, COLOURS.secondary, COLOURS.secondary, COLOURS.threshold].join(', ');

export function comparisonSection(steps: readonly Step[], settings: Settings): string {
  const compare = settings.slo.compare;
  const compared = steps.filter((s) => s.bake?.comparison);
  if (!compare || compared.length === 0) return '';
  const parts = ['## Canary vs stable'];
  const share = compared[0]!.bake!.comparison!.alphaShare;
  parts.push(
    `Compared with the stable pods serving at the same time (\`slo.compare: stable\`), with a sequential test read after every sample. ` +
      `A canary as good as stable is aborted with probability at most ${compare.alpha} over the whole release (${share} per step, ${share / METRICS} per metric); ` +
      `worse beyond tolerance means more than ${ratio(1 + compare.tolerance)}× stable's error rate, or slower than stable stretched by ${ratio(1 + compare.tolerance)}. ` +
      (compare.earlyPromote ? `Early promotion: once both are shown within tolerance with ${percent(1 - compare.alpha)} confidence, not before ${compare.minWindowMinutes} min.` : 'Early promotion is off: every step bakes its whole window.') +
      ' Intervals: each end holds with at least that confidence, at any time it is read.',
  );
  for (const step of compared) parts.push(stepPart(step, settings));
  return parts.join('\n\n');
}

function stepPart(step: Step, settings: Settings): string {
  const bake = step.bake!;
  const samples = bake.samples.filter((s) => s.comparison);
  const last = samples.at(-1)?.comparison;
  const elapsed = samples.at(-1)?.elapsedSeconds ?? 0;
  const lines = [`### ${step.weight}%: ${headline(bake, last, elapsed, settings)}`];
  if (last && last.evidence.length > 0) {
    const breachAt = 1 / (bake.comparison!.alphaShare / METRICS);
    const promoteAt = 1 / bake.comparison!.alpha;
    lines.push(last.words.map((w) => `- ${w}`).join('\n'));
    lines.push(table(
      ['Metric', 'Canary ÷ stable', 'Interval', 'Boundary', 'Evidence of worse (aborts at)', 'Evidence of within (promotes at)', 'Canary events', 'Stable events'],
      last.evidence.map((e) => [
        e.metric === 'error_rate' ? 'error rate' : `latency, slower than ${e.boundMs} ms`,
        e.estimate === null ? 'n/a' : `${ratio(e.estimate)}×`,
        e.lower === undefined || e.upper === undefined ? '' : `${ratio(e.lower)}–${ratio(e.upper)}×`,
        `${ratio(e.boundary)}×`,
        `${evidence(e.logEWorse)} (${evidence(Math.log(breachAt))})`,
        `${evidence(e.logEWithin)} (${evidence(Math.log(promoteAt))})`,
        Math.round(e.canaryEvents),
        Math.round(e.stableEvents),
      ]),
    ));
    for (const metric of ['error_rate', 'latency'] as const) {
      const chart = overTime(samples, metric, step.weight);
      if (chart) lines.push(chart);
    }
  }
  return lines.join('\n\n');
}

function headline(bake: BakeResult, last: SampleComparison | undefined, elapsed: number, settings: Settings): string {
  const window = Math.round(settings.slo.windowMinutes * 60);
  if (bake.breach?.comparison?.verdict === 'breach' && bake.breach.breaches.some((b) => b.metric.endsWith('_vs_stable'))) {
    const decided = bake.breach.comparison;
    const index = decided.evidence.findIndex((e) => e.metric === decided.decidedBy);
    return `ABORTED — canary worse than stable beyond tolerance: ${decided.words[index] ?? ''}`;
  }
  if (bake.endedEarly) return `promoted early after ${Math.round(elapsed)} s of ${window} s: shown within tolerance`;
  if (!last || last.verdict === 'no-data') return 'no comparison: no counts for both canary and stable (no data)';
  if (bake.verdict === 'breach') return 'stopped by the absolute thresholds (see Canary)';
  return `no regression beyond tolerance shown in ${Math.round(elapsed)} s`;
}

/** Mermaid xychart: the estimate and its interval over the step's samples, against the boundary. */
function overTime(samples: readonly Sample[], metric: Evidence['metric'], weight: number): string {
  const points = samples.map((s) => ({ s, e: s.comparison!.evidence.find((x) => x.metric === metric) })).filter((p) => p.e);
  if (points.length < 2) return '';
  const boundary = points[0]!.e!.boundary;
  const finite = points.flatMap(({ e }) => [e!.estimate, e!.lower, e!.upper]).filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  const top = Math.max(boundary * 2, Math.min(boundary * 10, Math.max(...finite, 0) * 1.1));
  const clip = (v: number | null | undefined) => (v === null || v === undefined ? 0 : Math.min(top, v));
  const series = (values: readonly number[]) => `[${values.map((v) => Number(v.toPrecision(3))).join(', ')}]`;
  const name = metric === 'error_rate' ? `Error rate, canary ÷ stable, at ${weight}%` : `Latency tail share, canary ÷ stretched stable, at ${weight}%`;
  return [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${PALETTE}"}}}}%%`,
    'xychart-beta',
    `  title "${name}"`,
    `  x-axis [${points.map(({ s }) => `"${Math.round(s.elapsedSeconds)}s"`).join(', ')}]`,
    `  y-axis "× stable" 0 --> ${Number(top.toPrecision(2))}`,
    `  line ${series(points.map(({ e }) => clip(e!.estimate)))}`,
    `  line ${series(points.map(({ e }) => clip(e!.lower)))}`,
    `  line ${series(points.map(({ e }) => clip(e!.upper)))}`,
    `  line ${series(points.map(() => boundary))}`,
    '```',
    `Orange: the estimate; blue: the interval (clipped at ${Number(top.toPrecision(2))}); grey: the tolerance boundary, ${ratio(boundary)}×.`,
  ].join('\n');
}

function evidence(logE: number): string {
  if (!Number.isFinite(logE)) return logE > 0 ? '∞' : '0';
  const e = Math.exp(Math.min(logE, 700));
  return e >= 1e6 ? e.toExponential(1) : e >= 10 ? e.toFixed(0) : e.toPrecision(2);
}

function percent(value: number): string {
  return `${Number((value * 100).toPrecision(4))}%`;
}

/** deploy-result.json: a step's comparison levels and how it ended. */
export function stepComparisonJson(bake: BakeResult | undefined): object {
  if (!bake?.comparison) return {};
  return { comparison: { alpha: bake.comparison.alpha, alpha_share: bake.comparison.alphaShare, tolerance: bake.comparison.tolerance, ended_early: bake.endedEarly ?? false } };
}

/** deploy-result.json: a sample's comparison figures (ratios, intervals, e-values, counts). */
export function sampleComparisonJson(sample: Sample): object {
  const c = sample.comparison;
  if (!c) return {};
  const finite = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
  return {
    comparison: {
      verdict: c.verdict,
      ...(c.decidedBy ? { decided_by: c.decidedBy } : {}),
      metrics: c.evidence.map((e, i) => ({
        metric: e.metric, estimate: finite(e.estimate), lower: finite(e.lower), upper: finite(e.upper), boundary: e.boundary,
        ...(e.boundMs !== undefined ? { bound_ms: e.boundMs } : {}),
        e_value_worse: finite(Math.exp(Math.min(e.logEWorse, 700))), e_value_within: finite(Math.exp(Math.min(e.logEWithin, 700))),
        canary_events: e.canaryEvents, stable_events: e.stableEvents, words: c.words[i],
      })),
      ...(c.counts ? { counts: { canary: { requests: c.counts.canary.requests, errors: c.counts.canary.errors }, stable: { requests: c.counts.stable.requests, errors: c.counts.stable.errors } } } : {}),
    },
  };
}
