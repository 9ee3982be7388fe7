/** The `/scale` subresource: an autoscaling/v1 Scale view over spec.replicas. */
import { ROLLOUTS, type ResourceDef } from './resources.js';
import { formatLabelSelector } from './selectors.js';
import { isRecord, type KObject } from './types.js';

function field(obj: unknown, name: string): unknown {
  return isRecord(obj) ? obj[name] : undefined;
}

export function toScale(def: ResourceDef, obj: KObject): KObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  // The Rollout CRD maps statusReplicasPath to .status.HPAReplicas and labelSelectorPath to .status.selector.
  const replicas = def === ROLLOUTS ? field(obj.status, 'HPAReplicas') : field(obj.status, 'replicas');
  const selector = def === ROLLOUTS
    ? field(obj.status, 'selector')
    : formatLabelSelector(field(obj.spec, 'selector') as Parameters<typeof formatLabelSelector>[0]);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: field(obj.spec, 'replicas') ?? 0 },
    status: { replicas: replicas ?? 0, ...(selector ? { selector } : {}) },
  };
}

/** Applies a written Scale to its object; only spec.replicas (and the RV precondition) carry over. */
export function fromScale(obj: KObject, scale: KObject): KObject {
  const replicas = field(scale.spec, 'replicas');
  const spec = isRecord(obj.spec) ? obj.spec : {};
  return {
    ...obj,
    metadata: { ...obj.metadata, resourceVersion: scale.metadata?.resourceVersion ?? obj.metadata.resourceVersion },
    spec: { ...spec, replicas },
  };
}
