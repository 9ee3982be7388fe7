// Kubernetes errors that say what to do: no credentials (and where the action looked), a refused
// credential (401), a missing permission (403, naming verb and resource), and `kube-context`.
import { ApiException } from '@kubernetes/client-node';
import { kubeconfigSource, noCredentialsMessage, type KubeconfigLookup } from '../src/kube/credentials.js';
import { forbiddenPermission, kubeErrorMessage } from '../src/kube/errors.js';
import { errorMessage } from '../src/errors.js';
import { parseSettings } from '../src/settings.js';

const NOTHING: KubeconfigLookup = { input: false, kubeconfigEnv: undefined, homeConfig: '/home/runner/.kube/config', homeConfigExists: false, serviceAccountToken: false, delimiter: ':' };

describe('where the credentials come from (the order of kubectl and client-node loadFromDefault)', () => {
  it('the input first, then KUBECONFIG, then ~/.kube/config, then the in-cluster service account', () => {
    const all = { ...NOTHING, input: true, kubeconfigEnv: '/a:/b', homeConfigExists: true, serviceAccountToken: true };
    expect(kubeconfigSource(all)).toEqual({ kind: 'input' });
    expect(kubeconfigSource({ ...all, input: false })).toEqual({ kind: 'KUBECONFIG', files: ['/a', '/b'] });
    expect(kubeconfigSource({ ...all, input: false, kubeconfigEnv: '' })).toEqual({ kind: 'home', file: '/home/runner/.kube/config' });
    expect(kubeconfigSource({ ...NOTHING, serviceAccountToken: true })).toEqual({ kind: 'in-cluster' });
  });

  it('a KUBECONFIG of only separators is not set (client-node filters empty names too)', () => {
    expect(kubeconfigSource({ ...NOTHING, kubeconfigEnv: '::' })).toBeUndefined();
  });

  it('nothing found: the message names each place looked at and how to give the action a cluster', () => {
    expect(kubeconfigSource(NOTHING)).toBeUndefined();
    const message = noCredentialsMessage(NOTHING);
    expect(message).toContain('No Kubernetes credentials found');
    for (const place of ['the kubeconfig input (empty)', 'KUBECONFIG (not set)', '/home/runner/.kube/config (no such file)', 'in-cluster service account (not running in a pod)']) expect(message).toContain(place);
    expect(message).toContain('aws eks update-kubeconfig');
    expect(message).not.toContain('HTTP protocol');
    expect(noCredentialsMessage({ ...NOTHING, homeConfig: undefined })).toContain('~/.kube/config (no home directory)');
  });
});

/** An error as @kubernetes/client-node 2.x throws it for a non-2xx answer: the Status body as a string. */
function apiError(code: number, status: object): ApiException<string> {
  return new ApiException(code, `HTTP-Code: ${code}`, JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', ...status, code }), { 'content-type': 'application/json' });
}

describe('Kubernetes API errors', () => {
  it('401: the credential was refused, and how to get a fresh one', () => {
    const message = errorMessage(apiError(401, { message: 'Unauthorized', reason: 'Unauthorized' }));
    expect(message).toBe(
      'Kubernetes API answered 401: Unauthorized — the cluster refused the credential (missing, expired, or for another cluster): get a fresh one in the job before this step ' +
        '(aws eks update-kubeconfig, google-github-actions/get-gke-credentials, azure/aks-set-context) or pass a current kubeconfig; README, "Clusters"',
    );
  });

  it('403 from RBAC: names the verb, the resource with its subresource, the API group and the namespace', () => {
    // The API server's own wording (k8s.io/apiserver responsewriters/errors.go forbiddenMessage).
    const error = apiError(403, {
      reason: 'Forbidden',
      message: 'rollouts.argoproj.io "checkout-api" is forbidden: User "system:serviceaccount:prod:release-to-prod" cannot patch resource "rollouts/status" in API group "argoproj.io" in the namespace "prod"',
      details: { name: 'checkout-api', group: 'argoproj.io', kind: 'rollouts' },
    });
    expect(kubeErrorMessage(error)).toMatch(/ — the service account may not patch rollouts\/status \(API group argoproj\.io\) in namespace prod: grant it with the Role in deploy\/rbac\.yaml \(README, "RBAC"\)$/);
  });

  it('403 on a core resource at the cluster scope, and a 403 worded by another authorizer', () => {
    expect(forbiddenPermission('namespaces "prod" is forbidden: User "x" cannot get resource "namespaces" in API group "" at the cluster scope')).toEqual({ verb: 'get', resource: 'namespaces', group: '', namespace: undefined });
    expect(kubeErrorMessage(apiError(403, { message: 'denied by policy' }))).toBe('Kubernetes API answered 403: denied by policy — the credential is valid but lacks a permission: grant it with the Role in deploy/rbac.yaml (README, "RBAC")');
  });

  it('other statuses keep the Status message alone', () => {
    expect(kubeErrorMessage(apiError(404, { message: 'rollouts.argoproj.io "x" not found' }))).toBe('Kubernetes API answered 404: rollouts.argoproj.io "x" not found');
  });
});

describe('kube-context', () => {
  const kubeconfig = ['apiVersion: v1', 'clusters: [{name: a, cluster: {server: "https://a"}}]', 'contexts: [{name: prod-east, context: {cluster: a, user: u}}, {name: prod-west, context: {cluster: a, user: u}}]', 'current-context: prod-east', 'users: [{name: u, user: {token: t0k3n}}]'].join('\n');
  const parse = (inputs: Record<string, string>) => {
    const all: Record<string, string> = { environment: 'prod', version: 'v2.14.0', sha: 'a'.repeat(40), service: 'checkout-api', digest: `sha256:${'b'.repeat(64)}`, 'github-token': 'ghs_x', 'slo-command': './check-slo.sh', ...inputs };
    return parseSettings((name) => all[name] ?? '', { GITHUB_REPOSITORY: 'acme/shop', GITHUB_WORKSPACE: '/tmp/ws' });
  };

  it('empty: the kubeconfig current context', () => {
    expect(parse({ kubeconfig }).settings?.kubeContext).toBeUndefined();
  });

  it('a context of the kubeconfig input is taken', () => {
    expect(parse({ kubeconfig, 'kube-context': 'prod-west' }).settings?.kubeContext).toBe('prod-west');
  });

  it('a context the kubeconfig input lacks is an input error naming the ones it has', () => {
    const { settings, errors } = parse({ kubeconfig, 'kube-context': 'prod-north', version: 'nope' });
    expect(settings).toBeUndefined();
    expect(errors).toContain("kube-context 'prod-north' is not a context of the kubeconfig input: it has 'prod-east', 'prod-west'");
    expect(errors.length).toBe(2);
  });

  it('without the input it is kept, and checked when KUBECONFIG or ~/.kube/config is loaded', () => {
    expect(parse({ 'kube-context': 'prod-west' }).settings?.kubeContext).toBe('prod-west');
  });
});
