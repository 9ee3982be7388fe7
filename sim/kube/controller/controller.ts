/**
 * The simulated Argo Rollouts controller: a tick loop that runs one reconcile pass per Rollout,
 * a kubelet stand-in for pod readiness, and the knobs tests turn (delay, stalls, failures, pause).
 */
import { DEPLOYMENTS, REPLICASETS, ROLLOUTS } from '../resources.js';
import type { Store, StoreEvent, WriteRecord } from '../store.js';
import type { KObject, SimClock } from '../types.js';
import type { ControllerEvent, Env } from './env.js';
import { faultTargets, ownerRolloutName, podsFail, type PodFault } from './faults.js';
import type { ReplicaSet, Rollout } from './model.js';
import { PodSim } from './pods.js';
import { syncDeployments } from './deployments.js';
import { reconcileRollout } from './reconcile.js';
import { RunRuntime, type AnalysisScript, type ExperimentScript } from './runs.js';

export interface ControllerOptions {
  readonly store: Store;
  readonly clock: SimClock;
  /** Real-time interval between passes (default 20 ms). */
  readonly tickMs?: number;
  /** How long new pods take to become available (default 30 ms). */
  readonly podReadyMs?: number;
  /** How long after an API write the controller first acts on that Rollout (default 0). */
  readonly reactionDelayMs?: number;
}

export type { ControllerEvent } from './env.js';

export class RolloutController {
  /** Everything the controller announced, in order (RolloutStepCompleted, RolloutPaused, …). */
  readonly events: ControllerEvent[] = [];
  tickMs: number;
  podReadyMs: number;
  reactionDelayMs: number;

  readonly #store: Store;
  readonly #clock: SimClock;
  readonly #pods: PodSim;
  readonly #runs: RunRuntime;
  readonly #env: Env;
  readonly #faults: PodFault[] = [];
  readonly #lastApiWrite = new Map<string, number>();
  readonly #staleArmed = new Set<string>();
  readonly #beforePause = new Map<string, Rollout['status']>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #interval: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #paused = false;

  constructor(opts: ControllerOptions) {
    this.#store = opts.store;
    this.#clock = opts.clock;
    this.tickMs = opts.tickMs ?? 20;
    this.podReadyMs = opts.podReadyMs ?? 30;
    this.reactionDelayMs = opts.reactionDelayMs ?? 0;
    this.#runs = new RunRuntime(opts.store, opts.clock);
    this.#env = {
      runs: this.#runs,
      store: opts.store,
      clock: opts.clock,
      read: (ns, name) => this.#read(ns, name),
      emit: (ro, reason, message, type = 'Normal') => {
        this.events.push({ at: this.#clock.now(), rollout: `${ro.metadata.namespace}/${ro.metadata.name}`, type, reason, message });
      },
    };
    this.#pods = new PodSim({
      store: opts.store, clock: opts.clock, readyMs: () => this.podReadyMs,
      failing: (rs) => podsFail(this.#faults, this.#store, rs),
    });
  }

  /** The controller's own writes (status patches, ReplicaSet scaling); never part of the HTTP log. */
  get writes(): WriteRecord[] {
    return this.#store.log.filter((w) => w.actor === 'controller');
  }

  get paused(): boolean {
    return this.#paused;
  }

  start(): void {
    this.#unsubscribe = this.#store.subscribe((e) => this.#onStoreEvent(e));
    this.#interval = setInterval(() => this.tick(), this.tickMs);
    this.#interval.unref();
  }

  stop(): void {
    this.#unsubscribe?.();
    if (this.#interval) clearInterval(this.#interval);
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  /** Stops reconciling (pods keep becoming ready) until resume(). */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#soon(0);
  }

  /** The canary's new pods never become available while the rollout is at this step index. */
  stall(name: string, opts: { atStepIndex: number; namespace?: string }): void {
    this.#faults.push({ kind: 'stall', name, namespace: opts.namespace, atStepIndex: opts.atStepIndex });
  }

  /** The canary's new pods never become available (a crash-looping image). */
  failPods(name: string, opts: { namespace?: string } = {}): void {
    this.#faults.push({ kind: 'fail', name, namespace: opts.namespace });
  }

  /**
   * Canary pods created for a weight at or above `weight` never become available; with a small
   * `progressDeadlineSeconds` the rollout turns Degraded (ProgressDeadlineExceeded) there.
   * `degradeAt(25)` applies to every Rollout, `degradeAt('checkout-api', 25)` to one.
   */
  degradeAt(weight: number): void;
  degradeAt(name: string, weight: number, opts?: { namespace?: string }): void;
  degradeAt(nameOrWeight: string | number, weight?: number, opts: { namespace?: string } = {}): void {
    if (typeof nameOrWeight === 'number') this.#faults.push({ kind: 'degrade', weight: nameOrWeight });
    else this.#faults.push({ kind: 'degrade', name: nameOrWeight, namespace: opts.namespace, weight: weight ?? 0 });
  }

  /**
   * Issue #720 (§9.4), once: the controller's cache misses its own next pause write, so after the
   * user resumes that pause it recomputes from the pre-pause status and its merge patch re-adds the
   * pause. The rollout ends up paused again at the same step; a second promote gets through.
   */
  staleCache(name: string, opts: { namespace?: string } = {}): void {
    for (const ro of this.#store.list(ROLLOUTS, opts.namespace)) {
      if (ro.metadata.name === name) this.#staleArmed.add(keyOf(ro));
    }
  }

  /** Removes pod faults (for one Rollout, or all) and lets held-back pods become ready. */
  heal(name?: string, opts: { namespace?: string } = {}): void {
    const keep = this.#faults.filter((f) => !faultTargets(f, name, opts.namespace));
    this.#faults.splice(0, this.#faults.length, ...keep);
    this.#pods.heal((rs) => (name === undefined || ownerRolloutName(rs) === name)
      && (opts.namespace === undefined || rs.metadata.namespace === opts.namespace));
  }

