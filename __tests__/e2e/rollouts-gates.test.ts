// The gate kinds of v2 end to end through dist/index.js (contract "Rollouts as teams write them"):
// a timed pause gated while it lasts, a canary stopped by someone else mid-bake seen within one
// sample interval and reported at the weight in force, and a pause re-added by a stale controller
// cache promoted once more.
import type { RequestRecord } from '../../sim/kube/index.js';
import { loadFixture } from '../../sim/kube/fixtures/rollouts/index.js';
import { RolloutsPlugin } from '../../sim/kube/plugin.js';
import { ROLLOUT, STABLE_IMAGE, type World } from '../../sim/world.js';
import { worldPerTest } from './per-test-world.js';

const start = worldPerTest();
const plan = (p: object) => ({ SLO_PLAN: JSON.stringify(p) });
const image = (w: World) => (w.kube.getRollout('prod', 'checkout-api').spec.template as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image;
const statusWrites = (w: World) => w.kube.writes().filter((r: RequestRecord) => r.path.endsWith('/rollouts/checkout-api/status')).map((r: RequestRecord) => JSON.stringify(r.body));

describe('timed pauses', () => {
  it('a timed pause is gated while it lasts: the controller advances, nothing is promoted by us', async () => {
    const w = await start({ rollout: { ...ROLLOUT, replicas: 10, steps: [{ setWeight: 10 }, { pause: { duration: 4 } }, { setWeight: 50 }, { pause: {} }] } });
    const run = await w.run({ slo: '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.05, interval_seconds: 0.5}' });
    expect(run.code).toBe(0);
    const result = run.json('devops/status/deploy-result.json');
    expect(result.steps.map((s: { weight: number; gate: string }) => `${s.weight}:${s.gate}`)).toEqual(['10:timed-pause', '50:pause', '100:full']);
    const timed = result.steps[0];
    expect(timed.samples.length).toBeGreaterThan(0);
    expect(timed.passed_by).toMatch(/^timed pause 4s: SLO gate /);
    // One promote only: the indefinite pause at 50%; the timed one was left to the controller.
    expect(statusWrites(w).filter((b) => b.includes('pauseConditions'))).toHaveLength(1);
    expect(run.report()).toContain('timed pause (the controller advances)');
  });

  it('a timed pause far longer than step-timeout-minutes: waited out after the bake, not taken for a stuck step', async () => {
    const w = await start({ rollout: { ...ROLLOUT, replicas: 10, steps: [{ setWeight: 10 }, { pause: { duration: 8 } }, { setWeight: 50 }, { pause: {} }] } });
    const run = await w.run({ slo: '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.02, interval_seconds: 0.5}', 'step-timeout-minutes': '0.04' });
    expect(run.code).toBe(0);
    expect(run.json('devops/status/deploy-result.json').steps.map((s: { weight: number; outcome: string }) => `${s.weight}:${s.outcome}`)).toEqual(['10:passed', '50:passed', '100:passed']);
  });

  it('the controller moving on before the window is sampled: the samples taken decide, and the report says the bake was shortened', async () => {
    const w = await start({ rollout: { ...ROLLOUT, replicas: 10, steps: [{ setWeight: 10 }, { pause: { duration: 20 } }, { setWeight: 50 }, { pause: {} }] } });
    let jumped = false;
    const run = await w.run({ slo: '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.2, interval_seconds: 0.5}' }, {
      onLine: (line) => {
        // After our first sample at 10%, the simulated clock jumps past the pause's end: the
        // controller moves on long before the 12 s window is sampled.
        if (!jumped && line.includes('sample 10% +')) {
          jumped = true;
          w.kube.advance(30_000);
        }
      },
    });
    expect(run.code).toBe(0);
    const timed = run.json('devops/status/deploy-result.json').steps[0];
    expect(timed).toMatchObject({ weight: 10, gate: 'timed-pause', outcome: 'passed', shortened: true });
    expect(timed.samples.length).toBeGreaterThan(0);
    expect(timed.samples.length).toBeLessThan(25);
    expect(timed.passed_by).toMatch(/shortened to \d+ samples?/);
    expect(run.report()).toContain('(shortened: the controller moved on)');
  });

  it('a breach during a timed pause aborts at its weight (exit 3) before the controller moves on', async () => {
    const w = await start({ rollout: { ...ROLLOUT, replicas: 10, steps: [{ setWeight: 10 }, { pause: { duration: 30 } }, { setWeight: 50 }, { pause: {} }] } });
    const run = await w.run({ slo: '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.05, interval_seconds: 0.5}' }, { env: plan({ 10: { error_rate: 0.2 } }) });
    expect(run.code).toBe(3);
    expect(run.outputs['aborted-at-step']).toBe('10');
    expect(run.json('devops/status/deploy-result.json')).toMatchObject({ state: 'slo_breach', aborted_at_step: 10, tripped: { metric: 'error_rate', value: 0.2 } });
    expect(statusWrites(w)).toContain('{"status":{"abort":true}}');
    expect(image(w)).toBe(STABLE_IMAGE);
  });

  it('refuses a timed pause shorter than the window plus one sample, naming the step and the fix, before any write', async () => {
    const w = await start({ rollout: { ...ROLLOUT, replicas: 10, steps: [{ setWeight: 10 }, { pause: { duration: '2m' } }, { setWeight: 50 }, { pause: {} }] } });
    const run = await w.run({ slo: '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 5, interval_seconds: 30}' });
    expect(run.code).toBe(1);
    expect(run.report()).toContain('step 2 is');
    expect(run.report()).toContain('shorter than the SLO window (5 min) plus one sample (30 s): make it');
    expect(run.report()).toContain('or at least');
    expect(run.report()).toContain('5m30s');
    expect(w.kube.writes()).toEqual([]);
  });
});

describe('the health watch beside the bake', () => {
  it('a canary aborted by someone else mid-bake is seen within one sample interval and reported at the weight in force', async () => {
    const w = await start();
    const plugin = new RolloutsPlugin(w.kube.kubeconfig());
    let abortedAt = 0;
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
    const run = await w.run({ slo: '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.5, interval_seconds: 2}' }, {
      onSpawn: (c) => (child = c),
      onLine: (line) => {
        if (line.includes('paused at 25%') && !abortedAt) {
          abortedAt = Date.now();
          // Someone else stops the canary while our 25% bake waits for its next sample.
          void plugin.patchStatus('prod', 'checkout-api', { abort: true }).catch(() => child?.kill('SIGKILL'));
        }
      },
    });
    expect(run.code).toBe(3);
    expect(run.outputs['aborted-at-step']).toBe('25');
    const result = run.json('devops/status/deploy-result.json');
    expect(result).toMatchObject({ state: 'degraded', aborted_at_step: 25, tripped: { weight: 25 } });
    // Noticed between two samples: well within one interval (2 s) of the abort.
    const noticedAfterMs = Date.parse(result.tripped.at) - abortedAt;
    expect(noticedAfterMs).toBeLessThan(2000);
    const step = result.steps.at(-1);
    expect(step).toMatchObject({ weight: 25, outcome: 'degraded' });
    expect(step.share).toBeGreaterThan(0);
    expect(image(w)).toBe(STABLE_IMAGE);
    console.log(`abort by someone else noticed ${noticedAfterMs} ms later (sample interval 2000 ms)`);
  });
});

describe('a stale controller cache (Argo ≤ v1.9.1, reference §9.4)', () => {
  it('re-pauses the step just promoted: promoted once more, noted, and the release goes on', async () => {
    const w = await start();
    w.kube.controller.staleCache('checkout-api');
    const run = await w.run();
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('released');
    expect(run.report()).toContain('paused again at the same index after the promote');
    const completed = w.kube.controller.events.filter((e) => e.reason === 'RolloutStepCompleted').map((e) => e.message);
    expect(completed).toContain('Rollout step 4/5 completed (pause)');
  });
});

describe('analysis decides (AnalysisRuns read through the Kubernetes API)', () => {
  /** A world whose only Rollout is the fixture, Healthy on its v1 image. */
  async function fixtureWorld(name: string): Promise<World> {
    const w = await start({ rollout: false });
    w.kube.addManifests(loadFixture(name), { namespace: 'prod', image: `ghcr.io/acme/${name}:v1` });
    return w;
  }
  const inputsFor = (name: string) => ({ service: name, container: name, image: `ghcr.io/acme/${name}` });

  it('a failed inline analysis: the controller aborts, exit 3, the report names the analysis and the failing metric', async () => {
    const w = await fixtureWorld('analysis-inline');
    w.kube.controller.scriptAnalysis('analysis-inline', {
      kind: 'Step', phase: 'Failed', afterMs: 400,
      metricResults: [{ name: 'success-rate', phase: 'Failed', message: 'result [0.81] below 0.95', measurements: [{ value: '[0.81]', phase: 'Failed' }] }],
    });
    const run = await w.run(inputsFor('analysis-inline'));
    expect(run.code).toBe(3);
    expect(run.outputs['aborted-at-step']).toBe('20');
    const result = run.json('devops/status/deploy-result.json');
    expect(result).toMatchObject({ state: 'analysis_failed', aborted_at_step: 20, tripped: { metric: 'success-rate', weight: 20 } });
    expect(result.tripped.detail).toMatch(/^AnalysisRun analysis-inline-\S+ \(analysis step 2\) Failed: metric "success-rate" Failed/);
    expect(run.report()).toContain('### Analysis');
    expect(run.report()).toContain('success-rate');
    expect(w.kube.getRollout('prod', 'analysis-inline').status).toMatchObject({ phase: 'Healthy' });
  });

  it('a successful inline analysis passes its gate; the report shows the run and its result', async () => {
    const w = await fixtureWorld('analysis-inline');
    w.kube.controller.scriptAnalysis('analysis-inline', { kind: 'Step', phase: 'Successful', afterMs: 300, metricResults: [{ name: 'success-rate', phase: 'Successful', measurements: [{ value: '[0.99]', phase: 'Successful' }] }] });
    const run = await w.run(inputsFor('analysis-inline'));
    expect(run.code).toBe(0);
    const step = run.json('devops/status/deploy-result.json').steps[0];
    expect(step).toMatchObject({ weight: 20, gate: 'analysis', outcome: 'passed' });
    expect(step.analysis).toEqual([expect.objectContaining({ kind: 'AnalysisRun', type: 'Step', step_index: 1, phase: 'Successful' })]);
  });

  it('an analysis that runs longer than step-timeout-minutes is waited for, not rolled back: it decides', async () => {
    const w = await fixtureWorld('analysis-inline');
    w.kube.controller.scriptAnalysis('analysis-inline', { kind: 'Step', phase: 'Successful', afterMs: 6000 });
    const run = await w.run({ ...inputsFor('analysis-inline'), 'step-timeout-minutes': '0.04' });
    expect(run.code).toBe(0);
    expect(run.report()).toContain('still running at 20% after step-timeout-minutes: waiting for its result');
    expect(run.json('devops/status/deploy-result.json').steps[0]).toMatchObject({ weight: 20, gate: 'analysis', outcome: 'passed' });
  });

  it('a failed experiment step: the controller aborts, exit 3, the report names the Experiment', async () => {
    const w = await fixtureWorld('experiment-step');
    w.kube.controller.scriptExperiment('experiment-step', { phase: 'Failed', afterMs: 400, message: 'canary-preview template failed its analysis' });
    const run = await w.run(inputsFor('experiment-step'));
    expect(run.code).toBe(3);
    expect(run.outputs['aborted-at-step']).toBe('25');
    const result = run.json('devops/status/deploy-result.json');
    expect(result).toMatchObject({ state: 'analysis_failed', aborted_at_step: 25 });
    expect(result.tripped.detail).toMatch(/^Experiment experiment-step-\S+ \(experiment\) Failed/);
  });

  it('an inconclusive background analysis (paused InconclusiveAnalysisRun) is a breach: exit 3, never waited out', async () => {
    const w = await fixtureWorld('analysis-background');
    w.kube.controller.scriptAnalysis('analysis-background', { kind: 'Background', phase: 'Inconclusive', afterMs: 300, metricResults: [{ name: 'success-rate', phase: 'Inconclusive' }] });
    const run = await w.run({ ...inputsFor('analysis-background'), slo: '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.1, interval_seconds: 0.5}', 'step-timeout-minutes': '2' });
    expect(run.code).toBe(3);
    expect(run.outputs['aborted-at-step']).toBe('20');
    const result = run.json('devops/status/deploy-result.json');
    expect(result).toMatchObject({ state: 'analysis_inconclusive', aborted_at_step: 20, tripped: { metric: 'success-rate' } });
    expect(result.tripped.detail).toContain('an inconclusive analysis is a breach');
    // Seen by the health watch, not after a step timeout.
    expect(Date.parse(result.finished) - Date.parse(result.started)).toBeLessThan(30_000);
  });
});
