/**
 * What the controller injects into a ReplicaSet's pod template that is not in the Rollout's:
 * canaryMetadata / stableMetadata (utils/replicaset/canary.go `SyncEphemeralPodMetadata`,
 * `SyncReplicaSetEphemeralPodMetadata`, rollout/ephemeralmetadata.go `reconcileEphemeralMetadata`)
 * and the anti-affinity term against the stable pods (utils/replicaset/replicaset.go
 * `GenerateReplicaSetAffinity`, `RemoveInjectedAntiAffinityRule`). `FindNewReplicaSet` strips both
 * from the LIVE ReplicaSet only, so an undo that copies a ReplicaSet's template as is never matches it.
 */
import { clone, isRecord, type Labels } from '../types.js';
import { canonical } from './hash.js';
import { HASH_LABEL, type CanaryStrategy, type PodMetadata, type PodTemplate, type ReplicaSet, type Rollout } from './model.js';

export const EPHEMERAL_METADATA = 'rollout.argoproj.io/ephemeral-metadata';

/** The PodTemplateMetadata recorded on a ReplicaSet (`ParseExistingPodMetadata`); undefined if none or unparseable. */
export function injectedMetadata(rs: ReplicaSet): PodMetadata | undefined {
  const text = rs.metadata.annotations?.[EPHEMERAL_METADATA];
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return isRecord(parsed) ? (parsed as PodMetadata) : undefined;
  } catch {
    return undefined;
  }
}

/** Go's json.Marshal of PodTemplateMetadata: labels then annotations, map keys sorted, empty omitted. */
function marshal(md: PodMetadata): string {
  const sorted = (m: Labels | undefined): Labels | undefined =>
    m && Object.keys(m).length > 0 ? Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k] as string])) : undefined;
  const labels = sorted(md.labels);
  const annotations = sorted(md.annotations);
  return JSON.stringify({ ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) });
}

function syncMap(current: Labels | undefined, existing: Labels | undefined, desired: Labels | undefined): { map: Labels | undefined; modified: boolean } {
  const map = { ...(current ?? {}) };
  let modified = false;
  for (const [k, v] of Object.entries(desired ?? {})) {
    if (map[k] !== v) {
      map[k] = v;
      modified = true;
    }
  }
  for (const k of Object.keys(existing ?? {})) {
    if (desired?.[k] === undefined && k in map) {
      delete map[k];
      modified = true;
    }
  }
  return { map: Object.keys(map).length > 0 ? map : undefined, modified };
}

/**
 * `SyncReplicaSetEphemeralPodMetadata`: inject `desired` into the ReplicaSet's pod template, remove
 * what was injected before and is no longer desired, and record `desired` in the
 * ephemeral-metadata annotation (removed when `desired` is undefined). Returns the edited copy, or
 * undefined when nothing changes.
 */
export function syncEphemeralMetadata(rs: ReplicaSet, desired: PodMetadata | undefined): ReplicaSet | undefined {
  const existing = injectedMetadata(rs);
  const copy = clone(rs);
  const meta = (copy.spec.template ??= {}).metadata ??= {};
  const labels = syncMap(meta.labels, existing?.labels, desired?.labels);
  const annotations = syncMap(meta.annotations, existing?.annotations, desired?.annotations);
  if (!labels.modified && !annotations.modified) return undefined;
  if (labels.map) meta.labels = labels.map;
  else delete meta.labels;
  if (annotations.map) meta.annotations = annotations.map;
  else delete meta.annotations;
  const ann = (copy.metadata.annotations ??= {});
  if (desired) ann[EPHEMERAL_METADATA] = marshal(desired);
  else delete ann[EPHEMERAL_METADATA];
  return copy;
}

interface AffinityTerm {
  labelSelector?: { matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  namespaces?: string[];
  topologyKey?: string;
}
interface Affinity {
  podAntiAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: AffinityTerm[];
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; podAffinityTerm: AffinityTerm }[];
  };
  [k: string]: unknown;
}

