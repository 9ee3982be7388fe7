/**
 * The object store behind the API server: resourceVersions, generations, the status/main split and
 * watch events. HTTP handlers and the simulated controller both write through it, so the rules of
 * reference §1 hold for every writer.
 */
import { alreadyExists, badRequest, conflict, invalid, notFound, preconditionFailed } from './errors.js';
import { NAMESPACES, RESOURCES, apiVersionOf, qualifiedName, type ResourceDef, type Subresource } from './resources.js';
import type { Matcher } from './selectors.js';
import { validateObject } from './validation.js';
import { clone, deepEqual, rfc3339, type Actor, type KObject, type SimClock } from './types.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly type: EventType;
  readonly def: ResourceDef;
  readonly object: KObject;
  readonly previous?: KObject;
  readonly rv: number;
  readonly actor: Actor;
  readonly at: number;
}

export interface WriteRecord {
  readonly actor: Actor;
  readonly verb: 'create' | 'update' | 'delete';
  readonly resource: string;
  readonly namespace?: string;
  readonly name: string;
  readonly subresource?: Subresource;
  readonly resourceVersion: string;
  readonly at: number;
}

export interface WriteOptions {
  readonly actor?: Actor;
  readonly dryRun?: boolean;
  readonly subresource?: Subresource;
  /** DeleteOptions.preconditions: the object is deleted only if these still hold. */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

type Listener = (event: StoreEvent) => void;

const HISTORY_LIMIT = 20_000;

export class Store {
  readonly #objects = new Map<string, KObject>();
  readonly #listeners = new Set<Listener>();
  readonly #history: StoreEvent[] = [];
  readonly #clock: SimClock;
  #rv = 0;
  #uidSeq = 0;
  /** Every committed write, whoever made it (dry runs never get here). */
  readonly log: WriteRecord[] = [];

  constructor(clock: SimClock) {
    this.#clock = clock;
  }

