// What the canary needs from Kubernetes, in its own words; kube/client.ts implements it over
// @kubernetes/client-node, and the rollout driver depends only on this.
import type { RolloutObject } from '../rollouts/observe.js';

export interface PodTemplateHolder {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly generation?: number; readonly resourceVersion?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string>; readonly uid?: string; readonly ownerReferences?: readonly { readonly uid?: string; readonly kind?: string }[] };
  readonly spec: { readonly template?: PodTemplate; readonly [key: string]: unknown };
  readonly status?: Record<string, unknown>;
}

export interface PodTemplate {
  readonly metadata?: { readonly labels?: Record<string, string>; readonly [key: string]: unknown };
  readonly spec?: { readonly containers?: readonly Container[]; readonly initContainers?: readonly Container[]; readonly ephemeralContainers?: readonly Container[]; readonly [key: string]: unknown };
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly [key: string]: unknown;
}

export type JsonPatch = readonly { readonly op: string; readonly path: string; readonly value?: unknown }[];

/** A `coordination.k8s.io/v1` Lease; times are MicroTime strings (RFC 3339 with 6 fraction digits). */
export interface Lease {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly resourceVersion?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec: {
    readonly holderIdentity?: string;
    readonly leaseDurationSeconds?: number;
    readonly acquireTime?: string;
    readonly renewTime?: string;
    readonly leaseTransitions?: number;
  };
}

/** The parts of an AnalysisRun (or Experiment) the report reads: its phase and each metric's result. */
export interface AnalysisRunObject {
  readonly metadata: { readonly name?: string; readonly labels?: Record<string, string>; readonly creationTimestamp?: string; readonly ownerReferences?: readonly { readonly uid?: string; readonly kind?: string; readonly name?: string }[] };
  readonly spec?: { readonly metrics?: readonly { readonly name?: string }[]; readonly [key: string]: unknown };
  readonly status?: {
    readonly phase?: string;
    readonly message?: string;
    readonly metricResults?: readonly { readonly name?: string; readonly phase?: string; readonly message?: string; readonly count?: number; readonly successful?: number; readonly failed?: number; readonly inconclusive?: number; readonly error?: number; readonly measurements?: readonly { readonly value?: string; readonly phase?: string }[] }[];
  };
}

export interface WriteOptions {
  /** Server-side dry run (`dryRun=All`): validated by the API server, stored nowhere. */
  readonly dryRun?: boolean;
}

export interface KubePort {
  getRollout(namespace: string, name: string): Promise<RolloutObject | undefined>;
  replaceRollout(rollout: RolloutObject & PodTemplateHolder, options?: WriteOptions): Promise<RolloutObject>;
  /** A JSON merge patch to the `/status` subresource: the only place promote and abort take effect. */
  patchRolloutStatus(namespace: string, name: string, patch: object): Promise<RolloutObject>;
  jsonPatchRollout(namespace: string, name: string, patch: JsonPatch): Promise<RolloutObject>;
  /** A JSON Patch (RFC 6902) to `/status`: its `test` operations make the write conditional (actions.promote). */
  jsonPatchRolloutStatus(namespace: string, name: string, patch: JsonPatch): Promise<RolloutObject>;
  getDeployment(namespace: string, name: string): Promise<PodTemplateHolder | undefined>;
  replaceDeployment(deployment: PodTemplateHolder, options?: WriteOptions): Promise<PodTemplateHolder>;
  jsonPatchDeployment(namespace: string, name: string, patch: JsonPatch): Promise<PodTemplateHolder>;
  listReplicaSets(namespace: string, labelSelector: string): Promise<PodTemplateHolder[]>;
  getLease(namespace: string, name: string): Promise<Lease | undefined>;
  /** 409 AlreadyExists when another holder created it first. */
  createLease(lease: Lease): Promise<Lease>;
  /** PUT with the resourceVersion read: 409 Conflict when someone else wrote it since. */
  replaceLease(lease: Lease): Promise<Lease>;
  /** Deletes only that version (a precondition): 409 when someone else took the Lease over meanwhile. */
  deleteLease(namespace: string, name: string, resourceVersion: string): Promise<void>;
  /** AnalysisRuns (argoproj.io/v1alpha1) by label, e.g. `rollouts-pod-template-hash=<canary>`; [] where the CRD is not installed. */
  listAnalysisRuns(namespace: string, labelSelector: string): Promise<AnalysisRunObject[]>;
  /** Experiments (argoproj.io/v1alpha1) by label; [] where the CRD is not installed. */
  listExperiments(namespace: string, labelSelector: string): Promise<AnalysisRunObject[]>;
  /** Calls onChange with every new version of the Rollout until the signal aborts or the watch ends. */
  watchRollout(namespace: string, name: string, onChange: (rollout: RolloutObject) => void, signal: AbortSignal): Promise<void>;
  /** Requests sent so far that change the cluster (dry runs excluded). */
  readonly writes: number;
}
