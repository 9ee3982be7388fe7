// deploy/rbac.yaml cannot drift from the code: dist/index.js runs through every path that talks to
// the cluster (release, rollback, workloadRef, dry run, lease takeover, analysis and experiment
// steps) against sim/kube; every request it sent is turned into the attributes the API server
// authorizes, and each must be allowed by the Role — while the Role grants nothing never used.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as YAML from 'yaml';
import { loadFixture } from '../../sim/kube/fixtures/rollouts/index.js';
import type { RequestRecord } from '../../sim/kube/index.js';
import { RUN_ID } from '../../sim/run-action.js';
import { ROLLOUT, type World } from '../../sim/world.js';
import { worldPerTest } from './per-test-world.js';

const MANIFEST = path.join(import.meta.dirname, '..', '..', 'deploy', 'rbac.yaml');

interface Attributes {
  readonly verb: string;
  readonly group: string;
  /** `resource` or `resource/subresource`, as RBAC rules name them. */
  readonly resource: string;
  readonly namespace?: string;
}

/**
 * The authorizer's view of a request (k8s.io/apiserver pkg/endpoints/request/requestinfo.go,
 * NewRequestInfo): the verb from the method — GET is get on a name, list on a collection, watch
 * with ?watch=true; POST create, PUT update, PATCH patch, DELETE delete (deletecollection without a
 * name) — and the group, resource and subresource from the path. Dry runs are authorized like the
 * real request.
 */
export function attributesOf(request: Pick<RequestRecord, 'method' | 'path' | 'query' | 'watch'>): Attributes {
  const parts = request.path.split('/').filter(Boolean);
  const [prefix] = parts;
  const rest = prefix === 'api' ? parts.slice(2) : parts.slice(3);
  const group = prefix === 'api' ? '' : parts[1]!;
  const namespaced = rest[0] === 'namespaces' && rest.length >= 3;
  const [resource, name, subresource] = namespaced ? rest.slice(2) : rest;
  const namespace = namespaced ? rest[1] : undefined;
  const watch = request.watch || ['true', '1'].includes(request.query.watch ?? '');
  const verb = {
    GET: watch ? 'watch' : name ? 'get' : 'list',
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: name ? 'delete' : 'deletecollection',
  }[request.method] ?? request.method.toLowerCase();
  return { verb, group, resource: subresource ? `${resource}/${subresource}` : resource!, namespace };
}

interface Rule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

function role(): { namespace: string; rules: readonly Rule[] } {
  const docs = YAML.parseAllDocuments(readFileSync(MANIFEST, 'utf8')).map((d) => d.toJS());
  const found = docs.find((d) => d.kind === 'Role');
  return { namespace: found.metadata.namespace, rules: found.rules };
}

/** Each (verb, group, resource) the Role grants, as `verb group/resource` lines. */
function granted(rules: readonly Rule[]): string[] {
  return rules.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => key({ verb: v, group: g, resource: res }))))).sort();
}

const key = (a: Attributes) => `${a.verb} ${a.group || 'core'}/${a.resource}`;

describe('deploy/rbac.yaml', () => {
  it('reads requests as the API server authorizes them', () => {
    expect(attributesOf({ method: 'PATCH', path: '/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts/checkout-api/status', query: {}, watch: false }))
      .toEqual({ verb: 'patch', group: 'argoproj.io', resource: 'rollouts/status', namespace: 'prod' });
    expect(attributesOf({ method: 'GET', path: '/apis/argoproj.io/v1alpha1/namespaces/prod/rollouts', query: { watch: 'true', fieldSelector: 'metadata.name=checkout-api' }, watch: false }))
      .toMatchObject({ verb: 'watch', resource: 'rollouts' });
    expect(attributesOf({ method: 'GET', path: '/apis/apps/v1/namespaces/prod/replicasets', query: { labelSelector: 'x=y' }, watch: false })).toMatchObject({ verb: 'list', group: 'apps' });
    expect(attributesOf({ method: 'DELETE', path: '/apis/coordination.k8s.io/v1/namespaces/prod/leases/release-to-prod-checkout-api', query: {}, watch: false })).toMatchObject({ verb: 'delete' });
    expect(attributesOf({ method: 'GET', path: '/api/v1/namespaces/prod/pods', query: {}, watch: false })).toMatchObject({ verb: 'list', group: '', resource: 'pods' });
  });

  it('is what the RBAC table of the README says', () => {
    const readme = readFileSync(path.join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('**RBAC.**')).split('\n\n')[1]!.split('\n').slice(2);
    const rows = table.flatMap((line) => {
      const [group, resources, verbs] = line.split('|').slice(1, 4).map((cell) => cell.trim());
      const names = (cell: string) => cell.split(',').map((n) => n.trim().replace(/`/g, ''));
      return names(group!).flatMap((g) => names(resources!).flatMap((r) => names(verbs!).map((v) => `${v} ${g}/${r}`)));
    });
    expect(rows.sort()).toEqual(granted(role().rules));
  });

  describe('allows every request the action sends, and grants nothing it does not use', () => {
    const start = worldPerTest();
    const sent: RequestRecord[] = [];
    const collect = (w: World) => sent.push(...w.kube.requests);
    const breachAt25 = { env: { SLO_PLAN: JSON.stringify({ 25: { error_rate: 0.05 } }) } };

    it('a clean release', async () => {
      const w = await start();
      expect((await w.run()).code).toBe(0);
      collect(w);
    });

    it('a breach: abort and undo', async () => {
      const w = await start();
      expect((await w.run({}, breachAt25)).code).toBe(3);
      collect(w);
    });

    it('a breach under workloadRef: the Deployment', async () => {
      const w = await start({ rollout: { ...ROLLOUT, workloadRef: true } });
      expect((await w.run({}, breachAt25)).code).toBe(3);
      collect(w);
    });

    it('a dry run', async () => {
      const w = await start();
      expect((await w.run({ 'dry-run': 'true' })).code).toBe(0);
      collect(w);
    });

    it('a lease left by an earlier attempt of this run: taken over', async () => {
      const w = await start();
      w.kube.addLease({ namespace: 'prod', name: 'release-to-prod-checkout-api', holderIdentity: `https://github.example/acme/shop/actions/runs/${RUN_ID}/attempts/0`, leaseDurationSeconds: 60 });
      const run = await w.run();
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('taken over');
      collect(w);
    });

    it.each(['analysis-inline', 'experiment-step'])('a Rollout with an %s', async (fixture) => {
      const w = await start({ rollout: false });
      w.kube.addManifests(loadFixture(fixture), { namespace: 'prod', image: `ghcr.io/acme/${fixture}:v1` });
      const run = await w.run({ service: fixture, container: fixture, image: `ghcr.io/acme/${fixture}` });
      expect(run.code).toBe(0);
      collect(w);
    });

    it('every request those runs sent is allowed by the Role, and every grant of the Role was used', () => {
      const { namespace, rules } = role();
      const used = [...new Set(sent.map((r) => key(attributesOf(r))))].sort();
      expect(used.length).toBeGreaterThan(0);
      expect(sent.map((r) => attributesOf(r).namespace).filter((ns) => ns !== namespace)).toEqual([]);
      expect({ notAllowed: used.filter((u) => !granted(rules).includes(u)), neverUsed: granted(rules).filter((g) => !used.includes(g)) }).toEqual({ notAllowed: [], neverUsed: [] });
    });
  });
});
