import { NotOurCanaryError, verifyOwnCanary } from '../src/rollouts/ownership.js';
import type { RolloutObject } from '../src/rollouts/observe.js';
import { FakeKube } from './helpers/fake-kube.js';

const ns = 'prod';
const ours = 'ghcr.io/acme/demo@sha256:' + 'a'.repeat(64);
const theirs = 'ghcr.io/acme/demo:hotfix';
const rollout = (hash: string): RolloutObject => ({
  metadata: { name: 'demo', uid: 'uid-demo' } as RolloutObject['metadata'],
  spec: {},
  status: { currentPodHash: hash, stableRS: 'old' },
});
function world(): FakeKube {
  const kube = new FakeKube();
  const rs = (hash: string, images: Record<string, string>, owner = 'uid-demo') => ({
    metadata: { name: `demo-${hash}`, namespace: ns, labels: { 'rollouts-pod-template-hash': hash }, ownerReferences: [{ uid: owner, kind: 'Rollout' }] },
    spec: { template: { spec: { containers: Object.entries(images).map(([name, image]) => ({ name, image })) } } },
  });
  kube.replicaSets.push(rs('mine', { demo: ours, sidecar: 'envoy:1' }), rs('foreign', { demo: theirs }), rs('swapped', { demo: 'envoy:1', sidecar: ours }), rs('clash', { demo: ours }, 'uid-other'));
  return kube;
}

describe('verifyOwnCanary', () => {
  it('returns the hash of a canary running our image in our container', async () => {
    await expect(verifyOwnCanary(world(), ns, rollout('mine'), { image: ours, container: 'demo' })).resolves.toBe('mine');
    await expect(verifyOwnCanary(world(), ns, rollout('mine'), { image: ours, canaryHash: 'mine' })).resolves.toBe('mine');
  });

  it('names the image and hash of a canary someone else wrote', async () => {
    const error = (await verifyOwnCanary(world(), ns, rollout('foreign'), { image: ours, container: 'demo' }).catch((e: unknown) => e)) as NotOurCanaryError;
    expect(error).toBeInstanceOf(NotOurCanaryError);
    expect(error).toMatchObject({ image: theirs, hash: 'foreign' });
    expect(error.message).toContain(`runs ${theirs} (pod-template hash foreign)`);
  });

  it('refuses our image in another container', async () => {
    await expect(verifyOwnCanary(world(), ns, rollout('swapped'), { image: ours, container: 'demo' })).rejects.toBeInstanceOf(NotOurCanaryError);
  });

  it('refuses a new pod-template hash once ours is known, even with our image (another template edit)', async () => {
    const kube = world();
    const error = (await verifyOwnCanary(kube, ns, rollout('mine'), { image: ours, canaryHash: 'before' }).catch((e: unknown) => e)) as NotOurCanaryError;
    expect(error).toBeInstanceOf(NotOurCanaryError);
    expect(error.hash).toBe('mine');
    expect(error.message).toContain("this run's canary was before");
  });

  it('ignores a ReplicaSet with the same hash owned by another Rollout', async () => {
    await expect(verifyOwnCanary(world(), ns, rollout('clash'), { image: ours })).rejects.toThrow(/no ReplicaSet of Rollout demo has pod-template hash clash/);
  });

  it('cannot vouch for a rollout without a current hash', async () => {
    await expect(verifyOwnCanary(world(), ns, { ...rollout('x'), status: {} }, { image: ours })).rejects.toThrow(/no current pod-template hash/);
  });
});
