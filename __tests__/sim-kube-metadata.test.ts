/**
 * Injected pod metadata and anti-affinity (reference §9.10, §11): the plugin's undo copies them back
 * into the Rollout, FindNewReplicaSet strips them from the live ReplicaSet only, so there is no match
 * and no fast rollback; an undo that strips them lands on the stable ReplicaSet.
 */
import { SimKube, type ReplicaSet, type Rollout } from '../sim/kube/index.js';
import { loadFixture } from '../sim/kube/fixtures/rollouts/index.js';
import { RolloutsPlugin } from '../sim/kube/plugin.js';
import { rawRequest } from '../sim/kube/raw.js';

const NS = 'meta';
const EPHEMERAL = 'rollout.argoproj.io/ephemeral-metadata';

describe('injected metadata and rollback', () => {
  let sim: SimKube;
  let plugin: RolloutsPlugin;
  beforeEach(async () => {
    sim = await SimKube.start({ podReadyMs: 10 });
    plugin = new RolloutsPlugin(sim.kubeconfig());
  });
  afterEach(() => sim.stop());

  const until = (name: string, p: (ro: Rollout) => boolean): Promise<Rollout> => sim.waitForRollout(NS, name, p, { timeoutMs: 5000 });
  const rsByHash = (hash: string | undefined): ReplicaSet | undefined =>
    sim.listReplicaSets(NS).find((rs) => rs.metadata.labels?.['rollouts-pod-template-hash'] === hash);

  /** What a careful undo does: the stable template without what the controller injected. */
  async function undoStripped(name: string): Promise<void> {
    const ro = sim.getRollout(NS, name);
    const stable = rsByHash(ro.status?.stableRS) as ReplicaSet;
    const template = structuredClone(stable.spec.template ?? {});
    delete template.metadata?.labels?.['rollouts-pod-template-hash'];
    const injected = JSON.parse(stable.metadata.annotations?.[EPHEMERAL] ?? '{}') as { labels?: Record<string, string>; annotations?: Record<string, string> };
    for (const k of Object.keys(injected.labels ?? {})) delete template.metadata?.labels?.[k];
    for (const k of Object.keys(injected.annotations ?? {})) delete template.metadata?.annotations?.[k];
    const anti = (template.spec?.affinity as { podAntiAffinity?: { preferredDuringSchedulingIgnoredDuringExecution?: { podAffinityTerm: { labelSelector?: { matchExpressions?: { key: string }[] } } }[] } } | undefined)?.podAntiAffinity;
    if (anti?.preferredDuringSchedulingIgnoredDuringExecution) {
      anti.preferredDuringSchedulingIgnoredDuringExecution = anti.preferredDuringSchedulingIgnoredDuringExecution
        .filter((t) => !t.podAffinityTerm.labelSelector?.matchExpressions?.some((e) => e.key === 'rollouts-pod-template-hash'));
      if (anti.preferredDuringSchedulingIgnoredDuringExecution.length === 0 && template.spec) delete template.spec.affinity;
    }
    const res = await rawRequest(sim, 'PATCH', `/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts/${name}`, {
      contentType: 'application/json-patch+json', body: [{ op: 'replace', path: '/spec/template', value: template }],
    });
    expect(res.status).toBe(200);
  }

  it('injects stableMetadata into the deployed ReplicaSet and canaryMetadata into the canary, recording them', async () => {
    const [seeded] = sim.addManifests(loadFixture('canary-stable-metadata'), { namespace: NS });
    const stable = rsByHash(seeded?.status?.stableRS);
    expect(stable?.spec.template?.metadata?.labels).toMatchObject({ app: 'canary-stable-metadata', role: 'stable' });
    expect(stable?.metadata.annotations?.[EPHEMERAL]).toBe('{"labels":{"role":"stable"}}');
    expect(stable?.metadata.labels?.role).toBeUndefined(); // only the pod template carries it
    await plugin.setImage(NS, 'canary-stable-metadata', 'canary-stable-metadata', 'ghcr.io/acme/canary-stable-metadata:v2');
    const paused = await until('canary-stable-metadata', (r) => r.status?.phase === 'Paused');
    const canary = rsByHash(paused.status?.currentPodHash);
    expect(canary?.spec.template?.metadata).toMatchObject({ labels: { role: 'canary' }, annotations: { release: 'candidate' } });
    expect(canary?.metadata.annotations?.[EPHEMERAL]).toBe('{"labels":{"role":"canary"},"annotations":{"release":"candidate"}}');
    expect(rsByHash(paused.status?.stableRS)?.spec.template?.metadata?.labels?.role).toBe('stable');
  });

  it("the plugin's undo copies role: stable back: a NEW ReplicaSet and a canary of the old image from step 0", async () => {
    const [seeded] = sim.addManifests(loadFixture('canary-stable-metadata'), { namespace: NS });
    await plugin.setImage(NS, 'canary-stable-metadata', 'canary-stable-metadata', 'ghcr.io/acme/canary-stable-metadata:v2');
    await until('canary-stable-metadata', (r) => r.status?.phase === 'Paused');
    await plugin.abort(NS, 'canary-stable-metadata');
    await until('canary-stable-metadata', (r) => r.status?.phase === 'Degraded');
    await plugin.undo(NS, 'canary-stable-metadata');
    const after = await until('canary-stable-metadata', (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1);
    expect(sim.listReplicaSets(NS)).toHaveLength(3);
    expect(after.status?.currentPodHash).not.toBe(seeded?.status?.stableRS);
    expect(after.status?.stableRS).toBe(seeded?.status?.stableRS);
    expect(after.spec.template?.spec?.containers?.[0]?.image).toBe('ghcr.io/acme/canary-stable-metadata:v1');
    expect(sim.controller.events.map((e) => e.reason)).not.toContain('SkipSteps');
  });

  it('an undo that strips the injected metadata lands on the same stable ReplicaSet (fast rollback)', async () => {
    const [seeded] = sim.addManifests(loadFixture('canary-stable-metadata'), { namespace: NS });
    await plugin.setImage(NS, 'canary-stable-metadata', 'canary-stable-metadata', 'ghcr.io/acme/canary-stable-metadata:v2');
    await until('canary-stable-metadata', (r) => r.status?.phase === 'Paused');
    await plugin.abort(NS, 'canary-stable-metadata');
    await undoStripped('canary-stable-metadata');
    const healthy = await until('canary-stable-metadata', (r) => r.status?.phase === 'Healthy' && r.status.updatedReplicas === 10);
    expect(healthy.status?.currentPodHash).toBe(seeded?.status?.stableRS);
    expect(sim.listReplicaSets(NS)).toHaveLength(2);
    expect(sim.controller.events.map((e) => e.message)).toContain('Rollback to stable ReplicaSets');
  });

  it('an undo that matches the stable ReplicaSet only by the deep-equal pass still lands on it: currentPodHash is that ReplicaSet\'s hash', async () => {
    // The template's own label role: app is overwritten by the injected role: stable; stripping what
    // was injected drops role altogether, so the undone template hashes differently from the stable
    // ReplicaSet's label and is found only by FindNewReplicaSet's deep-equal pass (as every undo is on a
    // real cluster, where ReplicaSet templates carry API-server defaults). Argo then reports the
    // ReplicaSet's own label as currentPodHash (rollout/sync.go calculateBaseStatus:
    // `currentPodHash = c.newRS.Labels[DefaultRolloutUniqueLabelKey]`) and rolls back to stable fast.
    const [doc] = loadFixture('canary-stable-metadata') as [Rollout];
    doc.spec.template!.metadata!.labels = { ...doc.spec.template!.metadata!.labels, role: 'app' };
    const [seeded] = sim.addManifests([doc], { namespace: NS });
    await plugin.setImage(NS, 'canary-stable-metadata', 'canary-stable-metadata', 'ghcr.io/acme/canary-stable-metadata:v2');
    await until('canary-stable-metadata', (r) => r.status?.phase === 'Paused');
    await plugin.abort(NS, 'canary-stable-metadata');
    await undoStripped('canary-stable-metadata');
    expect(sim.getRollout(NS, 'canary-stable-metadata').spec.template?.metadata?.labels?.role).toBeUndefined();
    const healthy = await until('canary-stable-metadata', (r) => r.status?.phase === 'Healthy' && r.status.updatedReplicas === 10);
    expect(healthy.status?.currentPodHash).toBe(seeded?.status?.stableRS);
    expect(healthy.status?.stableRS).toBe(seeded?.status?.stableRS);
    expect(sim.listReplicaSets(NS)).toHaveLength(2);
    expect(sim.controller.events.map((e) => e.message)).toContain('Rollback to stable ReplicaSets');
  });

  it('antiAffinity: the canary gets a term against the stable hash; undoing onto that template later makes a new ReplicaSet', async () => {
    const [seeded] = sim.addManifests(loadFixture('anti-affinity'), { namespace: NS });
    expect(rsByHash(seeded?.status?.stableRS)?.spec.template?.spec?.affinity).toBeUndefined(); // initial deploy: no stable to avoid
    await plugin.setImage(NS, 'anti-affinity', 'anti-affinity', 'ghcr.io/acme/anti-affinity:v2');
    const v2 = await until('anti-affinity', (r) => r.status?.phase === 'Paused');
    expect(rsByHash(v2.status?.currentPodHash)?.spec.template?.spec?.affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 1,
          podAffinityTerm: {
            labelSelector: { matchExpressions: [{ key: 'rollouts-pod-template-hash', operator: 'In', values: [seeded?.status?.stableRS] }] },
            namespaces: [NS], topologyKey: 'kubernetes.io/hostname',
          },
        }],
      },
    });
    await plugin.promoteFull(NS, 'anti-affinity');
    await until('anti-affinity', (r) => r.status?.phase === 'Healthy' && r.status.stableRS === v2.status?.currentPodHash && r.status.replicas === 10);
    // v2, now stable, keeps the injected term; a v3 canary, aborted, then the plugin's undo copies it back.
    await plugin.setImage(NS, 'anti-affinity', 'anti-affinity', 'ghcr.io/acme/anti-affinity:v3');
    await until('anti-affinity', (r) => r.status?.phase === 'Paused');
    await plugin.abort(NS, 'anti-affinity');
    await plugin.undo(NS, 'anti-affinity');
    const rolled = await until('anti-affinity', (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1);
    expect(rolled.status?.currentPodHash).not.toBe(v2.status?.currentPodHash);
    expect(sim.listReplicaSets(NS)).toHaveLength(4);
  });

  it('antiAffinity: an undo without the injected term lands on the stable ReplicaSet', async () => {
    sim.addManifests(loadFixture('anti-affinity'), { namespace: NS });
    await plugin.setImage(NS, 'anti-affinity', 'anti-affinity', 'ghcr.io/acme/anti-affinity:v2');
    const v2 = await until('anti-affinity', (r) => r.status?.phase === 'Paused');
    await plugin.promoteFull(NS, 'anti-affinity');
    await until('anti-affinity', (r) => r.status?.phase === 'Healthy' && r.status.stableRS === v2.status?.currentPodHash && r.status.replicas === 10);
    await plugin.setImage(NS, 'anti-affinity', 'anti-affinity', 'ghcr.io/acme/anti-affinity:v3');
    await until('anti-affinity', (r) => r.status?.phase === 'Paused');
    await plugin.abort(NS, 'anti-affinity');
    await undoStripped('anti-affinity');
    const healthy = await until('anti-affinity', (r) => r.status?.phase === 'Healthy' && r.status.currentPodHash === v2.status?.currentPodHash);
    expect(healthy.status?.stableRS).toBe(v2.status?.currentPodHash);
    expect(sim.listReplicaSets(NS)).toHaveLength(3);
  });
});
