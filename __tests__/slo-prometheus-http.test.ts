// The Prometheus provider against a fake fetch: request shape, answers, and every way it can fail.
// slo-prometheus.test.ts runs the same provider against a real Prometheus.
import type { Slo } from '../src/settings.js';
import { prometheusProvider, type PrometheusConfig } from '../src/slo/prometheus.js';
import { BUILT_IN, labelValue, promDuration, renderQuery } from '../src/slo/promql.js';
import type { SloContext } from '../src/slo/provider.js';

const SECRET = 'Bearer s3cr3t-t0ken';
const slo: Slo = { errorRateMax: 0.005, p95LatencyMs: 300, windowMinutes: 5, intervalSeconds: 30, minRequests: 0, noData: 'breach' };
const context: SloContext = { service: 'checkout-api', namespace: 'prod', version: 'v2.14.0', sha: 'a'.repeat(40), step: 25, canaryHash: 'c4n4ry', stableHash: 'st4b1e', slo };
const config: PrometheusConfig = { url: 'https://metrics.example/prometheus', headers: { Authorization: SECRET, 'X-Scope-OrgID': 'team-a' } };

type Answer = { status?: number; body: unknown } | Error;
const vector = (...values: string[]) => ({ body: { status: 'success', data: { resultType: 'vector', result: values.map((v, i) => ({ metric: { i: String(i) }, value: [1764150000, v] })) } } });

/** A fetch that answers by query: the first answer whose key occurs in the PromQL. */
function fakeFetch(answers: Record<string, Answer>) {
  const requests: Array<{ url: URL; headers: Record<string, string> }> = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    requests.push({ url, headers: init?.headers as Record<string, string> });
    const query = url.searchParams.get('query') ?? '';
    const key = Object.keys(answers).find((k) => query.includes(k));
    const answer: Answer = key === undefined ? vector() : answers[key]!;
    if (answer instanceof Error) throw answer;
    return new Response(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body), { status: answer.status ?? 200 });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

const healthy = { 'status=~"5.."': vector('0.0012'), histogram_quantile: vector('0.19'), increase: vector('5400') };

describe('prometheus provider: queries', () => {
  it('sends an instant GET per metric under the base path, with the prometheus-headers', async () => {
    const { fetch, requests } = fakeFetch(healthy);
    expect(await prometheusProvider(config, { fetch }).measure(context)).toEqual({ errorRate: 0.0012, p95LatencyMs: 190, requests: 5400 });
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      expect(`${request.url.origin}${request.url.pathname}`).toBe('https://metrics.example/prometheus/api/v1/query');
      expect(request.headers).toMatchObject({ Authorization: SECRET, 'X-Scope-OrgID': 'team-a' });
    }
    expect(requests.map((r) => r.url.searchParams.get('query'))).toEqual([renderQuery(BUILT_IN.errorRate, context), renderQuery(BUILT_IN.latencySeconds, context), renderQuery(BUILT_IN.requests, context)]);
  });

  it('selects the canary pods of the namespace over the SLO window', () => {
    expect(renderQuery(BUILT_IN.errorRate, context)).toBe(
      '(sum(rate(http_requests_total{namespace="prod",rollouts_pod_template_hash="c4n4ry",status=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total{namespace="prod",rollouts_pod_template_hash="c4n4ry"}[5m]))',
    );
    expect(renderQuery(BUILT_IN.latencySeconds, context)).toBe('histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="prod",rollouts_pod_template_hash="c4n4ry"}[5m])))');
    expect(renderQuery(BUILT_IN.requests, context)).toBe('sum(increase(http_requests_total{namespace="prod",rollouts_pod_template_hash="c4n4ry"}[5m]))');
  });

  it('fills the placeholders of user templates, escaping label values', () => {
    const template = 'sum(rate(errors{svc="{{service}}",ns="{{ namespace }}",h=~"{{canary_hash}}|{{stable_hash}}"}[{{window}}]))';
    expect(renderQuery(template, { ...context, service: 'a"b\\c', slo: { ...slo, windowMinutes: 1.5 } })).toBe('sum(rate(errors{svc="a\\"b\\\\c",ns="prod",h=~"c4n4ry|st4b1e"}[90s]))');
    expect(labelValue("it's\n")).toBe("it's\\n");
  });

  it.each([
    [5, '5m'],
    [1.5, '90s'],
    [10 / 60, '10s'],
    [0.25, '15s'],
    [0.01, '600ms'],
    [90, '90m'],
  ])('writes a window of %s minutes as %s', (minutes, duration) => {
    expect(promDuration(minutes)).toBe(duration);
  });

  it('uses the user templates (latency in seconds) and says which query is which, without the headers', async () => {
    const custom = { ...config, errorRateQuery: 'my_errors{ns="{{namespace}}"}', latencyQuery: 'my_p95_seconds{ns="{{namespace}}"}' };
    const { fetch } = fakeFetch({ my_errors: vector('0.01'), my_p95: vector('0.3'), increase: vector('100') });
    const provider = prometheusProvider(custom, { fetch });
    expect(await provider.measure(context)).toEqual({ errorRate: 0.01, p95LatencyMs: 300, requests: 100 });
    const lines = provider.describe(context);
    expect(lines).toEqual([
      'Prometheus https://metrics.example/prometheus',
      'error rate (error-rate-query): my_errors{ns="prod"}',
      'p95 latency in seconds (latency-query): my_p95_seconds{ns="prod"}',
      `requests, for min_requests (built-in request-count query): ${renderQuery(BUILT_IN.requests, context)}`,
    ]);
    expect(lines.join('\n')).not.toContain('s3cr3t');
  });
});

