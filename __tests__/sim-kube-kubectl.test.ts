/** Fidelity with the real kubectl (v1.32): discovery, short names, tables, patches and their traps. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SimKube } from '../sim/kube/index.js';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);
const describeKubectl = existsSync(KUBECTL) ? describe : describe.skip;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describeKubectl('real kubectl against the simulator', () => {
  let sim: SimKube;
  let cacheDir: string;
  let kubeconfig: string;

  // The server runs in this process, so kubectl must be spawned asynchronously (never execFileSync).
  async function kubectl(...args: string[]): Promise<Result> {
    try {
      const { stdout, stderr } = await run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, '--request-timeout', '10s', ...args]);
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  beforeAll(async () => {
    sim = await SimKube.start();
    sim.addRollout({ namespace: 'prod', name: 'checkout-api', image: 'registry/checkout-api:v1' });
    sim.addRollout({ namespace: 'prod', name: 'cart', image: 'registry/cart:v1', trafficRouting: true });
    kubeconfig = await sim.writeKubeconfig();
    cacheDir = await mkdtemp(join(tmpdir(), 'kubectl-cache-'));
  });
  afterAll(async () => {
    await sim.stop();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('lists rollouts with the CRD printer columns', async () => {
    const res = await kubectl('get', 'rollouts', '-n', 'prod');
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 5))).toEqual([
      ['cart', '4', '4', '4', '4'],
      ['checkout-api', '4', '4', '4', '4'],
    ]);
    // kubectl asked for aggregated discovery first and was content with the legacy answer.
    expect(sim.requests.some((r) => r.path === '/apis/argoproj.io/v1alpha1')).toBe(true);
    expect(sim.requests.some((r) => r.status === 401)).toBe(false);
  });

  it('resolves the short name `ro` through discovery and prints JSON', async () => {
    const res = await kubectl('get', 'ro', 'checkout-api', '-n', 'prod', '-o', 'json');
    expect(res.code).toBe(0);
    const ro = JSON.parse(res.stdout) as { kind: string; status: { phase: string; observedGeneration: string } };
    expect(ro.kind).toBe('Rollout');
    expect(ro.status).toMatchObject({ phase: 'Healthy', observedGeneration: '1' });
  });

  it('lists ReplicaSets by label selector', async () => {
    const res = await kubectl('get', 'rs', '-n', 'prod', '-l', 'app=checkout-api', '-o', 'name');
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toEqual([`replicaset.apps/${sim.listReplicaSets('prod', 'app=checkout-api')[0]?.metadata.name}`]);
    const req = sim.requests.filter((r) => r.path === '/apis/apps/v1/namespaces/prod/replicasets').at(-1);
    expect(req?.query.labelSelector).toBe('app=checkout-api');
  });

  it('silently drops a status merge patch sent without --subresource (the trap)', async () => {
    const before = sim.getRollout('prod', 'checkout-api');
    const res = await kubectl('patch', 'rollout', 'checkout-api', '-n', 'prod', '--type=merge', '-p', '{"status":{"abort":true}}');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('patched (no change)');
    const after = sim.getRollout('prod', 'checkout-api');
    expect(after.status?.abort).toBeUndefined();
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('refuses kubectl patch --type=strategic (kubectl\'s default) on a Rollout with 415', async () => {
    const res = await kubectl('patch', 'rollout', 'checkout-api', '-n', 'prod', '--type=strategic', '-p', '{"spec":{"paused":true}}');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('the body of the request was in an unknown format');
    expect(sim.requests.at(-1)).toMatchObject({ method: 'PATCH', status: 415, contentType: 'application/strategic-merge-patch+json' });
  });

  it('aborts through --subresource=status, and the controller takes the rollout to Degraded', async () => {
    const res = await kubectl('patch', 'rollout', 'checkout-api', '-n', 'prod', '--subresource=status', '--type=merge', '-p', '{"status":{"abort":true}}');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('rollout.argoproj.io/checkout-api patched');
    // Fully promoted: the controller drops a stale abort, so start a canary first and abort that.
    await kubectl('patch', 'rollout', 'checkout-api', '-n', 'prod', '--type=json', '-p',
      '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"registry/checkout-api:v2"}]');
    await sim.waitForRollout('prod', 'checkout-api', (ro) => ro.status?.phase === 'Paused');
    const abort = await kubectl('patch', 'ro', 'checkout-api', '-n', 'prod', '--subresource=status', '--type=merge', '-p', '{"status":{"abort":true}}');
    expect(abort.code).toBe(0);
    const ro = await sim.waitForRollout('prod', 'checkout-api', (r) => r.status?.phase === 'Degraded');
    expect(ro.status?.message).toBe('RolloutAborted: Rollout aborted update to revision 2');
    const phase = await kubectl('get', 'ro', 'checkout-api', '-n', 'prod', '-o', 'jsonpath={.status.phase}');
    expect(phase.stdout).toBe('Degraded');
  });

  it('gets no credentials through over plain http: kubectl only reads tokens for TLS clusters', async () => {
    const plain = await SimKube.start({ tls: false });
    try {
      const path = await plain.writeKubeconfig();
      const { code } = await (async () => {
        try {
          await run(KUBECTL, ['--kubeconfig', path, '--cache-dir', cacheDir, '--request-timeout', '5s', 'get', 'ns']);
          return { code: 0 };
        } catch (e) {
          return { code: (e as { code: number }).code };
        }
      })();
      expect(code).not.toBe(0);
      expect(plain.requests.filter((r) => r.path === '/api').every((r) => r.status === 401)).toBe(true);
    } finally {
      await plain.stop();
    }
  });
});
