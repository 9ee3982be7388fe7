/** A kubeconfig for the simulator, good for kubectl --kubeconfig and KubeConfig.loadFromString. */
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  readonly server: string;
  readonly token: string;
  readonly namespace?: string;
  readonly name?: string;
  /** PEM of the CA that signed the server certificate (https servers). */
  readonly caCert?: string;
}

export function renderKubeconfig(opts: KubeconfigOptions): string {
  const name = opts.name ?? 'simkube';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{
      name,
      cluster: {
        server: opts.server,
        ...(opts.caCert ? { 'certificate-authority-data': Buffer.from(opts.caCert).toString('base64') } : {}),
      },
    }],
    users: [{ name, user: { token: opts.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: opts.namespace ?? 'default' } }],
    'current-context': name,
    preferences: {},
  });
}
