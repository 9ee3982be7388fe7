// One release per Rollout at a time (contract, Version 2): a coordination.k8s.io/v1 Lease named
// release-to-prod-<service> in the Rollout's namespace. Pure decisions here; stages/lock.ts
// talks to the API server. Races between two runs are settled by the API server itself: a create
// of an existing Lease is 409 AlreadyExists, an update carrying a stale resourceVersion is 409
// Conflict — the loser re-reads and judges again.
import type { Lease } from '../kube/port.js';
import type { RunContext } from '../settings.js';

/**
 * 60 s, renewed every 20 s: two renewals in a row can fail (an API server blip, a slow runner)
 * before another run may take the Lease over, and a run killed without deleting it (a runner
 * lost, SIGKILL after a cancel) blocks the next release for at most a minute. client-go's leader
 * election uses 15 s for controllers that must fail over fast; a release is not in that hurry,
 * and a false takeover here would let two canaries run at once.
 */
export const LEASE_DURATION_SECONDS = 60;
export const RENEW_EVERY_MS = (LEASE_DURATION_SECONDS / 3) * 1000;

export function leaseName(service: string): string {
  return `release-to-prod-${service}`;
}

/**
 * The run URL, `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID/attempts/$GITHUB_RUN_ATTEMPT`,
 * then `#<check-run-id>` when this job's check run is known, so that matrix legs of one run differ.
 * Outside Actions (no run id) the host and process stand in.
 */
export function holderIdentity(run: RunContext, checkRunId: number | undefined, local: string): string {
  if (run.runId === undefined) return `local:${local}`;
  return `${run.serverUrl}/${run.owner}/${run.repo}/actions/runs/${run.runId}/attempts/${run.runAttempt}${checkRunId !== undefined ? `#${checkRunId}` : ''}`;
}

/** MicroTime as the API server parses it (RFC3339Micro: exactly six fraction digits). */
export function microTime(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Which taking of the Lease wrote it: a value new for every run of the action, kept as an annotation
 * beside holderIdentity. The identity alone cannot tell this run's own write (an answer lost, found
 * on the re-read) from another job of the same attempt when the check run is unknown — the run URL
 * is then the same for both — and a second job must never take the first one's Lease as its own.
 */
export const TAKING_ANNOTATION = 'release-to-prod/taking';

export type LeaseVerdict =
  | { readonly kind: 'free' }
  | { readonly kind: 'ours' }
  | { readonly kind: 'takeover'; readonly why: string }
  | { readonly kind: 'held'; readonly holder: string; readonly expiresAt?: Date };

/** Did this very taking write the Lease? Same identity and, when the Lease records one, the same taking. */
export function isOurs(lease: Lease | undefined, me: string, taking: string): boolean {
  if (lease?.spec.holderIdentity !== me) return false;
  const recorded = lease.metadata.annotations?.[TAKING_ANNOTATION];
  return recorded === undefined || recorded === taking;
}

/** May this run (this `taking` of it) take the Lease as it was just read? */
export function judgeLease(lease: Lease | undefined, me: string, now: Date, taking: string): LeaseVerdict {
  if (!lease) return { kind: 'free' };
  const { holderIdentity: holder, leaseDurationSeconds, renewTime, acquireTime } = lease.spec;
  if (!holder) return { kind: 'takeover', why: 'it has no holder' };
  if (isOurs(lease, me, taking)) return { kind: 'ours' };
  if (earlierAttemptOfSameRun(holder, me)) return { kind: 'takeover', why: `it is held by an earlier attempt of this run (${holder})` };
  const last = Date.parse(renewTime ?? acquireTime ?? '');
  // A Lease with no time or duration cannot expire by our reading: treat it as held, never steal it.
  if (Number.isNaN(last) || !leaseDurationSeconds) return { kind: 'held', holder };
  const expiresAt = new Date(last + leaseDurationSeconds * 1000);
  if (expiresAt.getTime() < now.getTime()) return { kind: 'takeover', why: `${holder} has not renewed it since ${new Date(last).toISOString()} (leaseDurationSeconds ${leaseDurationSeconds})` };
  return { kind: 'held', holder, expiresAt };
}

const ATTEMPT = /^(.*\/actions\/runs\/\d+)\/attempts\/(\d+)(#.*)?$/;

function earlierAttemptOfSameRun(holder: string, me: string): boolean {
  const theirs = ATTEMPT.exec(holder);
  const mine = ATTEMPT.exec(me);
  return Boolean(theirs && mine && theirs[1] === mine[1] && Number(theirs[2]) < Number(mine[2]));
}

/** The Lease this run writes to take it (over) or renew it; `current` keeps resourceVersion and counts. */
export function leaseFor(input: { readonly namespace: string; readonly service: string; readonly me: string; readonly taking: string; readonly version: string; readonly now: Date; readonly current?: Lease }): Lease {
  const { namespace, service, me, taking, version, now, current } = input;
  const renewing = isOurs(current, me, taking);
  const transitions = current?.spec.leaseTransitions ?? 0;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: leaseName(service),
      namespace,
      ...(current?.metadata.resourceVersion ? { resourceVersion: current.metadata.resourceVersion } : {}),
      labels: { ...(current?.metadata.labels ?? {}), 'app.kubernetes.io/managed-by': 'release-to-prod' },
      annotations: { ...(current?.metadata.annotations ?? {}), 'release-to-prod/version': version, [TAKING_ANNOTATION]: taking },
    },
    spec: {
      holderIdentity: me,
      leaseDurationSeconds: LEASE_DURATION_SECONDS,
      acquireTime: renewing && current?.spec.acquireTime ? current.spec.acquireTime : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: current && !renewing ? transitions + 1 : transitions,
    },
  };
}

/** "held by <url> (releasing v2.15.0), renewed 12 s ago" — what a waiting or failing run says. */
export function describeHolder(lease: Lease | undefined, now: Date): string {
  if (!lease?.spec.holderIdentity) return 'nobody';
  const version = lease.metadata.annotations?.['release-to-prod/version'];
  const renewed = Date.parse(lease.spec.renewTime ?? lease.spec.acquireTime ?? '');
  const ago = Number.isNaN(renewed) ? '' : `, renewed ${Math.max(0, Math.round((now.getTime() - renewed) / 1000))} s ago`;
  return `${lease.spec.holderIdentity}${version ? ` (releasing ${version})` : ''}${ago}`;
}
