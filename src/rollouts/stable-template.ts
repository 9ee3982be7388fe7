// What the stable ReplicaSet's pod template looked like before the controller touched it — the
// template the user wrote, which an undo must put back for Argo's fast rollback to the *same*
// ReplicaSet (reference §2.6, §9.10, §11 "Injected metadata"). The controller adds to each
// ReplicaSet's template, besides the rollouts-pod-template-hash label:
//  - canaryMetadata / stableMetadata labels and annotations, recording what it injected in the
//    ReplicaSet annotation rollout.argoproj.io/ephemeral-metadata as JSON {labels, annotations}
//    (argo-rollouts utils/replicaset/canary.go: SyncReplicaSetEphemeralPodMetadata,
//    ParseExistingPodMetadata);
//  - with strategy.canary.antiAffinity, a pod anti-affinity term against the then-stable pods:
//    a labelSelector on rollouts-pod-template-hash, appended to the preferred (weighted) or the
//    required list (utils/replicaset/replicaset.go: GenerateReplicaSetAffinity,
//    CreateInjectedAntiAffinityRule).
// The controller's own matching strips exactly these from the live ReplicaSet before comparing
// (FindNewReplicaSet: SyncReplicaSetEphemeralPodMetadata(rs, nil), RemoveInjectedAntiAffinityRule);
// the kubectl plugin's undo strips only the hash label, so its template hashes differently, no
// ReplicaSet matches, and a new canary of the old version starts from step 0. Pure.
import type { PodTemplate, PodTemplateHolder } from '../kube/port.js';
import type { RolloutObject } from './observe.js';
import { HASH_LABEL } from './replicasets.js';

export const EPHEMERAL_METADATA = 'rollout.argoproj.io/ephemeral-metadata';

export interface RestoredTemplate {
  readonly template: PodTemplate;
  /** What was removed besides the hash label, for the report ("label role=stable", …). */
  readonly stripped: readonly string[];
}

type Json = Record<string, unknown>;

export function restorableTemplate(rs: PodTemplateHolder, rollout: RolloutObject): RestoredTemplate {
  const template = structuredClone(rs.spec.template ?? {}) as PodTemplate & { metadata?: Json; spec?: Json };
  const stripped: string[] = [];
  const metadata: Json = { ...(template.metadata ?? {}) };
  const labels = { ...((metadata.labels as Record<string, string> | undefined) ?? {}) };
  const annotations = { ...((metadata.annotations as Record<string, string> | undefined) ?? {}) };
  delete labels[HASH_LABEL];
  const injected = ephemeralMetadata(rs);
  for (const key of Object.keys(injected.labels ?? {})) {
    if (key in labels) stripped.push(`label ${key}=${labels[key]}`);
    delete labels[key];
  }
  for (const key of Object.keys(injected.annotations ?? {})) {
    if (key in annotations) stripped.push(`annotation ${key}`);
    delete annotations[key];
  }
  metadata.labels = labels;
  // An annotations map emptied here was absent in the user's template: drop it rather than send {}.
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  const spec: Json = { ...(template.spec ?? {}) };
  const affinity = withoutInjectedAntiAffinity(spec.affinity as Json | undefined, rollout);
  if (affinity.removed) {
    stripped.push('the injected anti-affinity term');
    if (affinity.value) spec.affinity = affinity.value;
    else delete spec.affinity;
  }
  return { template: { ...template, metadata, spec } as PodTemplate, stripped };
}

/** The ReplicaSet's record of injected metadata; nothing when absent or unparseable (as Argo reads it). */
function ephemeralMetadata(rs: PodTemplateHolder): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  const raw = rs.metadata.annotations?.[EPHEMERAL_METADATA];
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as { labels?: Record<string, string>; annotations?: Record<string, string> }) : {};
  } catch {
    return {};
  }
}

/**
 * RemoveInjectedAntiAffinityRule, restated: only when the Rollout asks for anti-affinity, the
 * first term of the list it injects into (preferred when set, else required) whose labelSelector
 * has a matchExpression on the hash label; then empty lists and objects are dropped.
 */
function withoutInjectedAntiAffinity(affinity: Json | undefined, rollout: RolloutObject): { removed: boolean; value?: Json } {
  const strategy = (rollout.spec.strategy?.canary as { antiAffinity?: { preferredDuringSchedulingIgnoredDuringExecution?: unknown; requiredDuringSchedulingIgnoredDuringExecution?: unknown } } | undefined)?.antiAffinity;
  const anti = affinity?.podAntiAffinity as Json | undefined;
  if (!strategy || !anti || (!strategy.preferredDuringSchedulingIgnoredDuringExecution && !strategy.requiredDuringSchedulingIgnoredDuringExecution)) return { removed: false, value: affinity };
  const preferred = Boolean(strategy.preferredDuringSchedulingIgnoredDuringExecution);
  const listKey = preferred ? 'preferredDuringSchedulingIgnoredDuringExecution' : 'requiredDuringSchedulingIgnoredDuringExecution';
  const list = (anti[listKey] as Json[] | undefined) ?? [];
  const termOf = (entry: Json) => (preferred ? (entry.podAffinityTerm as Json | undefined) : entry);
  const index = list.findIndex((entry) => ((termOf(entry)?.labelSelector as Json | undefined)?.matchExpressions as Json[] | undefined ?? []).some((e) => e.key === HASH_LABEL));
  if (index < 0) return { removed: false, value: affinity };
  const rest = list.filter((_, i) => i !== index);
  const podAntiAffinity: Json = { ...anti };
  if (rest.length > 0) podAntiAffinity[listKey] = rest;
  else delete podAntiAffinity[listKey];
  const value: Json = { ...affinity };
  if (Object.keys(podAntiAffinity).length > 0) value.podAntiAffinity = podAntiAffinity;
  else delete value.podAntiAffinity;
  return { removed: true, value: Object.keys(value).length > 0 ? value : undefined };
}
