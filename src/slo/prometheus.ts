// The Prometheus SLO provider: three instant queries per sample against the HTTP API
// (`GET /api/v1/query`). Every failure becomes a gate error with what Prometheus said; the
// prometheus-headers are credentials and never appear in a message or in describe().
import type { CounterReading } from './compare/counts.js';
import type { Measurement, SloContext, SloProviderBackend } from './provider.js';
import { BUILT_IN, COUNTERS, renderQuery } from './promql.js';

export interface PrometheusConfig {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly errorRateQuery?: string;
  /** p95 latency in seconds. */
  readonly latencyQuery?: string;
}

export interface PrometheusDeps {
  readonly fetch?: typeof fetch;
  /** Per request; a sample whose query takes longer is a gate error. */
  readonly timeoutMs?: number;
}

interface NamedQuery {
  readonly name: string;
  readonly template: string;
}

export function prometheusProvider(config: PrometheusConfig, deps: PrometheusDeps = {}): SloProviderBackend {
  const api = apiQuery(config, deps);
  const query = async (promql: string, name: string, signal?: AbortSignal) => valueOf(await api(promql, name, signal), name, promql);
  // With slo.compare: stable, the raw counters of both groups, differenced by bake.ts (compare/counts.ts).
  const counters = async (context: SloContext, signal?: AbortSignal): Promise<Measurement['counters']> => {
    if (!context.slo.compare || !context.canaryHash || !context.stableHash || context.canaryHash === context.stableHash) return undefined;
    const [requests, buckets] = await Promise.all([COUNTERS.requests, COUNTERS.buckets].map(async (template) => {
      const promql = renderQuery(template, context);
      return seriesOf(await api(promql, 'built-in counter query', signal), promql);
    }));
    return { origin: 'first-reading', readings: readingsOf(requests!, buckets!, context) };
  };
  const named = {
    errorRate: { name: config.errorRateQuery ? 'error-rate-query' : 'built-in error-rate query', template: config.errorRateQuery ?? BUILT_IN.errorRate },
    latency: { name: config.latencyQuery ? 'latency-query' : 'built-in latency query', template: config.latencyQuery ?? BUILT_IN.latencySeconds },
    // Always the built-in counter: min_requests is defined on http_requests_total of the canary.
    requests: { name: 'built-in request-count query', template: BUILT_IN.requests },
  } satisfies Record<string, NamedQuery>;

  return {
    name: 'prometheus',
    async ping(signal) {
      // Rejects with the same wording a sample's gate error would carry.
      await query('vector(1)', 'ping query', signal);
    },
    async measure(context, signal) {
      const run = (q: NamedQuery) => query(renderQuery(q.template, context), q.name, signal);
      try {
        const [errorRate, latencySeconds, requests, read] = await Promise.all([run(named.errorRate), run(named.latency), run(named.requests), counters(context, signal)]);
        return { ...toMeasurement(errorRate, latencySeconds, requests, context), ...(read ? { counters: read } : {}) };
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (error instanceof Unavailable) return { errorRate: null, p95LatencyMs: null, requests: null, unavailable: error.message };
        return { errorRate: null, p95LatencyMs: null, requests: null, gateError: messageOf(error) };
      }
    },
    describe(context) {
      return [
        `Prometheus ${displayUrl(config.url)}`,
        `error rate (${named.errorRate.name}): ${renderQuery(named.errorRate.template, context)}`,
        `p95 latency in seconds (${named.latency.name}): ${renderQuery(named.latency.template, context)}`,
        `requests, for min_requests (${named.requests.name}): ${renderQuery(named.requests.template, context)}`,
        ...(context.slo.compare ? [`canary vs stable counters (built in): ${renderQuery(COUNTERS.requests, context)} and ${renderQuery(COUNTERS.buckets, context)}`] : []),
      ];
    },
  };
}

function toMeasurement(errorRate: number | null, latencySeconds: number | null, requests: number | null, context: SloContext): Measurement {
  const { minRequests } = context.slo;
  // Too little traffic says nothing about the canary: no data, never "0 errors".
  const enough = minRequests === 0 || (requests !== null && requests >= minRequests);
  return {
    errorRate: enough ? errorRate : null,
    // Rounded to the microsecond so that 0.3 s reads as 300 ms, not 300.00000000000006 (a breach).
    p95LatencyMs: enough && latencySeconds !== null ? Math.round(latencySeconds * 1e6) / 1e3 : null,
    requests,
  };
}

/**
 * A fault that may clear on its own: no connection, no answer in time, a proxy's 502/503/504, a
 * rate limit. A 4xx (bad query, credentials) or a wrong result shape will not clear: a gate error.
 */
class Unavailable extends Error {}

const TRANSIENT_STATUS = (status: number) => status === 429 || status >= 500;

