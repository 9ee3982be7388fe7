/** SimKube: the API server, its store and the simulated Argo Rollouts controller, started together. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShiftableClock } from './clock.js';
import { RolloutController } from './controller/controller.js';
import type { ReplicaSet, Rollout } from './controller/model.js';
import { Faults } from './faults.js';
import { renderKubeconfig } from './kubeconfig.js';
import { DEPLOYMENTS, LEASES, NAMESPACES, REPLICASETS, RESOURCES, ROLLOUTS, apiVersionOf } from './resources.js';
import { seedObjects, withImage, type ManifestOptions, type RolloutSeed } from './seed.js';
import { parseLabelSelector } from './selectors.js';
import { ApiServer, type RequestRecord } from './server.js';
import { Store } from './store.js';
import { SIM_CA_CERT, SIM_SERVER_CERT, SIM_SERVER_KEY } from './tls.js';
import type { KObject, SimClock } from './types.js';

export interface SimKubeOptions {
  /** Controller tick in real milliseconds (default 20). */
  readonly tickMs?: number;
  /** Time for new pods to become available (default 30 ms). */
  readonly podReadyMs?: number;
  /** Delay between an API write and the controller acting on it (default 0). */
  readonly reactionDelayMs?: number;
  /** Time source for timestamps, pause durations and deadlines (default: real time, advanceable). */
  readonly clock?: SimClock;
  /** Bearer token the server requires (default `simkube-token`). */
  readonly token?: string;
  /**
   * https with a throwaway CA embedded in the kubeconfig (default true). With `tls: false` kubectl
   * sends no token at all (client-go reads credentials only for TLS clusters) and gets 401s.
   */
  readonly tls?: boolean;
  readonly port?: number;
}

export interface LeaseSeed {
  readonly namespace: string;
  readonly name: string;
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
}

export interface WaitOptions {
  readonly timeoutMs?: number;
}

const SEED = { actor: 'seed' } as const;

interface Parts {
  readonly token: string;
  readonly clock: SimClock;
  readonly store: Store;
  readonly faults: Faults;
  readonly requests: RequestRecord[];
  readonly server: ApiServer;
  readonly caCert: string | undefined;
}

export class SimKube {
  readonly token: string;
  readonly clock: SimClock;
  readonly store: Store;
  readonly faults: Faults;
  /** Every HTTP request, in arrival order, with the status it got. */
  readonly requests: RequestRecord[];
  readonly controller: RolloutController;
  /** PEM of the CA clients must trust (https only). */
  readonly caCert: string | undefined;
  readonly #server: ApiServer;
  readonly #tempDirs: string[] = [];

  private constructor(parts: Parts, opts: SimKubeOptions) {
    ({ token: this.token, clock: this.clock, store: this.store, faults: this.faults, requests: this.requests } = parts);
    this.#server = parts.server;
    this.caCert = parts.caCert;
    this.controller = new RolloutController({
      store: this.store, clock: this.clock, tickMs: opts.tickMs, podReadyMs: opts.podReadyMs, reactionDelayMs: opts.reactionDelayMs,
    });
    for (const ns of ['default', 'kube-system']) this.addNamespace(ns);
  }

  static async start(opts: SimKubeOptions = {}): Promise<SimKube> {
    const clock = opts.clock ?? new ShiftableClock();
    const store = new Store(clock);
    const faults = new Faults();
    const requests: RequestRecord[] = [];
    const token = opts.token ?? 'simkube-token';
    const tls = opts.tls !== false;
    const server = await ApiServer.listen({
      store, faults, clock, token, requests,
      ...(tls ? { tls: { cert: SIM_SERVER_CERT, key: SIM_SERVER_KEY } } : {}),
    }, opts.port);
    const sim = new SimKube({ token, clock, store, faults, requests, server, caCert: tls ? SIM_CA_CERT : undefined }, opts);
    sim.controller.start();
    return sim;
  }

  get url(): string {
    return this.#server.url;
  }

  kubeconfig(opts: { namespace?: string } = {}): string {
    return renderKubeconfig({ server: this.url, token: this.token, caCert: this.caCert, namespace: opts.namespace });
  }

  /** Writes the kubeconfig to `path`, or to a temp file removed by stop(); returns the path. */
  async writeKubeconfig(path?: string): Promise<string> {
    let target = path;
    if (!target) {
      const dir = await mkdtemp(join(tmpdir(), 'simkube-'));
      this.#tempDirs.push(dir);
      target = join(dir, 'kubeconfig');
    }
    await writeFile(target, this.kubeconfig(), { mode: 0o600 });
    return target;
  }

  /** Mutating requests (not GET, not dry-run, not watches), whatever their outcome. */
  writes(): RequestRecord[] {
    return this.requests.filter((r) => r.method !== 'GET' && !r.dryRun && !r.watch);
  }

  /** Moves the default clock forward (pause durations, deadlines, scale-down delays). */
  advance(ms: number): void {
    if (!(this.clock instanceof ShiftableClock)) throw new Error('advance() needs the default ShiftableClock');
    this.clock.advance(ms);
  }

