/**
 * Exactly-once creates over Octokit against the simulated GitHub. An "applied, then 502" fault
 * stores the write and answers 502 (GitHub's edge timing out on a write its backend completes):
 * the port looks for the create's marker instead of sending it again. A plain 502 (not applied)
 * is sent again, once. Reads keep the retry plugin.
 */
import { createOctokit, gitHubPort, rateLimitPolicy } from '../src/github/octokit.js';
import { createOnce, intentMarker, outcomeUnknown } from '../src/github/once.js';
import type { RunContext, Sha } from '../src/settings.js';
import { shouldBeLatest } from '../src/stages/github-release.js';
import { RULESET_REFUSES_TAGS } from '../sim/github/faults.js';
import { SimGitHub } from '../sim/github/index.js';

let sim: SimGitHub;
beforeEach(async () => {
  sim = await SimGitHub.start({ owner: 'acme', repo: 'shop' });
});
afterEach(() => sim.stop());

const quiet = { info: () => undefined, warning: () => undefined };
const run: () => RunContext = () => ({ owner: 'acme', repo: 'shop', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, serverUrl: sim.url, runId: 42, runAttempt: 1, runnerName: 'runner-7', workspace: '/tmp', artifactsAvailable: false });
const port = () => gitHubPort(createOctokit('ghs_installation', run(), quiet), run());
const posts = (operationId: string) => sim.requests.filter((r) => r.operationId === operationId && r.method === 'POST');

describe('a create whose answer is lost after GitHub applied it is not sent again', () => {
  it('incident issue: one issue, one POST, and the port returns it', async () => {
    sim.faults.add({ operationId: 'issues/create', status: 502, applied: true });
    const issue = await port().createIssue('INC-1: checkout-api aborted', 'postmortem', ['incident']);
    expect(posts('issues/create')).toHaveLength(1);
    expect(posts('issues/create')[0]).toMatchObject({ status: 502, appliedStatus: 201 });
    expect(sim.state.issues.size).toBe(1);
    const stored = [...sim.state.issues.values()][0]!;
    expect(issue.number).toBe(stored.number);
    expect(stored.body).toContain(intentMarker('acme/shop/runs/42/attempts/1/runner-7/incident-issue'));
  });

  it('comment, deployment, release and tag ref: each stored once, each POST sent once', async () => {
    const sha = sim.state.addCommit().sha as Sha;
    const target = sim.state.addIssue({ title: 'INC-0', labels: ['incident'] });
    for (const operationId of ['issues/create-comment', 'repos/create-deployment', 'repos/create-release', 'git/create-ref']) sim.faults.add({ operationId, status: 502, applied: true });
    const github = port();
    await github.comment(target.number, 'again');
    const deployment = await github.createDeployment(sha, 'prod', 'canary');
    expect(await github.createAnnotatedTag('v1.0.0', sha, 'Release v1.0.0')).toBe('created');
    const release = await github.createRelease('v1.0.0', 'v1.0.0', 'notes', false, true);
    expect(sim.state.comments).toHaveLength(1);
    expect(sim.state.deployments.map((d) => d.id)).toEqual([deployment]);
    expect(sim.state.releases.map((r) => r.id)).toEqual([release === 'exists' ? -1 : release.id]);
    expect((await github.findTag('v1.0.0'))?.commit).toBe(sha);
    for (const id of ['issues/create-comment', 'repos/create-deployment', 'repos/create-release', 'git/create-ref']) expect([id, posts(id).length]).toEqual([id, 1]);
  });

  it('a 502 that was not applied is sent again, once: still one issue', async () => {
    sim.faults.add({ operationId: 'issues/create', status: 502 });
    await port().createIssue('INC-2', 'body', ['incident']);
    expect(posts('issues/create').map((r) => r.status)).toEqual([502, 201]);
    expect(sim.state.issues.size).toBe(1);
  });

  it('a refusal (4xx) is never retried', async () => {
    sim.permissions.set('issues', 'read');
    await expect(port().createIssue('INC-3', 'body', ['incident'])).rejects.toMatchObject({ status: 403 });
    expect(posts('issues/create')).toHaveLength(1);
  });

  it('reads keep the retry plugin: a 502 on a list is retried', async () => {
    const sha = sim.state.addCommit().sha as Sha;
    sim.faults.add({ operationId: 'checks/list-for-ref', status: 502 });
    expect(await port().listCheckRuns(sha)).toEqual([]);
  });
});

