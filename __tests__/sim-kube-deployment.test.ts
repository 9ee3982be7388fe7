/** The Deployment controller stand-in behind workloadRef (reference §7, §11; docs/migrating.md). */
import { SimKube, type ReplicaSet } from '../sim/kube/index.js';
import { fixtureRollout, loadFixture } from '../sim/kube/fixtures/rollouts/index.js';
import { RolloutsPlugin } from '../sim/kube/plugin.js';

const NS = 'wl';

describe('workloadRef Deployments', () => {
  let sim: SimKube;
  let plugin: RolloutsPlugin;
  beforeEach(async () => {
    sim = await SimKube.start({ podReadyMs: 10 });
    plugin = new RolloutsPlugin(sim.kubeconfig());
  });
  afterEach(() => sim.stop());

  const deploymentSets = (name: string): ReplicaSet[] =>
    sim.listReplicaSets(NS).filter((rs) => rs.metadata.ownerReferences?.[0]?.kind === 'Deployment' && rs.metadata.ownerReferences[0].name === name);
  const imageOf = (rs: ReplicaSet | undefined): string | undefined => rs?.spec.template?.spec?.containers?.[0]?.image;

  it('a Deployment that still asks for pods rolls all of them when its image is set, beside the paused canary', async () => {
    const name = 'workload-ref-deployment-replicas';
    sim.addManifests(loadFixture(name), { namespace: NS });
    await sim.waitForRollout(NS, name, () => (sim.getDeployment(NS, name).status as { availableReplicas?: number } | undefined)?.availableReplicas === 3);
    expect(deploymentSets(name)).toHaveLength(1);
    await plugin.setImage(NS, name, name, `ghcr.io/acme/${name}:v2`);
    await sim.waitForRollout(NS, name, (ro) => ro.status?.phase === 'Paused' && ro.status.currentStepIndex === 1);
    const rolled = await new Promise<Record<string, unknown>>((resolve) => {
      const check = (): boolean => {
        const dep = sim.getDeployment(NS, name);
        const st = (dep.status ?? {}) as Record<string, unknown>;
        if (st.observedGeneration === 2 && st.updatedReplicas === 3 && st.availableReplicas === 3 && st.replicas === 3) {
          resolve(st);
          return true;
        }
        return false;
      };
      if (check()) return;
      const off = sim.store.subscribe(() => {
        if (check()) off();
      });
    });
    expect(rolled).toMatchObject({ updatedReplicas: 3, availableReplicas: 3 });
    const [old, fresh] = deploymentSets(name).sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']));
    expect([imageOf(old), old?.spec.replicas]).toEqual([`ghcr.io/acme/${name}:v1`, 0]);
    expect([imageOf(fresh), fresh?.spec.replicas]).toEqual([`ghcr.io/acme/${name}:v2`, 3]);
    // …while the Rollout's own canary is still held at 10%: production ran v2 on 3 extra pods at once.
    expect(sim.getRollout(NS, name).status).toMatchObject({ phase: 'Paused', currentStepIndex: 1, updatedReplicas: 1 });
  });

  it('a Deployment at 0 replicas is never scaled up (scaleDown defaults to never and changes nothing here)', async () => {
    const name = 'workload-ref-deployment-zero';
    sim.addManifests(loadFixture(name), { namespace: NS });
    await plugin.setImage(NS, name, name, `ghcr.io/acme/${name}:v2`);
    await sim.waitForRollout(NS, name, (ro) => ro.status?.phase === 'Paused');
    expect(deploymentSets(name)).toHaveLength(0);
    expect((sim.getDeployment(NS, name).spec as { replicas?: number }).replicas).toBe(0);
  });

  it('scaleDown: onsuccess scales the Deployment to 0 once the first revision is Healthy (rollout/sync.go)', async () => {
    const name = 'workload-ref-deployment-replicas';
    const docs = loadFixture(name).map((d) => (d.kind === 'Rollout'
      ? { ...d, spec: { ...(d.spec as object), workloadRef: { ...((fixtureRollout(name).spec as { workloadRef: object }).workloadRef), scaleDown: 'onsuccess' } } }
      : d));
    sim.addManifests(docs, { namespace: NS });
    await sim.waitForRollout(NS, name, () => (sim.getDeployment(NS, name).spec as { replicas?: number }).replicas === 0);
    expect(sim.getRollout(NS, name).status?.phase).toBe('Healthy');
  });
});
