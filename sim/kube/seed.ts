/** Objects for seeding: a Rollout (and its Deployment under workloadRef) shaped like real manifests. */
import type { CanaryStep, Rollout } from './controller/model.js';
import { clone, type KObject, type Labels } from './types.js';

export interface RolloutSeed {
  readonly namespace: string;
  readonly name: string;
  readonly image: string;
  /** Container name (default: the Rollout name). */
  readonly containerName?: string;
  readonly replicas?: number;
  /** Default: the steps release-to-prod expects for `5,25,100`. */
  readonly steps?: CanaryStep[];
  /** nginx traffic routing with `<name>-canary` / `<name>-stable` services. */
  readonly trafficRouting?: boolean;
  /** Template in a Deployment named like the Rollout, referenced by spec.workloadRef. */
  readonly workloadRef?: boolean;
  readonly progressDeadlineSeconds?: number;
  readonly progressDeadlineAbort?: boolean;
  readonly scaleDownDelaySeconds?: number;
  readonly abortScaleDownDelaySeconds?: number;
  readonly labels?: Labels;
}

export const DEFAULT_STEPS: readonly CanaryStep[] = [{ setWeight: 5 }, { pause: {} }, { setWeight: 25 }, { pause: {} }];

export function seedObjects(seed: RolloutSeed): { rollout: Rollout; deployment?: KObject } {
  const labels = seed.labels ?? { app: seed.name };
  const template = {
    metadata: { labels: { ...labels } },
    spec: { containers: [{ name: seed.containerName ?? seed.name, image: seed.image, ports: [{ containerPort: 8080 }] }] },
  };
  const selector = { matchLabels: { ...labels } };
  const canary = {
    steps: [...(seed.steps ?? DEFAULT_STEPS)],
    ...(seed.trafficRouting
      ? {
          canaryService: `${seed.name}-canary`,
          stableService: `${seed.name}-stable`,
          trafficRouting: { nginx: { stableIngress: seed.name } },
        }
      : {}),
    ...(seed.scaleDownDelaySeconds !== undefined ? { scaleDownDelaySeconds: seed.scaleDownDelaySeconds } : {}),
    ...(seed.abortScaleDownDelaySeconds !== undefined ? { abortScaleDownDelaySeconds: seed.abortScaleDownDelaySeconds } : {}),
  };
  const rollout: Rollout = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: seed.name, namespace: seed.namespace, labels: { ...labels } },
    spec: {
      replicas: seed.replicas ?? 4,
      selector,
      ...(seed.workloadRef
        ? { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: seed.name, scaleDown: 'never' } }
        : { template }),
      strategy: { canary },
      ...(seed.progressDeadlineSeconds !== undefined ? { progressDeadlineSeconds: seed.progressDeadlineSeconds } : {}),
      ...(seed.progressDeadlineAbort !== undefined ? { progressDeadlineAbort: seed.progressDeadlineAbort } : {}),
    },
  };
  if (!seed.workloadRef) return { rollout };
  const deployment: KObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: seed.name, namespace: seed.namespace, labels: { ...labels } },
    spec: { replicas: 0, selector, template },
  };
  return { rollout, deployment };
}


export interface ManifestOptions {
  /** Namespace for namespaced documents (default `default`). */
  readonly namespace?: string;
  /** Image for every container of the Rollout's pod template (the Deployment's under workloadRef). */
  readonly image?: string;
}

/** A copy of `doc` with `image` on every container of the pod template that feeds a Rollout. */
export function withImage(doc: KObject, all: readonly KObject[], image: string | undefined): KObject {
  const copy = clone(doc);
  if (image === undefined) return copy;
  const feedsRollout = doc.kind === 'Rollout'
    || (doc.kind === 'Deployment' && all.some((d) => d.kind === 'Rollout' && (d.spec as Rollout['spec'] | undefined)?.workloadRef?.name === doc.metadata.name));
  if (!feedsRollout) return copy;
  const spec = copy.spec as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined;
  for (const c of spec?.template?.spec?.containers ?? []) c.image = image;
  return copy;
}
