/**
 * What the real API server checks on a decoded object beyond names: Argo's CRD schemas (through
 * @kubernetes-models/argo-rollouts, validators generated from Argo's CRDs), unknown fields
 * (`fieldValidation`), and MicroTime fields of Leases, which client-go's decoder parses with the
 * fixed layout RFC3339Micro.
 */
import { AnalysisRun } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisRun';
import { AnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { ClusterAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/ClusterAnalysisTemplate';
import { Experiment } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Experiment';
import { Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type { StatusCause } from './errors.js';
import { ANALYSISRUNS, ANALYSISTEMPLATES, CLUSTERANALYSISTEMPLATES, EXPERIMENTS, LEASES, ROLLOUTS, type ResourceDef } from './resources.js';
import { isRecord, type KObject } from './types.js';

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

type ModelClass = new (data: Record<string, unknown>) => { validate(): void };

const MODELS = new Map<ResourceDef, ModelClass>([
  [ROLLOUTS, Rollout as unknown as ModelClass],
  [ANALYSISRUNS, AnalysisRun as unknown as ModelClass],
  [EXPERIMENTS, Experiment as unknown as ModelClass],
  [ANALYSISTEMPLATES, AnalysisTemplate as unknown as ModelClass],
  [CLUSTERANALYSISTEMPLATES, ClusterAnalysisTemplate as unknown as ModelClass],
]);

/** A structural schema prunes `null` from fields that are not nullable before validating (CRD defaulting docs). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** `/spec/strategy/canary/steps/0/setWeight` → `spec.strategy.canary.steps[0].setWeight`. */
function fieldPath(pointer: string, extra?: string): string {
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra) tokens.push(extra);
  return tokens.reduce((path, t) => (/^\d+$/.test(t) ? `${path}[${t}]` : path ? `${path}.${t}` : t), '');
}

function typeName(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
}

function at(obj: unknown, pointer: string): unknown {
  return pointer.split('/').slice(1).reduce<unknown>((node, t) => (isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[t] : undefined), obj);
}

/** ajv errors in the API server's wording (apiextensions validation: `field: Invalid value: …`). */
function toCause(obj: unknown, e: AjvError): StatusCause {
  if (e.keyword === 'required') {
    const field = fieldPath(e.instancePath, String(e.params.missingProperty));
    return { field, reason: 'FieldValueRequired', message: `${field}: Required value` };
  }
  const field = fieldPath(e.instancePath);
  const value = at(obj, e.instancePath);
  if (e.keyword === 'type') {
    const got = typeName(value);
    return { field, reason: 'FieldValueTypeInvalid', message: `${field}: Invalid value: "${got}": ${field} in body must be of type ${String(e.params.type)}: "${got}"` };
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params.allowedValues as unknown[] | undefined ?? []).map((v) => JSON.stringify(v)).join(', ');
    return { field, reason: 'FieldValueNotSupported', message: `${field}: Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed}` };
  }
  return { field, message: `${field}: Invalid value: ${JSON.stringify(value)}: ${e.message ?? e.keyword}` };
}

/** Violations of Argo's CRD schema (an empty list for types without one). */
export function schemaCauses(def: ResourceDef, obj: KObject): StatusCause[] {
  const Model = MODELS.get(def);
  if (!Model) return [];
  const data = withoutNulls(obj) as Record<string, unknown>;
  try {
    new Model(data).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) throw err;
    const seen = new Set<string>();
    return errors.map((e) => toCause(data, e)).filter((c) => !seen.has(c.message) && seen.add(c.message) !== undefined);
  }
}

const OBJECT_META = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];

/**
 * Declared fields, by path, where the simulator checks for unknown ones (JSON names of
 * pkg/apis/rollouts/v1alpha1/types.go RolloutSpec / RolloutStatus / CanaryStatus, and of
 * coordination/v1 LeaseSpec). Deeper levels are not checked.
 */
const DECLARED = new Map<ResourceDef, Record<string, readonly string[]>>([
  [ROLLOUTS, {
    '': ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
    metadata: OBJECT_META,
    spec: ['replicas', 'selector', 'template', 'workloadRef', 'minReadySeconds', 'rollbackWindow', 'strategy', 'revisionHistoryLimit',
      'paused', 'progressDeadlineSeconds', 'progressDeadlineAbort', 'restartAt', 'analysis'],
    status: ['abort', 'pauseConditions', 'controllerPause', 'abortedAt', 'currentPodHash', 'currentStepHash', 'replicas', 'updatedReplicas',
      'readyReplicas', 'availableReplicas', 'currentStepIndex', 'collisionCount', 'observedGeneration', 'conditions', 'canary', 'blueGreen',
      'HPAReplicas', 'selector', 'stableRS', 'restartedAt', 'promoteFull', 'phase', 'message', 'workloadObservedGeneration', 'alb', 'albs',
      'duration'],
    'status.canary': ['currentStepAnalysisRunStatus', 'currentBackgroundAnalysisRunStatus', 'currentExperiment', 'weights', 'stablePingPong',
      'stepPluginStatuses'],
  }],
  [LEASES, {
    '': ['apiVersion', 'kind', 'metadata', 'spec'],
    metadata: OBJECT_META,
    spec: ['holderIdentity', 'leaseDurationSeconds', 'acquireTime', 'renewTime', 'leaseTransitions', 'strategy', 'preferredHolder'],
  }],
]);

/** Paths of fields the type does not declare, e.g. `status.pauseCondition` (a typo). */
export function unknownFields(def: ResourceDef, obj: unknown): string[] {
  const declared = DECLARED.get(def);
  if (!declared) return [];
  const out: string[] = [];
  for (const [path, names] of Object.entries(declared)) {
    const node = path === '' ? obj : path.split('.').reduce<unknown>((n, k) => (isRecord(n) ? n[k] : undefined), obj);
    if (!isRecord(node)) continue;
    for (const k of Object.keys(node)) if (!names.includes(k)) out.push(path ? `${path}.${k}` : k);
  }
  return out;
}

/** Removes undeclared fields, as decoding (built-ins) or pruning (CRDs) does without `fieldValidation=Strict`. */
export function dropUnknownFields(def: ResourceDef, obj: KObject): KObject {
  for (const path of unknownFields(def, obj)) {
    const keys = path.split('.');
    const last = keys.pop() as string;
    const parent = keys.reduce<unknown>((n, k) => (isRecord(n) ? n[k] : undefined), obj);
    if (isRecord(parent)) delete parent[last];
  }
  return obj;
}

const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(.*)$/;

/**
 * metav1.MicroTime decodes with the layout RFC3339Micro `2006-01-02T15:04:05.000000Z07:00`: exactly
 * six fraction digits (JavaScript's toISOString has three: kubernetes-client/javascript#828).
 * Returns Go's decode error, or undefined.
 */
export function microTimeProblem(def: ResourceDef, obj: unknown): string | undefined {
  if (def !== LEASES) return undefined;
  const spec = isRecord(obj) && isRecord(obj.spec) ? obj.spec : {};
  for (const key of ['acquireTime', 'renewTime']) {
    const value = spec[key];
    if (value === undefined || value === null) continue;
    const text = String(value);
    const m = MICRO.exec(text);
    if (m && /^\.\d{6}(Z|[+-]\d\d:\d\d)$/.test(m[1] ?? '')) continue;
    const rest = m?.[1] ?? text;
    return `parsing time "${text}" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "${rest}" as ".000000"`;
  }
  return undefined;
}
