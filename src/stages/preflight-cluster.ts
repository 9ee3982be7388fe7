// The cluster half of preflight (contract step 3), read-only: the Rollout exists and is at rest,
// the container exists (in the Deployment under workloadRef), its steps compile into a plan of
// gates (rollouts/plan.ts: canary-steps, timed pauses, unheld weights, the real share of the first
// gate), and the SLO provider answers. Any failure here stops the run before anything is written.
import type { KubePort } from '../kube/port.js';
import { containerImages, templateOwner } from '../rollouts/image.js';
import { snapshot } from '../rollouts/observe.js';
import { preflightSafety } from '../rollouts/preflight-safety.js';
import { compilePlan, describeGate, type Plan } from '../rollouts/plan.js';
import type { Settings } from '../settings.js';
import type { SloProviderBackend } from '../slo/provider.js';

export interface ClusterPreflight {
  readonly status: 'passed' | 'failed';
  readonly checks: readonly string[];
  readonly reasons: readonly string[];
  /** The gates the canary will run, compiled from the Rollout's steps (also when refused, for the report). */
  readonly plan?: Plan;
  readonly stableHash?: string;
  readonly stableImages: readonly string[];
  /** The Rollout already runs exactly this image, fully promoted: nothing to deploy (a re-run). */
  readonly alreadyDeployed: boolean;
}

export async function preflightCluster(settings: Settings, kube: KubePort, slo: SloProviderBackend | undefined, signal?: AbortSignal): Promise<ClusterPreflight> {
  const { namespace, service, container } = settings;
  const checks: string[] = [];
  const fail = (reason: string, extra: Partial<ClusterPreflight> = {}): ClusterPreflight => ({ status: 'failed', checks, reasons: [reason], stableImages: [], alreadyDeployed: false, ...extra });

  const rollout = await kube.getRollout(namespace, service);
  if (!rollout) return fail(`Rollout ${service} not found in namespace ${namespace} (service and namespace inputs)`);
  checks.push(`Rollout ${namespace}/${service} exists`);

  let owner;
  try {
    owner = await templateOwner(kube, namespace, rollout);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  const images = containerImages(owner, container);
  if (images.length === 0) {
    const present = (owner.object.spec.template?.spec?.containers ?? []).map((c) => c.name);
    return fail(`container ${container} not found in the pod template of ${owner.kind} ${owner.name} (containers: ${present.join(', ') || 'none'}): set the container input`);
  }
  checks.push(`container ${container} found in ${owner.kind} ${owner.name}, running ${images.join(', ')}`);
  const safety = preflightSafety(rollout, owner, settings);
  checks.push(...safety.warnings);

  if (!rollout.spec.strategy?.canary) return fail(`Rollout ${service} does not use the canary strategy; release-to-prod drives canary steps only`);
  const compiled = compilePlan(rollout, settings);
  const plan = compiled.plan;
  // Every problem with the Rollout named at once, so one edit fixes them all.
  const problems = [...safety.problems, ...(compiled.ok ? [] : compiled.problems)];
  if (problems.length > 0) return { ...fail(problems[0]!, { plan }), reasons: problems };
  checks.push(`canary plan (${settings.canarySteps === 'auto' ? 'canary-steps auto' : `matches canary-steps ${settings.canarySteps.join(',')}`}): ${plan.gates.map(describeGate).join('; ')}`);
  for (const note of [...plan.notes, ...plan.recorded.map((r) => r.what)]) checks.push(note);

  const image = `${settings.image}@${settings.digest ?? ''}`;
  const now = snapshot(rollout, owner.kind === 'Deployment' ? owner.object.metadata.generation : undefined);
  const atRest = now.observed && now.phase === 'Healthy' && now.fullyPromoted;
  if (!atRest) {
    return fail(
      `Rollout ${service} is ${now.phase}${now.message ? ` (${now.message})` : ''}${now.stepIndex !== undefined ? ` at step ${now.stepIndex}` : ''}, running ${images.join(', ')}: ` +
        'another release is in progress or failed. Finish it, or abort and undo it, before releasing.',
      { plan },
    );
  }
  const alreadyDeployed = images.every((i) => i === image);
  checks.push(alreadyDeployed ? `already Healthy on ${image} (a re-run): nothing to deploy` : `Healthy on stable ${now.stableHash}`);

  if (slo) {
    try {
      await slo.ping(signal);
      checks.push(`SLO provider ${slo.name} answers`);
    } catch (error) {
      return fail(`SLO provider ${slo.name}: ${error instanceof Error ? error.message : String(error)}`, { plan });
    }
  }
  return { status: 'passed', checks, reasons: [], plan, stableHash: now.stableHash, stableImages: images, alreadyDeployed };
}
