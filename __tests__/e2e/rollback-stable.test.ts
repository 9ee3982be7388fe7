// Rollback always lands on stable, through dist/index.js (contract: Rollouts as teams write them):
// with canaryMetadata/stableMetadata or antiAffinity the controller injects labels, annotations
// and an anti-affinity term into the ReplicaSets' templates. The undo puts back the stable
// template without them, so Argo reuses the very same ReplicaSet (fast rollback) instead of
// making a new one and starting a canary of the old image from step 0 — also under workloadRef.
import type { KObject } from '../../sim/kube/types.js';
import { DIGEST, STABLE_IMAGE, type World } from '../../sim/world.js';
import { worldPerTest } from './per-test-world.js';
import { rendered } from './report-text.js';

const start = worldPerTest();
const breachAt25 = { env: { SLO_PLAN: JSON.stringify({ 25: { error_rate: 0.05, p95_latency_ms: 140 } }) } };

function rollout(strategy: object, workloadRef = false, labels: Record<string, string> = {}): KObject {
  const template = { metadata: { labels: { app: 'checkout-api', ...labels } }, spec: { containers: [{ name: 'checkout-api', image: STABLE_IMAGE }] } };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'checkout-api' },
    spec: {
      replicas: 6,
      selector: { matchLabels: { app: 'checkout-api' } },
      ...(workloadRef ? { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'checkout-api', scaleDown: 'never' } } : { template }),
      strategy: { canary: { ...strategy, steps: [{ setWeight: 5 }, { pause: {} }, { setWeight: 25 }, { pause: {} }, { setWeight: 100 }] } },
    },
  } as KObject;
}
const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'checkout-api' },
  spec: { replicas: 0, selector: { matchLabels: { app: 'checkout-api' } }, template: { metadata: { labels: { app: 'checkout-api' } }, spec: { containers: [{ name: 'checkout-api', image: STABLE_IMAGE }] } } },
} as KObject;

const METADATA = { canaryMetadata: { labels: { role: 'canary' }, annotations: { release: 'candidate' } }, stableMetadata: { labels: { role: 'stable' } } };
const hashes = (w: World) => w.kube.listReplicaSets('prod').map((rs) => rs.metadata.labels?.['rollouts-pod-template-hash']).sort();

async function breachAndCheck(w: World, inputs: Record<string, string> = {}): Promise<string> {
  const before = w.kube.getRollout('prod', 'checkout-api').status!.stableRS!;
  const ownedBefore = hashes(w).length;
  const run = await w.run(inputs, breachAt25);
  expect(run.code).toBe(3);
  expect(run.outputs.result).toBe('aborted');
  expect(run.outputs['aborted-at-step']).toBe('25');
  const after = w.kube.getRollout('prod', 'checkout-api');
  expect(after.status).toMatchObject({ phase: 'Healthy', stableRS: before, currentPodHash: before });
  // Only the breaching canary was added: no further ReplicaSet, no canary of the old image.
  expect(hashes(w)).toHaveLength(ownedBefore + 1);
  expect(hashes(w)).toContain(before);
  expect(run.json('devops/status/deploy-result.json')).toMatchObject({ rollback: { status: 'rolled-back', mode: 'abort+undo' } });
  return rendered(run.report());
}

describe('rollback lands on the same stable ReplicaSet', () => {
  it('breach at 25% on a Rollout with canaryMetadata/stableMetadata: exit 3, Healthy on the same stable, no new ReplicaSet', async () => {
    const w = await start({ rollout: false });
    w.kube.addRolloutManifest(rollout(METADATA), { namespace: 'prod' });
    const report = await breachAndCheck(w);
    expect(report).toContain('without what the controller injected: label role=stable');
    const stable = w.kube.listReplicaSets('prod').find((rs) => rs.metadata.labels?.['rollouts-pod-template-hash'] === w.kube.getRollout('prod', 'checkout-api').status!.stableRS);
    expect(stable?.spec.template?.metadata?.labels).toMatchObject({ role: 'stable' });
  });

  it("when the template's own label has the key stableMetadata injects: the undo matches only the controller's deep-equal, still the same stable", async () => {
    // role: app is overwritten by the injected role: stable and cannot be told apart from it: the
    // undone template lacks role, hashes differently, and Argo finds the stable ReplicaSet by
    // FindNewReplicaSet's deep-equal pass (as on every real cluster, where templates carry defaults).
    const w = await start({ rollout: false });
    w.kube.addRolloutManifest(rollout(METADATA, false, { role: 'app' }), { namespace: 'prod' });
    await breachAndCheck(w);
  });

  it('with the anti-affinity term injected into a stable that was once a canary', async () => {
    const w = await start({ rollout: false });
    w.kube.addRolloutManifest(rollout({ antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 1 } }, ...METADATA }), { namespace: 'prod' });
    // A first release makes a canary (with the injected term) the stable ReplicaSet.
    const first = await w.run();
    expect(first.code).toBe(0);
    const report = await breachAndCheck(w, { version: 'v2.15.0', digest: `sha256:${'c'.repeat(64)}` });
    expect(report).toContain('the injected anti-affinity term');
    expect(hashes(w)).toHaveLength(3); // the first release's old stable, its canary (now stable), the breaching canary
  });

  it('under workloadRef: the Deployment gets the stable template back', async () => {
    const w = await start({ rollout: false });
    w.kube.addRolloutManifest(rollout(METADATA, true), { namespace: 'prod', with: [deployment] });
    await breachAndCheck(w);
    const template = (w.kube.getDeployment('prod', 'checkout-api').spec as { template: { metadata: { labels: Record<string, string> }; spec: { containers: { image: string }[] } } }).template;
    expect(template.spec.containers[0]!.image).toBe(STABLE_IMAGE);
    expect(template.metadata.labels).toEqual({ app: 'checkout-api' });
    expect(JSON.stringify(template)).not.toContain(DIGEST);
  });
});
