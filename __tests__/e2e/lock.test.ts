// One release per Rollout at a time, through dist/index.js: two runs of different versions
// started together on the same Rollout — one releases, the other stops at the lock (exit 1,
// naming the holder) having tagged nothing and written nothing to the cluster; with
// lock-wait-minutes it waits its turn and releases on top of the first.
import type { RequestRecord } from '../../sim/kube/index.js';
import { LEASES } from '../../sim/kube/resources.js';
import { NEW_IMAGE, STABLE_IMAGE, type World } from '../../sim/world.js';
import { RUN_ID } from '../../sim/run-action.js';
import { worldPerTest } from './per-test-world.js';
import { rendered } from './report-text.js';

const start = worldPerTest();
const LEASE = '/apis/coordination.k8s.io/v1/namespaces/prod/leases';
const OTHER_DIGEST = `sha256:${'c'.repeat(64)}`;
const OTHER_IMAGE = `ghcr.io/acme/checkout-api@${OTHER_DIGEST}`;
const OTHER_RUN = RUN_ID + 1;
const holder = (runId: number) => `https://github.example/acme/shop/actions/runs/${runId}/attempts/1`;
// Each gate samples for 3 s: the first run holds the lock well past the second one's attempt.
// Both wait for a CI check that completes 8 s after the world starts, polling every 2.5 s: both
// have passed preflight (the Rollout at rest) before either can set its image, so the lock — not
// preflight's "another release is in progress" — is what decides between them.
const SLOW = { slo: '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 0.05, interval_seconds: 0.5}', 'ignore-checks': 'release', 'ci-wait-minutes': '0.5' };
const ciStillRunning = (w: World) => w.github.state.addCheckRun({ sha: w.sha, name: 'e2e', status: 'in_progress', completeAfterMs: 8_000 });

