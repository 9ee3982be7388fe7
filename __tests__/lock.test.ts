import { describeHolder, holderIdentity, judgeLease, LEASE_DURATION_SECONDS, leaseFor, microTime, TAKING_ANNOTATION } from '../src/rollouts/lease.js';
import type { Lease } from '../src/kube/port.js';
import { parseSettings, type Settings } from '../src/settings.js';
import { takeLock } from '../src/stages/lock.js';
import { FakeKube } from './helpers/fake-kube.js';
import { ManualClock } from './helpers/manual-clock.js';

const START = Date.parse('2026-11-30T10:00:00Z');
const RUN = 'https://github.com/acme/shop/actions/runs/42';
const OTHER = 'https://github.com/acme/shop/actions/runs/41/attempts/1#9001';

function settings(inputs: Record<string, string> = {}, env: Record<string, string> = {}): Settings {
  const all: Record<string, string> = {
    environment: 'prod', version: 'v2.14.0', sha: 'a'.repeat(40), service: 'checkout-api', digest: `sha256:${'b'.repeat(64)}`,
    'github-token': 'ghs_x', 'slo-command': './check-slo.sh', 'check-run-id': '777', ...inputs,
  };
  const parsed = parseSettings((name) => all[name] ?? '', { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2', GITHUB_WORKSPACE: '/tmp/ws', ...env });
  if (!parsed.settings) throw new Error(parsed.errors.join('; '));
  return parsed.settings;
}
const ME = `${RUN}/attempts/2#777`;
const log = () => ({ lines: [] as string[], info(m: string) { this.lines.push(m); }, warning(m: string) { this.lines.push(`warning: ${m}`); } });

function held(holder: string, renewedAt: number, duration = LEASE_DURATION_SECONDS): Lease {
  return {
    metadata: { name: 'release-to-prod-checkout-api', namespace: 'prod', resourceVersion: '7', annotations: { 'release-to-prod/version': 'v2.13.0' } },
    spec: { holderIdentity: holder, leaseDurationSeconds: duration, acquireTime: microTime(new Date(renewedAt)), renewTime: microTime(new Date(renewedAt)), leaseTransitions: 3 },
  };
}
const KEY = 'prod/release-to-prod-checkout-api';

describe('lease decisions', () => {
  it('identifies the holder by the run URL, attempt and check run', () => {
    expect(holderIdentity(settings().run, 777, 'h/1')).toBe(ME);
    expect(holderIdentity(settings().run, undefined, 'h/1')).toBe(`${RUN}/attempts/2`);
    expect(holderIdentity(settings({}, { GITHUB_RUN_ID: '' }).run, undefined, 'host/123')).toBe('local:host/123');
  });

  it('takes the check run the CI gate found when the input was empty', async () => {
    const kube = new FakeKube();
    const { result, held: lock } = await takeLock(settings({ 'check-run-id': '' }), { kube, clock: new ManualClock(START), log: log(), checkRunId: 555 });
    expect(result.identity).toBe(`${RUN}/attempts/2#555`);
    await lock!.release();
  });

  it('refuses a lock-wait-minutes that is not a number of minutes', () => {
    expect(() => settings({ 'lock-wait-minutes': 'soon' })).toThrow(/lock-wait-minutes/);
    expect(() => settings({ 'lock-wait-minutes': '-1' })).toThrow(/lock-wait-minutes/);
    expect(settings({ 'lock-wait-minutes': '0.5' }).lockWaitMinutes).toBe(0.5);
    expect(settings().lockWaitMinutes).toBe(0);
  });

  it('writes MicroTime with exactly six fraction digits', () => {
    expect(microTime(new Date('2026-11-30T10:00:00.123Z'))).toBe('2026-11-30T10:00:00.123000Z');
  });

  it('judges who may take the Lease', () => {
    const now = new Date(START);
    expect(judgeLease(undefined, ME, now, 'mine')).toEqual({ kind: 'free' });
    expect(judgeLease(held(ME, START - 5_000), ME, now, 'mine')).toEqual({ kind: 'ours' });
    // Same identity, written by another taking (another job of this attempt, check run unknown): not ours.
    const otherTaking = held(ME, START - 5_000);
    const takenElsewhere = { ...otherTaking, metadata: { ...otherTaking.metadata, annotations: { [TAKING_ANNOTATION]: 'theirs' } } };
    expect(judgeLease(takenElsewhere, ME, now, 'mine')).toMatchObject({ kind: 'held', holder: ME });
    expect(judgeLease({ ...takenElsewhere, metadata: { ...takenElsewhere.metadata, annotations: { [TAKING_ANNOTATION]: 'mine' } } }, ME, now, 'mine')).toEqual({ kind: 'ours' });
    expect(judgeLease(held(OTHER, START - 5_000), ME, now, 'mine')).toMatchObject({ kind: 'held', holder: OTHER, expiresAt: new Date(START + 55_000) });
    expect(judgeLease(held(OTHER, START - 61_000), ME, now, 'mine')).toMatchObject({ kind: 'takeover', why: expect.stringContaining('has not renewed it since') });
    // An earlier attempt of the same run (any matrix leg) is over: this attempt replaces it.
    expect(judgeLease(held(`${RUN}/attempts/1#700`, START), ME, now, 'mine')).toMatchObject({ kind: 'takeover', why: expect.stringContaining('earlier attempt') });
    // A later attempt, or another leg of this attempt, is another live holder.
    expect(judgeLease(held(`${RUN}/attempts/3#700`, START), ME, now, 'mine')).toMatchObject({ kind: 'held' });
    expect(judgeLease(held(`${RUN}/attempts/2#778`, START), ME, now, 'mine')).toMatchObject({ kind: 'held' });
    // No duration or time: it can never be read as expired, so it is never stolen.
    expect(judgeLease({ ...held(OTHER, START), spec: { holderIdentity: OTHER } }, ME, now, 'mine')).toMatchObject({ kind: 'held' });
    expect(judgeLease({ ...held(OTHER, START), spec: {} }, ME, now, 'mine')).toMatchObject({ kind: 'takeover' });
  });

  it('counts transitions and keeps the acquire time when renewing', () => {
    const now = new Date(START);
    const takeover = leaseFor({ namespace: 'prod', service: 'checkout-api', me: ME, taking: 'mine', version: 'v2.14.0', now, current: held(OTHER, START - 90_000) });
    expect(takeover.spec).toMatchObject({ holderIdentity: ME, leaseTransitions: 4, acquireTime: microTime(now), leaseDurationSeconds: LEASE_DURATION_SECONDS });
    expect(takeover.metadata.resourceVersion).toBe('7');
    expect(takeover.metadata.annotations).toMatchObject({ 'release-to-prod/version': 'v2.14.0', [TAKING_ANNOTATION]: 'mine' });
    const renewed = leaseFor({ namespace: 'prod', service: 'checkout-api', me: ME, taking: 'mine', version: 'v2.14.0', now: new Date(START + 20_000), current: { ...takeover, metadata: { ...takeover.metadata, resourceVersion: '8' } } });
    expect(renewed.spec).toMatchObject({ leaseTransitions: 4, acquireTime: microTime(now), renewTime: microTime(new Date(START + 20_000)) });
    expect(describeHolder(held(OTHER, START - 12_000), now)).toBe(`${OTHER} (releasing v2.13.0), renewed 12 s ago`);
  });
});

describe('takeLock', () => {
  it('creates the Lease, renews it while the run goes on, deletes it at the end', async () => {
    const kube = new FakeKube();
    const clock = new ManualClock(START);
    const { result, held: lock } = await takeLock(settings(), { kube, clock, log: log() });
    expect(result).toMatchObject({ status: 'taken', lease: KEY, identity: ME });
    expect(kube.leases.get(KEY)!.spec).toMatchObject({ holderIdentity: ME, leaseDurationSeconds: 60, renewTime: '2026-11-30T10:00:00.000000Z', leaseTransitions: 0 });
    expect(kube.leases.get(KEY)!.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'release-to-prod' });
    await clock.advance(45_000);
    expect(kube.leases.get(KEY)!.spec.renewTime).toBe('2026-11-30T10:00:40.000000Z');
    expect(kube.calls.filter((c) => c.method === 'replaceLease')).toHaveLength(2);
    await expect(lock!.release()).resolves.toBe(`Lease ${KEY} released (deleted)`);
    expect(kube.leases.has(KEY)).toBe(false);
    await clock.advance(60_000);
    expect(kube.calls.filter((c) => c.method === 'replaceLease')).toHaveLength(2);
  });

  it('fails at once, naming the holder, when another run holds it and lock-wait-minutes is 0', async () => {
    const kube = new FakeKube();
    kube.leases.set(KEY, held(OTHER, START - 1_000));
    const { result, held: lock } = await takeLock(settings(), { kube, clock: new ManualClock(START), log: log() });
    expect(lock).toBeUndefined();
    expect(result.status).toBe('busy');
    expect(result.holder).toBe(OTHER);
    expect(result.detail).toContain(`is held by ${OTHER} (releasing v2.13.0)`);
    expect(kube.writes).toBe(0);
    expect(kube.leases.get(KEY)!.spec.holderIdentity).toBe(OTHER);
  });

  it('waits up to lock-wait-minutes while the holder keeps renewing, then fails', async () => {
    const kube = new FakeKube();
    const clock = new ManualClock(START);
    kube.leases.set(KEY, held(OTHER, START));
    const out = log();
    const taking = takeLock(settings({ 'lock-wait-minutes': '2' }), { kube, clock, log: out });
    for (let t = 0; t < 3 * 60_000; t += 10_000) {
      kube.leases.set(KEY, held(OTHER, clock.now().getTime())); // the other run renews
      await clock.advance(10_000);
    }
    const { result } = await taking;
    expect(result).toMatchObject({ status: 'busy', waitedSeconds: 120 });
    expect(result.detail).toContain('after waiting 2 min (lock-wait-minutes)');
    expect(out.lines.filter((l) => l.includes('waiting for the release lock'))).toHaveLength(1);
    expect(kube.writes).toBe(0);
  });

  it('takes the Lease when the other run releases it while waiting', async () => {
    const kube = new FakeKube();
    const clock = new ManualClock(START);
    kube.leases.set(KEY, held(OTHER, START));
    const taking = takeLock(settings({ 'lock-wait-minutes': '5' }), { kube, clock, log: log() });
    await clock.advance(30_000);
    kube.leases.delete(KEY);
    const { result, held: lock } = await clock.until(taking, 5_000);
    expect(result).toMatchObject({ status: 'taken', waitedSeconds: 35 });
    await lock!.release();
  });

  it('takes over a Lease not renewed within its duration, and one of an earlier attempt of this run', async () => {
    for (const stale of [held(OTHER, START - 61_000), held(`${RUN}/attempts/1#700`, START)]) {
      const kube = new FakeKube();
      kube.leases.set(KEY, stale);
      const { result, held: lock } = await takeLock(settings(), { kube, clock: new ManualClock(START), log: log() });
      expect(result).toMatchObject({ status: 'taken', holder: stale.spec.holderIdentity });
      expect(result.detail).toContain('taken over');
      expect(kube.leases.get(KEY)!.spec).toMatchObject({ holderIdentity: ME, leaseTransitions: 4 });
      await lock!.release();
    }
  });

  it('loses a create race to the run the API server let in (409 AlreadyExists), then reports it', async () => {
    const kube = new FakeKube();
    const create = kube.createLease.bind(kube);
    kube.createLease = async (lease) => {
      kube.leases.set(KEY, held(OTHER, START)); // the other run's create landed first
      return create(lease);
    };
    const { result } = await takeLock(settings(), { kube, clock: new ManualClock(START), log: log() });
    expect(result).toMatchObject({ status: 'busy', holder: OTHER });
  });

  it('loses a takeover race on resourceVersion (409 Conflict)', async () => {
    const kube = new FakeKube();
    kube.leases.set(KEY, held(OTHER, START - 61_000));
    const replace = kube.replaceLease.bind(kube);
    kube.replaceLease = async (lease) => {
      kube.leases.set(KEY, { ...held('https://github.com/acme/shop/actions/runs/43/attempts/1', START), metadata: { ...held(OTHER, START).metadata, resourceVersion: '99' } });
      return replace(lease);
    };
    const { result } = await takeLock(settings(), { kube, clock: new ManualClock(START), log: log() });
    expect(result).toMatchObject({ status: 'busy', holder: 'https://github.com/acme/shop/actions/runs/43/attempts/1' });
  });

  it('finds its own create whose answer was lost, and holds the Lease', async () => {
    const kube = new FakeKube();
    kube.fail('createLease', 503, { applied: true });
    const clock = new ManualClock(START);
    const { result, held: lock } = await clock.until(takeLock(settings(), { kube, clock, log: log() }), 1_000);
    expect(result.status).toBe('taken');
    expect(kube.calls.filter((c) => c.method === 'createLease')).toHaveLength(1);
    expect(kube.leases.get(KEY)!.spec.holderIdentity).toBe(ME);
    await lock!.release();
    expect(kube.leases.size).toBe(0);
  });

  it('two jobs of one attempt whose check run is unknown share the holder identity: the second never takes the first one\'s Lease', async () => {
    const kube = new FakeKube();
    const clock = new ManualClock(START);
    const unknownCheckRun = settings({ 'check-run-id': '' });
    const first = await takeLock(unknownCheckRun, { kube, clock, log: log() });
    expect(first.result).toMatchObject({ status: 'taken', identity: `${RUN}/attempts/2` });
    const second = await takeLock(unknownCheckRun, { kube, clock, log: log() });
    expect(second.result).toMatchObject({ status: 'busy', holder: `${RUN}/attempts/2` });
    expect(second.result.detail).toContain('another job of this same run');
    expect(second.result.detail).toContain('set check-run-id: ${{ job.check_run_id }}');
    expect(second.held).toBeUndefined();
    // The first still holds it, renews it, and deletes it at the end.
    await clock.advance(25_000);
    expect(kube.leases.get(KEY)!.spec.renewTime).toBe('2026-11-30T10:00:20.000000Z');
    await expect(first.held!.release()).resolves.toBe(`Lease ${KEY} released (deleted)`);
    expect(kube.leases.size).toBe(0);
  });

  it('says which permission is missing on 403', async () => {
    const kube = new FakeKube();
    kube.fail('getLease', 403);
    const { result } = await takeLock(settings(), { kube, clock: new ManualClock(START), log: log() });
    expect(result.status).toBe('failed');
    expect(result.detail).toContain('needs get, create, update and delete on leases (coordination.k8s.io) in namespace prod');
  });

  it('takes no lock for a run that writes nothing to the cluster', async () => {
    const kube = new FakeKube();
    const { result, held: lock } = await takeLock(settings(), { kube, clock: new ManualClock(START), log: log(), skip: 'a re-run' });
    expect(result).toMatchObject({ status: 'skipped', detail: 'no lock taken: a re-run' });
    expect(lock).toBeUndefined();
    expect(kube.calls).toHaveLength(0);
  });

  it('takes no lock in a dry run', async () => {
    const kube = new FakeKube();
    const { result, held: lock } = await takeLock(settings({ 'dry-run': 'true' }), { kube, clock: new ManualClock(START), log: log() });
    expect(result.status).toBe('skipped');
    expect(lock).toBeUndefined();
    expect(kube.calls).toHaveLength(0);
  });

  it('notices a takeover while held, stops renewing, and leaves the new holder alone at the end', async () => {
    const kube = new FakeKube();
    const clock = new ManualClock(START);
    const out = log();
    const { held: lock } = await takeLock(settings(), { kube, clock, log: out });
    const thief = { ...held(OTHER, START + 10_000), metadata: { ...held(OTHER, START).metadata, resourceVersion: '500' } };
    kube.leases.set(KEY, thief);
    await clock.advance(25_000);
    expect(out.lines.some((l) => l.startsWith('warning: the release lock') && l.includes(OTHER))).toBe(true);
    await expect(lock!.release()).resolves.toContain('was taken over by');
    expect(kube.leases.get(KEY)).toEqual(thief);
  });
});
