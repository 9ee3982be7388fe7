// A KubePort over plain objects, for unit tests of the rollout actions and the lock: JSON Patch and
// merge patch as the API server applies them (sim/kube/patch.ts), resourceVersion conflicts on
// Leases, and faults that fail a call before or after it was applied ("the answer was lost").
import type { KubePort, Lease, PodTemplateHolder } from '../../src/kube/port.js';
import type { RolloutObject } from '../../src/rollouts/observe.js';
import { applyJsonPatch, mergePatch, parseJsonPatch } from '../../sim/kube/patch.js';

/** Shaped like a client-node ApiException, so src/kube/errors.ts reads it as the real thing. */
export function apiError(code: number, message = `HTTP ${code}`): Error & { code: number; body: unknown; headers: object } {
  return Object.assign(new Error(message), { code, body: { kind: 'Status', code, message }, headers: {} });
}

type Method = keyof Omit<KubePort, 'writes'>;
interface Fault {
  readonly method: Method;
  readonly code: number;
  /** The request takes effect, only its answer is lost. */
  readonly applied: boolean;
}

export class FakeKube implements KubePort {
  rollouts = new Map<string, RolloutObject>();
  deployments = new Map<string, PodTemplateHolder>();
  replicaSets: PodTemplateHolder[] = [];
  leases = new Map<string, Lease>();
  calls: { method: Method; args: unknown[] }[] = [];
  writes = 0;
  private faults: Fault[] = [];
  private version = 100;
  /** Runs after each applied status patch (a controller reacting). */
  onStatusPatch?: (rollout: RolloutObject) => RolloutObject;

  fail(method: Method, code: number, options: { applied?: boolean; times?: number } = {}): void {
    for (let i = 0; i < (options.times ?? 1); i++) this.faults.push({ method, code, applied: options.applied ?? false });
  }

  private async call<T>(method: Method, args: unknown[], write: boolean, run: () => T): Promise<T> {
    this.calls.push({ method, args });
    const index = this.faults.findIndex((f) => f.method === method);
    const fault = index >= 0 ? this.faults.splice(index, 1)[0] : undefined;
    if (fault && !fault.applied) throw apiError(fault.code);
    if (write) this.writes += 1;
    const result = run();
    if (fault) throw apiError(fault.code);
    return structuredClone(result);
  }

  private nextVersion(): string {
    this.version += 1;
    return String(this.version);
  }

  private rollout(namespace: string, name: string): RolloutObject {
    const found = this.rollouts.get(`${namespace}/${name}`);
    if (!found) throw apiError(404, `rollouts.argoproj.io "${name}" not found`);
    return found;
  }

  private patchStatus(namespace: string, name: string, apply: (doc: RolloutObject) => RolloutObject): RolloutObject {
    const current = this.rollout(namespace, name);
    let patched: RolloutObject;
    try {
      patched = apply(current);
    } catch (error) {
      throw apiError((error as { code?: number }).code ?? 500, (error as Error).message);
    }
    // The status subresource keeps only .status of the result (reference §1).
    let next: RolloutObject = { ...current, metadata: { ...current.metadata, resourceVersion: this.nextVersion() }, status: patched.status };
    if (this.onStatusPatch) next = this.onStatusPatch(next);
    this.rollouts.set(`${namespace}/${name}`, next);
    return next;
  }

