/**
 * Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), which is how
 * `kubectl get` gets its columns; the Rollout columns are the CRD's additionalPrinterColumns.
 */
import { ANALYSISRUNS, DEPLOYMENTS, EXPERIMENTS, LEASES, REPLICASETS, ROLLOUTS, type ResourceDef } from './resources.js';
import { isRecord, type KObject } from './types.js';

interface Column {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'date';
  readonly cell: (obj: KObject) => unknown;
}

function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, k) => (isRecord(node) ? node[k] : undefined), obj);
}

function num(obj: KObject, path: string): number {
  const v = at(obj, path);
  return typeof v === 'number' ? v : 0;
}

/** kubectl's short age format: 45s, 12m, 3h, 2d. */
export function age(fromIso: string | undefined, nowMs: number): string {
  if (!fromIso) return '<unknown>';
  const s = Math.max(0, Math.floor((nowMs - Date.parse(fromIso)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const COLUMNS = new Map<ResourceDef, Column[]>([
  [ROLLOUTS, [
    { name: 'Desired', type: 'integer', cell: (o) => num(o, 'spec.replicas') },
    { name: 'Current', type: 'integer', cell: (o) => num(o, 'status.replicas') },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(o, 'status.updatedReplicas') },
    { name: 'Available', type: 'integer', cell: (o) => num(o, 'status.availableReplicas') },
  ]],
  [REPLICASETS, [
    { name: 'Desired', type: 'integer', cell: (o) => num(o, 'spec.replicas') },
    { name: 'Current', type: 'integer', cell: (o) => num(o, 'status.replicas') },
    { name: 'Ready', type: 'integer', cell: (o) => num(o, 'status.readyReplicas') },
  ]],
  [DEPLOYMENTS, [
    { name: 'Ready', type: 'string', cell: (o) => `${num(o, 'status.readyReplicas')}/${num(o, 'spec.replicas')}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(o, 'status.updatedReplicas') },
    { name: 'Available', type: 'integer', cell: (o) => num(o, 'status.availableReplicas') },
  ]],
  // additionalPrinterColumns of analysis-run-crd.yaml and experiment-crd.yaml: STATUS = .status.phase.
  [ANALYSISRUNS, [{ name: 'Status', type: 'string', cell: (o) => at(o, 'status.phase') ?? '' }]],
  [EXPERIMENTS, [{ name: 'Status', type: 'string', cell: (o) => at(o, 'status.phase') ?? '' }]],
  // pkg/printers/internalversion printLease: NAME, HOLDER, AGE.
  [LEASES, [{ name: 'Holder', type: 'string', cell: (o) => at(o, 'spec.holderIdentity') ?? '' }]],
]);

export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => part.includes('as=Table'));
}

export function toTable(def: ResourceDef, objects: KObject[], resourceVersion: string, nowMs: number): Record<string, unknown> {
  const columns: Column[] = [
    { name: 'Name', type: 'string', cell: (o) => o.metadata.name },
    ...(COLUMNS.get(def) ?? []),
    { name: 'Age', type: 'date', cell: (o) => age(o.metadata.creationTimestamp, nowMs) },
  ];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({
      name: c.name, type: c.type, format: c.name === 'Name' ? 'name' : '', description: c.name, priority: 0,
    })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
