/** The simulated Argo Rollouts controller against reference §2-§6, driven the way the plugin drives it. */
import { SimKube, type Rollout } from '../sim/kube/index.js';
import { RolloutsPlugin } from '../sim/kube/plugin.js';
import { rawRequest } from '../sim/kube/raw.js';

const NS = 'prod';
const NAME = 'checkout-api';
const V1 = 'ghcr.io/acme/checkout-api:v1';
const V2 = 'ghcr.io/acme/checkout-api:v2';

const observed = (ro: Rollout): boolean => ro.status?.observedGeneration === String(ro.metadata.generation);
const pausedAt = (index: number) => (ro: Rollout): boolean =>
  observed(ro) && ro.status?.phase === 'Paused' && ro.status.currentStepIndex === index
  && ro.status.pauseConditions?.[0]?.reason === 'CanaryPauseStep';
const healthy = (ro: Rollout): boolean => observed(ro) && ro.status?.phase === 'Healthy' && ro.status.stableRS === ro.status.currentPodHash;
const imageOf = (ro: Rollout): string | undefined => ro.spec.template?.spec?.containers?.[0]?.image;

describe('simulated Argo Rollouts controller', () => {
  let sim: SimKube;
  let plugin: RolloutsPlugin;
  const until = (predicate: (ro: Rollout) => boolean, timeoutMs = 5000): Promise<Rollout> => sim.waitForRollout(NS, NAME, predicate, { timeoutMs });
  const reasons = (since = 0): string[] => sim.controller.events.filter((e) => e.at >= since).map((e) => e.reason);

  async function start(seed: Partial<Parameters<SimKube['addRollout']>[0]> = {}, opts: Parameters<typeof SimKube.start>[0] = {}): Promise<Rollout> {
    sim = await SimKube.start(opts);
    plugin = new RolloutsPlugin(sim.kubeconfig());
    return sim.addRollout({ namespace: NS, name: NAME, image: V1, ...seed });
  }
  afterEach(() => sim.stop());

  it('seeds a Healthy, fully promoted rollout (initial deploy skips the steps)', async () => {
    const ro = await start();
    expect(ro.status).toMatchObject({ phase: 'Healthy', observedGeneration: '1', currentStepIndex: 4, replicas: 4, availableReplicas: 4 });
    expect(ro.status?.stableRS).toBe(ro.status?.currentPodHash);
    expect(ro.status?.message).toBeUndefined();
    expect(sim.controller.events.map((e) => e.message)).toContain(`Completed rollout update to revision 1 (${ro.status?.stableRS}): Initial deploy`);
    const [rs] = sim.listReplicaSets(NS);
    expect(rs?.metadata.name).toBe(`${NAME}-${ro.status?.currentPodHash}`);
    expect(rs?.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('1');
    expect(rs?.spec.template?.metadata?.labels?.['rollouts-pod-template-hash']).toBe(ro.status?.currentPodHash);
  });

  it('walks the canary: pause after 5%, promote, pause after 25%, promote, Healthy', async () => {
    const seeded = await start();
    await plugin.setImage(NS, NAME, NAME, V2);
    const first = await until(pausedAt(1));
    expect(first.status).toMatchObject({
      controllerPause: true, message: 'CanaryPauseStep', replicas: 5, updatedReplicas: 1, availableReplicas: 5, canary: {},
      stableRS: seeded.status?.stableRS,
    });
    expect(first.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'RolloutPaused' });
    expect(first.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('2');

    await plugin.promote(NS, NAME);
    // Right after the promote: condition gone, controllerPause still set, until the controller observes it.
    const resumed = sim.getRollout(NS, NAME);
    if (resumed.status?.currentStepIndex === 1) expect(resumed.status).toMatchObject({ controllerPause: true, phase: 'Paused' });
    const second = await until(pausedAt(3));
    expect(second.status).toMatchObject({ updatedReplicas: 1, replicas: 4 });

    await plugin.promote(NS, NAME);
    const done = await until(healthy);
    expect(done.status).toMatchObject({ currentStepIndex: 4, replicas: 4, updatedReplicas: 4 });
    expect(done.status?.controllerPause).toBeUndefined();
    expect(sim.listReplicaSets(NS).map((rs) => rs.spec.replicas).sort()).toEqual([0, 4]);
    expect(sim.controller.events.filter((e) => e.reason === 'RolloutStepCompleted').map((e) => e.message)).toEqual([
      'Rollout step 1/4 completed (setWeight: 5)', 'Rollout step 2/4 completed (pause)',
      'Rollout step 3/4 completed (setWeight: 25)', 'Rollout step 4/4 completed (pause)',
    ]);
  });

  it('lets a promote sent while not paused skip a step, like the real controller', async () => {
    await start({ replicas: 10 });
    sim.controller.stall(NAME, { atStepIndex: 0 });
    await plugin.setImage(NS, NAME, NAME, V2);
    await until((ro) => observed(ro) && ro.status?.currentStepIndex === 0 && ro.status.updatedReplicas === 1);
    await plugin.promote(NS, NAME); // at setWeight 5, not paused: the plugin writes currentStepIndex 1
    await until(pausedAt(1));
    expect(sim.controller.events.some((e) => e.message.includes('completed (setWeight: 5)'))).toBe(false);
  });

  it('reproduces the stale-read race: a promote computed before the pause resumes the next pause', async () => {
    await start();
    await plugin.setImage(NS, NAME, NAME, V2);
    await until(pausedAt(1));
    await plugin.promote(NS, NAME);
    await until((ro) => ro.status?.currentStepIndex === 2);
    sim.controller.pause();
    const stale = await plugin.get(NS, NAME); // index 2, no pause condition: "not paused"
    sim.controller.resume();
    await until(pausedAt(3));
    // What `promote` would send from that stale read (§2.2, row "no pauseConditions").
    await plugin.patchStatus(NS, NAME, { pauseConditions: null, currentStepIndex: (stale.status?.currentStepIndex ?? 0) + 1 });
    const ro = await until(healthy);
    expect(imageOf(ro)).toBe(V2);
    expect(reasons().filter((r) => r === 'RolloutResumed')).toHaveLength(2);
  });

  it('aborts to Degraded, then undo takes the fast rollback to stable without running steps', async () => {
    const seeded = await start();
    await plugin.setImage(NS, NAME, NAME, V2);
    await until(pausedAt(1));
    await plugin.abort(NS, NAME);
    const aborted = await until((ro) => ro.status?.phase === 'Degraded');
    expect(aborted.status).toMatchObject({
      abort: true, abortedAt: expect.any(String), currentStepIndex: 0,
      message: 'RolloutAborted: Rollout aborted update to revision 2',
    });
    expect(aborted.status?.pauseConditions).toBeUndefined();
    expect(aborted.status?.controllerPause).toBeUndefined();
    expect(aborted.status?.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'RolloutAborted' });
    await until((ro) => ro.status?.updatedReplicas === 0); // basic canary: the canary goes straight to 0

    const mark = sim.clock.now();
    await plugin.undo(NS, NAME);
    const back = await until(healthy);
    expect(back.status?.stableRS).toBe(seeded.status?.stableRS);
    expect(back.status?.abort).toBeUndefined();
    expect(imageOf(back)).toBe(V1);
    expect(reasons(mark)).toContain('SkipSteps');
    expect(reasons(mark)).not.toContain('RolloutStepCompleted');
    expect(reasons(mark)).not.toContain('RolloutPaused');
  });

  it('retries an aborted canary from step 0 and pauses at the first pause again', async () => {
    await start({ trafficRouting: true });
    await plugin.setImage(NS, NAME, NAME, V2);
    await until(pausedAt(1));
    await plugin.abort(NS, NAME);
    await until((ro) => ro.status?.phase === 'Degraded');
    await plugin.retry(NS, NAME);
    const ro = await until(pausedAt(1));
    expect(ro.status?.abortedAt).toBeUndefined();
    expect(ro.status?.abort).toBe(false);
    expect(ro.status?.canary?.weights?.canary.weight).toBe(5);
  });

  it('after full promotion, undo starts a canary of the old version; promoteFull makes it Healthy', async () => {
    await start();
    await plugin.setImage(NS, NAME, NAME, V2);
    await until(pausedAt(1));
    await plugin.promote(NS, NAME);
    await until(pausedAt(3));
    await plugin.promote(NS, NAME);
    await until(healthy);

    await plugin.undo(NS, NAME);
    const canary = await until(pausedAt(1));
    expect(imageOf(canary)).toBe(V1);
    expect(canary.metadata.annotations?.['rollout.argoproj.io/revision']).toBe('3');
    await plugin.promoteFull(NS, NAME);
    const ro = await until(healthy);
    expect(ro.status?.promoteFull).toBeUndefined();
    expect(reasons()).toContain('RolloutCompleted');
    const reused = sim.listReplicaSets(NS).find((rs) => rs.metadata.annotations?.['rollout.argoproj.io/revision'] === '3');
    expect(reused?.metadata.annotations?.['rollout.argoproj.io/revision-history']).toBe('1');
  });

  it('turns Degraded with ProgressDeadlineExceeded when canary pods never come up (not while paused)', async () => {
    await start({ replicas: 10, progressDeadlineSeconds: 30 });
    sim.controller.degradeAt(NAME, 25);
    await plugin.setImage(NS, NAME, NAME, V2);
    await until(pausedAt(1));
    sim.advance(120_000);
    await new Promise((r) => setTimeout(r, 60));
    expect(sim.getRollout(NS, NAME).status?.phase).toBe('Paused');
    await plugin.promote(NS, NAME);
    await until((ro) => ro.status?.currentStepIndex === 2 && ro.status.updatedReplicas === 3);
    await new Promise((r) => setTimeout(r, 60));
    sim.advance(31_000);
    const ro = await until((r) => r.status?.phase === 'Degraded');
    expect(ro.status?.message).toMatch(/^ProgressDeadlineExceeded: ReplicaSet "checkout-api-\w+" has timed out progressing\.$/);
    expect(ro.status?.abort).toBeUndefined();
    sim.controller.heal(NAME);
    await until(pausedAt(3));
  });

  it('drives a workloadRef rollout from the Deployment without touching the Rollout generation', async () => {
    const seeded = await start({ workloadRef: true });
    expect(seeded.spec.template).toBeUndefined();
    await plugin.setImage(NS, NAME, NAME, V2);
    const ro = await until(pausedAt(1));
    const deployment = sim.getDeployment(NS, NAME);
    expect(deployment.metadata.generation).toBe(2);
    expect(ro.metadata.generation).toBe(seeded.metadata.generation);
    expect(ro.metadata.annotations?.['rollout.argoproj.io/workload-generation']).toBe('2');
    expect(ro.status?.workloadObservedGeneration).toBe('2');
    await plugin.abort(NS, NAME);
    await until((r) => r.status?.phase === 'Degraded');
    await plugin.undo(NS, NAME);
    await until(healthy);
    expect((sim.getDeployment(NS, NAME).spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]?.image).toBe(V1);
  });

  it('routes traffic by weight, keeps stable full, and delays the aborted canary scale-down', async () => {
    const seeded = await start({ trafficRouting: true });
    await plugin.setImage(NS, NAME, NAME, V2);
    const ro = await until(pausedAt(1));
    expect(ro.status).toMatchObject({
      replicas: 5, updatedReplicas: 1,
      canary: { weights: {
        canary: { weight: 5, podTemplateHash: ro.status?.currentPodHash, serviceName: `${NAME}-canary` },
        stable: { weight: 95, podTemplateHash: seeded.status?.stableRS, serviceName: `${NAME}-stable` },
      } },
    });
    await plugin.abort(NS, NAME);
    const aborted = await until((r) => r.status?.phase === 'Degraded');
    expect(aborted.status?.canary?.weights).toMatchObject({ canary: { weight: 0 }, stable: { weight: 100 } });
    await new Promise((r) => setTimeout(r, 80));
    const canaryRS = sim.listReplicaSets(NS).find((rs) => rs.metadata.labels?.['rollouts-pod-template-hash'] === ro.status?.currentPodHash);
    expect(canaryRS?.spec.replicas).toBe(1);
    expect(canaryRS?.metadata.annotations?.['scale-down-deadline']).toEqual(expect.any(String));
    sim.advance(31_000);
    await until((r) => r.status?.updatedReplicas === 0 && r.status.replicas === 4);
  });

  it('reaches the pause late with a slow controller (reactionDelayMs)', async () => {
    await start({}, { reactionDelayMs: 300 });
    await plugin.setImage(NS, NAME, NAME, V2);
    await new Promise((r) => setTimeout(r, 150));
    const early = sim.getRollout(NS, NAME);
    expect(early.status?.observedGeneration).toBe('1');
    expect(early.metadata.generation).toBe(2);
    await until(pausedAt(1));
  });

  it('holds a step forever with stall(), and pause()/resume() stop and restart the whole controller', async () => {
    await start({ replicas: 10 });
    sim.controller.stall(NAME, { atStepIndex: 2 });
    await plugin.setImage(NS, NAME, NAME, V2);
    await until(pausedAt(1));
    await plugin.promote(NS, NAME);
    await until((ro) => ro.status?.currentStepIndex === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.getRollout(NS, NAME).status).toMatchObject({ currentStepIndex: 2, phase: 'Progressing' });

    sim.controller.heal(NAME);
    sim.controller.pause();
    await new Promise((r) => setTimeout(r, 150));
    expect(sim.getRollout(NS, NAME).status?.currentStepIndex).toBe(2);
    sim.controller.resume();
    await until(pausedAt(3));
  });

  it('re-pauses a step the user just resumed when its cache missed the pause (staleCache, issue #720)', async () => {
    await start();
    sim.controller.staleCache(NAME);
    await plugin.setImage(NS, NAME, NAME, V2);
    await until(pausedAt(1));
    await plugin.promote(NS, NAME);
    const repaused = await until((ro) => pausedAt(1)(ro) && ro.status?.controllerPause === true);
    const resumes = reasons().filter((r) => r === 'RolloutResumed');
    expect(resumes).toHaveLength(0);
    expect(repaused.status?.pauseConditions).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.getRollout(NS, NAME).status?.currentStepIndex).toBe(1);
    await plugin.promote(NS, NAME); // the one-shot is spent: this one gets through
    await until(pausedAt(3));
  });

  it('reports an invalid spec as InvalidSpec / Degraded', async () => {
    await start();
    await plugin.custom.patchNamespacedCustomObject({
      group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts', namespace: NS, name: NAME,
      body: [{ op: 'replace', path: '/spec/strategy/canary/steps/0/setWeight', value: 150 }],
    });
    const ro = await until((r) => r.status?.phase === 'Degraded');
    expect(ro.status?.message).toBe('InvalidSpec: The Rollout "checkout-api" is invalid: spec.strategy.canary.steps[0].setWeight: Invalid value: 150: SetWeight needs to be between 0 and 100');
  });

  it('ignores dryRun=All writes entirely', async () => {
    const seeded = await start();
    const body = structuredClone(seeded);
    body.spec.template!.spec!.containers![0]!.image = V2;
    const res = await rawRequest(sim, 'PUT', `/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts/${NAME}?dryRun=All`, { body });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ metadata: { generation: 2 } });
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.getRollout(NS, NAME)).toEqual(seeded);
    expect(sim.listReplicaSets(NS)).toHaveLength(1);
    expect(sim.writes()).toHaveLength(0);
  });
});
