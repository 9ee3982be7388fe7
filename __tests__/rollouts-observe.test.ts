import { locate, snapshot, type RolloutObject } from '../src/rollouts/observe.js';

function rollout(status: RolloutObject['status'], generation = 7): RolloutObject {
  return { metadata: { name: 'demo', generation }, spec: { strategy: { canary: { steps: [] } } }, status };
}
const paused = { observedGeneration: '7', phase: 'Paused', message: 'CanaryPauseStep', currentPodHash: 'new', stableRS: 'old', currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep' }], controllerPause: true };

describe('locate', () => {
  it('waits until the controller observed the spec (string vs number)', () => {
    expect(locate(snapshot(rollout({ ...paused, observedGeneration: '6' })), { weight: 5, pauseIndex: 1 })).toMatchObject({ kind: 'waiting' });
    expect(locate(snapshot(rollout(paused)), { weight: 5, pauseIndex: 1 })).toEqual({ kind: 'at-step' });
  });

  it('never takes the old version being Healthy for the new one', () => {
    const healthyOld = { observedGeneration: '6', phase: 'Healthy', currentPodHash: 'old', stableRS: 'old', currentStepIndex: 4 };
    expect(locate(snapshot(rollout(healthyOld)), { weight: 5, pauseIndex: 1 })).toMatchObject({ kind: 'waiting' });
    expect(locate(snapshot(rollout({ ...healthyOld, observedGeneration: '7' })), { weight: 100, canaryHash: 'new' })).toMatchObject({ kind: 'waiting' });
  });

  it('treats a promote the controller has not acted on as not there yet', () => {
    const resuming = { ...paused, pauseConditions: null, controllerPause: true };
    expect(locate(snapshot(rollout(resuming)), { weight: 25, pauseIndex: 3 })).toMatchObject({ kind: 'waiting', why: 'the controller has not acted on the promote yet' });
  });

  it('says a step was skipped when the rollout is past the expected pause', () => {
    expect(locate(snapshot(rollout({ ...paused, currentStepIndex: 3 })), { weight: 5, pauseIndex: 1 })).toMatchObject({ kind: 'skipped' });
  });

  it('reports Degraded with its reason', () => {
    const degraded = { observedGeneration: '7', phase: 'Degraded', message: 'ProgressDeadlineExceeded: ReplicaSet "demo-new" has timed out progressing.', currentPodHash: 'new', stableRS: 'old',
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "demo-new" has timed out progressing.' }] };
    expect(locate(snapshot(rollout(degraded)), { weight: 25, pauseIndex: 3 })).toEqual({ kind: 'degraded', reason: 'ProgressDeadlineExceeded', message: degraded.message });
  });

  it('waits out a Degraded the controller has not reconciled since the last spec change (after an undo)', () => {
    const stale = { observedGeneration: '6', phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2', currentPodHash: 'new', stableRS: 'old',
      conditions: [{ type: 'Progressing', status: 'False', reason: 'RolloutAborted' }] };
    expect(locate(snapshot(rollout(stale)), { weight: 100, canaryHash: 'old' })).toMatchObject({ kind: 'waiting' });
  });

  it('is Healthy for 100 only on the new hash, fully promoted', () => {
    const healthy = { observedGeneration: '7', phase: 'Healthy', currentPodHash: 'new', stableRS: 'new', currentStepIndex: 5 };
    expect(locate(snapshot(rollout(healthy)), { weight: 100, canaryHash: 'new' })).toEqual({ kind: 'healthy' });
  });

  it('computes the phase for controllers that write none', () => {
    expect(snapshot(rollout({ observedGeneration: '7', pauseConditions: [{ reason: 'CanaryPauseStep' }] })).phase).toBe('Paused');
    expect(snapshot(rollout({ observedGeneration: '7', conditions: [{ type: 'Progressing', status: 'False', reason: 'RolloutAborted' }] })).phase).toBe('Degraded');
  });

  it('checks the workload generation under workloadRef', () => {
    expect(snapshot(rollout({ ...paused, workloadObservedGeneration: '3' }), 4).observed).toBe(false);
    expect(snapshot(rollout({ ...paused, workloadObservedGeneration: '4' }), 4).observed).toBe(true);
  });
});

describe('locate during a rollback', () => {
  it('waits through a Degraded the reset pass persisted, until Healthy on the stable hash', () => {
    const degraded = { observedGeneration: '8', phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2', currentPodHash: 'old', stableRS: 'old',
      conditions: [{ type: 'Progressing', status: 'False', reason: 'RolloutAborted' }] };
    const r = (status: RolloutObject['status']): RolloutObject => ({ metadata: { name: 'demo', generation: 8 }, spec: {}, status });
    expect(locate(snapshot(r(degraded)), { weight: 100, canaryHash: 'old', throughDegraded: true })).toEqual({ kind: 'waiting', why: 'Degraded - RolloutAborted: Rollout aborted update to revision 2' });
    expect(locate(snapshot(r({ ...degraded, phase: 'Healthy', message: undefined, conditions: [] })), { weight: 100, canaryHash: 'old', throughDegraded: true })).toEqual({ kind: 'healthy' });
  });
});
