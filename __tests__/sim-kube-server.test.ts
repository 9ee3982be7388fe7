/**
 * API server behaviour the action's lock and conditional promote rely on, answered as a real API
 * server answers (handlers/patch.go, storage preconditions, MicroTime, fieldValidation, CRD schema).
 */
import { SimKube, type Rollout } from '../sim/kube/index.js';
import { rawRequest, type RawResponse } from '../sim/kube/raw.js';

const NS = 'prod';
const NAME = 'checkout-api';
const RO = `/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts/${NAME}`;
const LEASES = `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`;
const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const micro = '2026-11-30T10:00:00.123456Z';

describe('simulated API server: conditional writes, leases, validation, lost answers', () => {
  let sim: SimKube;
  beforeEach(async () => {
    sim = await SimKube.start();
    sim.addRollout({ namespace: NS, name: NAME, image: 'ghcr.io/acme/checkout-api:v1' });
  });
  afterEach(() => sim.stop());

  const send = (method: string, path: string, body?: unknown, contentType?: string): Promise<RawResponse> =>
    rawRequest(sim, method, path, { body, ...(contentType ? { contentType } : {}) });
  const rv = (): string => sim.getRollout(NS, NAME).metadata.resourceVersion ?? '';

  describe('a promote conditional on the step it observed', () => {
    it('JSON Patch with a `test` op on /status applies when the test holds', async () => {
      sim.controller.pause();
      const res = await send('PATCH', `${RO}/status`, [
        { op: 'test', path: '/status/currentStepIndex', value: 4 },
        { op: 'add', path: '/status/promoteFull', value: true },
      ], JSON_PATCH);
      expect(res.status).toBe(200);
      expect((res.json as Rollout).status?.promoteFull).toBe(true);
    });

    it('a failed `test` is 422 with the API server\'s generic message, and nothing is written', async () => {
      sim.controller.pause();
      const before = rv();
      const res = await send('PATCH', `${RO}/status`, [
        { op: 'test', path: '/status/currentStepIndex', value: 1 },
        { op: 'remove', path: '/status/pauseConditions' },
      ], JSON_PATCH);
      expect(res.status).toBe(422);
      expect(res.json).toEqual({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
        message: 'the server rejected our request due to an error in our request', reason: 'Invalid', details: {}, code: 422,
      });
      expect(rv()).toBe(before);
    });

    it('a merge patch carrying metadata.resourceVersion on /status is a precondition: 409 when stale', async () => {
      sim.controller.pause();
      const stale = String(Number(rv()) - 1);
      const res = await send('PATCH', `${RO}/status`, { metadata: { resourceVersion: stale }, status: { pauseConditions: null } }, MERGE);
      expect(res.status).toBe(409);
      expect(res.json).toMatchObject({
        reason: 'Conflict',
        message: `Operation cannot be fulfilled on rollouts.argoproj.io "${NAME}": the object has been modified; please apply your changes to the latest version and try again`,
      });
      const ok = await send('PATCH', `${RO}/status`, { metadata: { resourceVersion: rv() }, status: { abort: true } }, MERGE);
      expect(ok.status).toBe(200);
    });
  });

  describe('Leases', () => {
    const lease = (holder: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'release-to-prod-checkout-api' },
      spec: { holderIdentity: holder, leaseDurationSeconds: 60, acquireTime: micro, renewTime: micro, ...extra },
    });

    it('create (201, then 409 AlreadyExists), update with resourceVersion (409 when stale), get, delete', async () => {
      const created = await send('POST', LEASES, lease('run-a'));
      expect(created.status).toBe(201);
      const again = await send('POST', LEASES, lease('run-b'));
      expect(again.status).toBe(409);
      expect(again.json).toMatchObject({ reason: 'AlreadyExists', message: 'leases.coordination.k8s.io "release-to-prod-checkout-api" already exists' });
      const first = created.json as { metadata: { resourceVersion: string } };
      const renewed = await send('PUT', `${LEASES}/release-to-prod-checkout-api`, { ...lease('run-a', { renewTime: '2026-11-30T10:00:10.000000Z' }), metadata: { name: 'release-to-prod-checkout-api', resourceVersion: first.metadata.resourceVersion } });
      expect(renewed.status).toBe(200);
      const stale = await send('PUT', `${LEASES}/release-to-prod-checkout-api`, { ...lease('run-b'), metadata: { name: 'release-to-prod-checkout-api', resourceVersion: first.metadata.resourceVersion } });
      expect(stale.status).toBe(409);
      expect((await send('GET', `${LEASES}/release-to-prod-checkout-api`)).json).toMatchObject({ spec: { holderIdentity: 'run-a' } });
    });

    it('an update without resourceVersion is refused (422): a Lease allows no unconditional update', async () => {
      // pkg/registry/coordination/lease/strategy.go: AllowUnconditionalUpdate() is false, so a PUT that
      // does not say which version it replaces can never silently overwrite another holder's write.
      expect((await send('POST', LEASES, lease('run-a'))).status).toBe(201);
      const blind = await send('PUT', `${LEASES}/release-to-prod-checkout-api`, lease('run-b'));
      expect(blind.status).toBe(422);
      expect((blind.json as { message: string }).message).toContain('metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
      expect((await send('GET', `${LEASES}/release-to-prod-checkout-api`)).json).toMatchObject({ spec: { holderIdentity: 'run-a' } });
    });

    it('delete honours DeleteOptions preconditions (409 with the storage message when the lease moved on)', async () => {
      const created = (await send('POST', LEASES, lease('run-a'))).json as { metadata: { resourceVersion: string; uid: string } };
      await send('PATCH', `${LEASES}/release-to-prod-checkout-api`, { spec: { holderIdentity: 'run-b' } }, MERGE);
      const refused = await send('DELETE', `${LEASES}/release-to-prod-checkout-api`, { preconditions: { resourceVersion: created.metadata.resourceVersion } });
      expect(refused.status).toBe(409);
      const current = ((await send('GET', `${LEASES}/release-to-prod-checkout-api`)).json as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
      expect((refused.json as { message: string }).message).toBe(
        'Operation cannot be fulfilled on leases.coordination.k8s.io "release-to-prod-checkout-api": StorageError: invalid object, Code: 4, ' +
        `Key: /registry/leases/${NS}/release-to-prod-checkout-api, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: ` +
        `ResourceVersion in precondition: ${created.metadata.resourceVersion}, ResourceVersion in object meta: ${current}`);
      const deleted = await send('DELETE', `${LEASES}/release-to-prod-checkout-api`, { preconditions: { resourceVersion: current, uid: created.metadata.uid } });
      expect(deleted.status).toBe(200);
      expect((await send('GET', `${LEASES}/release-to-prod-checkout-api`)).status).toBe(404);
    });

    it('MicroTime needs six fraction digits: Date#toISOString is refused (400 on create, 422 on patch)', async () => {
      const res = await send('POST', LEASES, lease('run-a', { renewTime: '2026-11-30T10:00:00.123Z' }));
      expect(res.status).toBe(400);
      expect((res.json as { message: string }).message).toBe('Lease in version "v1" cannot be handled as a Lease: parsing time ' +
        '"2026-11-30T10:00:00.123Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".123Z" as ".000000"');
      expect((await send('POST', LEASES, lease('run-a'))).status).toBe(201);
      const patch = await send('PATCH', `${LEASES}/release-to-prod-checkout-api`, { spec: { renewTime: '2026-11-30T10:00:05Z' } }, MERGE);
      expect(patch.status).toBe(422);
      expect((patch.json as { message: string }).message).toMatch(/^ "" is invalid: patch: Invalid value: ".*": parsing time "2026-11-30T10:00:05Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"$/);
    });

    it('fieldValidation=Strict refuses an unknown field (400); without it the field is dropped', async () => {
      const strict = await send('POST', `${LEASES}?fieldValidation=Strict`, lease('run-a', { holder: 'typo' }));
      expect(strict.status).toBe(400);
      expect((strict.json as { message: string }).message).toBe('Lease in version "v1" cannot be handled as a Lease: strict decoding error: unknown field "spec.holder"');
      const lax = await send('POST', LEASES, lease('run-a', { holder: 'typo' }));
      expect(lax.status).toBe(201);
      expect((lax.json as { spec: Record<string, unknown> }).spec.holder).toBeUndefined();
    });
  });

  describe('Rollout status patches are checked against Argo\'s CRD', () => {
    it('a wrongly typed status field is 422 with the CRD validation message', async () => {
      sim.controller.pause();
      const res = await send('PATCH', `${RO}/status`, { status: { currentStepIndex: '2' } }, MERGE);
      expect(res.status).toBe(422);
      expect(res.json).toMatchObject({
        reason: 'Invalid',
        message: `Rollout.argoproj.io "${NAME}" is invalid: status.currentStepIndex: Invalid value: "string": status.currentStepIndex in body must be of type integer: "string"`,
      });
    });

    it('an unknown status field: 422 on field "patch" with Strict, silently pruned without', async () => {
      sim.controller.pause();
      const before = rv();
      const strict = await send('PATCH', `${RO}/status?fieldValidation=Strict`, { status: { pauseCondition: null, promoteFul: true } }, MERGE);
      expect(strict.status).toBe(422);
      expect((strict.json as { message: string }).message).toMatch(/: strict decoding error: unknown field "status.promoteFul"$/);
      const lax = await send('PATCH', `${RO}/status`, { status: { promoteFul: true } }, MERGE);
      expect(lax.status).toBe(200);
      expect((lax.json as Rollout).status?.promoteFul).toBeUndefined();
      expect(rv()).toBe(before); // pruned to a no-op: nothing written
    });

    it('creating a Rollout that breaks the CRD schema is 422', async () => {
      const ro = structuredClone(sim.getRollout(NS, NAME)) as Rollout & { spec: { strategy: { canary: Record<string, unknown> } } };
      const body = { apiVersion: ro.apiVersion, kind: ro.kind, metadata: { name: 'other' }, spec: { ...ro.spec, strategy: { canary: { ...ro.spec.strategy.canary, dynamicStableScale: 'yes' } } } };
      const res = await send('POST', `/apis/argoproj.io/v1alpha1/namespaces/${NS}/rollouts`, body);
      expect(res.status).toBe(422);
      expect((res.json as { message: string }).message).toBe('Rollout.argoproj.io "other" is invalid: spec.strategy.canary.dynamicStableScale: Invalid value: "string": spec.strategy.canary.dynamicStableScale in body must be of type boolean: "string"');
    });
  });

  describe('"applied but the answer was lost"', () => {
    it('the write is stored, the client gets the injected 504', async () => {
      sim.controller.pause();
      sim.faults.add({ method: 'PATCH', path: `${RO}/status`, status: 504, applied: true });
      const res = await send('PATCH', `${RO}/status`, { status: { abort: true } }, MERGE);
      expect(res.status).toBe(504);
      expect(sim.getRollout(NS, NAME).status?.abort).toBe(true);
      expect(sim.store.log.filter((w) => w.actor === 'api' && w.subresource === 'status')).toHaveLength(1);
    });

    it('or the connection is destroyed after the write', async () => {
      sim.controller.pause();
      sim.faults.add({ method: 'PATCH', path: `${RO}/status`, status: 502, applied: true, destroy: true });
      await expect(send('PATCH', `${RO}/status`, { status: { abort: true } }, MERGE)).rejects.toThrow();
      expect(sim.getRollout(NS, NAME).status?.abort).toBe(true);
    });

    it('without `applied` nothing is written', async () => {
      sim.controller.pause();
      const before = rv();
      sim.faults.add({ method: 'PATCH', path: `${RO}/status`, status: 502 });
      expect((await send('PATCH', `${RO}/status`, { status: { abort: true } }, MERGE)).status).toBe(502);
      expect(rv()).toBe(before);
    });
  });
});
