// Take, renew and release the release lock (contract: One release per Rollout at a time). Taken
// after the CI gate, just before the tag, so a run that waits has written nothing; held — renewed
// in the background — until the run ends on every path, then deleted. Decisions in
// rollouts/lease.ts; this file only talks to the API server.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import { isTransient, kubeErrorMessage, statusCode } from '../kube/errors.js';
import type { KubePort, Lease } from '../kube/port.js';
import { describeHolder, holderIdentity, isOurs, judgeLease, leaseFor, leaseName, RENEW_EVERY_MS } from '../rollouts/lease.js';
import type { Settings } from '../settings.js';

export interface LockResult {
  readonly status: 'taken' | 'skipped' | 'busy' | 'failed';
  /** namespace/name of the Lease. */
  readonly lease: string;
  readonly identity: string;
  readonly detail: string;
  /** Who held it when this run gave up (busy), or whom it took it over from. */
  readonly holder?: string;
  readonly waitedSeconds: number;
}

export interface HeldLock {
  /** Stops renewing and deletes the Lease if this run still holds it; says what it did. */
  release(): Promise<string>;
}

export interface LockPorts {
  readonly kube: KubePort;
  readonly clock: Clock;
  readonly log: { info(message: string): void; warning(message: string): void };
  readonly signal?: AbortSignal;
  /** How often a waiting run reads the Lease again. */
  readonly pollMs?: number;
  /** Stands in for the run URL outside Actions. */
  readonly local?: string;
  /** This job's check run as the CI gate identified it, when the check-run-id input was empty. */
  readonly checkRunId?: number;
  /** Why this run needs no lock, when it writes nothing to the cluster (a re-run of a release). */
  readonly skip?: string;
}

const MAX_RETRIES = 5;

export async function takeLock(settings: Settings, ports: LockPorts): Promise<{ readonly result: LockResult; readonly held?: HeldLock }> {
  const { kube, clock, log, signal, pollMs = 5_000 } = ports;
  const { namespace, service } = settings;
  const name = leaseName(service);
  const me = holderIdentity(settings.run, settings.checkRunId ?? ports.checkRunId, ports.local ?? `${hostname()}/${process.pid}`);
  const taking = randomUUID();
  const started = clock.now().getTime();
  const deadline = started + settings.lockWaitMinutes * 60_000;
  const result = (status: LockResult['status'], detail: string, holder?: string): LockResult => ({
    status, lease: `${namespace}/${name}`, identity: me, detail, holder, waitedSeconds: (clock.now().getTime() - started) / 1000,
  });
  if (settings.dryRun) return { result: result('skipped', 'dry run: no lock taken') };
  if (ports.skip) return { result: result('skipped', `no lock taken: ${ports.skip}`) };

  let retries = 0;
  let announced: string | undefined;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const current = await kube.getLease(namespace, name);
      const now = clock.now();
      const verdict = judgeLease(current, me, now, taking);
      if (verdict.kind === 'held') {
        const holder = describeHolder(current, now);
        if (now.getTime() >= deadline) {
          const waited = settings.lockWaitMinutes > 0 ? ` after waiting ${settings.lockWaitMinutes} min (lock-wait-minutes)` : '';
          // Our own identity, another taking: a second job of this very run whose check run is unknown.
          const sameRun = verdict.holder === me
            ? ' — another job of this same run: its jobs share one holder identity because the check run is unknown (set check-run-id: ${{ job.check_run_id }})'
            : '';
          return {
            result: result('busy',
              `another release of ${service} is in progress: Lease ${namespace}/${name} is held by ${holder}${sameRun}${waited}. ` +
                'Nothing was tagged or changed. Re-run when it has finished, or set lock-wait-minutes to wait for it.', verdict.holder),
          };
        }
        if (verdict.holder !== announced) log.info(`  waiting for the release lock: Lease ${namespace}/${name} is held by ${holder}`);
        announced = verdict.holder;
        await clock.sleep(Math.min(pollMs, deadline - now.getTime()), signal);
        continue;
      }
      // 'ours': our own create or takeover whose answer was lost, found on the re-read; take it again.
      const lease = leaseFor({ namespace, service, me, taking, version: settings.version.tag, now, current: verdict.kind === 'free' ? undefined : current });
      const stored = verdict.kind === 'free' ? await kube.createLease(lease) : await kube.replaceLease(lease);
      const how = verdict.kind === 'takeover' ? ` (taken over: ${verdict.why})` : '';
      return {
        result: result('taken', `Lease ${namespace}/${name} taken as ${me}${how}`, verdict.kind === 'takeover' ? current?.spec.holderIdentity : undefined),
        held: new Renewal({ kube, clock, log, namespace, service, me, taking, version: settings.version.tag }, stored),
      };
    } catch (error) {
      if (signal?.aborted) throw error;
      // 409: another run created or updated the Lease between our read and our write (the API
      // server settled the race). Transient: the write may or may not have landed — the next read
      // tells ('ours'). Either way: read and judge again.
      if ((statusCode(error) === 409 || isTransient(error)) && retries++ < MAX_RETRIES * 2) {
        if (statusCode(error) !== 409) await clock.sleep(200 * 2 ** Math.min(retries, 5), signal);
        continue;
      }
      const hint = statusCode(error) === 403 ? `: the kubeconfig's user needs get, create, update and delete on leases (coordination.k8s.io) in namespace ${namespace}` : '';
      return { result: result('failed', `could not take the release lock (Lease ${namespace}/${name}): ${kubeErrorMessage(error)}${hint}`) };
    }
  }
}