  addNamespace(name: string): KObject {
    return this.store.find(NAMESPACES, undefined, name)
      ?? this.store.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: {}, status: { phase: 'Active' } }, SEED);
  }

  /** A Rollout already deployed and Healthy on `image`: initial deploy done, stable ReplicaSet present. */
  addRollout(seed: RolloutSeed): Rollout {
    this.addNamespace(seed.namespace);
    const { rollout, deployment } = seedObjects(seed);
    if (deployment) this.store.create(DEPLOYMENTS, seed.namespace, deployment, SEED);
    this.store.create(ROLLOUTS, seed.namespace, rollout, SEED);
    this.controller.settle(seed.namespace, seed.name);
    return this.getRollout(seed.namespace, seed.name);
  }

  /**
   * Manifests as a team applies them (e.g. `loadFixture(name)` from fixtures/rollouts): every
   * document is created in `opts.namespace` (default `default`; cluster-scoped kinds ignore it),
   * Deployments and templates before Rollouts, then each Rollout is settled as an initial deploy —
   * Healthy on its image (or `opts.image`, set on every container of its pod template, in the
   * Deployment under workloadRef). Returns the Rollouts.
   */
  addManifests(docs: readonly KObject[], opts: ManifestOptions = {}): Rollout[] {
    const namespace = opts.namespace ?? 'default';
    this.addNamespace(namespace);
    const rank = (d: KObject): number => (d.kind === 'Rollout' ? 1 : 0);
    const created: Rollout[] = [];
    for (const doc of [...docs].sort((a, b) => rank(a) - rank(b))) {
      const def = RESOURCES.find((r) => apiVersionOf(r) === doc.apiVersion && r.kind === doc.kind);
      if (!def) throw new Error(`addManifests: the simulator serves no ${doc.apiVersion} ${doc.kind}`);
      const obj = withImage(doc, docs, opts.image);
      const ns = def.namespaced ? namespace : undefined;
      // Fixtures share their AnalysisTemplate: applying it again leaves the one there.
      if (def !== ROLLOUTS && def !== DEPLOYMENTS && this.store.find(def, ns, obj.metadata.name)) continue;
      this.store.create(def, ns, obj, SEED);
      if (def === ROLLOUTS) created.push(obj as Rollout);
    }
    return created.map((ro) => {
      this.controller.settle(namespace, ro.metadata.name);
      return this.getRollout(namespace, ro.metadata.name);
    });
  }

  /** One Rollout manifest (plus its workloadRef Deployment, if any, in `opts.with`), deployed and Healthy. */
  addRolloutManifest(rollout: KObject, opts: ManifestOptions & { with?: readonly KObject[] } = {}): Rollout {
    const [ro] = this.addManifests([...(opts.with ?? []), rollout], opts);
    return ro as Rollout;
  }

  addLease(seed: LeaseSeed): KObject {
    this.addNamespace(seed.namespace);
    return this.store.create(LEASES, seed.namespace, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: seed.name, namespace: seed.namespace },
      spec: {
        ...(seed.holderIdentity ? { holderIdentity: seed.holderIdentity } : {}),
        leaseDurationSeconds: seed.leaseDurationSeconds ?? 15,
      },
    }, SEED);
  }

  getRollout(namespace: string, name: string): Rollout {
    return this.store.get(ROLLOUTS, namespace, name) as Rollout;
  }

  getDeployment(namespace: string, name: string): KObject {
    return this.store.get(DEPLOYMENTS, namespace, name);
  }

  listReplicaSets(namespace: string, labelSelector?: string): ReplicaSet[] {
    return this.store.list(REPLICASETS, namespace, parseLabelSelector(labelSelector)) as ReplicaSet[];
  }

  /** Resolves with the Rollout once `predicate` holds (checked now and on every change). */
  waitForRollout(namespace: string, name: string, predicate: (ro: Rollout) => boolean, opts: WaitOptions = {}): Promise<Rollout> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const ro = this.store.find(ROLLOUTS, namespace, name) as Rollout | undefined;
        if (!ro || !predicate(ro)) return false;
        done();
        resolve(ro);
        return true;
      };
      const unsubscribe = this.store.subscribe((e) => {
        if (e.def === ROLLOUTS && e.object.metadata.name === name && e.object.metadata.namespace === namespace) check();
      });
      const timer = setTimeout(() => {
        done();
        const s = (this.store.find(ROLLOUTS, namespace, name) as Rollout | undefined)?.status;
        reject(new Error(`rollout ${namespace}/${name}: condition not met in ${timeoutMs} ms (phase ${s?.phase}, ` +
          `step ${s?.currentStepIndex}, message ${JSON.stringify(s?.message)})`));
      }, timeoutMs);
      const done = (): void => {
        unsubscribe();
        clearTimeout(timer);
      };
      check();
    });
  }

  async stop(): Promise<void> {
    this.controller.stop();
    await this.#server.close();
    await Promise.all(this.#tempDirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}