  /**
   * How the next AnalysisRun of this Rollout ends (matching `kind`/`stepIndex`/`namespace` when
   * given): its phase after `afterMs` of simulated clock, with `metricResults` and `message`.
   * Unscripted: a step run is Successful after `analysisMs`; a background run keeps Running until the
   * controller terminates it (promotion, abort), then Successful, "Run Terminated".
   */
  scriptAnalysis(name: string, script: AnalysisScript): void {
    this.#runs.scriptAnalysis(name, script);
  }

  /** How the next Experiment of this Rollout ends; unscripted: Successful after `experimentMs`. */
  scriptExperiment(name: string, script: ExperimentScript): void {
    this.#runs.scriptExperiment(name, script);
  }

  /** Default life of an unscripted step AnalysisRun, in simulated-clock ms (50). */
  get analysisMs(): number {
    return this.#runs.analysisMs;
  }

  set analysisMs(ms: number) {
    this.#runs.analysisMs = ms;
  }

  /** Default life of an unscripted Experiment, in simulated-clock ms (50). */
  get experimentMs(): number {
    return this.#runs.experimentMs;
  }

  set experimentMs(ms: number) {
    this.#runs.experimentMs = ms;
  }

  /** One tick: pods and runs first, then one pass per Rollout that is past its reaction delay. */
  tick(): void {
    syncDeployments(this.#store);
    this.#pods.sync();
    this.#runs.sync();
    if (this.#paused) return;
    const now = this.#clock.now();
    for (const ro of this.#store.list(ROLLOUTS)) {
      const key = keyOf(ro);
      if (now < (this.#lastApiWrite.get(key) ?? -Infinity) + this.reactionDelayMs) continue;
      this.#pass(ro.metadata.namespace ?? '', ro.metadata.name);
    }
  }

  /** Runs passes with instantly ready pods until nothing changes: used to seed a settled Rollout. */
  settle(namespace: string, name: string, maxPasses = 50): void {
    for (let i = 0; i < maxPasses; i += 1) {
      const before = this.#store.resourceVersion();
      syncDeployments(this.#store);
      this.#pods.sync(true);
      this.#pass(namespace, name);
      if (this.#store.resourceVersion() === before) return;
    }
    throw new Error(`rollout ${namespace}/${name} did not settle in ${maxPasses} passes`);
  }

  /** Serves the pre-pause status once, right after a user resumed, when staleCache() armed it. */
  #read(namespace: string, name: string): Rollout | undefined {
    const current = this.#store.find(ROLLOUTS, namespace, name) as Rollout | undefined;
    const key = `${namespace}/${name}`;
    const stale = this.#beforePause.get(key);
    if (!current || !stale || !current.status?.controllerPause || hasPauseStep(current)) return current;
    this.#beforePause.delete(key);
    this.#staleArmed.delete(key);
    return { ...current, status: stale };
  }

  #pass(namespace: string, name: string): void {
    try {
      reconcileRollout(this.#env, namespace, name);
    } catch (err) {
      this.events.push({
        at: this.#clock.now(), rollout: `${namespace}/${name}`, type: 'Warning', reason: 'ReconcileError',
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }

  #onStoreEvent(e: StoreEvent): void {
    const key = keyOf(e.object);
    if (e.def === ROLLOUTS && e.actor === 'controller' && this.#staleArmed.has(key)
      && hasPauseStep(e.object as Rollout) && e.previous && !hasPauseStep(e.previous as Rollout)) {
      this.#beforePause.set(key, (e.previous as Rollout).status);
    }
    if (e.actor !== 'api') return;
    const keys = this.#affected(e.def, e.object);
    if (keys.length === 0) return;
    const now = this.#clock.now();
    for (const k of keys) this.#lastApiWrite.set(k, now);
    this.#soon(this.reactionDelayMs);
  }

  /** A write is picked up on the next tick anyway; this just makes it prompt. */
  #soon(delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.tick();
    }, Math.max(1, delayMs + 1));
    timer.unref();
    this.#timers.add(timer);
  }

  #affected(def: StoreEvent['def'], obj: KObject): string[] {
    if (def === ROLLOUTS) return [keyOf(obj)];
    if (def === REPLICASETS) {
      const owner = ownerRolloutName(obj as ReplicaSet);
      return owner ? [`${obj.metadata.namespace}/${owner}`] : [];
    }
    if (def === DEPLOYMENTS) {
      return (this.#store.list(ROLLOUTS, obj.metadata.namespace) as Rollout[])
        .filter((ro) => ro.spec.workloadRef?.name === obj.metadata.name)
        .map(keyOf);
    }
    return [];
  }
}

function hasPauseStep(ro: Rollout): boolean {
  return ro.status?.pauseConditions?.some((c) => c.reason === 'CanaryPauseStep') ?? false;
}

function keyOf(obj: KObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}
