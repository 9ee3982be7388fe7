// slo.compare: stable end to end: dist/index.js against a real Prometheus scraping canary and stable
// pods (sim/metrics/exporter.ts) labelled with the rollouts_pod_template_hash the simulated
// controller gives each ReplicaSet. Issue 9's "must show":
// - a canary with three times stable's error rate, under the absolute threshold, is aborted with
//   compare: stable and released with compare: none;
// - an identical (A/A) canary with early_promote finishes each step well before its window.
// Windows are seconds long; the action samples every second on the real clock (no test sleeps).
import { templateHashes } from '../helpers/template-hashes.js';
import { startExporter, type Exporter } from '../../sim/metrics/exporter.js';
import { startPrometheus, type PrometheusServer } from '../../sim/metrics/prometheus.js';
import { NEW_IMAGE, startWorld, type World } from '../../sim/world.js';

const AA_DIGEST = `sha256:${'d'.repeat(64)}`;

let exporter: Exporter;
let prometheus: PrometheusServer;
const hashes = { regressed: '', identical: '', stable: '' };

beforeAll(async () => {
  const { stable, canary } = await templateHashes(NEW_IMAGE, `ghcr.io/acme/checkout-api@${AA_DIGEST}`);
  Object.assign(hashes, { regressed: canary[0], identical: canary[1], stable });
  exporter = await startExporter({
    // 0.6% 5xx against stable's 0.2%: three times worse, yet under error_rate_max 1%.
    // Counts grow at exactly these rates: high ones, so that seconds of traffic carry the evidence
    // minutes would in production.
    regressed: { namespace: 'prod', hash: hashes.regressed, rps: 20_000, errorRatio: 0.006, p95Ms: 90 },
    // Exactly stable's behaviour: the A/A canary.
    identical: { namespace: 'prod', hash: hashes.identical, rps: 200_000, errorRatio: 0.002, p95Ms: 90 },
    stable: { namespace: 'prod', hash: hashes.stable, rps: 600_000, errorRatio: 0.002, p95Ms: 90 },
  });
  prometheus = await startPrometheus({ targets: [exporter.target] });
}, 30_000);

afterAll(async () => {
  await prometheus?.stop();
  await exporter?.stop();
});

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const promInputs = (slo: string) => ({ 'slo-command': '', 'prometheus-url': prometheus.url, slo });

describe('canary compared with stable, end to end on a real Prometheus', () => {
  it('compare: stable aborts a canary with 3× stable error rate that the threshold alone lets through', async () => {
    world = await startWorld();
    const run = await world.run(promInputs('{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.25, interval_seconds: 1, compare: stable}'));
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 3 });
    expect(run.outputs).toMatchObject({ result: 'aborted', 'aborted-at-step': '5' });

    const result = run.json('devops/status/deploy-result.json');
    expect(result).toMatchObject({ state: 'slo_breach', aborted_at_step: 5, canary_hash: hashes.regressed, tripped: { metric: 'error_rate_vs_stable', threshold: 1.1, weight: 5 } });
    expect(result.tripped.value).toBeCloseTo(3, 1);
    const step = result.steps[0];
    // Aborted before the window ended, every sample of the step within the absolute threshold.
    expect(step.bake_seconds).toBeLessThan(15);
    expect(step.comparison).toEqual({ alpha: 0.01, alpha_share: 0.005, tolerance: 0.1, ended_early: false });
    const last = step.samples.at(-1);
    expect(last.error_rate).toBeLessThan(0.01);
    expect(last.comparison).toMatchObject({ verdict: 'breach', decided_by: 'error_rate' });
    expect(last.comparison.metrics[0].lower).toBeGreaterThan(1.1);

    const report = run.report();
    expect(report.split('\n')[0]).toMatch(/^# ABORTED/);
    expect(report).toMatch(/### 5%: ABORTED — canary worse than stable beyond tolerance: canary error rate 3× stable's, 99% interval [\d.]+–[\d.]+× \(tolerance 1\.1×\), after \d+ s/);
    expect(report).toContain('xychart-beta');
  });

  it('compare: none releases the same canary: the threshold alone cannot see it', async () => {
    world = await startWorld();
    const run = await world.run(promInputs('{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.1, interval_seconds: 1}'));
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
    expect(run.outputs.result).toBe('released');
    expect(run.report()).not.toContain('Canary vs stable');
  });

  it('an identical canary with early_promote finishes each step well before its window; 100% bakes in full', async () => {
    world = await startWorld();
    const slo = '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.4, interval_seconds: 1, compare: stable, early_promote: true, min_window_minutes: 0.1}';
    const run = await world.run({ ...promInputs(slo), digest: AA_DIGEST });
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
    const result = run.json('devops/status/deploy-result.json');
    expect(result).toMatchObject({ state: 'promoted', canary_hash: hashes.identical });
    const byWeight = Object.fromEntries(result.steps.map((s: { weight: number }) => [s.weight, s]));
    for (const weight of [5, 25]) {
      // Window 24 s, min_window_minutes 6 s: promoted early, at or after 6 s and well before 24 s.
      expect(byWeight[weight].comparison).toMatchObject({ ended_early: true, tolerance: 0.1 });
      expect(byWeight[weight].bake_seconds).toBeGreaterThanOrEqual(6);
      expect(byWeight[weight].bake_seconds).toBeLessThan(12);
      expect(byWeight[weight].samples.at(-1).comparison.verdict).toBe('pass-early');
    }
    expect(byWeight[100].comparison).toBeUndefined();
    expect(byWeight[100].bake_seconds).toBeGreaterThanOrEqual(24);
    expect(run.report()).toMatch(/### 5%: promoted early after \d+ s of 24 s: shown within tolerance/);
  });
});