  getRollout(namespace: string, name: string) {
    return this.call('getRollout', [namespace, name], false, () => this.rollouts.get(`${namespace}/${name}`));
  }
  replaceRollout(rollout: RolloutObject & PodTemplateHolder) {
    return this.call('replaceRollout', [rollout], true, () => {
      const key = `${rollout.metadata.namespace}/${rollout.metadata.name}`;
      this.rollouts.set(key, { ...rollout, metadata: { ...rollout.metadata, resourceVersion: this.nextVersion() } });
      return this.rollouts.get(key)!;
    });
  }
  patchRolloutStatus(namespace: string, name: string, patch: object) {
    return this.call('patchRolloutStatus', [namespace, name, patch], true, () => this.patchStatus(namespace, name, (doc) => mergePatch(doc, patch) as RolloutObject));
  }
  jsonPatchRolloutStatus(namespace: string, name: string, patch: readonly object[]) {
    return this.call('jsonPatchRolloutStatus', [namespace, name, patch], true, () => this.patchStatus(namespace, name, (doc) => applyJsonPatch(doc, parseJsonPatch(patch)) as RolloutObject));
  }
  jsonPatchRollout(namespace: string, name: string, patch: readonly object[]) {
    return this.call('jsonPatchRollout', [namespace, name, patch], true, () => {
      const next = applyJsonPatch(this.rollout(namespace, name), parseJsonPatch(patch)) as RolloutObject;
      this.rollouts.set(`${namespace}/${name}`, next);
      return next;
    });
  }
  getDeployment(namespace: string, name: string) {
    return this.call('getDeployment', [namespace, name], false, () => this.deployments.get(`${namespace}/${name}`));
  }
  replaceDeployment(deployment: PodTemplateHolder) {
    return this.call('replaceDeployment', [deployment], true, () => {
      this.deployments.set(`${deployment.metadata.namespace}/${deployment.metadata.name}`, deployment);
      return deployment;
    });
  }
  jsonPatchDeployment(namespace: string, name: string, patch: readonly object[]) {
    return this.call('jsonPatchDeployment', [namespace, name, patch], true, () => {
      const next = applyJsonPatch(this.deployments.get(`${namespace}/${name}`), parseJsonPatch(patch)) as PodTemplateHolder;
      this.deployments.set(`${namespace}/${name}`, next);
      return next;
    });
  }
  listReplicaSets(namespace: string, labelSelector: string) {
    const [key, value] = labelSelector.split('=');
    return this.call('listReplicaSets', [namespace, labelSelector], false, () =>
      this.replicaSets.filter((rs) => rs.metadata.namespace === namespace && rs.metadata.labels?.[key!] === value));
  }
  watchRollout(): Promise<void> {
    return Promise.resolve();
  }
  listAnalysisRuns(): Promise<never[]> {
    return Promise.resolve([]);
  }
  listExperiments(): Promise<never[]> {
    return Promise.resolve([]);
  }
  getLease(namespace: string, name: string) {
    return this.call('getLease', [namespace, name], false, () => this.leases.get(`${namespace}/${name}`));
  }
  createLease(lease: Lease) {
    return this.call('createLease', [lease], true, () => {
      const key = `${lease.metadata.namespace}/${lease.metadata.name}`;
      if (this.leases.has(key)) throw apiError(409, `leases.coordination.k8s.io "${lease.metadata.name}" already exists`);
      const stored = { ...lease, metadata: { ...lease.metadata, resourceVersion: this.nextVersion() } };
      this.leases.set(key, stored);
      return stored;
    });
  }
  replaceLease(lease: Lease) {
    return this.call('replaceLease', [lease], true, () => {
      const key = `${lease.metadata.namespace}/${lease.metadata.name}`;
      const current = this.leases.get(key);
      if (!current) throw apiError(404, `leases.coordination.k8s.io "${lease.metadata.name}" not found`);
      if (current.metadata.resourceVersion !== lease.metadata.resourceVersion) throw apiError(409, 'the object has been modified; please apply your changes to the latest version and try again');
      const stored = { ...lease, metadata: { ...lease.metadata, resourceVersion: this.nextVersion() } };
      this.leases.set(key, stored);
      return stored;
    });
  }
  deleteLease(namespace: string, name: string, resourceVersion: string) {
    return this.call('deleteLease', [namespace, name, resourceVersion], true, () => {
      const current = this.leases.get(`${namespace}/${name}`);
      if (!current) throw apiError(404, `leases.coordination.k8s.io "${name}" not found`);
      if (current.metadata.resourceVersion !== resourceVersion) throw apiError(409, 'Precondition failed: ResourceVersion in precondition does not match');
      this.leases.delete(`${namespace}/${name}`);
    });
  }
}
