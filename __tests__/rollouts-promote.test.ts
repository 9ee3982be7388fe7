import { promote, promoteLanded } from '../src/rollouts/actions.js';
import { NotOurCanaryError } from '../src/rollouts/ownership.js';
import type { RolloutObject } from '../src/rollouts/observe.js';
import { FakeKube } from './helpers/fake-kube.js';

const ns = 'prod';
const pausedAt = (stepIndex: number, hash = 'new'): RolloutObject => ({
  metadata: { name: 'demo', generation: 2, uid: 'uid-demo' } as RolloutObject['metadata'],
  spec: { strategy: { canary: { steps: [{ setWeight: 5 }, { pause: {} }, { setWeight: 25 }, { pause: {} }] } } },
  status: { observedGeneration: '2', phase: 'Paused', currentPodHash: hash, stableRS: 'old', currentStepIndex: stepIndex, pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-01-01T00:00:00Z' }], controllerPause: true },
});

function world(rollout = pausedAt(1)): FakeKube {
  const kube = new FakeKube();
  kube.rollouts.set(`${ns}/demo`, rollout);
  kube.replicaSets.push({
    metadata: { name: 'demo-other', namespace: ns, labels: { 'rollouts-pod-template-hash': 'other' }, ownerReferences: [{ uid: 'uid-demo', kind: 'Rollout' }] },
    spec: { template: { spec: { containers: [{ name: 'demo', image: 'ghcr.io/acme/demo@sha256:' + 'b'.repeat(64) }] } } },
  });
  return kube;
}
const observed = { stepIndex: 1, canaryHash: 'new' };
const patches = (kube: FakeKube) => kube.calls.filter((c) => c.method === 'jsonPatchRolloutStatus');
const status = (kube: FakeKube) => kube.rollouts.get(`${ns}/demo`)!.status!;

/** The controller acting on a resume: completes the pause and stops at the next one (index + 2). */
function controllerReachesNextPause(rollout: RolloutObject): RolloutObject {
  const s = rollout.status!;
  if ((s.pauseConditions ?? []).length > 0) return rollout;
  return { ...rollout, status: { ...s, currentStepIndex: (s.currentStepIndex ?? 0) + 2, pauseConditions: [{ reason: 'CanaryPauseStep' }], controllerPause: true } };
}

describe('promote', () => {
  it('removes the pause only under test operations on the observed step and canary', async () => {
    const kube = world();
    await expect(promote(kube, ns, 'demo', observed)).resolves.toBe('promoted');
    expect(patches(kube)).toHaveLength(1);
    expect(patches(kube)[0]!.args[2]).toEqual([
      { op: 'test', path: '/status/currentStepIndex', value: 1 },
      { op: 'test', path: '/status/currentPodHash', value: 'new' },
      { op: 'remove', path: '/status/pauseConditions' },
    ]);
    expect(status(kube).pauseConditions).toBeUndefined();
    expect(status(kube).controllerPause).toBe(true);
  });

  it('a lost answer of an applied promote is found by reading, never sent unconditionally again', async () => {
    const kube = world();
    kube.fail('jsonPatchRolloutStatus', 503, { applied: true });
    await expect(promote(kube, ns, 'demo', observed)).resolves.toBe('already-promoted');
    expect(patches(kube)).toHaveLength(1);
    expect(kube.calls.some((c) => c.method === 'patchRolloutStatus')).toBe(false);
  });

  it('never clears the next pause when the controller reached it before the answer came back', async () => {
    const kube = world();
    kube.onStatusPatch = controllerReachesNextPause;
    kube.fail('jsonPatchRolloutStatus', 504, { applied: true });
    await expect(promote(kube, ns, 'demo', observed)).resolves.toBe('already-promoted');
    expect(status(kube).currentStepIndex).toBe(3);
    expect(status(kube).pauseConditions).toEqual([{ reason: 'CanaryPauseStep' }]);
  });

  it('sends the same conditional patch again when the first never reached the server', async () => {
    const kube = world();
    kube.fail('jsonPatchRolloutStatus', 503, { applied: false });
    await expect(promote(kube, ns, 'demo', observed)).resolves.toBe('promoted');
    expect(patches(kube)).toHaveLength(2);
    expect(patches(kube)[1]!.args[2]).toEqual(patches(kube)[0]!.args[2]);
  });

  it('a retried promote of a step already passed leaves the later pause alone (the 422 of the test)', async () => {
    const kube = world(pausedAt(3));
    await expect(promote(kube, ns, 'demo', observed)).resolves.toBe('already-promoted');
    expect(status(kube).pauseConditions).toHaveLength(1);
    expect(status(kube).currentStepIndex).toBe(3);
  });

  it('refuses a canary replaced since it was judged, naming its image and hash', async () => {
    const kube = world(pausedAt(1, 'other'));
    const error = await promote(kube, ns, 'demo', observed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotOurCanaryError);
    expect((error as NotOurCanaryError).hash).toBe('other');
    expect((error as NotOurCanaryError).image).toBe('ghcr.io/acme/demo@sha256:' + 'b'.repeat(64));
    expect((error as Error).message).toContain('pod-template hash other');
    expect(status(kube).pauseConditions).toHaveLength(1);
  });

  it('does not promote an aborted rollout', async () => {
    const kube = world({ ...pausedAt(1), status: { ...pausedAt(1).status!, abort: true, pauseConditions: null, currentStepIndex: 0 } });
    await expect(promote(kube, ns, 'demo', observed)).rejects.toThrow(/no longer paused at step 1.*aborted/);
  });

  it('stops at once on a refusal that is not about the step (403)', async () => {
    const kube = world();
    kube.fail('jsonPatchRolloutStatus', 403);
    await expect(promote(kube, ns, 'demo', observed)).rejects.toMatchObject({ code: 403 });
    expect(patches(kube)).toHaveLength(1);
  });
});

describe('promoteLanded', () => {
  it('decides from the re-read rollout', () => {
    expect(promoteLanded(pausedAt(1), observed)).toBe('not-landed');
    expect(promoteLanded({ ...pausedAt(1), status: { ...pausedAt(1).status!, pauseConditions: null } }, observed)).toBe('landed');
    expect(promoteLanded(pausedAt(3), observed)).toBe('landed');
    expect(promoteLanded(pausedAt(1, 'x'), observed)).toBe('not-ours');
    expect(promoteLanded(undefined, observed)).toBe('elsewhere');
  });
});
