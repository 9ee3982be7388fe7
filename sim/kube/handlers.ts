/** The verbs on a resource URL: get, list, watch, create, update, patch, delete. */
import { ApiError, badRequest, cannotDecode, methodNotAllowed, notFoundPath, patchNotDecodable, unsupportedMediaType } from './errors.js';
import { applyJsonPatch, mergePatch, parseJsonPatch } from './patch.js';
import { apiVersionOf, type ResourceDef, type Subresource } from './resources.js';
import type { ResourceTarget } from './routes.js';
import { fromScale, toScale } from './scale.js';
import { dropUnknownFields, microTimeProblem, unknownFields } from './schema.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { Store, WriteOptions } from './store.js';
import { isRecord, type KObject } from './types.js';
import type { WatchRequest } from './watch.js';

export interface ResourceRequest {
  readonly method: string;
  readonly target: ResourceTarget;
  readonly query: URLSearchParams;
  /** Media type without parameters, lower case. */
  readonly contentType: string;
  readonly body: unknown;
}

export type Reply = { readonly status: number; readonly body: unknown } | { readonly watch: WatchRequest };

const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0;
}

export function isWatch(target: ResourceTarget, query: URLSearchParams): boolean {
  const w = query.get('watch');
  return target.name === undefined && (target.watchPath || w === 'true' || w === '1');
}

function subresourceOf(def: ResourceDef, sub: string | undefined): Subresource | undefined {
  if (sub === undefined) return undefined;
  if ((sub === 'status' || sub === 'scale') && def.subresources.includes(sub)) return sub;
  throw notFoundPath();
}

function objectBody(body: unknown): KObject {
  if (!isRecord(body)) throw badRequest('the request body must be a JSON object');
  return body as KObject;
}

type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** `?fieldValidation=`: Strict fails on unknown fields; Warn (the server's default) and Ignore drop them. */
function fieldValidation(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation') ?? 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

const strictError = (fields: string[]): string => `strict decoding error: ${fields.map((f) => `unknown field "${f}"`).join(', ')}`;

/** Decoding a create/update body: MicroTime layout, then unknown fields (400 when Strict, dropped otherwise). */
function decodeBody(def: ResourceDef, body: unknown, mode: FieldValidation): KObject {
  const obj = objectBody(body);
  const micro = microTimeProblem(def, obj);
  if (micro) throw cannotDecode(def, micro);
  const unknown = unknownFields(def, obj);
  if (unknown.length > 0 && mode === 'Strict') throw cannotDecode(def, strictError(unknown));
  return dropUnknownFields(def, obj);
}

/** Decoding a patched object: the same checks, answered as handlers/patch.go does (422 on field `patch`). */
function decodePatched(def: ResourceDef, patched: unknown, mode: FieldValidation): KObject {
  const obj = objectBody(patched);
  const micro = microTimeProblem(def, obj);
  if (micro) throw patchNotDecodable(obj, micro);
  const unknown = unknownFields(def, obj);
  if (unknown.length > 0 && mode === 'Strict') throw patchNotDecodable(obj, strictError(unknown));
  return dropUnknownFields(def, obj);
}

/** A function that edits the stored object as the patch content type says. */
function patcher(def: ResourceDef, contentType: string, body: unknown): (current: unknown) => unknown {
  switch (contentType) {
    case MERGE:
      return (current) => mergePatch(current, body);
    case JSON_PATCH: {
      const ops = parseJsonPatch(body);
      return (current) => applyJsonPatch(current, ops);
    }
    case STRATEGIC:
      // No patch-strategy metadata exists for a CRD, so the real server refuses; for built-ins the
      // simulator treats it as a merge patch (list merge keys are not modelled).
      if (def.crd) throw unsupportedMediaType([JSON_PATCH, MERGE, APPLY]);
      return (current) => mergePatch(current, body);
    case APPLY:
      throw new ApiError(415, 'UnsupportedMediaType', `${APPLY} (server-side apply) is not supported by the simulator`);
    default:
      throw unsupportedMediaType(def.crd ? [JSON_PATCH, MERGE, APPLY] : [JSON_PATCH, MERGE, STRATEGIC, APPLY]);
  }
}

function list(store: Store, req: ResourceRequest): Reply {
  const { def, namespace } = req.target;
  const labels = parseLabelSelector(req.query.get('labelSelector'));
  const fields = parseFieldSelector(req.query.get('fieldSelector'));
  const match = (o: KObject): boolean => labels(o) && fields(o);
  if (isWatch(req.target, req.query)) {
    const timeout = req.query.get('timeoutSeconds');
    return {
      watch: {
        def, namespace, match,
        resourceVersion: req.query.get('resourceVersion') ?? undefined,
        timeoutSeconds: timeout === null ? undefined : Number(timeout),
      },
    };
  }
  const items = store.list(def, namespace, match);
  return {
    status: 200,
    body: { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: { resourceVersion: store.resourceVersion() }, items },
  };
}

function write(store: Store, req: ResourceRequest, name: string, sub: Subresource | undefined, opts: WriteOptions): KObject {
  const { def, namespace } = req.target;
  if (sub === 'scale') {
    const edit = req.method === 'PUT'
      ? (cur: KObject) => fromScale(cur, objectBody(req.body))
      : (cur: KObject) => fromScale(cur, objectBody(patcher(def, req.contentType, req.body)(toScale(def, cur))));
    return toScale(def, store.mutate(def, namespace, name, edit, { ...opts, subresource: undefined }));
  }
  const mode = fieldValidation(req.query);
  if (req.method === 'PUT') return store.update(def, namespace, name, decodeBody(def, req.body, mode), opts);
  const edit = patcher(def, req.contentType, req.body);
  return store.mutate(def, namespace, name, (cur) => decodePatched(def, edit(cur), mode), opts);
}

export function handleResource(store: Store, req: ResourceRequest): Reply {
  const { def, namespace, name } = req.target;
  const sub = subresourceOf(def, req.target.subresource);
  if (name === undefined) {
    if (req.method === 'GET') return list(store, req);
    if (req.method === 'POST') {
      const created = store.create(def, namespace, decodeBody(def, req.body, fieldValidation(req.query)), { dryRun: isDryRun(req.query) });
      return { status: 201, body: created };
    }
    throw methodNotAllowed();
  }
  if (req.method === 'GET') {
    const obj = store.get(def, namespace, name);
    return { status: 200, body: sub === 'scale' ? toScale(def, obj) : obj };
  }
  const opts: WriteOptions = { dryRun: isDryRun(req.query), subresource: sub };
  if (req.method === 'PUT' || req.method === 'PATCH') return { status: 200, body: write(store, req, name, sub, opts) };
  if (req.method === 'DELETE' && sub === undefined) {
    const pre = isRecord(req.body) && isRecord(req.body.preconditions) ? req.body.preconditions : undefined;
    const preconditions = pre
      ? { ...(typeof pre.uid === 'string' ? { uid: pre.uid } : {}), ...(typeof pre.resourceVersion === 'string' ? { resourceVersion: pre.resourceVersion } : {}) }
      : undefined;
    return { status: 200, body: store.delete(def, namespace, name, { ...opts, ...(preconditions ? { preconditions } : {}) }) };
  }
  throw methodNotAllowed();
}
