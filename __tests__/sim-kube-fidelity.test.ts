/**
 * Fidelity of the version-2 resources with real clients: kubectl (v1.32) and @kubernetes/client-node
 * 2.x reading AnalysisRuns, Experiments and Leases, and a conditional promote by JSON Patch `test`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { SimKube, type Rollout } from '../sim/kube/index.js';
import { loadFixture } from '../sim/kube/fixtures/rollouts/index.js';
import { RolloutsPlugin } from '../sim/kube/plugin.js';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);
const describeKubectl = existsSync(KUBECTL) ? describe : describe.skip;
const NS = 'prod';
const NAME = 'analysis-inline';
const JSON_PATCH = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);

/** A rollout held at its analysis step (run Running), plus a Lease held by another run. */
async function world(): Promise<SimKube> {
  const sim = await SimKube.start({ podReadyMs: 5 });
  sim.controller.analysisMs = 3_600_000;
  sim.addManifests(loadFixture(NAME), { namespace: NS });
  sim.addLease({ namespace: NS, name: 'release-to-prod-analysis-inline', holderIdentity: 'https://github.com/acme/shop/actions/runs/7/attempts/1', leaseDurationSeconds: 60 });
  await new RolloutsPlugin(sim.kubeconfig()).setImage(NS, NAME, NAME, `ghcr.io/acme/${NAME}:v2`);
  await sim.waitForRollout(NS, NAME, (ro) => ro.status?.canary?.currentStepAnalysisRunStatus?.status === 'Running');
  return sim;
}

describeKubectl('real kubectl: AnalysisRuns, Leases, a status JSON Patch test', () => {
  let sim: SimKube;
  let cacheDir: string;
  let kubeconfig: string;

  async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, '--request-timeout', '10s', ...args]);
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  beforeAll(async () => {
    sim = await world();
    kubeconfig = await sim.writeKubeconfig();
    cacheDir = await mkdtemp(join(tmpdir(), 'kubectl-cache-'));
  });
  afterAll(async () => {
    await sim.stop();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('gets analysisruns by short name and label selector, with the CRD STATUS column', async () => {
    const res = await kubectl('get', 'ar', '-n', NS, '-l', 'rollout-type=Step,step-index=1');
    expect(res.code).toBe(0);
    const [head, row, ...more] = res.stdout.trim().split('\n');
    expect(head).toMatch(/^NAME\s+STATUS\s+AGE$/);
    expect(row).toMatch(new RegExp(`^${NAME}-[a-z0-9]{10}-2-1\\s+Running\\s+\\d+s$`));
    expect(more).toHaveLength(0);
  });

  it('reads a run as JSON with its owner reference', async () => {
    const res = await kubectl('get', 'analysisruns.argoproj.io', '-n', NS, '-o', 'json');
    expect(res.code).toBe(0);
    const list = JSON.parse(res.stdout) as { items: { metadata: { ownerReferences: { kind: string; name: string }[] } }[] };
    expect(list.items[0]?.metadata.ownerReferences[0]).toMatchObject({ kind: 'Rollout', name: NAME });
  });

  it('gets leases with the HOLDER column and deletes one', async () => {
    const res = await kubectl('get', 'leases', '-n', NS);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^NAME\s+HOLDER\s+AGE\n/);
    expect(res.stdout).toContain('release-to-prod-analysis-inline   https://github.com/acme/shop/actions/runs/7/attempts/1');
    const del = await kubectl('delete', 'lease', 'release-to-prod-analysis-inline', '-n', NS);
    expect(del).toMatchObject({ code: 0, stdout: 'lease.coordination.k8s.io "release-to-prod-analysis-inline" deleted\n' });
    expect((await kubectl('get', 'lease', 'release-to-prod-analysis-inline', '-n', NS)).stderr).toContain('NotFound');
  });

  it('a JSON Patch test on /status that fails: "The request is invalid", exit 1, nothing written', async () => {
    const before = sim.getRollout(NS, NAME).metadata.resourceVersion;
    sim.controller.pause();
    const res = await kubectl('patch', 'rollout', NAME, '-n', NS, '--subresource=status', '--type=json',
      '-p', '[{"op":"test","path":"/status/currentStepIndex","value":3},{"op":"replace","path":"/status/currentStepIndex","value":4}]');
    sim.controller.resume();
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe('The request is invalid: the server rejected our request due to an error in our request');
    expect(sim.getRollout(NS, NAME).metadata.resourceVersion).toBe(before);
  });
});

