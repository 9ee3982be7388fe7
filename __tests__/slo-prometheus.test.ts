// The Prometheus provider and the gate against a real Prometheus (Debian package `prometheus`)
// scraping sim/metrics/exporter.ts every second. Windows are 10 s so the file runs in ~20 s.
// Without /usr/bin/prometheus this file is left out with one line saying how to run it, and under
// CI=true the run fails (scripts/prometheus-tests.js).
import { createServer, type AddressInfo } from 'node:net';
import { setInterval as every } from 'node:timers/promises';
import { systemClock } from '../src/clock.js';
import type { Slo } from '../src/settings.js';
import { bake, type Sample } from '../src/slo/bake.js';
import { prometheusProvider } from '../src/slo/prometheus.js';
import type { Measurement, SloContext, SloProviderBackend } from '../src/slo/provider.js';
import { startExporter, type Exporter } from '../sim/metrics/exporter.js';
import { startPrometheus, type PrometheusServer } from '../sim/metrics/prometheus.js';

const slo: Slo = { errorRateMax: 0.05, p95LatencyMs: 300, windowMinutes: 10 / 60, intervalSeconds: 2, minRequests: 50, noData: 'breach' };
const context: SloContext = { service: 'checkout-api', namespace: 'prod', version: 'v2.14.0', sha: 'a'.repeat(40), step: 25, canaryHash: 'c4n4ry', stableHash: 'st4b1e', slo };

let exporter: Exporter | undefined;
let prometheus: PrometheusServer | undefined;
let provider: SloProviderBackend;

beforeAll(async () => {
  exporter = await startExporter({
    // The canary: 2% 5xx (and 3% 4xx, which are not errors), p95 190 ms, 100 req/s.
    canary: { namespace: 'prod', hash: 'c4n4ry', rps: 100, errorRatio: 0.02, clientErrorRatio: 0.03, p95Ms: 190 },
    // Traffic that must not be mixed in: the stable pods, and the same hash in another namespace.
    stable: { namespace: 'prod', hash: 'st4b1e', rps: 300, errorRatio: 0.001, p95Ms: 40 },
    elsewhere: { namespace: 'staging', hash: 'c4n4ry', rps: 50, errorRatio: 0.5, p95Ms: 2000 },
    idle: { namespace: 'prod', hash: '1d1e', rps: 0 },
    slow: { namespace: 'prod', hash: 's10w', rps: 100, errorRatio: 0.001, p95Ms: 900 },
  });
  prometheus = await startPrometheus({ targets: [exporter.target] });
  provider = prometheusProvider({ url: prometheus.url, headers: { 'X-Scope-OrgID': 'sim' } });
});

afterAll(async () => {
  await prometheus?.stop();
  await exporter?.stop();
});

/** The first measurement with both values, once Prometheus has two scrapes to rate. */
async function firstData(ctx: SloContext, p = provider): Promise<Measurement> {
  let last: Measurement | undefined;
  for await (const _ of every(250, undefined, { signal: AbortSignal.timeout(10_000) })) {
    last = await p.measure(ctx);
    if (last.errorRate !== null && last.p95LatencyMs !== null) return last;
  }
  throw new Error(`no data: ${JSON.stringify(last)}`);
}

