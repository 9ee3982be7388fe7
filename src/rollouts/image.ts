// `set image` as the kubectl plugin does it (reference §2.1): GET, edit every container of that
// name, PUT with the resourceVersion read; a 409 means someone wrote in between: read again.
// Under workloadRef the template lives in the Deployment, so that is what gets edited.
import pRetry, { AbortError } from 'p-retry';
import { statusCode } from '../kube/errors.js';
import type { Container, KubePort, PodTemplateHolder } from '../kube/port.js';
import type { RolloutObject } from './observe.js';

export interface TemplateOwner {
  readonly kind: 'Rollout' | 'Deployment';
  readonly name: string;
  readonly object: PodTemplateHolder;
}

/** The object whose pod template defines the Rollout's pods. */
export async function templateOwner(kube: KubePort, namespace: string, rollout: RolloutObject): Promise<TemplateOwner> {
  const ref = rollout.spec.workloadRef;
  if (!ref) return { kind: 'Rollout', name: rollout.metadata.name!, object: rollout as unknown as PodTemplateHolder };
  if (ref.kind !== 'Deployment' || !ref.name) throw new Error(`Rollout ${rollout.metadata.name} has a workloadRef to ${ref.kind ?? '?'} ${ref.name ?? ''}: release-to-prod can set images on a Deployment only`);
  const deployment = await kube.getDeployment(namespace, ref.name);
  if (!deployment) throw new Error(`Rollout ${rollout.metadata.name} refers to Deployment ${ref.name} (workloadRef), which does not exist in ${namespace}`);
  return { kind: 'Deployment', name: ref.name, object: deployment };
}

export function containerImages(owner: TemplateOwner, container: string): string[] {
  const spec = owner.object.spec.template?.spec ?? {};
  return [spec.initContainers, spec.containers, spec.ephemeralContainers].flatMap((list) => (list ?? []).filter((c) => c.name === container).map((c) => c.image ?? ''));
}

function withImage(object: PodTemplateHolder, container: string, image: string): PodTemplateHolder {
  const spec = object.spec.template?.spec ?? {};
  const edit = (list: readonly Container[] | undefined) => list?.map((c) => (c.name === container ? { ...c, image } : c));
  return {
    ...object,
    spec: {
      ...object.spec,
      template: { ...object.spec.template, spec: { ...spec, containers: edit(spec.containers), initContainers: edit(spec.initContainers), ephemeralContainers: edit(spec.ephemeralContainers) } },
    },
  };
}

export interface SetImageResult {
  readonly target: 'Rollout' | 'Deployment';
  readonly name: string;
  /** False when the template already had the image (a re-run): nothing was written. */
  readonly changed: boolean;
  readonly attempts: number;
}

export async function setImage(kube: KubePort, namespace: string, rolloutName: string, container: string, image: string, options: { dryRun?: boolean } = {}): Promise<SetImageResult> {
  let attempts = 0;
  return pRetry(
    async () => {
      attempts += 1;
      const rollout = await kube.getRollout(namespace, rolloutName);
      if (!rollout) throw new AbortError(`Rollout ${rolloutName} not found in namespace ${namespace}`);
      const owner = await templateOwner(kube, namespace, rollout);
      const images = containerImages(owner, container);
      if (images.length === 0) throw new AbortError(`unable to find container named "${container}" in ${owner.kind} ${owner.name}`);
      if (images.every((i) => i === image) && !options.dryRun) return { target: owner.kind, name: owner.name, changed: false, attempts };
      const updated = withImage(owner.object, container, image);
      if (owner.kind === 'Rollout') await kube.replaceRollout(updated as unknown as RolloutObject & PodTemplateHolder, options);
      else await kube.replaceDeployment(updated, options);
      return { target: owner.kind, name: owner.name, changed: true, attempts };
    },
    {
      retries: 4,
      minTimeout: 50,
      maxTimeout: 1000,
      shouldRetry: ({ error }) => statusCode(error) === 409,
    },
  );
}
