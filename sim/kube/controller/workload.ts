/** workloadRef (reference §7): the Rollout's template and selector come from a Deployment. */
import { DEPLOYMENTS } from '../resources.js';
import type { Store } from '../store.js';
import { clone } from '../types.js';
import type { LabelSelector, PodTemplate, Rollout } from './model.js';

export interface Resolved {
  /** The Rollout as the controller sees it: template (and selector) filled in from the workload. */
  readonly rollout: Rollout;
  readonly problem?: string;
  readonly workloadGeneration?: number;
}

export function resolveWorkload(store: Store, ro: Rollout): Resolved {
  const ref = ro.spec.workloadRef;
  if (!ref) return { rollout: ro };
  if ((ro.spec.template?.spec?.containers ?? []).length > 0) {
    return { rollout: ro, problem: 'spec.template: Invalid value: template must be empty for workload reference rollout' };
  }
  if (ref.kind !== undefined && ref.kind !== 'Deployment') {
    return { rollout: ro, problem: `spec.workloadRef.kind: Unsupported value: "${ref.kind}": the simulator resolves Deployments only` };
  }
  const deployment = store.find(DEPLOYMENTS, ro.metadata.namespace, ref.name ?? '');
  if (!deployment) {
    return { rollout: ro, problem: `spec.workloadRef: Invalid value: "${ref.name ?? ''}": deployments.apps "${ref.name ?? ''}" not found` };
  }
  const spec = deployment.spec as { template?: PodTemplate; selector?: LabelSelector };
  const effective = clone(ro);
  effective.spec.template = clone(spec.template);
  effective.spec.selector ??= clone(spec.selector);
  return { rollout: effective, workloadGeneration: deployment.metadata.generation };
}
