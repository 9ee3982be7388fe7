// Preflight checks that keep a release from doing harm the canary cannot see (contract: Rollouts
// as teams write them). Pure: preflight-cluster.ts reads the objects, this decides.
import type { Settings } from '../settings.js';
import type { TemplateOwner } from './image.js';
import type { RolloutObject } from './observe.js';

/** Checks that start with this are warnings: shown in the report and as workflow warnings. */
export const WARNING = 'warning: ';

export interface SafetyVerdict {
  /** Each one fails preflight (exit 1). */
  readonly problems: readonly string[];
  /** Each one starts with WARNING. */
  readonly warnings: readonly string[];
}

export function preflightSafety(rollout: RolloutObject, owner: TemplateOwner, settings: Settings): SafetyVerdict {
  const problems: string[] = [];
  const warnings: string[] = [];
  const name = rollout.metadata.name ?? settings.service;

  // workloadRef: the Rollout runs the pods from the Deployment's template; the Deployment's own
  // replicas are meant to be 0 (scaleDown defaults to `never`, so nothing scales it down for us:
  // reference §11, docs/migrating.md). While it still asks for pods, setting its image makes the
  // Deployment controller roll every one of them at once — outside the canary, past every gate.
  if (owner.kind === 'Deployment') {
    const replicas = owner.object.spec.replicas;
    // The API server defaults a Deployment's replicas to 1: absent means 1.
    const asked = typeof replicas === 'number' ? replicas : 1;
    if (asked > 0) {
      problems.push(
        `Deployment ${owner.name} (the workloadRef of Rollout ${name}) still asks for ${asked} pod${asked === 1 ? '' : 's'} (spec.replicas: ${asked}): ` +
          'setting its image would roll all of them at once, outside the canary. Scale it to 0 — ' +
          `kubectl scale deployment ${owner.name} -n ${settings.namespace} --replicas=0, or workloadRef.scaleDown: onsuccess on the Rollout — then release again.`,
      );
    }
  }

  // After full promotion the old ReplicaSet is kept scaleDownDelaySeconds (default 30 with
  // traffic routing; without it the old pods go at once and the field is refused by Argo's
  // validation) — argo-rollouts utils/defaults/defaults.go GetScaleDownDelaySecondsOrDefault,
  // rollout/replicaset.go scaleDownDelayHelper. The 100% bake runs after full promotion: a breach
  // after that delay rolls back onto a scaled-down stable that must start again from nothing.
  const canary = rollout.spec.strategy?.canary as { trafficRouting?: unknown; scaleDownDelaySeconds?: number } | undefined;
  if (canary) {
    const delay = canary.trafficRouting ? (canary.scaleDownDelaySeconds ?? 30) : 0;
    const bakeSeconds = settings.slo.windowMinutes * 60;
    if (delay < bakeSeconds) {
      const enough = Math.ceil(bakeSeconds + settings.slo.intervalSeconds);
      const kept = canary.trafficRouting
        ? `scaleDownDelaySeconds is ${delay} s${canary.scaleDownDelaySeconds === undefined ? ' (the default with traffic routing)' : ''}`
        : 'without traffic routing the stable ReplicaSet is scaled down as soon as the canary is fully promoted';
      const fix = canary.trafficRouting
        ? `set spec.strategy.canary.scaleDownDelaySeconds to at least ${enough} on Rollout ${name}`
        : 'with traffic routing, scaleDownDelaySeconds can keep it';
      warnings.push(
        `${WARNING}${kept}, shorter than the 100% bake (${formatSeconds(bakeSeconds)}): a breach late in that bake rolls back onto a stable ReplicaSet already scaled down, ` +
          `and serves from pods that must start first. To keep it warm, ${fix}`,
      );
    }
  }
  return { problems, warnings };
}

function formatSeconds(seconds: number): string {
  return seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60} min` : `${Number(seconds.toFixed(1))} s`;
}
