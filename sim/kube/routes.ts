/** URL → what it addresses: a discovery document or a resource (collection, object, subresource). */
import { coreVersions, groupDocument, groupList, resourceList, versionInfo } from './discovery.js';
import { findResource, type ResourceDef } from './resources.js';

export interface ResourceTarget {
  readonly kind: 'resource';
  readonly def: ResourceDef;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
  /** The deprecated `/watch/` path prefix. */
  readonly watchPath: boolean;
}

export type Target =
  | { readonly kind: 'document'; readonly body: unknown }
  | { readonly kind: 'health' }
  | ResourceTarget;

function resourceTarget(group: string, version: string, rest: string[]): ResourceTarget | undefined {
  const watchPath = rest[0] === 'watch';
  const parts = watchPath ? rest.slice(1) : rest;
  const [first, second, third, fourth, fifth] = parts;
  if (first === 'namespaces' && second !== undefined && third !== undefined) {
    const def = findResource(group, version, third);
    if (def?.namespaced) {
      if (parts.length > 5) return undefined;
      return { kind: 'resource', def, namespace: second, name: fourth, subresource: fifth, watchPath };
    }
  }
  if (first === undefined || parts.length > 3) return undefined;
  const def = findResource(group, version, first);
  if (!def) return undefined;
  // A namespaced type without /namespaces/<ns> is the all-namespaces collection only.
  if (def.namespaced && second !== undefined) return undefined;
  return { kind: 'resource', def, name: second, subresource: third, watchPath };
}

export function route(pathname: string): Target | undefined {
  const segs = pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  const [root, a, b] = segs;
  if (root === 'version' && segs.length === 1) return { kind: 'document', body: versionInfo() };
  if ((root === 'healthz' || root === 'livez' || root === 'readyz') && segs.length === 1) return { kind: 'health' };
  if (root === 'api') {
    if (segs.length === 1) return { kind: 'document', body: coreVersions() };
    if (a !== 'v1') return undefined;
    if (segs.length === 2) return { kind: 'document', body: resourceList('', 'v1') };
    return resourceTarget('', 'v1', segs.slice(2));
  }
  if (root === 'apis') {
    if (segs.length === 1) return { kind: 'document', body: groupList() };
    const doc = segs.length === 2 ? groupDocument(a as string) : segs.length === 3 ? resourceList(a as string, b as string) : undefined;
    if (segs.length <= 3) return doc ? { kind: 'document', body: doc } : undefined;
    return resourceTarget(a as string, b as string, segs.slice(3));
  }
  return undefined;
}

