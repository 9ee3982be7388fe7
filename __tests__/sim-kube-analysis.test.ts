/** AnalysisRuns and Experiments of the simulated controller against rollout/analysis.go and rollout/experiment.go. */
import { SimKube, type Rollout } from '../sim/kube/index.js';
import type { KObject } from '../sim/kube/types.js';
import { loadFixture } from '../sim/kube/fixtures/rollouts/index.js';
import { RolloutsPlugin } from '../sim/kube/plugin.js';
import { rawRequest } from '../sim/kube/raw.js';

const NS = 'analysis';

describe('AnalysisRuns and Experiments', () => {
  let sim: SimKube;
  let plugin: RolloutsPlugin;
  beforeEach(async () => {
    sim = await SimKube.start({ podReadyMs: 10 });
    plugin = new RolloutsPlugin(sim.kubeconfig());
  });
  afterEach(() => sim.stop());

  const seed = (fixture: string): Rollout => sim.addManifests(loadFixture(fixture), { namespace: NS })[0] as Rollout;
  const release = (name: string): Promise<void> => plugin.setImage(NS, name, name, `ghcr.io/acme/${name}:v2`);
  const until = (name: string, p: (ro: Rollout) => boolean): Promise<Rollout> => sim.waitForRollout(NS, name, p, { timeoutMs: 5000 });
  const at = (index: number, phase = 'Paused') => (ro: Rollout): boolean => ro.status?.currentStepIndex === index && ro.status.phase === phase;
  const list = async (plural: string, labelSelector?: string): Promise<KObject[]> => {
    const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const res = await rawRequest(sim, 'GET', `/apis/argoproj.io/v1alpha1/namespaces/${NS}/${plural}${q}`);
    expect(res.status).toBe(200);
    return (res.json as { items: KObject[] }).items;
  };
  const progressing = (ro: Rollout): string | undefined => ro.status?.conditions?.find((c) => c.type === 'Progressing')?.message;

  it('an inline analysis step creates a labelled, owned AnalysisRun and holds the step until it succeeds', async () => {
    sim.controller.analysisMs = 60_000; // held until the clock moves
    seed('analysis-inline');
    await release('analysis-inline');
    const held = await until('analysis-inline', (ro) => ro.status?.currentStepIndex === 1 && !!ro.status.canary?.currentStepAnalysisRunStatus);
    const hash = held.status?.currentPodHash ?? '';
    const name = `analysis-inline-${hash}-2-1`;
    expect(held.status?.canary?.currentStepAnalysisRunStatus).toEqual({ name, status: 'Running' });
    const [run, ...more] = await list('analysisruns', 'rollout-type=Step,step-index=1');
    expect(more).toHaveLength(0);
    expect(run?.metadata).toMatchObject({
      name,
      labels: { 'rollouts-pod-template-hash': hash, 'rollout-type': 'Step', 'step-index': '1', app: 'analysis-inline' },
      annotations: { 'rollout.argoproj.io/revision': '2' },
      ownerReferences: [{ kind: 'Rollout', name: 'analysis-inline', uid: held.metadata.uid, controller: true }],
    });
    // The template's metric, its {{args.service-name}} filled in from the step's args.
    expect(JSON.stringify(run?.spec)).toContain('service=\\"analysis-inline\\"');
    sim.advance(60_000);
    const next = await until('analysis-inline', at(3));
    expect(next.status?.canary?.currentStepAnalysisRunStatus).toBeUndefined();
    const [done] = await list('analysisruns', `rollouts-pod-template-hash=${hash}`);
    expect(done?.status).toMatchObject({ phase: 'Successful', metricResults: [{ name: 'success-rate', phase: 'Successful' }] });
  });

  it('a Failed step analysis aborts with Argo\'s message: Degraded, canary scaled away', async () => {
    sim.controller.scriptAnalysis('analysis-inline', {
      phase: 'Failed', metricResults: [{ name: 'success-rate', phase: 'Failed', message: 'success rate 0.81' }],
    });
    seed('analysis-inline');
    await release('analysis-inline');
    const ro = await until('analysis-inline', (r) => r.status?.phase === 'Degraded');
    const detail = 'Step-based analysis phase error/failed: Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1): "Error Message: success rate 0.81"';
    expect(progressing(ro)).toBe(`Rollout aborted update to revision 2: ${detail}`);
    expect(ro.status).toMatchObject({ abort: true, message: `RolloutAborted: Rollout aborted update to revision 2: ${detail}` });
    expect(sim.controller.events.find((e) => e.reason === 'RolloutAborted')?.message).toBe(`Rollout aborted update to revision 2: ${detail}`);
    // The condition keeps its detail on later passes (SetRolloutCondition keeps same status + reason).
    const settled = await until('analysis-inline', (r) => r.status?.updatedReplicas === 0 && (r.status.availableReplicas ?? 0) === 5);
    expect(progressing(settled)).toBe(`Rollout aborted update to revision 2: ${detail}`);
  });

  it('an Error run aborts too; the run keeps its metric results for the report', async () => {
    sim.controller.scriptAnalysis('analysis-inline', { phase: 'Error', metricResults: [{ name: 'success-rate', phase: 'Error', message: 'connection refused' }] });
    seed('analysis-inline');
    await release('analysis-inline');
    const ro = await until('analysis-inline', (r) => r.status?.phase === 'Degraded');
    expect(progressing(ro)).toContain('Step-based analysis phase error/failed: Metric "success-rate" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4)');
    const [run] = await list('analysisruns');
    expect(run?.status).toMatchObject({ phase: 'Error', metricResults: [{ name: 'success-rate', phase: 'Error', message: 'connection refused' }] });
  });

  it('an Inconclusive step analysis pauses with InconclusiveAnalysisRun; the plugin\'s promote moves past it', async () => {
    sim.controller.scriptAnalysis('analysis-inline', { phase: 'Inconclusive', stepIndex: 1 });
    seed('analysis-inline');
    await release('analysis-inline');
    const paused = await until('analysis-inline', (r) => r.status?.phase === 'Paused');
    expect(paused.status).toMatchObject({
      message: 'InconclusiveAnalysisRun', controllerPause: true, currentStepIndex: 1,
      pauseConditions: [{ reason: 'InconclusiveAnalysisRun' }],
      canary: { currentStepAnalysisRunStatus: { status: 'Inconclusive' } },
    });
    const writes = sim.controller.writes.length;
    sim.controller.tick();
    sim.controller.tick();
    expect(sim.controller.writes.filter((w) => w.resource === 'replicasets.apps').length).toBe(sim.controller.writes.slice(0, writes).filter((w) => w.resource === 'replicasets.apps').length);
    await plugin.promote(NS, 'analysis-inline');
    const promote = sim.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/status')).at(-1);
    expect(promote?.body).toEqual({ status: { pauseConditions: null, controllerPause: false, currentStepIndex: 2 } });
    const next = await until('analysis-inline', at(3));
    expect(next.status?.pauseConditions?.[0]?.reason).toBe('CanaryPauseStep');
  });

  it('background analysis runs through the update and is terminated (Successful, "Run Terminated") at promotion', async () => {
    seed('analysis-background');
    await release('analysis-background');
    const first = await until('analysis-background', at(1));
    const hash = first.status?.currentPodHash ?? '';
    expect(first.status?.canary?.currentBackgroundAnalysisRunStatus).toEqual({ name: `analysis-background-${hash}-2`, status: 'Running' });
    const [bg] = await list('analysisruns', 'rollout-type=Background');
    expect(bg?.metadata.labels).toEqual({ 'rollouts-pod-template-hash': hash, 'rollout-type': 'Background', app: 'analysis-background' });
    await plugin.promoteFull(NS, 'analysis-background');
    const done = await until('analysis-background', (r) => r.status?.phase === 'Healthy' && r.status.stableRS === hash);
    expect(done.status?.canary?.currentBackgroundAnalysisRunStatus).toBeUndefined();
    const [ended] = await list('analysisruns', 'rollout-type=Background');
    expect(ended).toMatchObject({ spec: { terminate: true }, status: { phase: 'Successful', message: 'Run Terminated' } });
  });

  it('a Failed background analysis aborts the rollout mid-pause', async () => {
    sim.controller.scriptAnalysis('analysis-background', { phase: 'Failed', kind: 'Background', afterMs: 60_000 });
    seed('analysis-background');
    await release('analysis-background');
    await until('analysis-background', at(1));
    sim.advance(60_000);
    const ro = await until('analysis-background', (r) => r.status?.phase === 'Degraded');
    expect(progressing(ro)).toBe('Rollout aborted update to revision 2: Background analysis phase error/failed: Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)');
    expect(ro.status?.abortedAt).toBeDefined();
  });

  it('background analysis with startingStep starts only at that step', async () => {
    seed('analysis-background-starting-step');
    await release('analysis-background-starting-step');
    await until('analysis-background-starting-step', at(1));
    expect(await list('analysisruns')).toHaveLength(0);
    await plugin.promote(NS, 'analysis-background-starting-step');
    const third = await until('analysis-background-starting-step', at(3));
    expect(third.status?.canary?.currentBackgroundAnalysisRunStatus?.status).toBe('Running');
    expect(await list('analysisruns', 'rollout-type=Background')).toHaveLength(1);
  });

  it('an Inconclusive background run pauses; a promote starts a new run (name.1), as needsNewAnalysisRun says', async () => {
    sim.controller.scriptAnalysis('analysis-background', { phase: 'Inconclusive', kind: 'Background', afterMs: 0 });
    seed('analysis-background');
    await release('analysis-background');
    const paused = await until('analysis-background', (r) => r.status?.pauseConditions?.some((c) => c.reason === 'InconclusiveAnalysisRun') ?? false);
    const name = paused.status?.canary?.currentBackgroundAnalysisRunStatus?.name ?? '';
    expect(paused.status?.canary?.currentBackgroundAnalysisRunStatus?.status).toBe('Inconclusive');
    await plugin.promote(NS, 'analysis-background');
    const resumed = await until('analysis-background', (r) => r.status?.canary?.currentBackgroundAnalysisRunStatus?.name === `${name}.1`);
    expect(resumed.status?.canary?.currentBackgroundAnalysisRunStatus?.status).toBe('Running');
  });

  it('an experiment step creates an Experiment, holds the step, and moves on when it succeeds', async () => {
    sim.controller.experimentMs = 60_000;
    seed('experiment-step');
    await release('experiment-step');
    const held = await until('experiment-step', (r) => r.status?.currentStepIndex === 1 && !!r.status.canary?.currentExperiment);
    const hash = held.status?.currentPodHash ?? '';
    expect(held.status?.canary?.currentExperiment).toBe(`experiment-step-${hash}-2-1`);
    const [ex] = await list('experiments');
    // GetExperimentFromTemplate copies the Rollout's own metadata labels (none here) plus the hash.
    expect(ex?.metadata).toMatchObject({ labels: { 'rollouts-pod-template-hash': hash }, ownerReferences: [{ kind: 'Rollout', controller: true }] });
    expect(sim.controller.events.map((e) => e.message)).toContain(`Created Experiment 'experiment-step-${hash}-2-1'`);
    sim.advance(60_000);
    const next = await until('experiment-step', at(3));
    expect(next.status?.canary?.currentExperiment).toBeUndefined();
  });

  it('a failed experiment aborts the rollout', async () => {
    sim.controller.scriptExperiment('experiment-step', { phase: 'Failed', message: 'Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)' });
    seed('experiment-step');
    await release('experiment-step');
    const ro = await until('experiment-step', (r) => r.status?.phase === 'Degraded');
    expect(progressing(ro)).toBe('Rollout aborted update to revision 2: Experiment analysis phase is error/failed: Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)');
  });
});

describe('progress deadline during a long analysis step', () => {
  it('is not checked while an analysis step holds the rollout (isIndefiniteStep, rollout/sync.go)', async () => {
    const sim = await SimKube.start({ podReadyMs: 10 });
    try {
      sim.controller.analysisMs = 3_600_000;
      sim.addManifests(loadFixture('analysis-inline'), { namespace: NS });
      await new RolloutsPlugin(sim.kubeconfig()).setImage(NS, 'analysis-inline', 'analysis-inline', 'ghcr.io/acme/analysis-inline:v2');
      await sim.waitForRollout(NS, 'analysis-inline', (ro) => ro.status?.canary?.currentStepAnalysisRunStatus?.status === 'Running');
      sim.advance(20 * 60_000); // twice the default progressDeadlineSeconds
      sim.controller.tick();
      sim.controller.tick();
      expect(sim.getRollout(NS, 'analysis-inline').status).toMatchObject({ phase: 'Progressing', currentStepIndex: 1 });
    } finally {
      await sim.stop();
    }
  });
});