function strategy(ro: Rollout): CanaryStrategy['antiAffinity'] {
  return ro.spec.strategy?.canary?.antiAffinity;
}

/** `CreateInjectedAntiAffinityRule`: keep away from pods of the stable hash, per node. */
function injectedRule(ro: Rollout, stableHash: string): AffinityTerm {
  return {
    labelSelector: { matchExpressions: [{ key: HASH_LABEL, operator: 'In', values: [stableHash] }] },
    namespaces: [ro.metadata.namespace ?? ''],
    topologyKey: 'kubernetes.io/hostname',
  };
}

const isInjected = (term: AffinityTerm | undefined): boolean => term?.labelSelector?.matchExpressions?.some((e) => e.key === HASH_LABEL) ?? false;

/** `GenerateReplicaSetAffinity`: the template's affinity plus the injected term while a canary runs beside stable. */
export function replicaSetAffinity(ro: Rollout, template: PodTemplate | undefined, podHash: string): unknown {
  const anti = strategy(ro);
  const stable = ro.status?.stableRS;
  const affinity = clone((template?.spec?.affinity ?? undefined) as Affinity | undefined);
  if (!anti || !stable || stable === podHash) return affinity;
  const out: Affinity = affinity ?? {};
  const pod = (out.podAntiAffinity ??= {});
  if (anti.preferredDuringSchedulingIgnoredDuringExecution) {
    const weight = anti.preferredDuringSchedulingIgnoredDuringExecution.weight ?? 1;
    pod.preferredDuringSchedulingIgnoredDuringExecution = [...(pod.preferredDuringSchedulingIgnoredDuringExecution ?? []), { weight, podAffinityTerm: injectedRule(ro, stable) }];
  } else {
    pod.requiredDuringSchedulingIgnoredDuringExecution = [...(pod.requiredDuringSchedulingIgnoredDuringExecution ?? []), injectedRule(ro, stable)];
  }
  return out;
}

/** `RemoveInjectedAntiAffinityRule`: the first term selecting on the pod-template hash goes. */
function withoutInjectedRule(ro: Rollout, affinity: Affinity | undefined): Affinity | undefined {
  const anti = strategy(ro);
  const pod = affinity?.podAntiAffinity;
  if (!anti || !affinity || !pod) return affinity;
  const out = clone(affinity);
  const p = out.podAntiAffinity as NonNullable<Affinity['podAntiAffinity']>;
  if (anti.preferredDuringSchedulingIgnoredDuringExecution) {
    const i = (p.preferredDuringSchedulingIgnoredDuringExecution ?? []).findIndex((t) => isInjected(t.podAffinityTerm));
    if (i < 0) return affinity;
    p.preferredDuringSchedulingIgnoredDuringExecution?.splice(i, 1);
  } else {
    const i = (p.requiredDuringSchedulingIgnoredDuringExecution ?? []).findIndex(isInjected);
    if (i < 0) return affinity;
    p.requiredDuringSchedulingIgnoredDuringExecution?.splice(i, 1);
  }
  return canonical(out) === undefined ? undefined : out;
}

/**
 * The deep-equal pass of `FindNewReplicaSet`: the live ReplicaSet's template with injected metadata
 * and the injected anti-affinity term removed, compared (hash label ignored, unset = empty) with
 * the Rollout's template AS IT IS — the desired side is never stripped.
 */
export function liveTemplateMatches(ro: Rollout, rs: ReplicaSet): boolean {
  const live = syncEphemeralMetadata(rs, undefined) ?? rs;
  const template = clone(live.spec.template ?? {});
  if (template.spec) {
    const affinity = withoutInjectedRule(ro, template.spec.affinity as Affinity | undefined);
    if (affinity === undefined) delete template.spec.affinity;
    else template.spec.affinity = affinity;
  }
  const strip = (t: PodTemplate | undefined): unknown => {
    const c = clone(t ?? {});
    if (c.metadata?.labels) delete c.metadata.labels[HASH_LABEL];
    return JSON.stringify(canonical(c) ?? null);
  };
  return strip(template) === strip(ro.spec.template);
}
