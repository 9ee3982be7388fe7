/** Fidelity with @kubernetes/client-node 2.x: CRUD, patch content types, list selectors, Watch. */
import * as k8s from '@kubernetes/client-node';
import { SimKube, type Rollout } from '../sim/kube/index.js';

const RO = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts', namespace: 'prod', name: 'checkout-api' } as const;
const MERGE = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

describe('@kubernetes/client-node against the simulator', () => {
  let sim: SimKube;
  let custom: k8s.CustomObjectsApi;
  let apps: k8s.AppsV1Api;
  let kc: k8s.KubeConfig;

  beforeEach(async () => {
    sim = await SimKube.start();
    sim.addRollout({ namespace: 'prod', name: 'checkout-api', image: 'registry/checkout-api:v1' });
    kc = new k8s.KubeConfig();
    kc.loadFromString(sim.kubeconfig());
    custom = kc.makeApiClient(k8s.CustomObjectsApi);
    apps = kc.makeApiClient(k8s.AppsV1Api);
  });
  afterEach(() => sim.stop());

  it('reads a Rollout with getNamespacedCustomObject, authenticated with the kubeconfig token', async () => {
    const ro = (await custom.getNamespacedCustomObject(RO)) as Rollout;
    expect(ro.status).toMatchObject({ phase: 'Healthy', observedGeneration: '1' });
    expect(sim.requests.at(-1)).toMatchObject({ method: 'GET', status: 200 });
  });

  it('gets 409 from replaceNamespacedCustomObject with a stale resourceVersion', async () => {
    const stale = (await custom.getNamespacedCustomObject(RO)) as Rollout;
    const fresh = structuredClone(stale);
    fresh.spec.paused = true;
    await custom.replaceNamespacedCustomObject({ ...RO, body: fresh });
    stale.spec.replicas = 5;
    const err = await custom.replaceNamespacedCustomObject({ ...RO, body: stale }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    expect((err as k8s.ApiException<string>).code).toBe(409);
    expect(JSON.parse((err as k8s.ApiException<string>).body)).toMatchObject({ reason: 'Conflict' });
  });

  it('sends JSON Patch by default; a status merge patch needs setHeaderOptions', async () => {
    // The generated client picks the first listed type (application/json-patch+json): an object body is a 400.
    const wrong = await custom.patchNamespacedCustomObjectStatus({ ...RO, body: { status: { abort: true } } }).catch((e: unknown) => e);
    expect((wrong as k8s.ApiException<string>).code).toBe(400);
    expect(sim.requests.at(-1)?.contentType).toBe('application/json-patch+json');

    sim.controller.pause();
    await custom.patchNamespacedCustomObjectStatus({ ...RO, body: { status: { abort: true } } }, MERGE);
    expect(sim.requests.at(-1)).toMatchObject({ contentType: 'application/merge-patch+json', status: 200, path: '/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts/checkout-api/status' });
    expect(sim.getRollout('prod', 'checkout-api').status?.abort).toBe(true);
  });

  it('JSON-patches /spec/template and bumps the generation', async () => {
    const before = sim.getRollout('prod', 'checkout-api');
    const template = structuredClone(before.spec.template);
    template!.spec!.containers![0]!.image = 'registry/checkout-api:v2';
    await custom.patchNamespacedCustomObject({ ...RO, body: [{ op: 'replace', path: '/spec/template', value: template }] });
    const after = sim.getRollout('prod', 'checkout-api');
    expect(after.metadata.generation).toBe((before.metadata.generation ?? 0) + 1);
    expect(after.spec.template?.spec?.containers?.[0]?.image).toBe('registry/checkout-api:v2');
  });

  it('lists ReplicaSets with a labelSelector through AppsV1Api', async () => {
    sim.addRollout({ namespace: 'prod', name: 'cart', image: 'registry/cart:v1' });
    const list = await apps.listNamespacedReplicaSet({ namespace: 'prod', labelSelector: 'app=checkout-api' });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]?.metadata?.labels).toMatchObject({ app: 'checkout-api', 'rollouts-pod-template-hash': expect.any(String) });
    expect(list.items[0]?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Rollout', name: 'checkout-api', controller: true });
  });

  it('receives MODIFIED events through Watch as the controller moves the canary', async () => {
    const events: { type: string; index?: number; phase?: string }[] = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch('/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts', {}, (type, obj: Rollout) => {
      events.push({ type, index: obj.status?.currentStepIndex, phase: obj.status?.phase });
    }, () => undefined);
    const ro = (await custom.getNamespacedCustomObject(RO)) as Rollout;
    ro.spec.template!.spec!.containers![0]!.image = 'registry/checkout-api:v2';
    await custom.replaceNamespacedCustomObject({ ...RO, body: ro });
    await sim.waitForRollout('prod', 'checkout-api', (r) => r.status?.phase === 'Paused');
    await new Promise((r) => setTimeout(r, 50));
    req.abort();
    expect(events[0]).toMatchObject({ type: 'ADDED', phase: 'Healthy' });
    expect(events.slice(1).every((e) => e.type === 'MODIFIED')).toBe(true);
    expect(events.at(-1)).toMatchObject({ phase: 'Paused', index: 1 });
  });

  it('does not log the controller\'s own writes as requests', async () => {
    const ro = (await custom.getNamespacedCustomObject(RO)) as Rollout;
    ro.spec.template!.spec!.containers![0]!.image = 'registry/checkout-api:v2';
    await custom.replaceNamespacedCustomObject({ ...RO, body: ro });
    await sim.waitForRollout('prod', 'checkout-api', (r) => r.status?.phase === 'Paused');
    expect(sim.writes().map((w) => `${w.method} ${w.path}`)).toEqual(['PUT /apis/argoproj.io/v1alpha1/namespaces/prod/rollouts/checkout-api']);
    expect(sim.controller.writes.length).toBeGreaterThan(3);
    expect(sim.controller.writes.every((w) => w.actor === 'controller')).toBe(true);
  });
});
