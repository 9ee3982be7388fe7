/** Rollout spec validation (pkg/apis/rollouts/validation): a failure becomes an InvalidSpec condition. */
import { isRecord } from '../types.js';
import type { CanaryStep, Rollout } from './model.js';
import { durationSeconds, hasTrafficRouting, maxTrafficWeight, stepsOf } from './steps.js';

const STEP_KINDS = ['setWeight', 'pause', 'analysis', 'experiment', 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'plugin'];

function stepProblem(step: CanaryStep, path: string, trafficRouted: boolean, maxWeight: number): string | undefined {
  const kinds = Object.keys(step).filter((k) => STEP_KINDS.includes(k));
  if (kinds.length !== 1) return `${path}: Invalid value: ${JSON.stringify(step)}: Step must have exactly one of the following set: ${STEP_KINDS.join(', ')}`;
  // validation.go: between 0 and weightutil.MaxTrafficWeight (100, or trafficRouting.maxTrafficWeight).
  if (step.setWeight !== undefined && (step.setWeight < 0 || step.setWeight > maxWeight)) {
    return `${path}.setWeight: Invalid value: ${step.setWeight}: SetWeight needs to be between 0 and ${maxWeight}`;
  }
  if (step.pause !== undefined) {
    if (!isRecord(step.pause)) return `${path}.pause: Invalid value: ${JSON.stringify(step.pause)}: pause must be an object`;
    // validation.go: only DurationSeconds() < 0 is refused (a zero pause ends at once), with this message.
    const seconds = durationSeconds(step.pause.duration);
    if (seconds !== undefined && seconds < 0) {
      return `${path}.pause.duration: Invalid value: ${seconds}: Duration needs to be greater than 0`;
    }
  }
  if (step.setCanaryScale !== undefined && !trafficRouted) {
    return `${path}.setCanaryScale: Invalid value: ${JSON.stringify(step.setCanaryScale)}: SetCanaryScale requires TrafficRouting to be set`;
  }
  return undefined;
}

/** The problem in Argo's `field: Invalid value: …` wording, or undefined when the spec is valid. */
export function validateRollout(ro: Rollout): string | undefined {
  const { spec } = ro;
  // Blue-green is reconciled like a canary without steps: its initial deploy (one ReplicaSet, Healthy)
  // is faithful, an update is not (no preview/active services) — the action refuses it anyway.
  if (!spec.strategy?.canary && !spec.strategy?.blueGreen) {
    return 'spec.strategy: Required value: Rollout has missing field \'canary\' or \'blueGreen\'';
  }
  const matchLabels = spec.selector?.matchLabels ?? {};
  if (Object.keys(matchLabels).length === 0 && (spec.selector?.matchExpressions ?? []).length === 0) {
    return 'spec.selector: Required value: Rollout has missing field \'.spec.selector\'';
  }
  if ((spec.template?.spec?.containers ?? []).length === 0) return 'spec.template.spec.containers: Required value';
  const labels = spec.template?.metadata?.labels ?? {};
  if (Object.entries(matchLabels).some(([k, v]) => labels[k] !== v)) {
    return `spec.selector: Invalid value: ${JSON.stringify(spec.selector)}: \`selector\` does not match template \`labels\``;
  }
  const trafficRouted = hasTrafficRouting(ro);
  const steps = stepsOf(ro);
  for (const [i, step] of steps.entries()) {
    const problem = stepProblem(step, `spec.strategy.canary.steps[${i}]`, trafficRouted, maxTrafficWeight(ro));
    if (problem) return problem;
  }
  return undefined;
}
