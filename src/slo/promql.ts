// The PromQL side of the Prometheus provider, pure: the built-in queries and the rendering of
// query templates. prometheus.ts only sends what this file produces.
import type { SloContext } from './provider.js';

// The canary's pods only: Argo Rollouts labels every pod with its template hash, so the stable
// pods (and other namespaces running the same hash) are never mixed in.
const CANARY = 'namespace="{{namespace}}",rollouts_pod_template_hash="{{canary_hash}}"';

export const BUILT_IN = {
  // `or vector(0)`: with no 5xx at all the numerator is an *empty* vector, and empty / x is empty,
  // which would read as "no data" exactly when the canary is perfect. The denominator is left bare
  // so that no traffic stays empty (no data) and idle traffic stays 0/0 = NaN (no data).
  errorRate: `(sum(rate(http_requests_total{${CANARY},status=~"5.."}[{{window}}])) or vector(0)) / sum(rate(http_requests_total{${CANARY}}[{{window}}]))`,
  latencySeconds: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${CANARY}}[{{window}}])))`,
  requests: `sum(increase(http_requests_total{${CANARY}}[{{window}}]))`,
} as const;

// slo.compare: stable reads the raw counters of the canary's and the stable pods, every series
// (pod, status, le) apart, and differences them itself (compare/counts.ts): counter resets and pods
// coming and going are handled exactly, with none of increase()'s extrapolation.
const BOTH = 'namespace="{{namespace}}",rollouts_pod_template_hash=~"{{canary_hash_re}}|{{stable_hash_re}}"';

export const COUNTERS = {
  requests: `http_requests_total{${BOTH}}`,
  buckets: `http_request_duration_seconds_bucket{${BOTH}}`,
} as const;

/** Fills `{{placeholder}}`s (spaces inside the braces allowed, as settings.ts accepts them). */
export function renderQuery(template: string, context: SloContext): string {
  const values: Record<string, string> = {
    service: labelValue(context.service),
    namespace: labelValue(context.namespace),
    canary_hash: labelValue(context.canaryHash),
    stable_hash: labelValue(context.stableHash),
    // Internal to COUNTERS (settings.ts refuses it in user templates): a hash as a literal regex.
    canary_hash_re: labelValue(regexLiteral(context.canaryHash)),
    stable_hash_re: labelValue(regexLiteral(context.stableHash)),
    window: promDuration(context.slo.windowMinutes),
  };
  // settings.ts rejects unknown placeholders, so anything unmatched here is left as typed.
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}

function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Escapes a value for the inside of a double-quoted PromQL string. The PromQL lexer accepts only
 * the opening quote and the usual C escapes after a backslash, so `'` must stay bare.
 */
export function labelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** A PromQL duration for a window in minutes: 5 → `5m`, 1.5 → `90s`, 0.01 → `600ms`. */
export function promDuration(minutes: number): string {
  const ms = Math.max(1, Math.round(minutes * 60_000));
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