describe('prometheus provider: no data is null, never zero', () => {
  it.each([
    ['an empty vector', vector()],
    ['NaN (0/0: no traffic)', vector('NaN')],
    ['+Inf', vector('+Inf')],
  ])('reads %s as no data', async (_, answer) => {
    const { fetch } = fakeFetch({ ...healthy, 'status=~"5.."': answer, histogram_quantile: answer });
    expect(await prometheusProvider(config, { fetch }).measure(context)).toEqual({ errorRate: null, p95LatencyMs: null, requests: 5400 });
  });

  it('accepts a scalar result', async () => {
    const scalar = { body: { status: 'success', data: { resultType: 'scalar', result: [1764150000, '0.002'] } } };
    const { fetch } = fakeFetch({ ...healthy, 'status=~"5.."': scalar });
    expect((await prometheusProvider(config, { fetch }).measure(context)).errorRate).toBe(0.002);
  });

  it('reads fewer requests than min_requests as no data, keeping the count', async () => {
    const { fetch } = fakeFetch({ ...healthy, increase: vector('40') });
    const strict = { ...context, slo: { ...slo, minRequests: 50 } };
    expect(await prometheusProvider(config, { fetch }).measure(strict)).toEqual({ errorRate: null, p95LatencyMs: null, requests: 40 });
    const { fetch: unknownCount } = fakeFetch({ ...healthy, increase: vector() });
    expect(await prometheusProvider(config, { fetch: unknownCount }).measure(strict)).toEqual({ errorRate: null, p95LatencyMs: null, requests: null });
  });
});

describe('prometheus provider: gate errors', () => {
  const gateError = async (answers: Record<string, Answer>, extra: Partial<PrometheusConfig> = {}) => {
    const { fetch } = fakeFetch({ ...healthy, ...answers });
    const measurement = await prometheusProvider({ ...config, ...extra }, { fetch, timeoutMs: 50 }).measure(context);
    expect(measurement).toMatchObject({ errorRate: null, p95LatencyMs: null, requests: null });
    expect(measurement.gateError).not.toContain('s3cr3t');
    return measurement.gateError;
  };

  it('names a query that returns several series instead of one value', async () => {
    expect(await gateError({ my_errors: vector('0.01', '0.02') }, { errorRateQuery: 'sum by (pod) (my_errors)' })).toBe(
      'the error-rate-query returned 2 series ({"i":"0"}, {"i":"1"}) where one value is needed: aggregate it, e.g. with sum(...); query: sum by (pod) (my_errors)',
    );
  });

  it('refuses a range vector', async () => {
    expect(await gateError({ histogram_quantile: { body: { status: 'success', data: { resultType: 'matrix', result: [] } } } })).toMatch(/^the built-in latency query returned a matrix where an instant value is needed/);
  });

  it("quotes Prometheus' error with the HTTP status", async () => {
    const body = { status: 'error', errorType: 'bad_data', error: '1:18: parse error: unexpected end of input' };
    expect(await gateError({ histogram_quantile: { status: 400, body } })).toMatch(
      /^Prometheus at https:\/\/metrics.example\/prometheus rejected the built-in latency query \(HTTP 400, bad_data: 1:18: parse error: unexpected end of input\); query: histogram_quantile/,
    );
    expect(await gateError({ histogram_quantile: { status: 200, body: { status: 'error', errorType: 'timeout', error: 'query timed out' } } })).toMatch(/\(HTTP 200, timeout: query timed out\)/);
  });

  it('points at the headers on 401/403, without showing them', async () => {
    expect(await gateError({ increase: { status: 401, body: 'Unauthorized' } })).toBe('Prometheus at https://metrics.example/prometheus answered HTTP 401: check the credentials in prometheus-headers');
  });

});

