/** The Rollout and ReplicaSet fields the simulated controller reads and writes (JSON names). */
import type { KObject, Labels } from '../types.js';

export const HASH_LABEL = 'rollouts-pod-template-hash';
export const REVISION = 'rollout.argoproj.io/revision';
export const REVISION_HISTORY = 'rollout.argoproj.io/revision-history';
export const DESIRED_REPLICAS = 'rollout.argoproj.io/desired-replicas';
export const WORKLOAD_GENERATION = 'rollout.argoproj.io/workload-generation';
export const SCALE_DOWN_DEADLINE = 'scale-down-deadline';

export interface PodTemplate {
  metadata?: { labels?: Labels; annotations?: Labels; [k: string]: unknown };
  spec?: { containers?: { name: string; image?: string; [k: string]: unknown }[]; affinity?: unknown; [k: string]: unknown };
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface CanaryStep {
  setWeight?: number;
  pause?: { duration?: number | string };
  analysis?: unknown;
  experiment?: unknown;
  setCanaryScale?: unknown;
  setHeaderRoute?: unknown;
  setMirrorRoute?: unknown;
  plugin?: unknown;
}

export interface PodMetadata {
  labels?: Labels;
  annotations?: Labels;
}

export interface CanaryStrategy {
  steps?: CanaryStep[];
  canaryService?: string;
  stableService?: string;
  trafficRouting?: { maxTrafficWeight?: number; [router: string]: unknown };
  minPodsPerReplicaSet?: number;
  dynamicStableScale?: boolean;
  canaryMetadata?: PodMetadata;
  stableMetadata?: PodMetadata;
  antiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown; preferredDuringSchedulingIgnoredDuringExecution?: { weight?: number } };
  analysis?: { templates?: unknown[]; args?: unknown[]; startingStep?: number; [k: string]: unknown };
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  scaleDownDelaySeconds?: number;
  abortScaleDownDelaySeconds?: number;
}

export interface RolloutSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
  workloadRef?: { apiVersion?: string; kind?: string; name?: string; scaleDown?: string };
  strategy?: { canary?: CanaryStrategy; blueGreen?: unknown };
  paused?: boolean;
  progressDeadlineSeconds?: number;
  progressDeadlineAbort?: boolean;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

export interface PauseCondition {
  reason: string;
  startTime: string;
}

export interface WeightDestination {
  weight: number;
  podTemplateHash: string;
  serviceName?: string;
}

export interface RolloutStatus {
  observedGeneration?: string;
  phase?: string;
  message?: string;
  currentPodHash?: string;
  stableRS?: string;
  currentStepHash?: string;
  currentStepIndex?: number;
  pauseConditions?: PauseCondition[];
  controllerPause?: boolean;
  abort?: boolean;
  abortedAt?: string;
  promoteFull?: boolean;
  canary?: {
    weights?: { canary: WeightDestination; stable: WeightDestination };
    /** `{name, status, message?}` of the current step's AnalysisRun (RolloutAnalysisRunStatus). */
    currentStepAnalysisRunStatus?: { name: string; status: string; message?: string };
    currentBackgroundAnalysisRunStatus?: { name: string; status: string; message?: string };
    /** Name of the running Experiment of an experiment step. */
    currentExperiment?: string;
  };
  blueGreen?: Record<string, never>;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  HPAReplicas?: number;
  selector?: string;
  workloadObservedGeneration?: string;
  conditions?: Condition[];
  [field: string]: unknown;
}

export interface Rollout extends KObject {
  spec: RolloutSpec;
  status?: RolloutStatus;
}

export interface ReplicaSet extends KObject {
  spec: { replicas?: number; selector?: LabelSelector; template?: PodTemplate; [k: string]: unknown };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number; [k: string]: unknown };
}

export function podHashOf(rs: KObject): string | undefined {
  return rs.metadata.labels?.[HASH_LABEL];
}

export function revisionOf(rs: KObject): number {
  const n = Number(rs.metadata.annotations?.[REVISION] ?? '0');
  return Number.isFinite(n) ? n : 0;
}

export function availableOf(rs: ReplicaSet | undefined): number {
  return rs?.status?.availableReplicas ?? 0;
}

export function replicasOf(rs: ReplicaSet | undefined): number {
  return rs?.spec.replicas ?? 0;
}
