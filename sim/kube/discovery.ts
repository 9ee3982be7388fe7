/**
 * Legacy discovery documents (/api, /apis, /apis/<g>/<v>). kubectl 1.3x first asks for aggregated
 * discovery through the Accept header; answering with these plain documents makes it fall back to
 * walking the group versions, which is all it needs.
 */
import { apiVersionOf, groupVersions, verbsOf, type ResourceDef } from './resources.js';

export function versionInfo(): Record<string, string> {
  return {
    major: '1', minor: '32', gitVersion: 'v1.32.0-simkube', gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean', buildDate: '2025-01-01T00:00:00Z', goVersion: 'go1.23.0', compiler: 'gc', platform: 'linux/amd64',
  };
}

export function coreVersions(): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
}

function apiGroup(group: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

export function groupList(): Record<string, unknown> {
  const groups = new Map<string, string[]>();
  for (const gv of groupVersions()) {
    if (gv.group !== '') groups.set(gv.group, [...(groups.get(gv.group) ?? []), gv.version]);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups.entries()].map(([group, versions]) => apiGroup(group, versions)),
  };
}

export function groupDocument(group: string): Record<string, unknown> | undefined {
  const versions = groupVersions().filter((gv) => gv.group === group && group !== '').map((gv) => gv.version);
  if (versions.length === 0) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) };
}

function resourceEntries(def: ResourceDef): Record<string, unknown>[] {
  const main = {
    name: def.plural, singularName: def.singular, namespaced: def.namespaced, kind: def.kind, verbs: verbsOf(),
    ...(def.shortNames.length > 0 ? { shortNames: [...def.shortNames] } : {}),
    ...(def.categories ? { categories: [...def.categories] } : {}),
    storageVersionHash: Buffer.from(`${def.group}/${def.plural}`).toString('base64').slice(0, 11),
  };
  const subs = def.subresources.map((sub) => ({
    name: `${def.plural}/${sub}`, singularName: '', namespaced: def.namespaced,
    ...(sub === 'scale' ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : { kind: def.kind }),
    verbs: ['get', 'patch', 'update'],
  }));
  return [main, ...subs];
}

export function resourceList(group: string, version: string): Record<string, unknown> | undefined {
  const gv = groupVersions().find((g) => g.group === group && g.version === version);
  if (!gv) return undefined;
  const first = gv.defs[0] as ResourceDef;
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(first),
    resources: gv.defs.flatMap(resourceEntries),
  };
}