// Faults that may clear are `unavailable`: bake.ts asks again within the sample period, and only
// then counts the sample as no data (never a gate error, which would abort a healthy canary).
describe('prometheus provider: passing faults are unavailable, not gate errors', () => {
  const unavailable = async (answers: Record<string, Answer>) => {
    const { fetch } = fakeFetch({ ...healthy, ...answers });
    const measurement = await prometheusProvider(config, { fetch, timeoutMs: 50 }).measure(context);
    expect(measurement).toEqual({ errorRate: null, p95LatencyMs: null, requests: null, unavailable: expect.any(String) });
    expect(measurement.unavailable).not.toContain('s3cr3t');
    return measurement.unavailable;
  };

  it('shows the start of an answer that is not the Prometheus API (a proxy 502)', async () => {
    expect(await unavailable({ increase: { status: 502, body: '<html>\n  <body>Bad   gateway</body></html>' } })).toBe(
      'Prometheus at https://metrics.example/prometheus answered HTTP 502 with something that is not the Prometheus API: <html> <body>Bad gateway</body></html>',
    );
  });

  it.each([503, 504, 429])('reads HTTP %i as unavailable', async (status) => {
    expect(await unavailable({ increase: { status, body: { status: 'error', errorType: 'unavailable', error: 'busy' } } })).toMatch(new RegExp(`HTTP ${status}, unavailable: busy`));
  });

  it('says why it could not connect', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED 10.0.0.7:9090') });
    expect(await unavailable({ increase: refused })).toBe('Prometheus at https://metrics.example/prometheus did not answer: connect ECONNREFUSED 10.0.0.7:9090');
    // Several addresses (localhost: ::1 and 127.0.0.1): an AggregateError with an empty message.
    const both = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:9090'), new Error('connect ECONNREFUSED 127.0.0.1:9090')], ''), { code: 'ECONNREFUSED' }) });
    expect(await unavailable({ increase: both })).toBe('Prometheus at https://metrics.example/prometheus did not answer: connect ECONNREFUSED ::1:9090');
  });

  it('times out a slow answer', async () => {
    const hanging = ((_: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch;
    const measurement = await prometheusProvider(config, { fetch: hanging, timeoutMs: 50 }).measure(context);
    expect(measurement.unavailable).toBe('Prometheus at https://metrics.example/prometheus did not answer within 0.05 s');
    expect(measurement.gateError).toBeUndefined();
  });

  it('rejects with the reason when cancelled, rather than calling it a gate error', async () => {
    const hanging = ((_: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)))) as typeof fetch;
    const controller = new AbortController();
    const reason = new Error('workflow cancelled');
    const measuring = prometheusProvider(config, { fetch: hanging, timeoutMs: 10_000 }).measure(context, controller.signal);
    controller.abort(reason);
    await expect(measuring).rejects.toBe(reason);
  });
});

describe('prometheus provider: ping', () => {
  it('asks vector(1)', async () => {
    const { fetch, requests } = fakeFetch({ 'vector(1)': vector('1') });
    await expect(prometheusProvider(config, { fetch }).ping()).resolves.toBeUndefined();
    expect(requests[0]?.url.searchParams.get('query')).toBe('vector(1)');
  });

  it('rejects with where it looked and what went wrong', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: new Error('getaddrinfo ENOTFOUND metrics.example') });
    const { fetch } = fakeFetch({ 'vector(1)': refused });
    await expect(prometheusProvider(config, { fetch }).ping()).rejects.toThrow('Prometheus at https://metrics.example/prometheus did not answer: getaddrinfo ENOTFOUND metrics.example');
    const { fetch: denied } = fakeFetch({ 'vector(1)': { status: 403, body: 'Forbidden' } });
    await expect(prometheusProvider(config, { fetch: denied }).ping()).rejects.toThrow('Prometheus at https://metrics.example/prometheus answered HTTP 403: check the credentials in prometheus-headers');
  });
});

describe('prometheus provider through the bake: a passing 502', () => {
  it('asks again within the sample period, so one proxy 502 does not abort a healthy canary', async () => {
    const { bake } = await import('../src/slo/bake.js');
    let now = Date.parse('2026-11-26T10:00:00Z');
    const clock = { now: () => new Date(now), sleep: async (ms: number) => void (now += ms) };
    let calls = 0;
    const flaky = (async (input: string | URL | Request, init?: RequestInit) => {
      calls += 1;
      // The first request of the second sample meets a proxy's 502; everything else is healthy.
      if (calls === 4) return new Response('<html>Bad Gateway</html>', { status: 502 });
      return fakeFetch(healthy).fetch(input, init);
    }) as typeof fetch;
    const result = await bake(prometheusProvider(config, { fetch: flaky }), context, { ...slo, windowMinutes: 1 }, clock);
    expect(result.verdict).toBe('within');
    expect(result.samples.map((s) => s.verdict)).toEqual(['within', 'within', 'within']);
    expect(result.samples.every((s) => s.errorRate === 0.0012)).toBe(true);
  });
});
