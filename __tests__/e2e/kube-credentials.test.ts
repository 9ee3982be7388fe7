// Cluster credentials as a workflow meets them, through dist/index.js against sim/kube: none at
// all, a kubeconfig from KUBECONFIG with several contexts (as aws eks update-kubeconfig and
// get-gke-credentials leave it), a refused credential, and `kube-context`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as YAML from 'yaml';
import { NEW_IMAGE, type World } from '../../sim/world.js';
import { worldPerTest } from './per-test-world.js';

const start = worldPerTest();
const image = (w: World) => (w.kube.getRollout('prod', 'checkout-api').spec.template as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image;

/**
 * A kubeconfig file with the simulator's context `simkube` and a second one, `staging`, the
 * current context, whose token the cluster refuses (401). Its folder has no .kube/: a HOME without credentials.
 */
function twoContexts(w: World): { file: string; home: string } {
  const config = YAML.parse(w.kube.kubeconfig());
  config.users.push({ name: 'staging', user: { token: 'expired-token' } });
  config.contexts.push({ name: 'staging', context: { cluster: 'simkube', user: 'staging', namespace: 'default' } });
  config['current-context'] = 'staging';
  const home = path.dirname(w.kubeconfigPath);
  const file = path.join(home, 'two-contexts.yaml');
  writeFileSync(file, YAML.stringify(config), { mode: 0o600 });
  return { file, home };
}

describe('cluster credentials', () => {
  it('none anywhere: exit 1 saying where the action looked, nothing written', async () => {
    const w = await start();
    const run = await w.run({ kubeconfig: '' }, { env: { KUBECONFIG: undefined, HOME: path.dirname(w.kubeconfigPath) } });
    expect(run.code).toBe(1);
    const said = run.stdout + run.report();
    expect(said).toContain('No Kubernetes credentials found: looked at the kubeconfig input (empty), KUBECONFIG (not set)');
    expect(said).toContain('.kube/config (no such file), an in-cluster service account (not running in a pod)');
    expect(said).not.toContain('HTTP protocol is not allowed');
    expect(w.kube.requests).toEqual([]);
    expect(w.github.state.resolve('tags/v2.14.0')).toBeUndefined();
  });

  it('KUBECONFIG whose current context the cluster refuses (401): says the credential was refused, nothing written', async () => {
    const w = await start();
    const { file, home } = twoContexts(w);
    const run = await w.run({ kubeconfig: '' }, { env: { KUBECONFIG: file, HOME: home } });
    expect(run.code).toBe(1);
    // client-node 2.x drops the 401 body (its generated code throws ApiException(401, 'Unauthorized', undefined)).
    expect(run.stdout + run.report()).toContain('Kubernetes API answered 401 — the cluster refused the credential (missing, expired, or for another cluster)');
    expect(w.kube.requests.map((r) => r.status)).not.toContain(200);
    expect(w.kube.writes()).toEqual([]);
  });

  it('kube-context picks the context to use from KUBECONFIG: the release goes through', async () => {
    const w = await start();
    const { file, home } = twoContexts(w);
    const run = await w.run({ kubeconfig: '', 'kube-context': 'simkube' }, { env: { KUBECONFIG: file, HOME: home } });
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('released');
    expect(image(w)).toBe(NEW_IMAGE);
  });

  it('a kube-context KUBECONFIG does not have: exit 1 naming the contexts it has, no request to the cluster', async () => {
    const w = await start();
    const { file, home } = twoContexts(w);
    const run = await w.run({ kubeconfig: '', 'kube-context': 'prod-east' }, { env: { KUBECONFIG: file, HOME: home } });
    expect(run.code).toBe(1);
    expect(run.stdout + run.report()).toContain(`kube-context 'prod-east' is not a context of KUBECONFIG (${file}): it has 'simkube', 'staging'`);
    expect(w.kube.requests).toEqual([]);
  });

  it('a kube-context the kubeconfig input does not have: an input error (BLOCKED, exit 1) with every other problem', async () => {
    const w = await start();
    const run = await w.run({ 'kube-context': 'prod-east', version: 'not-semver' });
    expect(run.code).toBe(1);
    expect(run.report()).toContain("kube-context 'prod-east' is not a context of the kubeconfig input: it has 'simkube'");
    expect(run.report()).toContain("version 'not-semver'");
    expect(w.kube.requests).toEqual([]);
    expect(w.github.writes()).toEqual([]);
  });
});