describe('Prometheus provider on a real Prometheus', () => {
  it("measures the canary's error ratio and p95, without stable pods or other namespaces", async () => {
    const m = await firstData(context);
    expect(m.errorRate).toBeCloseTo(0.02, 3);
    // True p95 190 ms: the estimate must fall in the bucket holding it, (150 ms, 200 ms].
    expect(m.p95LatencyMs).toBeGreaterThan(150);
    expect(m.p95LatencyMs).toBeLessThanOrEqual(200);
    expect(m.requests).toBeGreaterThan(50);
  });

  it('runs user templates with {{stable_hash}} and the other placeholders', async () => {
    const stable = prometheusProvider({
      url: prometheus!.url,
      headers: {},
      errorRateQuery: 'sum(rate(http_requests_total{namespace="{{namespace}}",rollouts_pod_template_hash="{{stable_hash}}",status=~"5.."}[{{window}}])) / sum(rate(http_requests_total{namespace="{{namespace}}",rollouts_pod_template_hash="{{stable_hash}}"}[{{window}}]))',
      latencyQuery: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="{{namespace}}",rollouts_pod_template_hash="{{stable_hash}}"}[{{window}}])))',
    });
    const m = await firstData(context, stable);
    expect(m.errorRate).toBeCloseTo(0.001, 4);
    expect(m.p95LatencyMs).toBeGreaterThan(25);
    expect(m.p95LatencyMs).toBeLessThanOrEqual(50);
  });

  it('reads an idle canary (0/0 = NaN) and an unknown one (empty vector) as no data, not zero', async () => {
    const anyTraffic = { ...slo, minRequests: 0 };
    expect(await provider.measure({ ...context, canaryHash: '1d1e', slo: anyTraffic })).toEqual({ errorRate: null, p95LatencyMs: null, requests: 0 });
    expect(await provider.measure({ ...context, canaryHash: 'n0ne', slo: anyTraffic })).toEqual({ errorRate: null, p95LatencyMs: null, requests: null });
  });

  it("turns a query that does not aggregate, or does not parse, into a gate error with Prometheus' words", async () => {
    const perStatus = prometheusProvider({ url: prometheus!.url, headers: {}, errorRateQuery: 'sum by (status) (rate(http_requests_total{namespace="{{namespace}}"}[{{window}}]))' });
    expect((await perStatus.measure(context)).gateError).toMatch(/^the error-rate-query returned 3 series \(.*"status":.*\) where one value is needed: aggregate it/);
    const broken = prometheusProvider({ url: prometheus!.url, headers: {}, latencyQuery: 'histogram_quantile(0.95, ' });
    expect((await broken.measure(context)).gateError).toMatch(/rejected the latency-query \(HTTP 400, bad_data: .*parse error/);
  });

  it('answers the ping, and a Prometheus that is not there does not', async () => {
    await expect(provider.ping()).resolves.toBeUndefined();
    const port = await closedPort();
    await expect(prometheusProvider({ url: `http://127.0.0.1:${port}`, headers: {} }).ping()).rejects.toThrow(`Prometheus at http://127.0.0.1:${port} did not answer: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('fails a slow canary on p95 at once, with the value and the threshold', async () => {
    const result = await bake(provider, { ...context, canaryHash: 's10w' }, slo, systemClock);
    expect(result.verdict).toBe('breach');
    expect(result.samples).toHaveLength(1);
    const [latency] = result.breach!.breaches;
    expect(latency).toMatchObject({ metric: 'p95_latency_ms', threshold: 300 });
    // True p95 900 ms: in the (500 ms, 1 s] bucket.
    expect(latency!.value).toBeGreaterThan(500);
    expect(latency!.value).toBeLessThanOrEqual(1000);
  });
});

describe('startPrometheus', () => {
  it('fails with how to install Prometheus when the binary is missing', async () => {
    await expect(startPrometheus({ targets: [], binary: '/nonexistent/prometheus' })).rejects.toThrow(
      'Prometheus is not installed at /nonexistent/prometheus: install the Debian package (apt-get update && apt-get install -y prometheus); CI installs it',
    );
  });
});

describe('SLO gate on a real Prometheus', () => {
  it('passes good canary traffic through the whole window', async () => {
    const samples: Sample[] = [];
    const result = await bake(provider, context, slo, systemClock, { onSample: (s) => samples.push(s) });
    expect(result.verdict).toBe('within');
    // One sample in each 2 s period of the window, on its schedule: on the real clock a loaded
    // machine may start one late, never in another period (rounding the seconds was flaky).
    expect(samples).toHaveLength(6);
    samples.forEach((s, i) => {
      expect(s.elapsedSeconds).toBeGreaterThanOrEqual(2 * i - 0.05);
      expect(s.elapsedSeconds).toBeLessThan(2 * i + 2);
    });
    for (const sample of samples) {
      expect(sample.errorRate).toBeCloseTo(0.02, 3);
      expect(sample.verdict).toBe('within');
    }
    // 100 req/s over the 10 s window, give or take Prometheus' extrapolation at the window edges.
    expect(samples.at(-1)!.requests).toBeGreaterThan(850);
    expect(samples.at(-1)!.requests).toBeLessThan(1150);
  });

  it('breaches soon after the canary turns bad, naming the metric, its value and its threshold', async () => {
    exporter!.set('canary', { errorRatio: 0.5 });
    const switched = Date.now();
    const result = await bake(provider, context, slo, systemClock);
    expect(result.verdict).toBe('breach');
    const breach = result.breach!;
    expect(breach.breaches).toContainEqual({ metric: 'error_rate', value: breach.errorRate, threshold: 0.05 });
    expect(breach.errorRate!).toBeGreaterThan(0.05);
    expect(breach.thresholds).toEqual({ errorRateMax: 0.05, p95LatencyMs: 300 });
    // 10 s window, 1 s scrapes, 2 s samples: a 50% error ratio shows within a couple of samples.
    expect(Date.parse(breach.at) - switched).toBeLessThan(6000);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
