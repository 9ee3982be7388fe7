/** The simulated API server: patch formats, selectors, the status split, errors, dry runs, watches. */
import { applyJsonPatch, mergePatch, parseJsonPatch } from '../sim/kube/patch.js';
import { parseLabelSelector } from '../sim/kube/selectors.js';
import { rawRequest } from '../sim/kube/raw.js';
import { SimKube } from '../sim/kube/index.js';
import { ApiError } from '../sim/kube/errors.js';
import type { KObject } from '../sim/kube/types.js';

const RO_PATH = '/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts/checkout-api';

describe('merge patch (RFC 7386)', () => {
  it('merges objects, deletes on null and replaces arrays', () => {
    const target = { a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] };
    expect(mergePatch(target, { a: 'z', c: { f: null }, list: [3] })).toEqual({ a: 'z', c: { d: 'e' }, list: [3] });
    expect(mergePatch({ a: 'foo' }, 'bar')).toBe('bar');
    expect(mergePatch({ e: null }, { a: 1 })).toEqual({ e: null, a: 1 });
  });
});

describe('JSON Patch (RFC 6902)', () => {
  const doc = { spec: { template: { metadata: { labels: { 'a/b': 'x', 'm~n': 'y' } } }, list: ['a', 'b'] } };
  it('applies add/remove/replace/test with ~0 and ~1 escaping', () => {
    const ops = parseJsonPatch([
      { op: 'test', path: '/spec/template/metadata/labels/a~1b', value: 'x' },
      { op: 'remove', path: '/spec/template/metadata/labels/m~0n' },
      { op: 'add', path: '/spec/list/-', value: 'c' },
      { op: 'add', path: '/spec/list/0', value: 'z' },
      { op: 'replace', path: '/spec/template/metadata/labels/a~1b', value: 'w' },
    ]);
    expect(applyJsonPatch(doc, ops)).toEqual({ spec: { template: { metadata: { labels: { 'a/b': 'w' } } }, list: ['z', 'a', 'b', 'c'] } });
    expect(doc.spec.list).toEqual(['a', 'b']);
  });
  it('rejects a failed test and missing paths with 422, malformed patches with 400', () => {
    const code = (f: () => unknown): number | undefined => {
      try {
        f();
      } catch (e) {
        return (e as ApiError).code;
      }
      return undefined;
    };
    expect(code(() => applyJsonPatch(doc, parseJsonPatch([{ op: 'test', path: '/spec/list/0', value: 'q' }])))).toBe(422);
    expect(code(() => applyJsonPatch(doc, parseJsonPatch([{ op: 'replace', path: '/spec/nope', value: 1 }])))).toBe(422);
    expect(code(() => applyJsonPatch(doc, parseJsonPatch([{ op: 'remove', path: '/spec/list/5' }])))).toBe(422);
    // evanphx/json-patch, the API server's: a missing member tests equal to null, a missing parent is 422.
    expect(applyJsonPatch(doc, parseJsonPatch([{ op: 'test', path: '/spec/nope', value: null }]))).toEqual(doc);
    expect(code(() => applyJsonPatch(doc, parseJsonPatch([{ op: 'test', path: '/spec/nope', value: 1 }])))).toBe(422);
    expect(code(() => applyJsonPatch(doc, parseJsonPatch([{ op: 'test', path: '/nope/deeper', value: null }])))).toBe(422);
    expect(code(() => parseJsonPatch({ spec: {} }))).toBe(400);
    expect(code(() => parseJsonPatch([{ op: 'frobnicate', path: '/x' }]))).toBe(400);
  });
});

describe('label selectors', () => {
  const obj = (labels: Record<string, string>): KObject => ({ apiVersion: 'v1', kind: 'X', metadata: { name: 'x', labels } });
  it.each([
    ['app=web', true], ['app==web', true], ['app!=web', false], ['app in (api,web)', true], ['app notin (web)', false],
    ['tier', true], ['!tier', false], ['!zone', true], ['app=web,tier=front', true], ['app in (web),tier notin (back,x)', true],
  ])('%s', (selector, expected) => {
    expect(parseLabelSelector(selector)(obj({ app: 'web', tier: 'front' }))).toBe(expected);
  });
});

