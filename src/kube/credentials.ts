// Where the Kubernetes credentials come from, decided before @kubernetes/client-node is asked: its
// KubeConfig.loadFromDefault, finding nothing, falls back to an unauthenticated
// http://localhost:8080 cluster (client-node dist/config.js, loadFromDefault's last line), whose
// first request fails with "HTTP protocol is not allowed when skipTLSVerify is not set or false" —
// an error that names neither the cause nor the fix. The same order as loadFromDefault (and kubectl):
// the `kubeconfig` input, then KUBECONFIG, then ~/.kube/config, then the in-cluster service account.

export type KubeconfigSource =
  | { readonly kind: 'input' }
  | { readonly kind: 'KUBECONFIG'; readonly files: readonly string[] }
  | { readonly kind: 'home'; readonly file: string }
  | { readonly kind: 'in-cluster' };

/** What was found on this machine (read by the adapter; this module only decides). */
export interface KubeconfigLookup {
  readonly input: boolean;
  /** The KUBECONFIG variable, as set. */
  readonly kubeconfigEnv: string | undefined;
  /** ~/.kube/config, or undefined when there is no home directory. */
  readonly homeConfig: string | undefined;
  readonly homeConfigExists: boolean;
  /** The service account token file of a pod (/var/run/secrets/kubernetes.io/serviceaccount/token) exists. */
  readonly serviceAccountToken: boolean;
  /** The path separator of KUBECONFIG lists (`:`, `;` on Windows). */
  readonly delimiter: string;
}

export function kubeconfigSource(lookup: KubeconfigLookup): KubeconfigSource | undefined {
  if (lookup.input) return { kind: 'input' };
  const files = (lookup.kubeconfigEnv ?? '').split(lookup.delimiter).filter(Boolean);
  if (files.length > 0) return { kind: 'KUBECONFIG', files };
  if (lookup.homeConfig && lookup.homeConfigExists) return { kind: 'home', file: lookup.homeConfig };
  if (lookup.serviceAccountToken) return { kind: 'in-cluster' };
  return undefined;
}

/** The error when nothing was found: each place looked at, and how to give the action a cluster. */
export function noCredentialsMessage(lookup: KubeconfigLookup): string {
  const places = [
    'the kubeconfig input (empty)',
    'KUBECONFIG (not set)',
    `${lookup.homeConfig ?? '~/.kube/config'} (${lookup.homeConfig ? 'no such file' : 'no home directory'})`,
    'an in-cluster service account (not running in a pod)',
  ];
  return `No Kubernetes credentials found: looked at ${places.join(', ')}. ` +
    'Pass the kubeconfig input, or run a step before this one that writes a kubeconfig ' +
    '(aws eks update-kubeconfig, google-github-actions/get-gke-credentials, azure/aks-set-context) — see the README, "Clusters".';
}

/** Where the kubeconfig came from, as a user would name it. */
export function describeSource(source: KubeconfigSource): string {
  switch (source.kind) {
    case 'input':
      return 'the kubeconfig input';
    case 'KUBECONFIG':
      return `KUBECONFIG (${source.files.join(', ')})`;
    case 'home':
      return source.file;
    case 'in-cluster':
      return 'the in-cluster service account';
  }
}

/** A `kube-context` the kubeconfig does not have (after the input's name): the ones it has, so the fix is a copy away. */
export function unknownContextProblem(context: string, available: readonly string[], where: string): string {
  const list = available.length > 0 ? `it has ${available.map((c) => `'${c}'`).join(', ')}` : 'it has no contexts';
  return `'${context}' is not a context of ${where}: ${list}`;
}
