// The Prometheus SLO provider end to end: dist/index.js against a real Prometheus (started once)
// scraping the sim exporter, whose canary pods carry the rollouts_pod_template_hash the simulated
// controller gives the new ReplicaSet. Two releases, two images, so two canary hashes that are
// both scraped from the start and never share a rate window: one bad (20% 5xx), one good.
import { templateHashes } from '../helpers/template-hashes.js';
import { startExporter, type Exporter } from '../../sim/metrics/exporter.js';
import { startPrometheus, type PrometheusServer } from '../../sim/metrics/prometheus.js';
import { NEW_IMAGE, STABLE_IMAGE, startWorld, type World } from '../../sim/world.js';

const GOOD_DIGEST = `sha256:${'c'.repeat(64)}`;
const GOOD_IMAGE = `ghcr.io/acme/checkout-api@${GOOD_DIGEST}`;

let exporter: Exporter;
let prometheus: PrometheusServer;
const hashes: Record<'bad' | 'good' | 'stable', string> = { bad: '', good: '', stable: '' };

beforeAll(async () => {
  const { stable, canary } = await templateHashes(NEW_IMAGE, GOOD_IMAGE);
  Object.assign(hashes, { bad: canary[0], good: canary[1], stable });
  expect(stable).toBe(await templateHashes(STABLE_IMAGE).then((h) => h.canary[0]));
  exporter = await startExporter({
    'canary-bad': { namespace: 'prod', hash: hashes.bad, rps: 200, errorRatio: 0.2, p95Ms: 90 },
    'canary-good': { namespace: 'prod', hash: hashes.good, rps: 200, errorRatio: 0.001, p95Ms: 90 },
    // Never to be mixed into the canary's queries: the stable pods (healthy, they would dilute a bad
    // canary) and a pod in another namespace with the good canary's hash (90% errors, 2 s latency).
    stable: { namespace: 'prod', hash: hashes.stable, rps: 600, errorRatio: 0, p95Ms: 40 },
    elsewhere: { namespace: 'staging', hash: hashes.good, rps: 50, errorRatio: 0.9, p95Ms: 2000 },
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

const rollout = (w: World) => w.kube.getRollout('prod', 'checkout-api');
const image = (w: World) => (rollout(w).spec.template as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image;
const promInputs = (slo: string) => ({ 'slo-command': '', 'prometheus-url': prometheus.url, slo });

describe('Prometheus SLO provider, end to end', () => {
  it('breach at 5%: the canary error ratio trips the gate, abort + undo, Healthy on the stable image, exit 3', async () => {
    world = await startWorld();
    const run = await world.run(promInputs('{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.2, interval_seconds: 1}'));
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 3 });
    expect(run.outputs.result).toBe('aborted');
    expect(run.outputs['aborted-at-step']).toBe('5');
    expect(run.report().split('\n')[0]).toMatch(/^# ABORTED/);

    // The controller hashed the template exactly as computed ahead: the queries selected that canary.
    const canaryRs = world.kube.listReplicaSets('prod').find((rs) => (rs.spec?.template?.spec?.containers ?? []).some((c) => c.image === NEW_IMAGE));
    expect(canaryRs?.metadata.labels?.['rollouts-pod-template-hash']).toBe(hashes.bad);

    const result = run.json('devops/status/deploy-result.json');
    expect(result).toMatchObject({ state: 'slo_breach', aborted_at_step: 5, tripped: { metric: 'error_rate', threshold: 0.01, weight: 5 }, rollback: { status: 'rolled-back', mode: 'abort+undo' } });
    expect(result.tripped.value).toBeCloseTo(0.2, 2);
    expect(result).toMatchObject({ canary_hash: hashes.bad, stable_hash: hashes.stable });
    expect(run.report()).toMatch(/error_rate 0\.(19|2)\d* over threshold 0\.01 at 5%/);

    const statusWrites = world.kube.writes().filter((r) => r.path.endsWith('/status')).map((r) => JSON.stringify(r.body));
    expect(statusWrites).toEqual(['{"status":{"abort":true}}']);
    expect(image(world)).toBe(STABLE_IMAGE);
    expect(rollout(world).status).toMatchObject({ phase: 'Healthy', stableRS: hashes.stable, currentPodHash: hashes.stable });
  });

  it('good canary traffic at every step: 5 → 25 → 100 within SLO, exit 0', async () => {
    world = await startWorld();
    const run = await world.run({ ...promInputs('{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.1, interval_seconds: 1}'), digest: GOOD_DIGEST });
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
    expect(run.outputs.result).toBe('released');
    const result = run.json('devops/status/deploy-result.json');
    expect(result).toMatchObject({ state: 'promoted', canary_hash: hashes.good });
    expect(result.steps.map((s: { weight: number; outcome: string }) => `${s.weight}:${s.outcome}`)).toEqual(['5:passed', '25:passed', '100:passed']);
    for (const step of result.steps) {
      for (const sample of step.samples) {
        expect(sample.verdict).toBe('within');
        expect(sample.error_rate).toBeCloseTo(0.001, 3);
        // p95 90 ms: inside the (0.05, 0.1] bucket, as histogram_quantile interpolates it.
        expect(sample.p95_latency_ms).toBeGreaterThan(50);
        expect(sample.p95_latency_ms).toBeLessThanOrEqual(100);
      }
    }
    expect(image(world)).toBe(GOOD_IMAGE);
    expect(rollout(world).status).toMatchObject({ phase: 'Healthy', stableRS: hashes.good });
  });
});