describe('@kubernetes/client-node: AnalysisRuns, Leases, conditional status patches', () => {
  let sim: SimKube;
  let custom: k8s.CustomObjectsApi;
  let coordination: k8s.CoordinationV1Api;
  beforeAll(async () => {
    sim = await world();
    const kc = new k8s.KubeConfig();
    kc.loadFromString(sim.kubeconfig());
    custom = kc.makeApiClient(k8s.CustomObjectsApi);
    coordination = kc.makeApiClient(k8s.CoordinationV1Api);
  });
  afterAll(() => sim.stop());

  const failure = async (p: Promise<unknown>): Promise<{ code: number; body: { message: string; reason: string } }> => {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(k8s.ApiException);
    const e = err as k8s.ApiException<string>;
    return { code: e.code, body: JSON.parse(e.body) as { message: string; reason: string } };
  };

  it('lists analysisruns with a label selector', async () => {
    const list = (await custom.listNamespacedCustomObject({
      group: 'argoproj.io', version: 'v1alpha1', plural: 'analysisruns', namespace: NS, labelSelector: 'rollout-type=Step',
    })) as { items: { status: { phase: string } }[] };
    expect(list.items.map((i) => i.status.phase)).toEqual(['Running']);
  });

  it('creates a Lease with V1MicroTime (six digits); a plain Date is refused by the decoder', async () => {
    const body = (renewTime: Date): k8s.V1Lease => ({
      metadata: { name: 'release-to-prod-x' },
      spec: { holderIdentity: 'run-b', leaseDurationSeconds: 30, acquireTime: renewTime as k8s.V1MicroTime, renewTime: renewTime as k8s.V1MicroTime },
    });
    const refused = await failure(coordination.createNamespacedLease({ namespace: NS, body: body(new Date()) }));
    expect(refused.code).toBe(400);
    expect(refused.body.message).toMatch(/^Lease in version "v1" cannot be handled as a Lease: parsing time ".*\.\d{3}Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "\.\d{3}Z" as "\.000000"$/);
    const created = await coordination.createNamespacedLease({ namespace: NS, body: body(new k8s.V1MicroTime()) });
    expect(created.spec?.holderIdentity).toBe('run-b');
    const stale = { ...created, spec: { ...created.spec, holderIdentity: 'run-c' } };
    await coordination.replaceNamespacedLease({ name: 'release-to-prod-x', namespace: NS, body: { ...created, spec: { ...created.spec, leaseDurationSeconds: 31 } } });
    expect((await failure(coordination.replaceNamespacedLease({ name: 'release-to-prod-x', namespace: NS, body: stale }))).code).toBe(409);
    const del = await failure(coordination.deleteNamespacedLease({ name: 'release-to-prod-x', namespace: NS, body: { preconditions: { resourceVersion: created.metadata?.resourceVersion } } }));
    expect(del).toMatchObject({ code: 409, body: { reason: 'Conflict' } });
  });

  it('patchNamespacedCustomObjectStatus with a JSON Patch test: 422 when stale, applied when it holds', async () => {
    const ro = (await custom.getNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts', namespace: NS, name: NAME })) as Rollout;
    const index = ro.status?.currentStepIndex ?? 0;
    const params = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts', namespace: NS, name: NAME };
    const stale = await failure(custom.patchNamespacedCustomObjectStatus({ ...params, body: [{ op: 'test', path: '/status/currentStepIndex', value: index + 1 }, { op: 'add', path: '/status/abort', value: true }] }, JSON_PATCH));
    expect(stale).toEqual({ code: 422, body: expect.objectContaining({ reason: 'Invalid', message: 'the server rejected our request due to an error in our request' }) });
    const ok = (await custom.patchNamespacedCustomObjectStatus({ ...params, body: [{ op: 'test', path: '/status/currentStepIndex', value: index }, { op: 'add', path: '/status/abort', value: true }] }, JSON_PATCH)) as Rollout;
    expect(ok.status?.abort).toBe(true);
  });
});
