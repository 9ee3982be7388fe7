/** Step kinds and replica arithmetic of the simulated controller, against Argo's source (reference §11). */
import { SimKube, type Rollout } from '../sim/kube/index.js';
import { basicCanarySplit } from '../sim/kube/controller/counts.js';
import { durationSeconds } from '../sim/kube/controller/steps.js';
import { validateRollout } from '../sim/kube/controller/validate.js';
import { loadFixture } from '../sim/kube/fixtures/rollouts/index.js';
import { RolloutsPlugin } from '../sim/kube/plugin.js';
import { rawRequest } from '../sim/kube/raw.js';

describe('approximateWeightedCanaryStableReplicaCounts (utils/replicaset/canary.go)', () => {
  // Rows of TestApproximateWeightedNewStableReplicaCounts (utils/replicaset/canary_test.go):
  // [replicas, weight, maxSurge, canary, stable].
  const rows: [number, number, number, number, number][] = [
    [0, 50, 1, 0, 0], [1, 0, 0, 0, 1], [1, 1, 0, 0, 1], [1, 49, 0, 0, 1], [1, 50, 0, 1, 0], [1, 100, 0, 1, 0],
    [1, 1, 1, 1, 1], [1, 50, 1, 1, 1], [1, 99, 1, 1, 1], [1, 100, 1, 1, 0],
    [2, 1, 0, 1, 1], [2, 50, 0, 1, 1], [2, 1, 1, 1, 2], [2, 50, 1, 1, 1], [2, 99, 1, 2, 1],
    [3, 10, 0, 1, 2], [3, 50, 0, 2, 1], [3, 10, 1, 1, 3], [3, 33, 1, 1, 2], [3, 49, 1, 2, 2],
    [10, 1, 0, 1, 9], [10, 15, 0, 2, 8], [10, 99, 0, 9, 1], [10, 1, 1, 1, 10], [10, 18, 1, 2, 9],
    [10, 24, 1, 3, 8], [10, 25, 1, 3, 8], [10, 99, 1, 10, 1],
  ];
  it.each(rows)('%i replicas at %i%% with surge %i: %i canary, %i stable', (replicas, weight, surge, canary, stable) => {
    expect(basicCanarySplit(replicas, weight, surge)).toEqual({ canary, stable });
  });

  it('gives a small canary far more than its weight (reference §11)', () => {
    const share = (r: number, w: number, s: number): number => {
      const x = basicCanarySplit(r, w, s);
      return Math.round((1000 * x.canary) / (x.canary + x.stable)) / 10;
    };
    expect(share(1, 5, 1)).toBe(50);
    expect(share(2, 5, 1)).toBe(33.3);
    expect(share(4, 5, 1)).toBe(20);
    expect(share(20, 5, 5)).toBe(5);
    expect(share(1, 20, 0)).toBe(0); // zeroAllowed: no canary pod at all
  });
});

describe('pause durations as Argo reads them', () => {
  // RolloutPause.DurationSeconds (pkg/apis/rollouts/v1alpha1/types.go): an int, or a string of digits,
  // is seconds; anything else goes through Go's time.ParseDuration and is truncated to whole seconds;
  // unparseable is -1. Validation refuses only a negative result (validation.go: DurationSeconds() < 0).
  it.each([
    [30, 30], ['90', 90], ['1h30m', 5400], ['1.9s', 1], ['500ms', 0], [0, 0], ['1.5m', 90], ['abc', -1], ['-5s', -5],
  ] as const)('%p is %i s', (duration, seconds) => {
    expect(durationSeconds(duration)).toBe(seconds);
  });

  const withPause = (duration: number | string): Rollout => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'p', namespace: 'ns' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'p' } },
      template: { metadata: { labels: { app: 'p' } }, spec: { containers: [{ name: 'p', image: 'p:v1' }] } },
      strategy: { canary: { steps: [{ setWeight: 50 }, { pause: { duration } }] } },
    },
  });

  it('accepts a zero pause (it ends at once) and refuses only a negative or unparseable one', () => {
    expect(validateRollout(withPause(0))).toBeUndefined();
    expect(validateRollout(withPause('500ms'))).toBeUndefined();
    expect(validateRollout(withPause('-5s'))).toBe('spec.strategy.canary.steps[1].pause.duration: Invalid value: -5: Duration needs to be greater than 0');
    expect(validateRollout(withPause('soon'))).toBe('spec.strategy.canary.steps[1].pause.duration: Invalid value: -1: Duration needs to be greater than 0');
  });
});

