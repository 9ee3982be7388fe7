// The comparison's counts from a REAL Prometheus: raw counters of the canary and the stable pods,
// differenced across samples, through a counter reset (a restarted pod), a pod that starts and a
// pod that goes away. The exporter runs on a clock this test moves, so every count is known exactly;
// the test waits for Prometheus to have scraped each state (polling, no sleeps).
import { setInterval as every } from 'node:timers/promises';
import type { Slo } from '../src/settings.js';
import { advanceCounters, countsOf, type CounterState } from '../src/slo/compare/counts.js';
import { prometheusProvider } from '../src/slo/prometheus.js';
import type { Measurement, SloContext } from '../src/slo/provider.js';
import { startExporter, type Exporter } from '../sim/metrics/exporter.js';
import { startPrometheus, type PrometheusServer } from '../sim/metrics/prometheus.js';

const slo: Slo = {
  errorRateMax: 0.05, p95LatencyMs: 300, windowMinutes: 10 / 60, intervalSeconds: 2, minRequests: 0, noData: 'breach',
  compare: { alpha: 0.01, tolerance: 0.1, earlyPromote: false, minWindowMinutes: 10 / 60 },
};
const context: SloContext = { service: 'checkout-api', namespace: 'prod', version: 'v2.14.0', sha: 'a'.repeat(40), step: 25, canaryHash: 'c4n4ry', stableHash: 'st4b1e', slo };

let now = 0;
let exporter: Exporter | undefined;
let prometheus: PrometheusServer | undefined;

beforeAll(async () => {
  exporter = await startExporter({
    c1: { namespace: 'prod', hash: 'c4n4ry', rps: 100, errorRatio: 0.02, clientErrorRatio: 0.01, p95Ms: 190 },
    s1: { namespace: 'prod', hash: 'st4b1e', rps: 300, errorRatio: 0.002, p95Ms: 95 },
    // Never counted: another Rollout's pods, the same hash in another namespace.
    other: { namespace: 'prod', hash: '0th3r', rps: 500, errorRatio: 0.5 },
    elsewhere: { namespace: 'staging', hash: 'c4n4ry', rps: 50, errorRatio: 0.5 },
  }, { now: () => now });
  prometheus = await startPrometheus({ targets: [exporter.target] });
});

afterAll(async () => {
  await prometheus?.stop();
  await exporter?.stop();
});

const series = (m: Measurement, group: string, kind: string) => m.counters?.readings.filter((r) => r.group === group && r.kind === kind) ?? [];
const total = (m: Measurement, group: string) => series(m, group, 'requests').reduce((s, r) => s + r.value, 0);

/** Measures until Prometheus has scraped the exporter's current state, as `ready` recognises it. */
async function scraped(ready: (m: Measurement) => boolean): Promise<Measurement> {
  const provider = prometheusProvider({ url: prometheus!.url, headers: {} });
  let last: Measurement | undefined;
  for await (const _ of every(200, undefined, { signal: AbortSignal.timeout(15_000) })) {
    last = await provider.measure(context);
    if (ready(last)) return last;
  }
  throw new Error(`Prometheus did not scrape the expected state: ${JSON.stringify(last?.counters)}`);
}

describe('counts since the step started, from raw counters on a real Prometheus', () => {
  it('survives a counter reset, a pod that starts and a pod that goes away', async () => {
    now = 10_000;
    const first = await scraped((m) => Math.abs(total(m, 'canary') - 1000) < 1e-6);
    let state: CounterState = advanceCounters(undefined, first.counters!.readings, first.counters!.origin);
    expect(countsOf(state)).toEqual({ canary: { requests: 0, errors: 0, buckets: expect.any(Array) }, stable: { requests: 0, errors: 0, buckets: expect.any(Array) } });

    now = 20_000;
    const second = await scraped((m) => Math.abs(total(m, 'canary') - 2000) < 1e-6);
    state = advanceCounters(state, second.counters!.readings, 'first-reading');

    // c1 restarts (its counters start again at 0), a second canary pod c2 starts, stable pod s1 is
    // replaced by s2. Five seconds later: c1 500, c2 500, s2 1500; s1's series are gone.
    exporter!.restart('c1');
    exporter!.place('c2', { namespace: 'prod', hash: 'c4n4ry', rps: 100, errorRatio: 0.02, clientErrorRatio: 0.01, p95Ms: 190 });
    exporter!.place('s1', undefined);
    exporter!.place('s2', { namespace: 'prod', hash: 'st4b1e', rps: 300, errorRatio: 0.002, p95Ms: 95 });
    now = 25_000;
    const third = await scraped((m) => Math.abs(total(m, 'canary') - 1000) < 1e-6 && !JSON.stringify(m.counters).includes('"s1'));
    state = advanceCounters(state, third.counters!.readings, 'first-reading');

    const counts = countsOf(state)!;
    // canary: 1000 (c1 from 10 s to 20 s) + 500 (c1 after its restart) + 500 (c2, all new).
    expect(counts.canary.requests).toBeCloseTo(2000, 6);
    expect(counts.canary.errors).toBeCloseTo(40, 6);
    // stable: 3000 (s1 from 10 s to 20 s, kept after it vanished) + 1500 (s2, all new).
    expect(counts.stable.requests).toBeCloseTo(4500, 6);
    expect(counts.stable.errors).toBeCloseTo(9, 6);
    // Buckets in ms, cumulative, ending at +Inf = requests; p95 190 ms: 95% at or below 190 ms.
    expect(counts.canary.buckets?.at(-1)).toEqual({ leMs: Infinity, count: expect.closeTo(2000, 6) });
    expect(counts.canary.buckets?.find((b) => b.leMs === 200)?.count).toBeCloseTo(2000 * Math.min(1, 200 / (190 / 0.95)), 6);
  });
});
