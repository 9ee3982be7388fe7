/** The slice of server-side validation the simulator enforces: names and a few CRD schema types. */
import type { StatusCause } from './errors.js';
import { ROLLOUTS, DEPLOYMENTS, REPLICASETS, type ResourceDef } from './resources.js';
import { schemaCauses } from './schema.js';
import { isRecord, type KObject } from './types.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Integer fields of the schema: a string here is the classic `replicas: "3"` mistake. */
const INTEGER_FIELDS: ReadonlyMap<ResourceDef, readonly string[]> = new Map([
  [ROLLOUTS, ['spec.replicas', 'spec.progressDeadlineSeconds', 'spec.revisionHistoryLimit', 'spec.minReadySeconds']],
  [DEPLOYMENTS, ['spec.replicas']],
  [REPLICASETS, ['spec.replicas']],
]);

function read(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), obj);
}

function typeName(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

function stepCauses(obj: KObject): StatusCause[] {
  const steps = read(obj, 'spec.strategy.canary.steps');
  if (steps === undefined) return [];
  if (!Array.isArray(steps)) {
    return [{ field: 'spec.strategy.canary.steps', message: 'spec.strategy.canary.steps: Invalid value: must be of type array' }];
  }
  return steps.flatMap((step, i) => {
    const weight = isRecord(step) ? step.setWeight : undefined;
    if (weight === undefined || Number.isInteger(weight)) return [];
    const field = `spec.strategy.canary.steps[${i}].setWeight`;
    return [{ field, message: `${field}: Invalid value: "${typeName(weight)}": ${field} in body must be of type integer: "${typeName(weight)}"` }];
  });
}

export function validateObject(def: ResourceDef, obj: KObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = obj.metadata.name;
  if (!name) causes.push({ field: 'metadata.name', reason: 'FieldValueRequired', message: 'metadata.name: Required value: name or generateName is required' });
  else if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    causes.push({ field: 'metadata.name', message: `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character` });
  }
  for (const path of INTEGER_FIELDS.get(def) ?? []) {
    const value = read(obj, path);
    if (value !== undefined && value !== null && !Number.isInteger(value)) {
      causes.push({ field: path, message: `${path}: Invalid value: "${typeName(value)}": ${path} in body must be of type integer: "${typeName(value)}"` });
    }
  }
  if (def === ROLLOUTS) causes.push(...stepCauses(obj));
  // Argo's CRD schemas (openAPIV3Schema of manifests/crds/*-crd.yaml) for spec and status alike.
  const seen = new Set(causes.map((c) => c.message));
  for (const c of schemaCauses(def, obj)) if (!seen.has(c.message)) causes.push(c);
  return causes;
}