describe('step kinds on the simulated cluster', () => {
  let sim: SimKube;
  let plugin: RolloutsPlugin;
  const NS = 'steps';
  beforeEach(async () => {
    sim = await SimKube.start({ podReadyMs: 10 });
    plugin = new RolloutsPlugin(sim.kubeconfig());
  });
  afterEach(() => sim.stop());

  const seed = (fixture: string): Rollout => {
    const [ro] = sim.addManifests(loadFixture(fixture), { namespace: NS });
    return ro as Rollout;
  };
  const release = (name: string): Promise<void> => plugin.setImage(NS, name, name, `ghcr.io/acme/${name}:v2`);
  const pausedAt = (index: number) => (ro: Rollout): boolean =>
    ro.status?.phase === 'Paused' && ro.status.currentStepIndex === index && ro.status.observedGeneration === String(ro.metadata.generation);
  const counts = (name: string, ro: Rollout): { canary: number; stable: number } => {
    const sets = sim.listReplicaSets(NS).filter((rs) => rs.metadata.name.startsWith(`${name}-`));
    const of = (hash: string | undefined): number => sets.find((rs) => rs.metadata.labels?.['rollouts-pod-template-hash'] === hash)?.spec.replicas ?? 0;
    return { canary: of(ro.status?.currentPodHash), stable: of(ro.status?.stableRS) };
  };

  it('1 replica without traffic routing: "5%" is one canary pod beside one stable pod, 50% of traffic', async () => {
    seed('replicas-1');
    await release('replicas-1');
    const ro = await sim.waitForRollout(NS, 'replicas-1', pausedAt(1));
    expect(counts('replicas-1', ro)).toEqual({ canary: 1, stable: 1 });
    expect(ro.status).toMatchObject({ replicas: 2, updatedReplicas: 1, availableReplicas: 2, canary: {} });
  });

  it('maxSurge 0 with 1 replica: zero canary pods at 20%, the pause is reached with no canary running', async () => {
    seed('max-surge-zero-one-replica');
    await release('max-surge-zero-one-replica');
    const ro = await sim.waitForRollout(NS, 'max-surge-zero-one-replica', pausedAt(1));
    expect(counts('max-surge-zero-one-replica', ro)).toEqual({ canary: 0, stable: 1 });
    expect(ro.status?.updatedReplicas ?? 0).toBe(0);
  });

  it('maxSurge 0 with 4 replicas at 25%: the canary pod replaces a stable pod, never more than 4 pods', async () => {
    seed('max-surge-zero');
    const totals: number[] = [];
    const off = sim.store.subscribe(() => {
      totals.push(sim.listReplicaSets(NS).reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0));
    });
    await release('max-surge-zero');
    const ro = await sim.waitForRollout(NS, 'max-surge-zero', pausedAt(1));
    off();
    expect(counts('max-surge-zero', ro)).toEqual({ canary: 1, stable: 3 });
    expect(Math.max(...totals)).toBe(4);
  });

  it('maxTrafficWeight 1000: setWeight 5 is a router weight of 5 of 1000, on ceil(10 × 5/1000) = 1 pod', async () => {
    seed('max-traffic-weight');
    await release('max-traffic-weight');
    const ro = await sim.waitForRollout(NS, 'max-traffic-weight', pausedAt(1));
    expect(ro.status?.canary?.weights).toMatchObject({ canary: { weight: 5 }, stable: { weight: 995 } });
    expect(counts('max-traffic-weight', ro)).toEqual({ canary: 1, stable: 10 });
    await plugin.promote(NS, 'max-traffic-weight');
    const at250 = await sim.waitForRollout(NS, 'max-traffic-weight', pausedAt(3));
    expect(at250.status?.canary?.weights).toMatchObject({ canary: { weight: 250 }, stable: { weight: 750 } });
    expect(counts('max-traffic-weight', at250)).toEqual({ canary: 3, stable: 10 });
  });

  it('a timed pause ends by itself only once its whole duration has passed (rollout/pause.go)', async () => {
    seed('timed-pause-long');
    await release('timed-pause-long');
    const paused = await sim.waitForRollout(NS, 'timed-pause-long', pausedAt(1));
    const cond = paused.status?.pauseConditions?.[0];
    expect(cond?.reason).toBe('CanaryPauseStep');
    expect(cond?.startTime).toMatch(/:\d\dZ$/); // whole seconds
    const started = Date.parse(cond?.startTime ?? '');
    // Exactly at startTime + 10m it is not over yet ("now.After(expiredTime)").
    sim.advance(started + 600_000 - sim.clock.now());
    sim.controller.pause();
    sim.controller.tick();
    expect(sim.getRollout(NS, 'timed-pause-long').status?.currentStepIndex).toBe(1);
    sim.controller.resume();
    sim.advance(1_000);
    const next = await sim.waitForRollout(NS, 'timed-pause-long', pausedAt(3));
    expect(next.status?.canary?.weights?.canary.weight).toBe(50);
    expect(sim.controller.events.map((e) => e.message)).toContain('Rollout step 2/4 completed (pause: 10m)');
  });

  it('traffic routing: a canary short of pods at a pause keeps the router at that pause\'s weight (trafficrouting.go)', async () => {
    // reconcileTrafficRouting: not at the desired counts, the weight is the last setWeight *before the
    // current step index* — at a pause that is the pause's own weight; only a setWeight step still
    // being scaled to falls back to the one before it.
    seed('traffic-nginx');
    await release('traffic-nginx');
    await sim.waitForRollout(NS, 'traffic-nginx', pausedAt(1));
    sim.controller.podReadyMs = 3_600_000; // the pods the scale-up adds stay pending
    const scaled = await rawRequest(sim, 'PATCH', `/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts/traffic-nginx`, {
      contentType: 'application/merge-patch+json', body: { spec: { replicas: 40 } },
    });
    expect(scaled.status).toBe(200);
    const short = await sim.waitForRollout(NS, 'traffic-nginx', (ro) => ro.status?.observedGeneration === String(ro.metadata.generation) && counts('traffic-nginx', ro).canary === 2);
    expect(short.status?.currentStepIndex).toBe(1);
    expect(short.status?.canary?.weights?.canary.weight).toBe(5);
  });

  it('setCanaryScale sets the canary pods apart from the router weight until matchTrafficWeight', async () => {
    seed('set-canary-scale');
    await release('set-canary-scale');
    // Step 0 setCanaryScale {replicas: 1}, step 1 pause: one canary pod, no traffic yet.
    let ro = await sim.waitForRollout(NS, 'set-canary-scale', pausedAt(1));
    expect(counts('set-canary-scale', ro)).toEqual({ canary: 1, stable: 4 });
    expect(ro.status?.canary?.weights?.canary.weight).toBe(0);
    await plugin.promote(NS, 'set-canary-scale');
    ro = await sim.waitForRollout(NS, 'set-canary-scale', pausedAt(3));
    expect(ro.status?.canary?.weights?.canary.weight).toBe(5);
    expect(counts('set-canary-scale', ro).canary).toBe(1);
    await plugin.promote(NS, 'set-canary-scale');
    // Steps 4-6: setCanaryScale {weight: 50} → ceil(4 × 50%) = 2 pods while the router says 25.
    ro = await sim.waitForRollout(NS, 'set-canary-scale', pausedAt(6));
    expect(counts('set-canary-scale', ro)).toEqual({ canary: 2, stable: 4 });
    expect(ro.status?.canary?.weights?.canary.weight).toBe(25);
    await plugin.promote(NS, 'set-canary-scale');
    // Step 7 matchTrafficWeight, step 8 setWeight 50 → ceil(4 × 50%) = 2 pods, weight 50.
    ro = await sim.waitForRollout(NS, 'set-canary-scale', pausedAt(9));
    expect(ro.status?.canary?.weights?.canary.weight).toBe(50);
    expect(counts('set-canary-scale', ro).canary).toBe(2);
  });

  it('route and plugin steps complete at once and are recorded as completed steps', async () => {
    seed('route-steps');
    await release('route-steps');
    await sim.waitForRollout(NS, 'route-steps', pausedAt(2));
    await plugin.promote(NS, 'route-steps');
    await sim.waitForRollout(NS, 'route-steps', pausedAt(4));
    const messages = sim.controller.events.filter((e) => e.reason === 'RolloutStepCompleted').map((e) => e.message);
    expect(messages).toEqual(expect.arrayContaining(['Rollout step 2/9 completed (setHeaderRoute)', 'Rollout step 4/9 completed (setMirrorRoute)']));
    seed('plugin-step');
    await release('plugin-step');
    await sim.waitForRollout(NS, 'plugin-step', pausedAt(2));
    expect(sim.controller.events.filter((e) => e.rollout === `${NS}/plugin-step`).map((e) => e.message)).toContain('Rollout step 1/6 completed (plugin)');
  });
});

