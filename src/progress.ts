// What a person following the run's log reads between a stage's start and its end: one line per
// SLO sample (each value against its threshold, and how much of the window is left) and the titled
// annotations the runner shows on the run's page. Pure: release.ts prints these through the log port.
import { formatValue } from './canary/format.js';
import type { Sample } from './slo/bake.js';

/** `✓`, or `✗` when this metric is one the sample breached. */
function against(sample: Sample, metric: 'error_rate' | 'p95_latency_ms', value: number | null, threshold: number, unit = ''): string {
  if (value === null) return `no data (threshold ${formatValue(threshold)}${unit})`;
  const over = sample.breaches.some((b) => b.metric === metric);
  return `${formatValue(value)}${unit} ${over ? '>' : '≤'} ${formatValue(threshold)}${unit} ${over ? '✗' : '✓'}`;
}

/**
 * One SLO sample as a log line, e.g.
 * `  sample 25% +30s: error rate 0.002 ≤ 0.005 ✓, p95 120 ms ≤ 300 ms ✓, 1834 requests — within; 270 s of the 300 s window left`.
 */
export function sampleLine(sample: Sample, windowMinutes: number): string {
  const window = windowMinutes * 60;
  const left = Math.max(0, window - sample.elapsedSeconds);
  const ended = sample.verdict === 'breach' || sample.verdict === 'gate-error';
  const figures = [
    `error rate ${against(sample, 'error_rate', sample.errorRate, sample.thresholds.errorRateMax)}`,
    `p95 ${against(sample, 'p95_latency_ms', sample.p95LatencyMs, sample.thresholds.p95LatencyMs, ' ms')}`,
    ...(sample.requests !== null ? [`${sample.requests} requests`] : []),
  ].join(', ');
  const verdict = sample.gateError ? `${sample.verdict}: ${sample.gateError}` : sample.comparison && sample.verdict === 'breach' ? sample.summary : sample.verdict;
  const rest = ended ? 'the step stops here' : `${seconds(left)} of the ${seconds(window)} window left`;
  return `  sample ${sample.step}% +${seconds(sample.elapsedSeconds)}: ${figures} — ${verdict}; ${rest}`;
}

function seconds(value: number): string {
  return `${Number(value.toFixed(value < 10 ? 1 : 0))} s`;
}

/** A workflow-command annotation: the title the runner shows above the message. */
export interface Annotation {
  readonly title: string;
  readonly message: string;
}

/** Titles are one short line: the runner shows them in bold on the run's summary page. */
function titled(title: string, message: string): Annotation {
  const line = title.replace(/\s+/g, ' ').trim();
  return { title: line.length > 120 ? `${line.slice(0, 119)}…` : line, message };
}

export const annotate = {
  preflight: (reason: string) => titled(`Preflight refused: ${reason.split('\n')[0]!}`, reason),
  approval: (reason: string) => titled('Approval gate blocked the release', reason),
  ci: (reason: string) => titled(`CI gate blocked: ${reason.split('\n')[0]!}`, reason),
  breach: (weight: number | undefined, metric: string, detail: string) => titled(`SLO breach at ${weight ?? '?'}%: ${metric}`, detail),
  canaryStopped: (weight: number | undefined, state: string, detail: string) => titled(`Canary stopped at ${weight ?? '?'}% (${state.replace(/_/g, ' ')})`, detail),
  rollbackFailed: (detail: string) => titled('Rollback did not complete: production may still run the canary', detail),
  lock: (detail: string) => titled('Release lock not taken', detail),
};