/** One instant query → the `data` of Prometheus' answer. */
function apiQuery(config: PrometheusConfig, deps: PrometheusDeps) {
  const fetchFn = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const where = `Prometheus at ${displayUrl(config.url)}`;
  // A relative URL keeps a path prefix such as https://example.com/prometheus.
  const endpoint = new URL('api/v1/query', `${config.url.replace(/\/+$/, '')}/`);

  return async (promql: string, name: string, signal?: AbortSignal): Promise<ApiBody['data']> => {
    const url = new URL(endpoint);
    url.searchParams.set('query', promql);
    const timeout = AbortSignal.timeout(timeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await fetchFn(url, { headers: { accept: 'application/json', ...config.headers }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw new Unavailable(`${where} did not answer within ${timeoutMs / 1000} s`);
      throw new Unavailable(`${where} did not answer: ${causeOf(error)}`);
    }
    const body = parseJson(text);
    if (TRANSIENT_STATUS(status)) throw new Unavailable(rejection(where, status, body, text, name, promql));
    if (status < 200 || status > 299 || body?.status !== 'success') throw new Error(rejection(where, status, body, text, name, promql));
    return body.data;
  };
}

interface Series {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

function seriesOf(data: ApiBody['data'], promql: string): Series[] {
  if (data?.resultType !== 'vector' || !Array.isArray(data.result)) throw new Error(`the built-in counter query returned a ${String(data?.resultType)} where an instant vector is needed; query: ${promql}`);
  return (data.result as Array<{ metric?: Record<string, string>; value?: unknown[] }>).map((s) => ({ metric: s.metric ?? {}, value: Number(s.value?.[1]) }));
}

// Every series of http_requests_total counts requests, those with a 5xx `status` also errors (the
// built-in error-rate query's definition); every `le` series of the histogram is one bucket.
function readingsOf(requests: readonly Series[], buckets: readonly Series[], context: SloContext): CounterReading[] {
  const groupOf = (metric: Readonly<Record<string, string>>) =>
    metric.rollouts_pod_template_hash === context.canaryHash ? 'canary' : metric.rollouts_pod_template_hash === context.stableHash ? 'stable' : undefined;
  const id = (metric: Readonly<Record<string, string>>) => JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : 1)));
  const readings: CounterReading[] = [];
  for (const { metric, value } of requests) {
    const group = groupOf(metric);
    if (!group) continue;
    readings.push({ series: id(metric), group, kind: 'requests', value });
    if (/^5\d\d$/.test(metric.status ?? '')) readings.push({ series: id(metric), group, kind: 'errors', value });
  }
  for (const { metric, value } of buckets) {
    const group = groupOf(metric);
    const le = metric.le === '+Inf' ? Infinity : Number(metric.le);
    if (!group || Number.isNaN(le)) continue;
    readings.push({ series: id(metric), group, kind: 'bucket', leMs: le * 1000, value });
  }
  return readings;
}

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

function rejection(where: string, status: number, body: ApiBody | undefined, text: string, name: string, promql: string): string {
  const http = `HTTP ${status}`;
  if (status === 401 || status === 403) return `${where} answered ${http}: check the credentials in prometheus-headers`;
  if (!body) return `${where} answered ${http} with something that is not the Prometheus API: ${squeeze(text)}`;
  const what = [body.errorType, body.error].filter(Boolean).join(': ') || `status "${String(body.status)}"`;
  return `${where} rejected the ${name} (${http}, ${what}); query: ${promql}`;
}

function valueOf(data: ApiBody['data'], name: string, promql: string): number | null {
  const result = data?.result;
  let raw: unknown;
  if (data?.resultType === 'scalar' && Array.isArray(result)) raw = result[1];
  else if (data?.resultType === 'vector' && Array.isArray(result)) {
    if (result.length === 0) return null;
    if (result.length > 1) {
      const series = result.slice(0, 3).map((s: { metric?: Record<string, string> }) => JSON.stringify(s.metric ?? {})).join(', ');
      throw new Error(`the ${name} returned ${result.length} series (${series}${result.length > 3 ? ', …' : ''}) where one value is needed: aggregate it, e.g. with sum(...); query: ${promql}`);
    }
    raw = (result[0] as { value?: unknown[] }).value?.[1];
  } else throw new Error(`the ${name} returned a ${String(data?.resultType)} where an instant value is needed; query: ${promql}`);
  // Prometheus writes sample values as strings, including "NaN", "+Inf" and "-Inf".
  const value = Number(raw);
  return typeof raw === 'string' && Number.isFinite(value) ? value : null;
}

function parseJson(text: string): ApiBody | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as ApiBody) : undefined;
  } catch {
    return undefined;
  }
}

/** Origin and path only: a query string could carry a token. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return '(invalid URL)';
  }
}

// fetch reports "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`;
// for a host with several addresses the cause is an AggregateError whose own message is empty.
function causeOf(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause ?? error;
  const { errors, code } = (cause ?? {}) as { errors?: unknown[]; code?: unknown };
  return messageOf(cause) || (errors?.length ? messageOf(errors[0]) : '') || (typeof code === 'string' ? code : 'unknown network error');
}

// Duck-typed: errors from fetch can come from another realm (a test VM), where instanceof fails.
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

function squeeze(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty body)';
}