const image = (w: World) => (w.kube.getRollout('prod', 'checkout-api').spec.template as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image;
const writesBy = (w: World, pattern: RegExp) => w.kube.writes().filter((r: RequestRecord) => pattern.test(r.path));
const carries = (r: RequestRecord, text: string) => JSON.stringify(r.body ?? '').includes(text);

/** The second run: its own run id, job and runner, version v2.15.0 with another digest. */
function secondRun(w: World, inputs: Record<string, string> = {}) {
  w.github.state.addJob(OTHER_RUN, { name: 'release', status: 'in_progress', runnerName: 'runner-8', sha: w.sha });
  return w.run({ ...SLOW, version: 'v2.15.0', digest: OTHER_DIGEST, ...inputs }, { env: { GITHUB_RUN_ID: String(OTHER_RUN), RUNNER_NAME: 'runner-8' } });
}

describe('release lock', () => {
  it('two runs of different versions at once: one releases, the other exits 1 naming the holder', async () => {
    const w = await start();
    ciStillRunning(w);
    const [first, second] = await Promise.all([w.run(SLOW), secondRun(w)]);
    const runs = [{ run: first, id: RUN_ID, tag: 'v2.14.0', image: NEW_IMAGE }, { run: second, id: OTHER_RUN, tag: 'v2.15.0', image: OTHER_IMAGE }];
    const winner = runs.find((r) => r.run.code === 0)!;
    const loser = runs.find((r) => r.run !== winner.run)!;
    expect(winner).toBeDefined();
    expect(loser.run.code).toBe(1);
    expect(loser.run.outputs.result).toBe('failed');
    expect(loser.run.report().split('\n')[0]).toMatch(/^# FAILED/);
    expect(rendered(loser.run.report())).toContain(`Lease prod/release-to-prod-checkout-api is held by ${holder(winner.id)}`);
    expect(loser.run.stdout).toContain(`is held by ${holder(winner.id)}`);
    // The loser tagged nothing and its image never reached the cluster.
    expect(w.github.state.resolve(`tags/${loser.tag}`)).toBeUndefined();
    expect(w.github.state.resolve(`tags/${winner.tag}`)).toBeDefined();
    expect(w.kube.writes().filter((r) => r.status < 400 && (carries(r, loser.image) || carries(r, loser.tag)))).toEqual([]);
    expect(image(w)).toBe(winner.image);
    // Only the winner's Lease writes succeeded: created, renewed perhaps, deleted at the end. The
    // loser's create, if it raced the winner's, was refused by the API server (409 AlreadyExists).
    const leaseWrites = writesBy(w, /\/leases/);
    const applied = leaseWrites.filter((r) => r.status < 400);
    expect(applied[0]).toMatchObject({ method: 'POST', path: LEASE, status: 201 });
    expect(carries(applied[0]!, holder(winner.id))).toBe(true);
    expect(applied.at(-1)).toMatchObject({ method: 'DELETE', path: `${LEASE}/release-to-prod-checkout-api` });
    for (const r of leaseWrites.filter((x) => carries(x, holder(loser.id)))) expect(r).toMatchObject({ method: 'POST', status: 409 });
    expect(w.kube.store.list(LEASES)).toEqual([]);
  }, 90_000);

  it('with lock-wait-minutes the second run waits its turn, then releases on top of the first', async () => {
    const w = await start();
    ciStillRunning(w);
    const [first, second] = await Promise.all([w.run({ ...SLOW, 'lock-wait-minutes': '1' }), secondRun(w, { 'lock-wait-minutes': '1' })]);
    // The headline says why, should a run not release.
    for (const run of [first, second]) expect(`${run.code} ${run.outputs.result} ${rendered(run.report()).split('\n')[2]}`).toMatch(/^0 released /);
    const [earlier, later] = first.stdout.indexOf('waiting for the release lock') >= 0 ? [second, first] : [first, second];
    expect(later.stdout).toContain('waiting for the release lock');
    // The later run read the cluster again under the lock: its stable is the earlier run's release,
    // so a rollback would have gone back to that, not to the version both runs first saw.
    expect(rendered(later.report())).toMatch(/read again under the release lock: stable is now \w+, was \w+ \(a release finished meanwhile\)/);
    expect(rendered(earlier.report())).not.toContain('read again under the release lock');
    expect(image(w)).toBe(later === second ? OTHER_IMAGE : NEW_IMAGE);
    expect(w.kube.getRollout('prod', 'checkout-api').status).toMatchObject({ phase: 'Healthy' });
  }, 120_000);

  it('a Lease held by another live run: exit 1 at once, nothing tagged or written', async () => {
    const w = await start();
    w.kube.addLease({ namespace: 'prod', name: 'release-to-prod-checkout-api', holderIdentity: holder(999), leaseDurationSeconds: 3600 });
    const run = await w.run();
    expect(run.code).toBe(1);
    expect(rendered(run.report())).toContain(`is held by ${holder(999)}`);
    expect(rendered(run.report())).toContain('lock-wait-minutes');
    expect(w.kube.writes()).toEqual([]);
    expect(w.github.state.resolve('tags/v2.14.0')).toBeUndefined();
    expect(image(w)).toBe(STABLE_IMAGE);
  });

  it('takes over a Lease left by an earlier attempt of the same run, and deletes it after a rollback', async () => {
    const w = await start();
    w.kube.addLease({ namespace: 'prod', name: 'release-to-prod-checkout-api', holderIdentity: holder(RUN_ID), leaseDurationSeconds: 3600 });
    const run = await w.run({}, { env: { GITHUB_RUN_ATTEMPT: '2', SLO_PLAN: JSON.stringify({ 25: { error_rate: 0.05 } }) } });
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`taken over: it is held by an earlier attempt of this run (${holder(RUN_ID)})`);
    const leaseWrites = writesBy(w, /\/leases/).map((r) => r.method);
    expect(leaseWrites[0]).toBe('PUT');
    expect(leaseWrites.at(-1)).toBe('DELETE');
    expect(image(w)).toBe(STABLE_IMAGE);
  });

  it('a cancelled run (SIGINT) still deletes its Lease', async () => {
    const w = await start();
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
    const run = await w.run({ slo: '{error_rate_max: 0.01, p95_latency_ms: 300, window_minutes: 1, interval_seconds: 5}' }, {
      onSpawn: (c) => (child = c),
      onLine: (line) => {
        if (line.includes('Lease prod/release-to-prod-checkout-api taken')) child?.kill('SIGINT');
      },
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('lock: Lease prod/release-to-prod-checkout-api released (deleted)');
    expect(writesBy(w, /\/leases/).map((r) => `${r.method} ${r.status}`)).toEqual(['POST 201', 'DELETE 200']);
    expect(w.kube.store.list(LEASES)).toEqual([]);
  });

  it('a re-run after a release writes nothing to the cluster, not even a Lease', async () => {
    const w = await start();
    expect((await w.run()).code).toBe(0);
    const since = w.kube.requests.length;
    const again = await w.run();
    expect(again.code).toBe(0);
    expect(again.outputs.result).toBe('released');
    expect(again.stdout).toContain('no lock taken: checkout-api already runs');
    expect(w.kube.requests.slice(since).filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('a dry run takes no lock', async () => {
    const w = await start();
    const run = await w.run({ 'dry-run': 'true' });
    expect(run.code).toBe(0);
    expect(w.kube.requests.filter((r) => r.path.includes('/leases'))).toEqual([]);
  });
});