interface RenewalContext {
  readonly kube: KubePort;
  readonly clock: Clock;
  readonly log: { info(message: string): void; warning(message: string): void };
  readonly namespace: string;
  readonly service: string;
  readonly me: string;
  /** This taking of the Lease (lease.ts TAKING_ANNOTATION). */
  readonly taking: string;
  readonly version: string;
}

/** Renews the Lease every RENEW_EVERY_MS until released; notices when another holder took it over. */
class Renewal implements HeldLock {
  private readonly stop = new AbortController();
  private readonly loop: Promise<void>;
  private lostTo?: string;

  constructor(private readonly context: RenewalContext, private lease: Lease) {
    this.loop = this.renew();
  }

  private async renew(): Promise<void> {
    const { kube, clock, log, namespace, service, me, taking, version } = this.context;
    let failures = 0;
    for (;;) {
      try {
        await clock.sleep(failures > 0 ? Math.min(RENEW_EVERY_MS, 1000 * 2 ** failures) : RENEW_EVERY_MS, this.stop.signal);
      } catch {
        return; // released
      }
      try {
        this.lease = await kube.replaceLease(leaseFor({ namespace, service, me, taking, version, now: clock.now(), current: this.lease }));
        failures = 0;
      } catch (error) {
        if (statusCode(error) === 409 || statusCode(error) === 404) {
          const current = await kube.getLease(namespace, this.lease.metadata.name).catch(() => undefined);
          if (current && isOurs(current, me, taking)) {
            this.lease = current; // we wrote it (a lost answer): renew from this version
            continue;
          }
          if (current || statusCode(error) === 404) {
            this.lostTo = describeHolder(current, clock.now());
            log.warning(`the release lock Lease ${namespace}/${this.lease.metadata.name} is no longer this run's (now held by ${this.lostTo}): another release of ${service} may start; this run still promotes only its own canary`);
            return;
          }
        }
        failures += 1;
        log.info(`  renewing the release lock failed (${kubeErrorMessage(error)}); retrying`);
      }
    }
  }

  async release(): Promise<string> {
    const { kube, namespace, me, taking } = this.context;
    const name = this.lease.metadata.name;
    this.stop.abort();
    await this.loop;
    if (this.lostTo) return `Lease ${namespace}/${name} was taken over by ${this.lostTo}: left to it`;
    for (let attempt = 0; ; attempt++) {
      try {
        const current = await kube.getLease(namespace, name);
        if (!current) return `Lease ${namespace}/${name} was already gone`;
        if (!isOurs(current, me, taking)) return `Lease ${namespace}/${name} is held by ${current.spec.holderIdentity}: left to it`;
        // The precondition keeps a takeover that lands between the read and the delete.
        await kube.deleteLease(namespace, name, current.metadata.resourceVersion ?? '');
        return `Lease ${namespace}/${name} released (deleted)`;
      } catch (error) {
        if (statusCode(error) === 404) return `Lease ${namespace}/${name} released (deleted)`;
        if (attempt >= MAX_RETRIES || !(statusCode(error) === 409 || isTransient(error))) {
          return `Lease ${namespace}/${name} could not be deleted (${kubeErrorMessage(error)}): it expires ${this.lease.spec.leaseDurationSeconds} s after its last renewal`;
        }
      }
    }
  }
}
