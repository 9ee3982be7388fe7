// The canary end to end: dist/index.js drives the simulated Argo Rollouts controller through
// 5 → 25 → 100 with the command SLO provider, and rolls back when anything goes wrong.
import type { RequestRecord } from '../../sim/kube/index.js';
import { NEW_IMAGE, ROLLOUT, STABLE_IMAGE, type World } from '../../sim/world.js';
import { worldPerTest } from './per-test-world.js';

const start = worldPerTest();

/** `METHOD path [body]` of each cluster write, for asserting exactly what was sent (the release lock's Lease apart: lock.test.ts). */
function kubeWrites(w: World): string[] {
  return w.kube.writes().filter((r: RequestRecord) => !r.path.includes('/leases')).map((r: RequestRecord) => `${r.method} ${r.path.replace('/apis/argoproj.io/v1alpha1/namespaces/prod/', '')}${r.method === 'PATCH' ? ` ${JSON.stringify(r.body)}` : ''}`);
}
const image = (w: World) => (w.kube.getRollout('prod', 'checkout-api').spec.template as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image;
const status = (w: World) => w.kube.getRollout('prod', 'checkout-api').status!;
const plan = (p: object) => ({ SLO_PLAN: JSON.stringify(p) });
/** The promote as sent: a JSON Patch to /status, conditional on the step index and canary it judged. */
const promoteAt = (stepIndex: number, hash: string) =>
  `PATCH rollouts/checkout-api/status ${JSON.stringify([{ op: 'test', path: '/status/currentStepIndex', value: stepIndex }, { op: 'test', path: '/status/currentPodHash', value: hash }, { op: 'remove', path: '/status/pauseConditions' }])}`;

describe('canary', () => {
  it('releases cleanly 5 → 25 → 100, promoting only at each pause', async () => {
    const w = await start();
    const run = await w.run();
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('released');
    expect(run.report().split('\n')[0]).toBe('# RELEASED — checkout-api v2.14.0 → prod');
    expect(kubeWrites(w)).toEqual(['PUT rollouts/checkout-api', promoteAt(1, status(w).currentPodHash!), promoteAt(3, status(w).currentPodHash!)]);
    expect(image(w)).toBe(NEW_IMAGE);
    expect(status(w)).toMatchObject({ phase: 'Healthy' });
    expect(status(w).stableRS).toBe(status(w).currentPodHash);
    const result = run.json('devops/status/deploy-result.json');
    expect(result.state).toBe('promoted');
    expect(result.steps.map((s: { weight: number; outcome: string }) => `${s.weight}:${s.outcome}`)).toEqual(['5:passed', '25:passed', '100:passed']);
    for (const step of result.steps) expect(step.samples.length).toBeGreaterThan(0);
    expect(result.steps[0].samples[0]).toMatchObject({ error_rate: 0.001, p95_latency_ms: 120, verdict: 'within' });
    expect(run.report()).toContain('```mermaid');
    expect(w.github.state.resolve('tags/v2.14.0')).toBeDefined();
  });

  it('breach at 25%: aborts at the status subresource, undoes, ends Healthy on the stable image, exit 3', async () => {
    const w = await start();
    const run = await w.run({}, { env: plan({ 25: { error_rate: 0.05, p95_latency_ms: 140 } }) });
    expect(run.code).toBe(3);
    expect(run.outputs.result).toBe('aborted');
    expect(run.outputs['aborted-at-step']).toBe('25');
    expect(run.report().split('\n')[0]).toMatch(/^# ABORTED/);
    const writes = kubeWrites(w);
    const canaryHash = run.json('devops/status/deploy-result.json').canary_hash as string;
    expect(writes.slice(0, 3)).toEqual(['PUT rollouts/checkout-api', promoteAt(1, canaryHash), 'PATCH rollouts/checkout-api/status {"status":{"abort":true}}']);
    expect(writes[3]).toMatch(/^PATCH rollouts\/checkout-api \[\{"op":"replace","path":"\/spec\/template"/);
    expect(writes).toHaveLength(4);
    expect(image(w)).toBe(STABLE_IMAGE);
    expect(status(w)).toMatchObject({ phase: 'Healthy' });
    expect(run.json('devops/status/deploy-result.json')).toMatchObject({
      state: 'slo_breach', aborted_at_step: 25,
      tripped: { metric: 'error_rate', value: 0.05, threshold: 0.01, weight: 25 },
      rollback: { status: 'rolled-back', mode: 'abort+undo' },
    });
    expect(run.report()).toContain('error_rate 0.05 over threshold 0.01 at 25%');
  });

  it('breach while baking at 100%: undo, then promoteFull, back to the stable image', async () => {
    const w = await start();
    const run = await w.run({}, { env: plan({ 100: { p95_latency_ms: 950 } }) });
    expect(run.code).toBe(3);
    expect(run.outputs['aborted-at-step']).toBe('100');
    const writes = kubeWrites(w);
    expect(writes.filter((x) => x.includes('"abort"'))).toEqual([]);
    expect(writes.slice(-2)[0]).toMatch(/^PATCH rollouts\/checkout-api \[\{"op":"replace","path":"\/spec\/template"/);
    expect(writes.at(-1)).toBe('PATCH rollouts/checkout-api/status {"status":{"promoteFull":true}}');
    expect(image(w)).toBe(STABLE_IMAGE);
    expect(status(w)).toMatchObject({ phase: 'Healthy' });
    expect(run.json('devops/status/deploy-result.json')).toMatchObject({ state: 'slo_breach', tripped: { metric: 'p95_latency_ms', value: 950, threshold: 300 }, rollback: { mode: 'undo+promoteFull', status: 'rolled-back' } });
  });

  it('Degraded at 25% (ProgressDeadlineExceeded) is handled like a breach', async () => {
    // 10 replicas: 25% needs more canary pods than 5% (3 vs 1), so the failing pods appear at 25%.
    const w = await start({ rollout: { ...ROLLOUT, replicas: 10, progressDeadlineSeconds: 1 } });
    w.kube.controller.degradeAt('checkout-api', 25);
    const run = await w.run();
    expect(run.code).toBe(3);
    expect(run.outputs['aborted-at-step']).toBe('25');
    expect(run.json('devops/status/deploy-result.json')).toMatchObject({ state: 'degraded', tripped: { metric: 'ProgressDeadlineExceeded' } });
    expect(image(w)).toBe(STABLE_IMAGE);
  });

  it('a step not reached within step-timeout-minutes ends the canary', async () => {
    const w = await start({ rollout: { ...ROLLOUT, replicas: 10 } });
    w.kube.controller.stall('checkout-api', { atStepIndex: 2 });
    const run = await w.run({ 'step-timeout-minutes': '0.05' });
    expect(run.code).toBe(3);
    expect(run.json('devops/status/deploy-result.json')).toMatchObject({ state: 'step_timeout', aborted_at_step: 25 });
    expect(run.report()).toContain('step 25% not reached within 0.05 min');
  });

  // v2 (contract "Rollouts as teams write them"): a timed pause no longer refuses by itself; an
  // explicit canary-steps that differs from the Rollout's setWeight steps does, printing both.
  it('steps that do not match canary-steps: exit 1 with both sequences and the steps block, no tag, no cluster write', async () => {
    const w = await start({ rollout: { ...ROLLOUT, replicas: 20, steps: [{ setWeight: 10 }, { pause: {} }, { setWeight: 50 }, { pause: {} }] } });
    const run = await w.run({ 'canary-steps': '5,25,100' });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(run.report()).toContain("Rollout checkout-api's setWeight steps give 10 → 50 → 100%, canary-steps asks for 5 → 25 → 100%. Set canary-steps to `auto`");
    expect(run.report()).toContain('```yaml\nsteps:\n  - setWeight: 5\n  - pause: {}\n  - setWeight: 25\n  - pause: {}\n  - setWeight: 100\n```');
    expect(kubeWrites(w)).toEqual([]);
    expect(w.github.writes()).toEqual([]);
  });

  it('a 409 on the image PUT is read again and retried', async () => {
    const w = await start();
    w.kube.faults.add({ method: 'PUT', status: 409, times: 1 });
    const run = await w.run();
    expect(run.code).toBe(0);
    expect(kubeWrites(w).filter((x) => x.startsWith('PUT'))).toHaveLength(2);
    expect(run.report()).toContain('after 1 conflict');
  });

  it('a controller that reaches the pause late: no step is skipped', async () => {
    const w = await start({ kube: { reactionDelayMs: 700 } });
    const run = await w.run();
    expect(run.code).toBe(0);
    const completed = w.kube.controller.events.filter((e) => e.reason === 'RolloutStepCompleted').map((e) => e.message);
    expect(completed).toEqual([
      'Rollout step 1/5 completed (setWeight: 5)', 'Rollout step 2/5 completed (pause)',
      'Rollout step 3/5 completed (setWeight: 25)', 'Rollout step 4/5 completed (pause)',
      'Rollout step 5/5 completed (setWeight: 100)',
    ]);
    expect(w.kube.controller.events.filter((e) => e.reason === 'RolloutPaused')).toHaveLength(2);
    expect(kubeWrites(w).filter((x) => x.includes('/status'))).toHaveLength(2);
  });

  it('dry run: preflight and a server-side dry-run image patch, nothing written', async () => {
    const w = await start();
    const run = await w.run({ 'dry-run': 'true' });
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('dry-run');
    expect(run.outputs.tag).toBe('');
    expect(run.report().split('\n')[0]).toMatch(/^# DRY-RUN/);
    expect(kubeWrites(w)).toEqual([]);
    expect(w.kube.requests.filter((r) => r.dryRun).map((r) => `${r.method} ${r.query.dryRun}`)).toEqual(['PUT All']);
    expect(w.github.writes()).toEqual([]);
    expect(image(w)).toBe(STABLE_IMAGE);
  });

  it('under workloadRef: sets the image on the Deployment and rolls it back there', async () => {
    const w = await start({ rollout: { ...ROLLOUT, workloadRef: true } });
    const deploymentImage = () => (w.kube.getDeployment('prod', 'checkout-api').spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image;
    const run = await w.run({}, { env: plan({ 25: { error_rate: 0.05 } }) });
    expect(run.code).toBe(3);
    const writes = w.kube.writes().filter((r: RequestRecord) => !r.path.includes('/leases')).map((r: RequestRecord) => `${r.method} ${r.path}`);
    expect(writes[0]).toBe('PUT /apis/apps/v1/namespaces/prod/deployments/checkout-api');
    expect(writes.at(-1)).toBe('PATCH /apis/apps/v1/namespaces/prod/deployments/checkout-api');
    expect(deploymentImage()).toBe(STABLE_IMAGE);
    expect(status(w)).toMatchObject({ phase: 'Healthy' });
    expect(run.json('devops/status/deploy-result.json')).toMatchObject({ state: 'slo_breach', rollback: { status: 'rolled-back' } });
  });

  it('a slow controller after the undo still reads as a completed rollback, not as our own abort', async () => {
    const w = await start({ kube: { reactionDelayMs: 300 } });
    const run = await w.run({}, { env: plan({ 25: { error_rate: 0.05 } }) });
    expect(run.code).toBe(3);
    expect(run.json('devops/status/deploy-result.json').rollback).toMatchObject({ status: 'rolled-back' });
    expect(image(w)).toBe(STABLE_IMAGE);
  });

  it('a 503 on the abort is sent again: production still goes back to stable', async () => {
    const w = await start();
    const run = await w.run({}, { env: plan({ 5: { error_rate: 0.05 } }) });
    expect(run.code).toBe(3);
    w.kube.faults.add({ method: 'PATCH', path: /\/status$/, status: 503, times: 1 });
    const again = await w.run({ version: 'v2.14.1', digest: `sha256:${'d'.repeat(64)}` }, { env: plan({ 5: { error_rate: 0.05 } }) });
    expect(again.code).toBe(3);
    expect(w.kube.writes().filter((r: RequestRecord) => r.path.endsWith('/status') && r.status === 503)).toHaveLength(1);
    expect(again.json('devops/status/deploy-result.json').rollback).toMatchObject({ status: 'rolled-back' });
    expect(image(w)).toBe(STABLE_IMAGE);
  });

  it('a cancelled run (SIGINT) rolls back, writes its report and exits 3', async () => {
    const w = await start();
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
    const run = await w.run({ slo: '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 1, interval_seconds: 5}' }, {
      onSpawn: (c) => (child = c),
      onLine: (line) => {
        if (line.includes('paused at 5%')) child?.kill('SIGINT');
      },
    });
    expect(run.code).toBe(3);
    expect(run.outputs.result).toBe('aborted');
    expect(run.json('devops/status/deploy-result.json')).toMatchObject({ state: 'cancelled', aborted_at_step: 5, rollback: { status: 'rolled-back' } });
    expect(image(w)).toBe(STABLE_IMAGE);
  });
});
