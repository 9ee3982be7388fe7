/** The resource types the simulated API server serves, with what discovery must say about them. */

export type Subresource = 'status' | 'scale';

export interface ResourceDef {
  readonly group: string; // '' is the legacy core group (/api/v1)
  readonly version: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
  readonly subresources: readonly Subresource[];
  /** CRDs refuse strategic merge patch with 415: the server has no Go struct to read patch strategies from. */
  readonly crd: boolean;
  /** Whether the server maintains metadata.generation (bumped only on .spec changes). */
  readonly generation: boolean;
  /**
   * The registry strategy's AllowUnconditionalUpdate is false: a PUT must carry resourceVersion
   * (always so for CRDs; among built-ins, e.g. Leases: pkg/registry/coordination/lease/strategy.go).
   */
  readonly conditionalUpdateOnly?: boolean;
  readonly categories?: readonly string[];
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const NAMESPACES: ResourceDef = {
  group: '', version: 'v1', plural: 'namespaces', singular: 'namespace', kind: 'Namespace',
  shortNames: ['ns'], namespaced: false, subresources: ['status'], crd: false, generation: false,
};
export const EVENTS: ResourceDef = {
  group: '', version: 'v1', plural: 'events', singular: 'event', kind: 'Event',
  shortNames: ['ev'], namespaced: true, subresources: [], crd: false, generation: false,
};
export const DEPLOYMENTS: ResourceDef = {
  group: 'apps', version: 'v1', plural: 'deployments', singular: 'deployment', kind: 'Deployment',
  shortNames: ['deploy'], namespaced: true, subresources: ['status', 'scale'], crd: false, generation: true,
  categories: ['all'],
};
export const REPLICASETS: ResourceDef = {
  group: 'apps', version: 'v1', plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet',
  shortNames: ['rs'], namespaced: true, subresources: ['status', 'scale'], crd: false, generation: true,
  categories: ['all'],
};
export const ROLLOUTS: ResourceDef = {
  group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts', singular: 'rollout', kind: 'Rollout',
  shortNames: ['ro'], namespaced: true, subresources: ['status', 'scale'], crd: true, generation: true,
  categories: ['all'],
};
// Argo's other CRDs (manifests/crds/*-crd.yaml): none has a status subresource (`subresources: {}`),
// so the controller writes their status through the main URL.
export const ANALYSISTEMPLATES: ResourceDef = {
  group: 'argoproj.io', version: 'v1alpha1', plural: 'analysistemplates', singular: 'analysistemplate', kind: 'AnalysisTemplate',
  shortNames: ['at'], namespaced: true, subresources: [], crd: true, generation: true,
};
export const CLUSTERANALYSISTEMPLATES: ResourceDef = {
  group: 'argoproj.io', version: 'v1alpha1', plural: 'clusteranalysistemplates', singular: 'clusteranalysistemplate',
  kind: 'ClusterAnalysisTemplate', shortNames: ['cat'], namespaced: false, subresources: [], crd: true, generation: true,
};
export const ANALYSISRUNS: ResourceDef = {
  group: 'argoproj.io', version: 'v1alpha1', plural: 'analysisruns', singular: 'analysisrun', kind: 'AnalysisRun',
  shortNames: ['ar'], namespaced: true, subresources: [], crd: true, generation: true,
};
export const EXPERIMENTS: ResourceDef = {
  group: 'argoproj.io', version: 'v1alpha1', plural: 'experiments', singular: 'experiment', kind: 'Experiment',
  shortNames: ['exp'], namespaced: true, subresources: [], crd: true, generation: true,
};
export const LEASES: ResourceDef = {
  group: 'coordination.k8s.io', version: 'v1', plural: 'leases', singular: 'lease', kind: 'Lease',
  shortNames: [], namespaced: true, subresources: [], crd: false, generation: false, conditionalUpdateOnly: true,
};

export const RESOURCES: readonly ResourceDef[] = [
  NAMESPACES, EVENTS, DEPLOYMENTS, REPLICASETS, ROLLOUTS, ANALYSISTEMPLATES, CLUSTERANALYSISTEMPLATES, ANALYSISRUNS, EXPERIMENTS, LEASES,
];

/** Every type here supports every verb; discovery still has to say so for kubectl. */
export function verbsOf(): string[] {
  return [...VERBS];
}

export function apiVersionOf(def: ResourceDef): string {
  return def.group === '' ? def.version : `${def.group}/${def.version}`;
}

/** `rollouts.argoproj.io`, or `namespaces` for the core group: the name used in error messages. */
export function qualifiedName(def: ResourceDef): string {
  return def.group === '' ? def.plural : `${def.plural}.${def.group}`;
}

export function findResource(group: string, version: string, plural: string): ResourceDef | undefined {
  return RESOURCES.find((d) => d.group === group && d.version === version && d.plural === plural);
}

export function groupVersions(): { group: string; version: string; defs: ResourceDef[] }[] {
  const byKey = new Map<string, { group: string; version: string; defs: ResourceDef[] }>();
  for (const def of RESOURCES) {
    const key = `${def.group}/${def.version}`;
    const entry = byKey.get(key) ?? { group: def.group, version: def.version, defs: [] };
    entry.defs.push(def);
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}
