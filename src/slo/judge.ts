// The SLO decision for one measurement, pure. bake.ts applies it sample by sample; the report shows
// its breaches (metric, observed value, threshold).
import type { Slo } from '../settings.js';
import type { Measurement } from './provider.js';

export type Verdict = 'within' | 'breach' | 'no-data' | 'gate-error';

export interface Breach {
  /** `*_vs_stable`: the comparison with stable (slo.compare); value the estimated ratio, threshold its boundary. */
  readonly metric: 'error_rate' | 'p95_latency_ms' | 'gate_error' | 'no_data' | 'error_rate_vs_stable' | 'latency_vs_stable';
  readonly value: number | null;
  readonly threshold: number | null;
}

export interface Judgement {
  readonly verdict: Verdict;
  /** The metrics over their threshold (also when a provider's own decision said "within"). */
  readonly breaches: readonly Breach[];
  readonly summary: string;
}

export function judge(measurement: Measurement, slo: Slo): Judgement {
  const over = exceeded(measurement, slo);
  const observed = describeValues(measurement, slo);
  if (measurement.gateError !== undefined) {
    return { verdict: 'gate-error', breaches: [{ metric: 'gate_error', value: null, threshold: null }, ...over], summary: `gate error: ${measurement.gateError}` };
  }
  // Retried within the period by bake.ts and still unanswered: no data, never a pass.
  if (measurement.unavailable !== undefined) return { verdict: 'no-data', breaches: [], summary: `no data: ${measurement.unavailable}` };
  // The command provider decides by its exit code; its reported values are still compared, so a
  // script that says "within" while reporting a breaching value is visible in the report.
  if (measurement.decision) return { verdict: measurement.decision, breaches: over, summary: `${measurement.decision} (decided by the provider): ${observed}` };
  if (over.length > 0) return { verdict: 'breach', breaches: over, summary: `breach: ${observed}` };
  if (measurement.errorRate === null && measurement.p95LatencyMs === null) return { verdict: 'no-data', breaches: [], summary: `no data: ${observed}` };
  return { verdict: 'within', breaches: [], summary: `within: ${observed}` };
}

// Equal to the threshold is within: the SLO says "at most".
function exceeded(m: Measurement, slo: Slo): Breach[] {
  const breaches: Breach[] = [];
  if (m.errorRate !== null && m.errorRate > slo.errorRateMax) breaches.push({ metric: 'error_rate', value: m.errorRate, threshold: slo.errorRateMax });
  if (m.p95LatencyMs !== null && m.p95LatencyMs > slo.p95LatencyMs) breaches.push({ metric: 'p95_latency_ms', value: m.p95LatencyMs, threshold: slo.p95LatencyMs });
  return breaches;
}

function describeValues(m: Measurement, slo: Slo): string {
  const compare = (value: number, max: number) => (value > max ? '>' : '≤');
  const parts = [
    m.errorRate === null ? 'error rate n/a' : `error rate ${num(m.errorRate)} ${compare(m.errorRate, slo.errorRateMax)} ${slo.errorRateMax}`,
    m.p95LatencyMs === null ? 'p95 n/a' : `p95 ${num(m.p95LatencyMs)} ms ${compare(m.p95LatencyMs, slo.p95LatencyMs)} ${slo.p95LatencyMs} ms`,
  ];
  if (m.requests !== null) parts.push(`${num(m.requests)} requests${slo.minRequests > 0 ? ` (min_requests ${slo.minRequests})` : ''}`);
  for (const [name, value] of Object.entries(m.extra ?? {})) parts.push(`${name} ${num(value)}`);
  return parts.join(', ');
}

/** Four significant digits: enough to see a breach, short enough for a log line. */
export function num(value: number): string {
  return String(Number(value.toPrecision(4)));
}
