// The health watch beside every bake (rollouts/wait.ts watchHealth) and what it judges
// (rollouts/observe.ts trouble, locate over a gate's steps). Driven by watch events and a clock the
// test steps by hand: nothing here waits on time.
import type { Clock } from '../src/clock.js';
import type { KubePort } from '../src/kube/port.js';
import { locate, snapshot, trouble, type RolloutObject } from '../src/rollouts/observe.js';
import { watchHealth } from '../src/rollouts/wait.js';

type Status = NonNullable<RolloutObject['status']>;
const base: Status = { observedGeneration: '7', phase: 'Paused', message: 'CanaryPauseStep', currentPodHash: 'new', stableRS: 'old', currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep' }], controllerPause: true };
const ro = (status: Partial<Status>): RolloutObject => ({ metadata: { name: 'demo', generation: 7 }, spec: {}, status: { ...base, ...status } });

describe('trouble', () => {
  it('names Degraded, aborted, inconclusive and a replaced canary; nothing for a healthy pause', () => {
    expect(trouble(snapshot(ro({})), 'new')).toBeUndefined();
    expect(trouble(snapshot(ro({ phase: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 2', abort: true, conditions: [{ type: 'Progressing', status: 'False', reason: 'RolloutAborted' }] })), 'new'))
      .toMatchObject({ kind: 'degraded', reason: 'RolloutAborted' });
    // abort set, not yet reconciled into Degraded: already trouble.
    expect(trouble(snapshot(ro({ abort: true })), 'new')).toMatchObject({ kind: 'degraded', reason: 'RolloutAborted' });
    const inconclusive = ro({ pauseConditions: [{ reason: 'InconclusiveAnalysisRun' }], canary: { currentBackgroundAnalysisRunStatus: { name: 'demo-bg', status: 'Inconclusive', message: 'metric "p99" assessed Inconclusive' } } });
    expect(trouble(snapshot(inconclusive), 'new')).toEqual({ kind: 'inconclusive', reason: 'InconclusiveAnalysisRun', message: 'AnalysisRun demo-bg is Inconclusive: metric "p99" assessed Inconclusive' });
    expect(trouble(snapshot(ro({ currentPodHash: 'theirs' })), 'new')).toMatchObject({ kind: 'not-ours' });
    // Not observed yet: no verdict from a stale status.
    expect(trouble(snapshot(ro({ observedGeneration: '6', abort: true })), 'new')).toBeUndefined();
  });
});

describe('locate over a gate\'s steps', () => {
  it('is at the gate anywhere in [from, to]; waits for the pause at `from` when asked; says when the controller moved on', () => {
    const target = { weight: 20, from: 1, to: 3, canaryHash: 'new', strict: true };
    expect(locate(snapshot(ro({ currentStepIndex: 0, phase: 'Progressing', pauseConditions: [], controllerPause: false })), target)).toMatchObject({ kind: 'waiting' });
    expect(locate(snapshot(ro({ currentStepIndex: 2, phase: 'Progressing', pauseConditions: [], controllerPause: false })), target)).toEqual({ kind: 'at-step' });
    expect(locate(snapshot(ro({ currentStepIndex: 1, phase: 'Progressing', pauseConditions: [], controllerPause: false })), { ...target, paused: true })).toMatchObject({ kind: 'waiting' });
    expect(locate(snapshot(ro({ currentStepIndex: 1 })), { ...target, paused: true })).toEqual({ kind: 'at-step' });
    expect(locate(snapshot(ro({ currentStepIndex: 4, phase: 'Progressing', pauseConditions: [], controllerPause: false })), target)).toEqual({ kind: 'passed', stepIndex: 4 });
    expect(locate(snapshot(ro({ currentStepIndex: 2, abort: true })), target)).toMatchObject({ kind: 'stopped', trouble: { kind: 'degraded' } });
    expect(locate(snapshot(ro({ currentStepIndex: 2, currentPodHash: 'theirs' })), target)).toMatchObject({ kind: 'stopped', trouble: { kind: 'not-ours' } });
  });

  it('after a promote, a pause re-added at the same index reads as paused there again (stale cache), not as moved on', () => {
    const target = { weight: 5, from: 1, to: 1, paused: true, canaryHash: 'new', strict: true };
    expect(locate(snapshot(ro({ pauseConditions: null })), target)).toMatchObject({ kind: 'waiting', why: 'the controller has not acted on the promote yet' });
    expect(locate(snapshot(ro({})), target)).toEqual({ kind: 'at-step' });
    expect(locate(snapshot(ro({ currentStepIndex: 2, pauseConditions: null, controllerPause: false, phase: 'Progressing' })), target)).toEqual({ kind: 'passed', stepIndex: 2 });
  });
});

/** A clock whose sleeps end only when the test says so. */
function manualClock(): Clock & { tick(): void } {
  const sleepers: (() => void)[] = [];
  return {
    now: () => new Date('2026-11-30T10:00:00Z'),
    sleep: (_ms, signal) => new Promise<void>((resolve, reject) => {
      sleepers.push(resolve);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    }),
    tick: () => sleepers.splice(0).forEach((wake) => wake()),
  };
}

function fakeKube(read: () => RolloutObject): KubePort & { emit(r: RolloutObject): void; watching: boolean } {
  let onChange: ((r: RolloutObject) => void) | undefined;
  const port = {
    watching: false,
    emit: (r: RolloutObject) => onChange?.(r),
    getRollout: async () => read(),
    getDeployment: async () => undefined,
    watchRollout: (_ns: string, _name: string, cb: (r: RolloutObject) => void, signal: AbortSignal) => new Promise<void>((resolve) => {
      onChange = cb;
      port.watching = true;
      signal.addEventListener('abort', () => resolve(), { once: true });
    }),
  };
  return port as unknown as KubePort & { emit(r: RolloutObject): void; watching: boolean };
}

const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

describe('watchHealth', () => {
  it('cancels the bake the moment a watch event shows the rollout Degraded', async () => {
    const kube = fakeKube(() => ro({}));
    const watch = watchHealth(kube, 'prod', 'demo', 'new', { clock: manualClock(), pollMs: 1000 });
    kube.emit(ro({}));
    expect(watch.signal.aborted).toBe(false);
    kube.emit(ro({ phase: 'Degraded', message: 'ProgressDeadlineExceeded: ReplicaSet "demo-new" has timed out progressing.', conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }));
    await aborted(watch.signal);
    expect(watch.interruption()).toMatchObject({ kind: 'trouble', trouble: { kind: 'degraded', reason: 'ProgressDeadlineExceeded' }, stepIndex: 1 });
    await watch.stop();
  });

  it('finds trouble by re-reading when no watch event comes (a dropped watch)', async () => {
    let current = ro({});
    const kube = fakeKube(() => current);
    const clock = manualClock();
    const watch = watchHealth(kube, 'prod', 'demo', 'new', { clock, pollMs: 1000 });
    current = ro({ currentPodHash: 'theirs' });
    await new Promise((r) => setImmediate(r));
    clock.tick();
    await aborted(watch.signal);
    expect(watch.interruption()).toMatchObject({ kind: 'trouble', trouble: { kind: 'not-ours' } });
    await watch.stop();
  });

  it('with `to`, says the controller moved on past the gate (a timed pause that ended), which is no trouble', async () => {
    const kube = fakeKube(() => ro({}));
    const watch = watchHealth(kube, 'prod', 'demo', 'new', { clock: manualClock(), pollMs: 1000, to: 1 });
    kube.emit(ro({ currentStepIndex: 2, pauseConditions: null, controllerPause: false, phase: 'Progressing' }));
    await aborted(watch.signal);
    expect(watch.interruption()).toMatchObject({ kind: 'moved-on', stepIndex: 2 });
    await watch.stop();
  });
});