  resourceVersion(): string {
    return String(this.#rv);
  }

  find(def: ResourceDef, namespace: string | undefined, name: string): KObject | undefined {
    return clone(this.#objects.get(key(def, namespace, name)));
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KObject {
    const found = this.find(def, namespace, name);
    if (!found) throw notFound(def, name);
    return found;
  }

  list(def: ResourceDef, namespace?: string, match: Matcher = () => true): KObject[] {
    const prefix = `${def.group}/${def.plural}/${namespace === undefined ? '' : `${namespace}/`}`;
    return [...this.#objects.entries()]
      .filter(([k, obj]) => k.startsWith(prefix) && match(obj))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, obj]) => clone(obj));
  }

  create(def: ResourceDef, namespace: string | undefined, incoming: KObject, opts: WriteOptions = {}): KObject {
    const obj = clone(incoming);
    obj.apiVersion ||= apiVersionOf(def);
    obj.kind ||= def.kind;
    obj.metadata = { ...(obj.metadata ?? {}) };
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = `${obj.metadata.generateName}${(this.#uidSeq + 1).toString(36).padStart(5, 'x')}`;
    }
    const ns = checkNamespace(def, namespace, obj);
    const name = obj.metadata.name;
    const causes = validateObject(def, obj);
    if (causes.length > 0) throw invalid(def, name ?? '', causes);
    if (ns !== undefined && !this.#objects.has(key(NAMESPACES, undefined, ns))) throw notFound(NAMESPACES, ns);
    if (this.#objects.has(key(def, ns, name))) throw alreadyExists(def, name);
    // Create ignores .status when the type has a status subresource: status is the controller's.
    if (def.subresources.includes('status')) delete obj.status;
    this.#uidSeq += 1;
    obj.metadata.uid = `5e1d0000-0000-4000-8000-${this.#uidSeq.toString(16).padStart(12, '0')}`;
    obj.metadata.creationTimestamp = rfc3339(this.#clock.now());
    if (def.generation) obj.metadata.generation = 1;
    delete obj.metadata.resourceVersion;
    if (opts.dryRun) return obj;
    return this.#commit(def, 'ADDED', obj, undefined, opts);
  }

  /** PUT semantics: the body replaces the half of the object the URL addresses. */
  update(def: ResourceDef, namespace: string | undefined, name: string, incoming: KObject, opts: WriteOptions = {}): KObject {
    const current = this.get(def, namespace, name);
    if (incoming.metadata?.name !== name) {
      throw badRequest(`the name of the object (${incoming.metadata?.name ?? ''}) does not match the name on the URL (${name})`);
    }
    const rv = incoming.metadata.resourceVersion;
    // CRDs and some built-ins (Leases) do not allow unconditional updates; built-in workloads do.
    if (!rv && (def.crd || def.conditionalUpdateOnly)) {
      throw invalid(def, name, [{ field: 'metadata.resourceVersion', message: 'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update' }]);
    }
    if (rv && rv !== current.metadata.resourceVersion) throw conflict(def, name);
    return this.#write(def, current, incoming, opts);
  }

  /** PATCH semantics: `apply` edits a copy of the stored object; a resourceVersion it sets is a precondition. */
  mutate(def: ResourceDef, namespace: string | undefined, name: string, apply: (current: KObject) => KObject, opts: WriteOptions = {}): KObject {
    const current = this.get(def, namespace, name);
    const next = apply(clone(current));
    if (next.metadata?.name !== undefined && next.metadata.name !== name) {
      throw badRequest(`the name of the object (${String(next.metadata.name)}) does not match the name on the URL (${name})`);
    }
    if (next.metadata?.resourceVersion && next.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(def, name);
    }
    return this.#write(def, current, next, opts);
  }

  delete(def: ResourceDef, namespace: string | undefined, name: string, opts: WriteOptions = {}): KObject {
    const current = this.get(def, namespace, name);
    const pre = opts.preconditions;
    if (pre?.uid !== undefined && pre.uid !== current.metadata.uid) {
      throw preconditionFailed(def, namespace, name, 'UID', pre.uid, current.metadata.uid ?? '');
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw preconditionFailed(def, namespace, name, 'ResourceVersion', pre.resourceVersion, current.metadata.resourceVersion ?? '');
    }
    if (opts.dryRun) return current;
    this.#remove(def, current, opts.actor ?? 'api');
    return current;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Events after `rv`, or undefined when the history no longer reaches back that far (410 Gone). */
  eventsAfter(rv: number): StoreEvent[] | undefined {
    const first = this.#history[0];
    if (first !== undefined && first.rv > rv + 1) return undefined;
    return this.#history.filter((e) => e.rv > rv);
  }

  #write(def: ResourceDef, current: KObject, incoming: KObject, opts: WriteOptions): KObject {
    const next = mergeHalves(def, current, incoming, opts.subresource);
    if (deepEqual(next, current)) return current; // a no-op write keeps the resourceVersion and emits nothing
    if (def.generation && !deepEqual(next.spec, current.spec)) {
      next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    const causes = validateObject(def, next);
    if (causes.length > 0) throw invalid(def, current.metadata.name, causes);
    if (opts.dryRun) return next;
    return this.#commit(def, 'MODIFIED', next, current, opts);
  }

  #commit(def: ResourceDef, type: EventType, obj: KObject, previous: KObject | undefined, opts: WriteOptions): KObject {
    this.#rv += 1;
    obj.metadata.resourceVersion = String(this.#rv);
    this.#objects.set(key(def, obj.metadata.namespace, obj.metadata.name), clone(obj));
    this.#record(def, type, obj, previous, opts.actor ?? 'api', opts.subresource);
    return obj;
  }

  #remove(def: ResourceDef, current: KObject, actor: Actor): void {
    const ns = current.metadata.namespace;
    this.#objects.delete(key(def, ns, current.metadata.name));
    this.#rv += 1;
    const gone = { ...current, metadata: { ...current.metadata, resourceVersion: String(this.#rv) } };
    this.#record(def, 'DELETED', gone, current, actor, undefined);
    // Stand-in for the garbage collector and namespace finalizer: dependents go with their owner.
    for (const [k, obj] of [...this.#objects.entries()]) {
      const owned = obj.metadata.ownerReferences?.some((o) => o.uid === current.metadata.uid);
      const inNamespace = def === NAMESPACES && obj.metadata.namespace === current.metadata.name;
      if ((owned || inNamespace) && this.#objects.has(k)) this.#remove(defOfKey(k), obj, actor);
    }
  }

  #record(def: ResourceDef, type: EventType, obj: KObject, previous: KObject | undefined, actor: Actor, subresource: Subresource | undefined): void {
    const event: StoreEvent = { type, def, object: clone(obj), previous: clone(previous), rv: this.#rv, actor, at: this.#clock.now() };
    this.#history.push(event);
    if (this.#history.length > HISTORY_LIMIT) this.#history.splice(0, this.#history.length - HISTORY_LIMIT);
    const verb = type === 'ADDED' ? 'create' : type === 'DELETED' ? 'delete' : 'update';
    this.log.push({
      actor, verb, resource: qualifiedName(def), namespace: obj.metadata.namespace, name: obj.metadata.name,
      subresource, resourceVersion: obj.metadata.resourceVersion ?? '', at: this.#clock.now(),
    });
    for (const listener of [...this.#listeners]) listener(event);
  }
}

function key(def: ResourceDef, namespace: string | undefined, name: string): string {
  return `${def.group}/${def.plural}/${def.namespaced ? `${namespace ?? ''}/` : ''}${name}`;
}

function defOfKey(k: string): ResourceDef {
  const [group, plural] = k.split('/');
  const def = RESOURCES.find((d) => d.group === group && d.plural === plural);
  if (!def) throw new Error(`no resource for stored key ${k}`);
  return def;
}

function checkNamespace(def: ResourceDef, namespace: string | undefined, obj: KObject): string | undefined {
  if (!def.namespaced) {
    delete obj.metadata.namespace;
    return undefined;
  }
  if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const ns = namespace ?? obj.metadata.namespace;
  if (!ns) throw badRequest('an empty namespace may not be set during creation');
  obj.metadata.namespace = ns;
  return ns;
}

const SERVER_OWNED = ['uid', 'creationTimestamp', 'generation', 'resourceVersion', 'namespace', 'name', 'deletionTimestamp', 'managedFields'];

/**
 * The status-subresource split of reference §1: a write through the main URL keeps the stored
 * .status, a write through /status keeps everything else (labels and annotations included).
 */
function mergeHalves(def: ResourceDef, current: KObject, incoming: KObject, subresource: Subresource | undefined): KObject {
  if (subresource === 'status') {
    const next = clone(current);
    if (incoming.status === undefined) delete next.status;
    else next.status = clone(incoming.status);
    return next;
  }
  const next = clone(incoming);
  next.apiVersion = current.apiVersion;
  next.kind = current.kind;
  next.metadata = { ...(next.metadata ?? {}) };
  for (const field of SERVER_OWNED) {
    if (current.metadata[field] === undefined) delete next.metadata[field];
    else next.metadata[field] = clone(current.metadata[field]);
  }
  if (def.subresources.includes('status')) {
    if (current.status === undefined) delete next.status;
    else next.status = clone(current.status);
  }
  return next;
}
