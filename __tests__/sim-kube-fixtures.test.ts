/** The fixture Rollouts (sim/kube/fixtures/rollouts): well-formed, seedable as deployed, and their expectations consistent. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SimKube, type Rollout } from '../sim/kube/index.js';
import { basicCanarySplit, fenceposts } from '../sim/kube/controller/counts.js';
import { FIXTURES, SURVEY, fixturePath, fixtureRollout, loadFixture } from '../sim/kube/fixtures/rollouts/index.js';
import { RolloutsPlugin } from '../sim/kube/plugin.js';

const DIR = dirname(fixturePath(FIXTURES[0]?.name ?? ''));

describe('fixture Rollouts', () => {
  it('lists every YAML file once, and each file names its upstream sources', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
    expect(FIXTURES.map((f) => f.file).sort()).toEqual(files);
    for (const f of FIXTURES) {
      const head = readFileSync(join(DIR, f.file), 'utf8').split('\n').filter((l) => l.startsWith('#')).join('\n');
      expect(head).toMatch(/^# Shape: /);
      expect(head).toMatch(/Upstream: /);
      const ro = fixtureRollout(f.name);
      expect(ro.metadata.name).toBe(f.name);
    }
  });

  it('names only shapes the survey knows, and refusals carry their problems', () => {
    for (const f of FIXTURES) {
      for (const s of f.shapes) if (s !== 'not-canary') expect(Object.keys(SURVEY.shapes)).toContain(s);
      expect(f.expected.accepted).toBe(f.expected.problems.length === 0);
      if (f.expected.gates.length > 0) expect(f.expected.gates.at(-1)).toBe(100);
    }
  });

  it("states the first gate's real share of a basic canary as Argo's rounding computes it", () => {
    let checked = 0;
    for (const f of FIXTURES) {
      const ro = fixtureRollout(f.name) as Rollout;
      const canary = ro.spec.strategy?.canary;
      const first = f.expected.gates[0];
      if (!canary || canary.trafficRouting || first === undefined || first === 100 || f.expected.firstGateShare === undefined) continue;
      const replicas = ro.spec.replicas ?? 1;
      const split = basicCanarySplit(replicas, first, fenceposts(canary, replicas).maxSurge);
      const share = split.canary + split.stable === 0 ? 0 : (100 * split.canary) / (split.canary + split.stable);
      expect([f.name, Math.round(share * 10) / 10]).toEqual([f.name, f.expected.firstGateShare]);
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  describe('on the simulated cluster', () => {
    let sim: SimKube;
    beforeAll(async () => {
      sim = await SimKube.start({ podReadyMs: 5 });
    });
    afterAll(() => sim.stop());

    it.each(FIXTURES.map((f) => f.name))('%s seeds as a deployed, Healthy Rollout', (name) => {
      const namespace = `fx-${name}`.slice(0, 63);
      const [ro] = sim.addManifests(loadFixture(name), { namespace });
      expect(ro?.status).toMatchObject({ phase: 'Healthy' });
      expect(ro?.status?.stableRS).toBe(ro?.status?.currentPodHash);
      const owned = sim.listReplicaSets(namespace).filter((rs) => rs.metadata.ownerReferences?.[0]?.uid === ro?.metadata.uid);
      expect(owned).toHaveLength(1);
    });

    it('sets the image of a workloadRef Deployment when seeding with another image', () => {
      const [ro] = sim.addManifests(loadFixture('workload-ref-deployment-zero'), { namespace: 'fx-image', image: 'ghcr.io/acme/other:v7' });
      const [rs] = sim.listReplicaSets('fx-image');
      expect(rs?.spec.template?.spec?.containers?.[0]?.image).toBe('ghcr.io/acme/other:v7');
      expect(ro?.status?.phase).toBe('Healthy');
    });

    it('releases on a seeded fixture: a new image pauses at the first pause step', async () => {
      const [seeded] = sim.addManifests(loadFixture('indefinite-pauses'), { namespace: 'fx-release' });
      const plugin = new RolloutsPlugin(sim.kubeconfig());
      await plugin.setImage('fx-release', 'indefinite-pauses', 'indefinite-pauses', 'ghcr.io/acme/indefinite-pauses:v2');
      const paused = await sim.waitForRollout('fx-release', 'indefinite-pauses', (r) => r.status?.phase === 'Paused' && r.status.currentStepIndex === 1);
      // 20 replicas at 5%: one canary pod beside 19 stable ones (surge 5 allows 21, but 1/20 is exact).
      expect(paused.status).toMatchObject({ updatedReplicas: 1, replicas: 20 });
      expect(paused.status?.stableRS).toBe(seeded?.status?.stableRS);
    });
  });
});

describe('fixtures side by side', () => {
  it('two fixtures sharing an AnalysisTemplate seed into one namespace', async () => {
    const sim = await SimKube.start();
    try {
      sim.addManifests(loadFixture('analysis-inline'), { namespace: 'shared' });
      const [ro] = sim.addManifests(loadFixture('analysis-background'), { namespace: 'shared' });
      expect(ro?.status?.phase).toBe('Healthy');
    } finally {
      await sim.stop();
    }
  });
});
