// The Prometheus provider's counters for slo.compare, against a fake fetch: which series are read,
// how each becomes a reading, and that nothing changes without compare.
import type { Slo } from '../src/settings.js';
import { prometheusProvider } from '../src/slo/prometheus.js';
import { COUNTERS, renderQuery } from '../src/slo/promql.js';
import type { SloContext } from '../src/slo/provider.js';

const slo: Slo = { errorRateMax: 0.01, p95LatencyMs: 300, windowMinutes: 5, intervalSeconds: 30, minRequests: 0, noData: 'breach', compare: { alpha: 0.01, tolerance: 0.1, earlyPromote: false, minWindowMinutes: 5 } };
const context: SloContext = { service: 'checkout-api', namespace: 'prod', version: 'v2.14.0', sha: 'a'.repeat(40), step: 25, canaryHash: 'c4n4ry', stableHash: 'st4b1e', slo };

const vector = (...series: Array<[Record<string, string>, string]>) => ({ status: 'success', data: { resultType: 'vector', result: series.map(([metric, v]) => ({ metric, value: [1764150000, v] })) } });

function fakeFetch() {
  const queries: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    const query = new URL(String(input)).searchParams.get('query') ?? '';
    queries.push(query);
    let body: unknown = vector([{}, '0.001']);
    if (query.startsWith('http_requests_total{')) {
      body = vector(
        [{ pod: 'c-1', rollouts_pod_template_hash: 'c4n4ry', status: '200' }, '990'],
        [{ pod: 'c-1', rollouts_pod_template_hash: 'c4n4ry', status: '503' }, '10'],
        [{ pod: 's-1', rollouts_pod_template_hash: 'st4b1e', status: '404' }, '50'],
      );
    }
    if (query.startsWith('http_request_duration_seconds_bucket{')) {
      body = vector([{ pod: 'c-1', rollouts_pod_template_hash: 'c4n4ry', le: '0.25' }, '900'], [{ pod: 'c-1', rollouts_pod_template_hash: 'c4n4ry', le: '+Inf' }, '1000']);
    }
    return new Response(JSON.stringify(body), { status: 200 });
  }) as typeof globalThis.fetch;
  return { fetch, queries };
}

describe('Prometheus counters for the comparison', () => {
  it('selects both groups by pod template hash, as literal regex alternatives', () => {
    expect(renderQuery(COUNTERS.requests, context)).toBe('http_requests_total{namespace="prod",rollouts_pod_template_hash=~"c4n4ry|st4b1e"}');
    expect(renderQuery(COUNTERS.buckets, { ...context, canaryHash: 'a.b+c' })).toBe('http_request_duration_seconds_bucket{namespace="prod",rollouts_pod_template_hash=~"a\\\\.b\\\\+c|st4b1e"}');
  });

  it('reads every series: requests, 5xx also as errors, buckets in ms', async () => {
    const { fetch, queries } = fakeFetch();
    const m = await prometheusProvider({ url: 'http://prom', headers: {} }, { fetch }).measure(context);
    expect(queries).toHaveLength(5);
    expect(m.counters?.origin).toBe('first-reading');
    const summary = m.counters!.readings.map((r) => `${r.group} ${r.kind}${r.leMs !== undefined ? ` ${r.leMs}` : ''} ${r.value}`);
    expect(summary).toEqual(['canary requests 990', 'canary requests 10', 'canary errors 10', 'stable requests 50', 'canary bucket 250 900', 'canary bucket Infinity 1000']);
  });

  it('asks for no counters without compare, nor when the canary and stable hashes are one', async () => {
    for (const ctx of [{ ...context, slo: { ...slo, compare: undefined } }, { ...context, stableHash: 'c4n4ry' }]) {
      const { fetch, queries } = fakeFetch();
      const m = await prometheusProvider({ url: 'http://prom', headers: {} }, { fetch }).measure(ctx);
      expect(queries).toHaveLength(3);
      expect(m.counters).toBeUndefined();
    }
  });
});
