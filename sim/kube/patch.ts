/** RFC 7386 merge patch and RFC 6902 JSON Patch over plain JSON values. */
import { badRequest, unprocessable } from './errors.js';
import { clone, deepEqual, isRecord } from './types.js';

/** RFC 7386: objects merge recursively, `null` deletes a key, anything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return clone(patch);
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

interface Operation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Malformed documents are 400 (decode error); well-formed ones that fail to apply are 422. */
export function parseJsonPatch(body: unknown): Operation[] {
  if (!Array.isArray(body)) {
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  return body.map((raw, i) => {
    if (!isRecord(raw) || typeof raw.op !== 'string' || !OPS.has(raw.op) || typeof raw.path !== 'string') {
      throw badRequest(`invalid JSON Patch operation at index ${i}: ${JSON.stringify(raw)}`);
    }
    if ((raw.op === 'move' || raw.op === 'copy') && typeof raw.from !== 'string') {
      throw badRequest(`JSON Patch ${raw.op} at index ${i} needs "from"`);
    }
    if ((raw.op === 'add' || raw.op === 'replace' || raw.op === 'test') && !('value' in raw)) {
      throw badRequest(`JSON Patch ${raw.op} at index ${i} needs "value"`);
    }
    return raw as unknown as Operation;
  });
}

/** RFC 6901: `~1` is `/` and `~0` is `~`, unescaped in that order. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw unprocessable(`JSON pointer "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function arrayIndex(arr: unknown[], token: string, forAdd: boolean): number {
  if (forAdd && token === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw unprocessable(`invalid array index "${token}"`);
  const index = Number(token);
  if (index > arr.length || (!forAdd && index === arr.length)) {
    throw unprocessable(`array index ${index} out of bounds (length ${arr.length})`);
  }
  return index;
}

function resolveParent(doc: unknown, tokens: string[], pointer: string): { parent: Container; key: string } {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, false)];
    else if (isRecord(node) && token in node) node = node[token];
    else throw unprocessable(`doc is missing path: "${pointer}": missing value`);
  }
  if (!Array.isArray(node) && !isRecord(node)) throw unprocessable(`doc is missing path: "${pointer}"`);
  return { parent: node, key: tokens[tokens.length - 1] as string };
}

function getAt(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, token, false)];
    else if (isRecord(node) && token in node) node = node[token];
    else throw unprocessable(`doc is missing path: "${pointer}": missing value`);
  }
  return node;
}

function removeAt(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw unprocessable('cannot remove the document root');
  const { parent, key } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, false), 1)[0];
  if (!(key in parent)) throw unprocessable(`unable to remove nonexistent key: ${key}: missing value`);
  const old = parent[key];
  delete parent[key];
  return old;
}

function addAt(doc: unknown, pointer: string, value: unknown, replace: boolean): unknown {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return clone(value);
  const { parent, key } = resolveParent(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, key, !replace);
    parent.splice(index, replace ? 1 : 0, clone(value));
  } else {
    if (replace && !(key in parent)) {
      throw unprocessable(`replace operation does not apply: doc is missing key: ${pointer}: missing value`);
    }
    parent[key] = clone(value);
  }
  return doc;
}

function isMissingMember(doc: unknown, pointer: string): boolean {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return false;
  const { parent, key } = resolveParent(doc, tokens, pointer);
  return !Array.isArray(parent) && !(key in parent);
}

export function applyJsonPatch(document: unknown, operations: Operation[]): unknown {
  let doc = clone(document);
  for (const op of operations) {
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, op.value, false);
        break;
      case 'replace':
        doc = addAt(doc, op.path, op.value, true);
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'move': {
        const value = removeAt(doc, op.from as string);
        doc = addAt(doc, op.path, value, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, getAt(doc, op.from as string), false);
        break;
      case 'test':
        // evanphx/json-patch (the API server's, `Patch.test`): a missing member under an existing
        // parent equals null; a missing parent is an error (422) as below.
        if (op.value === null && isMissingMember(doc, op.path)) break;
        if (!deepEqual(getAt(doc, op.path), op.value)) {
          throw unprocessable(`testing value ${op.path} failed: test failed`);
        }
        break;
    }
  }
  return doc;
}

/** The RFC 7386 patch that turns `from` into `to` (what a two-way merge patch generator sends). */
export function createMergePatch(from: unknown, to: unknown): unknown {
  if (!isRecord(from) || !isRecord(to)) return deepEqual(from, to) ? undefined : clone(to ?? null);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(from)) if (from[k] !== undefined && to[k] === undefined) out[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (v === undefined) continue;
    const d = isRecord(from[k]) && isRecord(v) ? createMergePatch(from[k], v) : deepEqual(from[k], v) ? undefined : clone(v);
    if (d !== undefined) out[k] = d;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
