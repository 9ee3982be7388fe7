// No run ever promotes a canary it did not write, through dist/index.js: someone sets another
// image on the Rollout while the canary bakes at 5% — the run stops, exit 1, FAILED, naming the
// image and pod-template hash it found, and leaves that canary alone (neither promoted nor rolled
// back: it is not this run's). And preflight refuses what would bypass the canary altogether.
import { DEPLOYMENTS } from '../../sim/kube/resources.js';
import { RolloutsPlugin } from '../../sim/kube/plugin.js';
import { NEW_IMAGE, ROLLOUT, STABLE_IMAGE } from '../../sim/world.js';
import { worldPerTest } from './per-test-world.js';
import { rendered } from './report-text.js';

const start = worldPerTest();
const HOTFIX = 'ghcr.io/acme/checkout-api:hotfix-7';
const templateImage = (template: unknown) => (template as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image;

describe('ownership of the canary', () => {
  it('a canary replaced by someone else mid-release is never promoted: exit 1, FAILED, naming image and hash', async () => {
    const w = await start();
    // 3 s per gate: time for someone else to step in while the 5% gate bakes.
    const running = w.run({ slo: '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.05, interval_seconds: 0.5}' });
    const ours = await w.kube.waitForRollout('prod', 'checkout-api', (ro) => templateImage(ro.spec.template) === NEW_IMAGE && ro.status?.phase === 'Paused', { timeoutMs: 30_000 });
    const ourHash = ours.status!.currentPodHash!;
    await new RolloutsPlugin(w.kube.kubeconfig()).setImage('prod', 'checkout-api', 'checkout-api', HOTFIX);
    const run = await running;

    const theirs = w.kube.getRollout('prod', 'checkout-api');
    const theirHash = theirs.status!.currentPodHash!;
    expect(theirHash).not.toBe(ourHash);
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(run.report().split('\n')[0]).toMatch(/^# FAILED/);
    expect(rendered(run.report())).toContain(`${HOTFIX} (pod-template hash ${theirHash})`);
    expect(rendered(run.report())).toContain("Not rolled back: the canary is not this run's");
    // Their canary was neither promoted nor undone by the run: still their image, never fully promoted.
    expect(templateImage(theirs.spec.template)).toBe(HOTFIX);
    expect(theirs.status!.stableRS).not.toBe(theirHash);
    const mine = w.kube.writes().filter((r) => r.path.includes('/rollouts/checkout-api'));
    expect(mine.filter((r) => JSON.stringify(r.body ?? '').includes('"abort"'))).toEqual([]);
    // Every promote the run sent was conditional on its own canary.
    const promotes = mine.filter((r) => r.path.endsWith('/status') && JSON.stringify(r.body ?? '').includes('pauseConditions'));
    for (const p of promotes) expect(p.body).toEqual(expect.arrayContaining([{ op: 'test', path: '/status/currentPodHash', value: ourHash }]));
    expect(w.kube.writes().filter((r) => r.path.includes('/leases')).at(-1)).toMatchObject({ method: 'DELETE' });
  }, 60_000);

  it('refuses a workloadRef whose Deployment still runs pods, naming the Deployment; nothing written', async () => {
    const w = await start({ rollout: { ...ROLLOUT, workloadRef: true } });
    w.kube.store.mutate(DEPLOYMENTS, 'prod', 'checkout-api', (d) => ({ ...d, spec: { ...(d.spec as object), replicas: 6 } }));
    const run = await w.run();
    expect(run.code).toBe(1);
    expect(run.report().split('\n')[0]).toMatch(/^# FAILED/);
    expect(rendered(run.report())).toContain('Deployment checkout-api (the workloadRef of Rollout checkout-api) still asks for 6 pods');
    expect(w.kube.writes()).toEqual([]);
    expect(w.github.state.resolve('tags/v2.14.0')).toBeUndefined();
    expect(templateImage((w.kube.getDeployment('prod', 'checkout-api').spec as { template: unknown }).template)).toBe(STABLE_IMAGE);
  });

  it('warns, before anything is written, when the stable would be scaled down during the 100% bake', async () => {
    const w = await start({ rollout: { ...ROLLOUT, trafficRouting: true } });
    const run = await w.run({ slo: '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.6, interval_seconds: 0.2}', 'dry-run': 'true' });
    expect(run.code).toBe(0);
    // As a workflow warning (the runner's command encoding turns % into %25) and in the report.
    expect(run.stdout).toMatch(/^::warning::scaleDownDelaySeconds is 30 s \(the default with traffic routing\), shorter than the 100%25 bake \(36 s\)/m);
    expect(rendered(run.report())).toContain('set spec.strategy.canary.scaleDownDelaySeconds to at least 37 on Rollout checkout-api');
  });
});