describe('traffic-routed targets (CalculateReplicaCountsForTrafficRoutedCanary)', () => {
  const ro = (canary: Record<string, unknown>, replicas = 10): Rollout => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'x' },
    spec: { replicas, strategy: { canary: { trafficRouting: { nginx: {} }, steps: [{ setWeight: 5 }, { pause: {} }, { setWeight: 60 }, { pause: {} }], ...canary } } },
  });
  const at = (index: number, extra: Record<string, unknown> = {}) => ({ stableRS: 'a', currentPodHash: 'b', currentStepIndex: index, ...extra });

  it('ceil(replicas × W / max), raised to minPodsPerReplicaSet; stable stays full', async () => {
    const { targetCounts } = await import('../sim/kube/controller/targets.js');
    expect(targetCounts(ro({}), at(1))).toEqual({ canary: 1, stable: 10 });
    expect(targetCounts(ro({ minPodsPerReplicaSet: 2 }), at(1))).toEqual({ canary: 2, stable: 10 });
    expect(targetCounts(ro({ minPodsPerReplicaSet: 20 }, 3), at(1))).toEqual({ canary: 3, stable: 3 }); // capped at replicas
  });

  it('dynamicStableScale: stable follows the larger of desired and actual stable weight', async () => {
    const { targetCounts } = await import('../sim/kube/controller/targets.js');
    const weights = (canary: number) => ({ weights: { canary: { weight: canary, podTemplateHash: 'b' }, stable: { weight: 100 - canary, podTemplateHash: 'a' } } });
    // Going 5 → 60: traffic still at 5, so stable keeps ceil(10 × 95%) = 10 pods.
    expect(targetCounts(ro({ dynamicStableScale: true }), at(3, { canary: weights(5) }))).toEqual({ canary: 6, stable: 10 });
    // Once traffic is at 60, stable shrinks to ceil(10 × 40%) = 4.
    expect(targetCounts(ro({ dynamicStableScale: true }), at(3, { canary: weights(60) }))).toEqual({ canary: 6, stable: 4 });
    // Aborted: canary keeps the pods its actual traffic needs until traffic is back on stable.
    expect(targetCounts(ro({ dynamicStableScale: true }), at(0, { abort: true, canary: weights(60) }))).toEqual({ canary: 6, stable: 10 });
  });
});
