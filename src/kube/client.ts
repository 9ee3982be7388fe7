// KubePort over @kubernetes/client-node 2.x. The patch Content-Type is chosen per call with
// setHeaderOptions (reference §1): the library's own pick would be wrong for a CRD's /status.
import * as k8s from '@kubernetes/client-node';
import type { RolloutObject } from '../rollouts/observe.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describeSource, kubeconfigSource, noCredentialsMessage, unknownContextProblem, type KubeconfigLookup } from './credentials.js';
import { statusCode } from './errors.js';
import type { AnalysisRunObject, JsonPatch, KubePort, Lease, PodTemplateHolder } from './port.js';

const ROLLOUTS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' } as const;

/**
 * The kubeconfig input when given, else KUBECONFIG / ~/.kube/config / in-cluster, as kubectl does;
 * `context` (the kube-context input) instead of the current context. Throws, saying where it
 * looked, when there are no credentials at all, and naming the contexts when `context` is not one.
 */
export function loadKubeConfig(kubeconfig: string | undefined, context?: string): k8s.KubeConfig {
  const config = new k8s.KubeConfig();
  const home = k8s.findHomeDir();
  const homeConfig = home ? path.join(home, '.kube', 'config') : undefined;
  const lookup: KubeconfigLookup = {
    input: Boolean(kubeconfig),
    kubeconfigEnv: process.env.KUBECONFIG,
    homeConfig,
    homeConfigExists: homeConfig !== undefined && existsSync(homeConfig),
    serviceAccountToken: existsSync(SERVICE_ACCOUNT_TOKEN),
    delimiter: path.delimiter,
  };
  const source = kubeconfigSource(lookup);
  if (!source) throw new Error(noCredentialsMessage(lookup));
  try {
    if (kubeconfig) config.loadFromString(kubeconfig);
    else config.loadFromDefault();
  } catch (error) {
    throw new Error(`could not load the kubeconfig from ${describeSource(source)}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  if (context) {
    const available = config.getContexts().map((c) => c.name);
    if (!available.includes(context)) throw new Error(`kube-context ${unknownContextProblem(context, available, describeSource(source))}`);
    config.setCurrentContext(context);
  }
  reuseConnections(config);
  return config;
}

// client-node's SERVICEACCOUNT_TOKEN_PATH (not exported): where loadFromDefault looks for in-cluster credentials.
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * client-node 2.0 builds a new undici Agent — a new TCP and TLS connection — for every request
 * to a cluster with TLS options (KubeConfig.createDispatcher, private). Every watch re-read,
 * promote and the abort itself would pay one or two extra round trips: keep one Agent per
 * distinct set of options instead.
 */
function reuseConnections(config: k8s.KubeConfig): void {
  const target = config as unknown as { createDispatcher(cluster: unknown, options: unknown): unknown };
  const create = target.createDispatcher.bind(config);
  const agents = new Map<string, unknown>();
  target.createDispatcher = (cluster, options) => {
    const key = JSON.stringify(config.createDispatcherOptions(cluster as k8s.Cluster | null, options as never), (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : v));
    if (!agents.has(key)) agents.set(key, create(cluster, options));
    return agents.get(key);
  };
}

const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const jsonPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);

export function kubePort(config: k8s.KubeConfig): KubePort {
  const custom = config.makeApiClient(k8s.CustomObjectsApi);
  const apps = config.makeApiClient(k8s.AppsV1Api);
  const coordination = config.makeApiClient(k8s.CoordinationV1Api);
  let writes = 0;
  const write = <T>(dryRun: boolean | undefined, call: () => Promise<T>): Promise<T> => {
    if (!dryRun) writes += 1;
    return call();
  };
  const notFoundAsUndefined = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw error;
    }
  };

  return {
    get writes() {
      return writes;
    },
    getRollout: (namespace, name) => notFoundAsUndefined(async () => (await custom.getNamespacedCustomObject({ ...ROLLOUTS, namespace, name })) as RolloutObject),
    replaceRollout: (rollout, options) =>
      write(options?.dryRun, async () => (await custom.replaceNamespacedCustomObject({
        ...ROLLOUTS, namespace: rollout.metadata.namespace!, name: rollout.metadata.name!, body: rollout, dryRun: options?.dryRun ? 'All' : undefined,
      })) as RolloutObject),
    patchRolloutStatus: (namespace, name, patch) =>
      write(false, async () => (await custom.patchNamespacedCustomObjectStatus({ ...ROLLOUTS, namespace, name, body: patch }, merge)) as RolloutObject),
    jsonPatchRollout: (namespace, name, patch: JsonPatch) =>
      write(false, async () => (await custom.patchNamespacedCustomObject({ ...ROLLOUTS, namespace, name, body: patch }, jsonPatch)) as RolloutObject),
    jsonPatchRolloutStatus: (namespace, name, patch: JsonPatch) =>
      write(false, async () => (await custom.patchNamespacedCustomObjectStatus({ ...ROLLOUTS, namespace, name, body: patch }, jsonPatch)) as RolloutObject),
    getLease: (namespace, name) => notFoundAsUndefined(async () => leaseOf(await coordination.readNamespacedLease({ namespace, name }))),
    createLease: (lease) => write(false, async () => leaseOf(await coordination.createNamespacedLease({ namespace: lease.metadata.namespace, body: lease as unknown as k8s.V1Lease }))),
    replaceLease: (lease) =>
      write(false, async () => leaseOf(await coordination.replaceNamespacedLease({ namespace: lease.metadata.namespace, name: lease.metadata.name, body: lease as unknown as k8s.V1Lease }))),
    deleteLease: (namespace, name, resourceVersion) =>
      write(false, async () => {
        await coordination.deleteNamespacedLease({ namespace, name, body: { preconditions: { resourceVersion } } });
      }),
    getDeployment: (namespace, name) => notFoundAsUndefined(async () => (await apps.readNamespacedDeployment({ namespace, name })) as unknown as PodTemplateHolder),
    replaceDeployment: (deployment, options) =>
      write(options?.dryRun, async () => (await apps.replaceNamespacedDeployment({
        namespace: deployment.metadata.namespace!, name: deployment.metadata.name!, body: deployment as unknown as k8s.V1Deployment, dryRun: options?.dryRun ? 'All' : undefined,
      })) as unknown as PodTemplateHolder),
    jsonPatchDeployment: (namespace, name, patch) =>
      write(false, async () => (await apps.patchNamespacedDeployment({ namespace, name, body: patch }, jsonPatch)) as unknown as PodTemplateHolder),
    listAnalysisRuns: (namespace, labelSelector) => listArgo(custom, 'analysisruns', namespace, labelSelector),
    listExperiments: (namespace, labelSelector) => listArgo(custom, 'experiments', namespace, labelSelector),
    listReplicaSets: async (namespace, labelSelector) => ((await apps.listNamespacedReplicaSet({ namespace, labelSelector })).items as unknown as PodTemplateHolder[]),
    watchRollout: async (namespace, name, onChange, signal) => {
      const path = `/apis/${ROLLOUTS.group}/${ROLLOUTS.version}/namespaces/${namespace}/${ROLLOUTS.plural}`;
      await new Promise<void>((resolve, reject) => {
        let controller: AbortController | undefined;
        const stop = () => controller?.abort();
        signal.addEventListener('abort', stop, { once: true });
        new k8s.Watch(config)
          .watch(path, { fieldSelector: `metadata.name=${name}` }, (type, object) => {
            if (type === 'ADDED' || type === 'MODIFIED') onChange(object as RolloutObject);
          }, (error) => {
            signal.removeEventListener('abort', stop);
            if (error && !signal.aborted && (error as { name?: string }).name !== 'AbortError') reject(error);
            else resolve();
          })
          .then((c) => {
            controller = c;
            if (signal.aborted) c.abort();
          }, reject);
      });
    },
  };
}

/**
 * The client deserialises MicroTime fields to Date objects (V1MicroTime), which print with three
 * fraction digits; the API server parses Lease times as RFC3339Micro (six digits, exactly). Kept
 * as the strings lease.ts writes, so a Lease read and written back stays valid.
 */
function leaseOf(lease: k8s.V1Lease): Lease {
  const micro = (t: unknown) => (t instanceof Date ? new k8s.V1MicroTime(t.getTime()).toISOString() : (t as string | undefined));
  const spec = lease.spec ?? {};
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: lease.metadata?.name ?? '', namespace: lease.metadata?.namespace ?? '', resourceVersion: lease.metadata?.resourceVersion, labels: lease.metadata?.labels, annotations: lease.metadata?.annotations },
    spec: { holderIdentity: spec.holderIdentity, leaseDurationSeconds: spec.leaseDurationSeconds, acquireTime: micro(spec.acquireTime), renewTime: micro(spec.renewTime), leaseTransitions: spec.leaseTransitions },
  };
}

/** AnalysisRuns and Experiments are read like the Rollout; a cluster without those CRDs has none. */
async function listArgo(custom: k8s.CustomObjectsApi, plural: 'analysisruns' | 'experiments', namespace: string, labelSelector: string): Promise<AnalysisRunObject[]> {
  try {
    const list = (await custom.listNamespacedCustomObject({ group: ROLLOUTS.group, version: ROLLOUTS.version, plural, namespace, labelSelector })) as { items?: AnalysisRunObject[] };
    return list.items ?? [];
  } catch (error) {
    if (statusCode(error) === 404) return [];
    throw error;
  }
}