describe('the tag ref: only "Reference already exists" means the tag is there', () => {
  it('an existing ref is "exists"; a ruleset\'s 422 is a refusal that says what to do', async () => {
    const sha = sim.state.addCommit().sha as Sha;
    sim.state.addTag('v1.0.0', sha);
    expect(await port().createAnnotatedTag('v1.0.0', sha, 'Release')).toBe('exists');
    sim.faults.add(RULESET_REFUSES_TAGS);
    await expect(port().createAnnotatedTag('v1.1.0', sha, 'Release')).rejects.toThrow(
      /^GitHub refused to create the tag v1\.1\.0 \(422 Repository rule violations found\): a repository ruleset restricts creating it\. Add the release job's token/,
    );
  });
});

describe('createOnce', () => {
  const error = (status?: number) => Object.assign(new Error(`status ${status}`), status === undefined ? {} : { status });
  it('looks before every resend and stops at what it finds', async () => {
    const calls: string[] = [];
    let sent = 0;
    const result = await createOnce(
      async () => {
        calls.push('send');
        sent += 1;
        throw error(504);
      },
      async () => {
        calls.push('find');
        return sent > 0 ? 'found' : undefined;
      },
      { minTimeoutMs: 1 },
    );
    expect(result).toBe('found');
    expect(calls).toEqual(['send', 'find']);
  });
  it('unknown outcome: 5xx and no answer; known: 4xx', () => {
    expect([outcomeUnknown(error(502)), outcomeUnknown(error()), outcomeUnknown(error(422)), outcomeUnknown(error(403))]).toEqual([true, true, false, false]);
  });
});

describe('rate limits: the waits add up to five minutes at most, then the request fails with a reason', () => {
  it('never waits close to an hour', () => {
    const warnings: string[] = [];
    const { onRateLimit, onSecondaryRateLimit } = rateLimitPolicy({ info: () => undefined, warning: (m) => warnings.push(m) });
    const request = { method: 'GET', url: '/repos/acme/shop/commits/x/check-runs' };
    expect(onRateLimit(3540, request, undefined, 0)).toBe(false);
    expect(warnings.pop()).toMatch(/lifts in 3540 s, and release-to-prod waits at most 300 s in all \(0 s spent\): giving up\. Run again once it has lifted/);
    expect(onSecondaryRateLimit(60, request, undefined, 0)).toBe(true);
    expect(onRateLimit(200, request, undefined, 1)).toBe(true);
    expect(onRateLimit(60, request, undefined, 0)).toBe(false); // 260 s spent
    expect(onSecondaryRateLimit(1, request, undefined, 3)).toBe(false); // three retries per request
  });
});

describe('make_latest', () => {
  it('Latest only for the highest SemVer release that is not a pre-release', () => {
    expect(shouldBeLatest('v2.15.0', false, ['v2.14.0', 'v2.13.5', 'nightly'])).toBe(true);
    expect(shouldBeLatest('v2.13.6', false, ['v2.14.0', 'v2.13.5'])).toBe(false);
    expect(shouldBeLatest('v3.0.0-rc.1', true, ['v2.14.0'])).toBe(false);
    expect(shouldBeLatest('v2.14.0', false, ['v2.14.0', 'v3.0.0-rc.1'])).toBe(true);
    expect(shouldBeLatest('v1.0.0', false, [])).toBe(true);
  });

  it('the request says make_latest "false" for a hotfix of an older line', async () => {
    const sha = sim.state.addCommit().sha as Sha;
    sim.state.addTag('v2.13.6', sha);
    await port().createRelease('v2.13.6', 'v2.13.6', 'notes', false, shouldBeLatest('v2.13.6', false, ['v2.14.0']));
    expect(posts('repos/create-release')[0]!.body).toMatchObject({ make_latest: 'false' });
  });
});