describe('API server over HTTP', () => {
  let sim: SimKube;
  beforeEach(async () => {
    sim = await SimKube.start();
    sim.addRollout({ namespace: 'prod', name: 'checkout-api', image: 'registry/checkout-api:v1' });
  });
  afterEach(() => sim.stop());

  it('requires the bearer token from the kubeconfig', async () => {
    expect((await rawRequest(sim, 'GET', RO_PATH, { token: null })).status).toBe(401);
    expect((await rawRequest(sim, 'GET', RO_PATH, { token: 'wrong' })).status).toBe(401);
    expect(sim.kubeconfig()).toContain(`token: ${sim.token}`);
    expect((await rawRequest(sim, 'GET', RO_PATH)).status).toBe(200);
  });

  it('answers NotFound as a Status', async () => {
    const res = await rawRequest(sim, 'GET', '/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts/nope');
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({
      kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404,
      message: 'rollouts.argoproj.io "nope" not found', details: { name: 'nope', group: 'argoproj.io', kind: 'rollouts' },
    });
  });

  it('drops .status on the main URL and everything but .status on /status; generation follows .spec only', async () => {
    const before = sim.getRollout('prod', 'checkout-api');
    sim.controller.pause();
    const main = await rawRequest(sim, 'PATCH', RO_PATH, { contentType: 'application/merge-patch+json', body: { status: { abort: true } } });
    expect(main.status).toBe(200);
    expect(sim.getRollout('prod', 'checkout-api').status?.abort).toBeUndefined();
    expect(sim.getRollout('prod', 'checkout-api').metadata.resourceVersion).toBe(before.metadata.resourceVersion);

    await rawRequest(sim, 'PATCH', `${RO_PATH}/status`, {
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { sneaky: 'yes' } }, spec: { replicas: 9 }, status: { abort: true } },
    });
    const afterStatus = sim.getRollout('prod', 'checkout-api');
    expect(afterStatus.status?.abort).toBe(true);
    expect(afterStatus.metadata.labels?.sneaky).toBeUndefined();
    expect(afterStatus.spec.replicas).toBe(4);
    expect(afterStatus.metadata.generation).toBe(before.metadata.generation);
    expect(Number(afterStatus.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));

    await rawRequest(sim, 'PATCH', RO_PATH, { contentType: 'application/merge-patch+json', body: { metadata: { annotations: { note: 'x' } } } });
    expect(sim.getRollout('prod', 'checkout-api').metadata.generation).toBe(before.metadata.generation);
    await rawRequest(sim, 'PATCH', RO_PATH, { contentType: 'application/merge-patch+json', body: { spec: { paused: true } } });
    expect(sim.getRollout('prod', 'checkout-api').metadata.generation).toBe((before.metadata.generation ?? 0) + 1);
  });

  it('rejects a stale PUT with the real Conflict Status, and a CRD PUT without resourceVersion', async () => {
    const stale = sim.getRollout('prod', 'checkout-api');
    await rawRequest(sim, 'PATCH', RO_PATH, { contentType: 'application/merge-patch+json', body: { metadata: { labels: { bump: '1' } } } });
    const res = await rawRequest(sim, 'PUT', RO_PATH, { body: stale });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({
      kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', code: 409,
      message: 'Operation cannot be fulfilled on rollouts.argoproj.io "checkout-api": the object has been modified; please apply your changes to the latest version and try again',
    });
    const noRv = { ...stale, metadata: { ...stale.metadata, resourceVersion: undefined } };
    expect((await rawRequest(sim, 'PUT', RO_PATH, { body: noRv })).status).toBe(422);
  });

  it('refuses strategic merge patch on the CRD (415) but takes it on ReplicaSets; apply patch is 415', async () => {
    const smp = await rawRequest(sim, 'PATCH', RO_PATH, { contentType: 'application/strategic-merge-patch+json', body: { spec: { replicas: 3 } } });
    expect(smp.status).toBe(415);
    expect(smp.json).toMatchObject({ reason: 'UnsupportedMediaType', code: 415 });
    const rs = sim.listReplicaSets('prod')[0] as KObject;
    const rsPath = `/apis/apps/v1/namespaces/prod/replicasets/${rs.metadata.name}`;
    const ok = await rawRequest(sim, 'PATCH', rsPath, { contentType: 'application/strategic-merge-patch+json', body: { metadata: { labels: { x: 'y' } } } });
    expect(ok.status).toBe(200);
    expect((await rawRequest(sim, 'PATCH', RO_PATH, { contentType: 'application/apply-patch+yaml', body: 'spec: {}' })).status).toBe(415);
  });

  it('returns 400 for a merge-patch body sent as JSON Patch, 422 for a failed test op and invalid fields', async () => {
    const wrong = await rawRequest(sim, 'PATCH', RO_PATH, { contentType: 'application/json-patch+json', body: { status: { abort: true } } });
    expect(wrong.status).toBe(400);
    const test = await rawRequest(sim, 'PATCH', RO_PATH, { contentType: 'application/json-patch+json', body: [{ op: 'test', path: '/spec/replicas', value: 7 }] });
    expect(test.status).toBe(422);
    const bad = await rawRequest(sim, 'PATCH', RO_PATH, { contentType: 'application/merge-patch+json', body: { spec: { replicas: 'three' } } });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ reason: 'Invalid' });
  });

  it('creates with generation 1, uid and timestamp; duplicates are AlreadyExists', async () => {
    const body = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'release-lock' }, spec: { holderIdentity: 'a' } };
    const path = '/apis/coordination.k8s.io/v1/namespaces/prod/leases';
    const created = await rawRequest(sim, 'POST', path, { body });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ metadata: { name: 'release-lock', namespace: 'prod', uid: expect.any(String), creationTimestamp: expect.any(String) } });
    const dup = await rawRequest(sim, 'POST', path, { body });
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({ reason: 'AlreadyExists', message: 'leases.coordination.k8s.io "release-lock" already exists' });
    const ro = await rawRequest(sim, 'POST', '/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts', {
      body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'other' }, spec: { replicas: 1 }, status: { phase: 'Healthy' } },
    });
    expect(ro.json).toMatchObject({ metadata: { generation: 1 } });
    expect((ro.json as KObject).status).toBeUndefined();
  });

  it('dryRun=All validates and returns the object but stores nothing', async () => {
    const before = sim.getRollout('prod', 'checkout-api');
    const res = await rawRequest(sim, 'PATCH', `${RO_PATH}?dryRun=All`, { contentType: 'application/merge-patch+json', body: { spec: { replicas: 7 } } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ spec: { replicas: 7 }, metadata: { generation: (before.metadata.generation ?? 0) + 1 } });
    expect(sim.getRollout('prod', 'checkout-api')).toEqual(before);
    const invalid = await rawRequest(sim, 'PATCH', `${RO_PATH}?dryRun=All`, { contentType: 'application/merge-patch+json', body: { spec: { replicas: 'x' } } });
    expect(invalid.status).toBe(422);
    expect(sim.writes()).toHaveLength(0);
    expect(sim.requests.filter((r) => r.dryRun)).toHaveLength(2);
  });

  it('injects faults for matching requests only, as many times as asked', async () => {
    sim.faults.add({ method: 'PUT', path: /\/rollouts\/checkout-api$/, status: 409, times: 1 });
    sim.faults.add({ method: 'GET', path: '/apis/apps/v1/namespaces/prod/replicasets', status: 503, times: 2 });
    const ro = sim.getRollout('prod', 'checkout-api');
    expect((await rawRequest(sim, 'PUT', RO_PATH, { body: ro })).status).toBe(409);
    expect((await rawRequest(sim, 'PUT', RO_PATH, { body: ro })).status).toBe(200);
    const codes = [];
    for (let i = 0; i < 3; i += 1) codes.push((await rawRequest(sim, 'GET', '/apis/apps/v1/namespaces/prod/replicasets')).status);
    expect(codes).toEqual([503, 503, 200]);
    expect(sim.faults.pending()).toBe(0);
  });

  it('lists with label and field selectors', async () => {
    sim.addRollout({ namespace: 'prod', name: 'cart', image: 'registry/cart:v1' });
    const list = async (q: string): Promise<string[]> =>
      ((await rawRequest(sim, 'GET', `/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts?${q}`)).json as { items: KObject[] }).items.map((i) => i.metadata.name);
    expect(await list('labelSelector=app%3Dcart')).toEqual(['cart']);
    expect(await list('labelSelector=app%20in%20(cart,checkout-api)')).toEqual(['cart', 'checkout-api']);
    expect(await list('labelSelector=app!%3Dcart')).toEqual(['checkout-api']);
    expect(await list('fieldSelector=metadata.name%3Dcheckout-api')).toEqual(['checkout-api']);
    expect((await rawRequest(sim, 'GET', '/apis/argoproj.io/v1alpha1/rollouts')).json).toMatchObject({ kind: 'RolloutList', items: [{}, {}] });
  });

  it('serves /scale for rollouts from spec.replicas and status.HPAReplicas', async () => {
    const res = await rawRequest(sim, 'GET', `${RO_PATH}/scale`);
    expect(res.json).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 4 }, status: { replicas: 4, selector: 'app=checkout-api' } });
    sim.controller.pause();
    await rawRequest(sim, 'PATCH', `${RO_PATH}/scale`, { contentType: 'application/merge-patch+json', body: { spec: { replicas: 6 } } });
    expect(sim.getRollout('prod', 'checkout-api').spec.replicas).toBe(6);
  });

  it('streams watch events after the given resourceVersion and ends at timeoutSeconds', async () => {
    const rv = sim.getRollout('prod', 'checkout-api').metadata.resourceVersion;
    sim.controller.pause();
    await rawRequest(sim, 'PATCH', RO_PATH, { contentType: 'application/merge-patch+json', body: { metadata: { labels: { a: '1' } } } });
    await rawRequest(sim, 'PATCH', RO_PATH, { contentType: 'application/merge-patch+json', body: { metadata: { labels: { a: '2' } } } });
    const started = Date.now();
    const res = await rawRequest(sim, 'GET', `/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts?watch=1&resourceVersion=${rv}&timeoutSeconds=1`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const events = res.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: KObject });
    expect(events.map((e) => [e.type, e.object.metadata.labels?.a])).toEqual([['MODIFIED', '1'], ['MODIFIED', '2']]);
    const fresh = await rawRequest(sim, 'GET', '/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts?watch=true&timeoutSeconds=1');
    expect(fresh.text.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['ADDED']);
    expect(sim.writes().every((w) => !w.watch)).toBe(true);
  });

  it('serves discovery for kubectl: legacy documents whatever the Accept header asks for', async () => {
    const aggregated = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const apis = await rawRequest(sim, 'GET', '/apis', { accept: aggregated });
    expect(apis.json).toMatchObject({ kind: 'APIGroupList' });
    const argo = await rawRequest(sim, 'GET', '/apis/argoproj.io/v1alpha1');
    expect(argo.json).toMatchObject({
      kind: 'APIResourceList', groupVersion: 'argoproj.io/v1alpha1',
      resources: expect.arrayContaining([
        expect.objectContaining({ name: 'rollouts', kind: 'Rollout', singularName: 'rollout', shortNames: ['ro'], namespaced: true }),
        expect.objectContaining({ name: 'rollouts/status' }),
        expect.objectContaining({ name: 'rollouts/scale', kind: 'Scale', group: 'autoscaling' }),
      ]),
    });
    expect((await rawRequest(sim, 'GET', '/openapi/v2')).status).toBe(404);
  });
});
