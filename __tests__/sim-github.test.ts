/** The simulated GitHub REST API, driven by the Octokit the action uses. */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { SimGitHub } from '../sim/github/index.js';
import { RouteTable } from '../sim/github/openapi.js';
import { restOperations } from '../sim/github/spec.js';

const owner = 'acme';
const repo = 'shop';
const r = { owner, repo };

let sim: SimGitHub;
let octokit: ReturnType<typeof getOctokit>;

beforeEach(async () => {
  sim = await SimGitHub.start({ owner, repo });
  octokit = getOctokit('token', { baseUrl: sim.url });
});
afterEach(() => sim.stop());

/** The rejected status and body of a request expected to fail. */
async function failure(request: Promise<unknown>): Promise<{ status: number; data: { message: string; errors?: unknown[] } }> {
  const error = (await request.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e,
  )) as { status: number; response: { data: { message: string; errors?: unknown[] } } };
  return { status: error.status, data: error.response.data };
}

describe('schema checking', () => {
  it('answers a path GitHub does not have with 404, like github.com', async () => {
    const result = await failure(octokit.request('GET /repos/{owner}/{repo}/check-runz', r));
    expect(result).toMatchObject({ status: 404, data: { message: 'Not Found' } });
    expect((await failure(octokit.rest.repos.get({ owner, repo: 'other' }))).status).toBe(404);
    expect((await failure(octokit.request('GET /repos/acme/shop/actions/runs/abc'))).status).toBe(404);
  });

  it('rejects a body that breaks the operation schema with 422 and a GitHub-style message', async () => {
    const result = await failure(octokit.rest.git.createRef({ ...r, ref: 'refs/tags/v1' } as never));
    expect(result.status).toBe(422);
    expect(result.data.message).toBe('Invalid request.\n\n"sha" wasn\'t supplied.');
    expect(result.data.errors).toEqual([expect.objectContaining({ field: 'sha', code: 'missing_field' })]);
  });

  it('answers unparsable JSON with 400', async () => {
    const response = await fetch(`${sim.url}/repos/acme/shop/git/refs`, { method: 'POST', body: '{"ref":', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ message: 'Problems parsing JSON' });
  });

  it('rejects per_page above 100 and values outside an enum', async () => {
    const sha = sim.state.addCommit().sha;
    const tooMany = await failure(octokit.rest.checks.listForRef({ ...r, ref: sha, per_page: 101 }));
    expect(tooMany.status).toBe(422);
    expect(tooMany.data.message).toContain('101 is greater than the maximum of 100');
    const badFilter = await failure(octokit.rest.checks.listForRef({ ...r, ref: sha, filter: 'newest' as never }));
    expect(badFilter.data.message).toContain('"newest" is not a member of ["latest","all"]');
  });

  it('answers a real GitHub route it does not implement with 501 naming the operation', async () => {
    const result = await failure(octokit.rest.repos.getAllTopics(r));
    expect(result.status).toBe(501);
    expect(result.data.message).toContain('repos/get-all-topics');
  });
});

describe('routing', () => {
  const routes = () => new RouteTable(restOperations().value);
  const route = (method: string, path: string) => {
    const match = routes().match(method, path);
    return match && { operationId: match.route.operation.operationId, params: match.params };
  };

  it.each([
    ['/repos/a/b/git/ref/tags%2Fv1.0.0', 'git/get-ref', { ref: 'tags/v1.0.0' }],
    ['/repos/a/b/git/ref/tags/v1.0.0', 'git/get-ref', { ref: 'tags/v1.0.0' }],
    ['/repos/a/b/git/matching-refs/tags/v1', 'git/list-matching-refs', { ref: 'tags/v1' }],
    ['/repos/a/b/commits/feature/x/check-runs', 'checks/list-for-ref', { ref: 'feature/x' }],
    ['/repos/a/b/commits/feature/x', 'repos/get-commit', { ref: 'feature/x' }],
    ['/repos/a/b/commits/abc123/pulls', 'repos/list-pull-requests-associated-with-commit', { commit_sha: 'abc123' }],
    ['/repos/a/b/compare/v1.0.0...release/2.x', 'repos/compare-commits-with-basehead', { basehead: 'v1.0.0...release/2.x' }],
    ['/repos/a/b/releases/tags/team/v1', 'repos/get-release-by-tag', { tag: 'team/v1' }],
  ])('GET %s → %s', (path, operationId, params) => {
    expect(route('GET', path)).toEqual({ operationId, params: expect.objectContaining(params) });
  });

  it('lets no ordinary parameter swallow a slash', () => {
    expect(route('GET', '/repos/a/b/c')).toBeUndefined();
    expect(route('GET', '/orgs/acme/teams/sre/memberships/carol/x')).toBeUndefined();
  });
});

describe('check runs', () => {
  it('pages 130 runs with Link headers, and octokit.paginate flattens them', async () => {
    const sha = sim.state.addCommit().sha;
    for (let i = 0; i < 130; i++) sim.state.addCheckRun({ sha, name: `check ${i}` });
    const first = await octokit.rest.checks.listForRef({ ...r, ref: sha, per_page: 100 });
    expect(first.data.total_count).toBe(130);
    expect(first.data.check_runs).toHaveLength(100);
    expect(first.headers.link).toBe(
      `<${sim.url}/repos/acme/shop/commits/${sha}/check-runs?per_page=100&page=2>; rel="next", <${sim.url}/repos/acme/shop/commits/${sha}/check-runs?per_page=100&page=2>; rel="last"`,
    );
    const second = await octokit.rest.checks.listForRef({ ...r, ref: sha, per_page: 100, page: 2 });
    expect(second.data.check_runs).toHaveLength(30);
    expect(second.headers.link).toContain('rel="first"');
    const all = await octokit.paginate(octokit.rest.checks.listForRef, { ...r, ref: sha, per_page: 100 });
    expect(new Set(all.map((run) => run.name)).size).toBe(130);
  });

  it('filter=latest keeps only the newest run of each name within a suite; filter=all keeps every run', async () => {
    const sha = sim.state.addCommit().sha;
    // Both in workflow run 77: one check suite (a re-run adds to it; see sim-github-actions.test.ts).
    sim.state.addCheckRun({ sha, name: 'build', conclusion: 'failure', runId: 77 });
    const rerun = sim.state.addCheckRun({ sha, name: 'build', conclusion: 'success', runId: 77 });
    sim.state.addCheckRun({ sha, name: 'test' });
    const latest = await octokit.rest.checks.listForRef({ ...r, ref: sha });
    expect(latest.data.check_runs.map((run) => [run.name, run.id, run.conclusion])).toEqual(
      expect.arrayContaining([['build', rerun.id, 'success'], ['test', expect.any(Number), 'success']]),
    );
    expect(latest.data.total_count).toBe(2);
    expect((await octokit.rest.checks.listForRef({ ...r, ref: sha, filter: 'all' })).data.total_count).toBe(3);
  });

  it('an Actions job is a check run with the same id and a details_url naming its workflow run', async () => {
    const sha = sim.state.addCommit().sha;
    sim.state.addJob(4242, { id: 99, name: 'release (prod)', sha, status: 'in_progress', runnerName: 'runner-7' });
    const { data } = await octokit.rest.checks.listForRef({ ...r, ref: sha });
    expect(data.check_runs[0]).toMatchObject({ id: 99, status: 'in_progress', conclusion: null, app: { slug: 'github-actions', id: 15368 } });
    expect(data.check_runs[0]!.details_url).toBe(`${sim.url}/acme/shop/actions/runs/4242/job/99`);
    const jobs = await octokit.rest.actions.listJobsForWorkflowRunAttempt({ ...r, run_id: 4242, attempt_number: 1 });
    expect(jobs.data.jobs[0]).toMatchObject({ id: 99, run_id: 4242, runner_name: 'runner-7', status: 'in_progress' });
  });

  it('a run seeded with completeAfterMs completes when the injected clock passes it', async () => {
    let now = Date.UTC(2026, 0, 5, 12);
    const timed = await SimGitHub.start({ clock: () => now });
    try {
      const sha = timed.state.addCommit().sha;
      timed.state.addCheckRun({ sha, name: 'e2e', completeAfterMs: 60_000, completeWith: 'failure' });
      const client = getOctokit('t', { baseUrl: timed.url });
      const before = await client.rest.checks.listForRef({ ...r, ref: sha });
      expect(before.data.check_runs[0]).toMatchObject({ status: 'in_progress', conclusion: null, completed_at: null });
      now += 60_000;
      const after = await client.rest.checks.listForRef({ ...r, ref: sha });
      expect(after.data.check_runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure', completed_at: '2026-01-05T12:01:00Z' });
    } finally {
      await timed.stop();
    }
  });

  it('an unknown commit is 422 "No commit found for SHA"', async () => {
    const sha = 'f'.repeat(40);
    const result = await failure(octokit.rest.checks.listForRef({ ...r, ref: sha }));
    expect(result).toMatchObject({ status: 422, data: { message: `No commit found for SHA: ${sha}` } });
    expect((await failure(octokit.rest.repos.getCommit({ ...r, ref: sha }))).status).toBe(422);
  });
});

describe('commit statuses', () => {
  it('combined status is "pending" with total_count 0 when there are no statuses at all', async () => {
    const sha = sim.state.addCommit().sha;
    const { data } = await octokit.rest.repos.getCombinedStatusForRef({ ...r, ref: sha });
    expect(data).toMatchObject({ state: 'pending', total_count: 0, statuses: [] });
  });

  it('combined status takes the latest status of each context', async () => {
    const sha = sim.state.addCommit().sha;
    sim.state.addStatus({ sha, context: 'ci/a', state: 'failure', createdAt: '2026-01-01T00:00:00Z' });
    sim.state.addStatus({ sha, context: 'ci/a', state: 'success', createdAt: '2026-01-01T00:05:00Z' });
    await octokit.rest.repos.createCommitStatus({ ...r, sha, state: 'success', context: 'ci/b' });
    const { data } = await octokit.rest.repos.getCombinedStatusForRef({ ...r, ref: sha });
    expect(data).toMatchObject({ state: 'success', total_count: 2 });
    const all = await octokit.rest.repos.listCommitStatusesForRef({ ...r, ref: sha });
    expect(all.data).toHaveLength(3);
  });
});

describe('git database', () => {
  it('creates an annotated tag, refuses a second ref of that name, and reads refs with slashes', async () => {
    const sha = sim.state.addCommit().sha;
    const tag = await octokit.rest.git.createTag({ ...r, tag: 'v1.0.0', message: 'Release v1.0.0', object: sha, type: 'commit' });
    expect(tag.status).toBe(201);
    const ref = await octokit.rest.git.createRef({ ...r, ref: 'refs/tags/v1.0.0', sha: tag.data.sha });
    expect(ref.status).toBe(201);
    const again = await failure(octokit.rest.git.createRef({ ...r, ref: 'refs/tags/v1.0.0', sha }));
    expect(again).toMatchObject({ status: 422, data: { message: 'Reference already exists' } });

    // Octokit sends tags%2Fv1.0.0; other clients send the slash as is.
    const got = await octokit.rest.git.getRef({ ...r, ref: 'tags/v1.0.0' });
    expect(got.data.object).toMatchObject({ type: 'tag', sha: tag.data.sha });
    const raw = await fetch(`${sim.url}/repos/acme/shop/git/ref/tags/v1.0.0`);
    expect(raw.status).toBe(200);
    expect((await octokit.rest.git.getTag({ ...r, tag_sha: tag.data.sha })).data.object.sha).toBe(sha);
    expect((await failure(octokit.rest.git.getRef({ ...r, ref: 'tags/v9.9.9' }))).status).toBe(404);
    const matching = await octokit.rest.git.listMatchingRefs({ ...r, ref: 'tags/v1' });
    expect(matching.data.map((m) => m.ref)).toEqual(['refs/tags/v1.0.0']);
    expect((await octokit.rest.repos.listTags(r)).data[0]).toMatchObject({ name: 'v1.0.0', commit: { sha } });
  });

  it('compare stops at 250 commits unpaged and pages with per_page/page', async () => {
    const [base] = sim.state.addCommits(301);
    const head = sim.state.resolve('main')!;
    const basehead = `${base!.sha}...${head}`;
    const unpaged = await octokit.rest.repos.compareCommitsWithBasehead({ ...r, basehead });
    expect(unpaged.data).toMatchObject({ status: 'ahead', ahead_by: 300, total_commits: 300 });
    expect(unpaged.data.commits).toHaveLength(250);
    // octokit.paginate does not know compare's list key: map each page to its commits.
    type ComparePage = { data: { commits: Array<{ sha: string }> } };
    const pages = await octokit.paginate(octokit.rest.repos.compareCommitsWithBasehead, { ...r, basehead, per_page: 100 }, (res) => (res as unknown as ComparePage).data.commits);
    expect(pages).toHaveLength(300);
    expect(pages[299]!.sha).toBe(head);
    const behind = await octokit.rest.repos.compareCommitsWithBasehead({ ...r, basehead: `main...${base!.sha}` });
    expect(behind.data).toMatchObject({ status: 'behind', behind_by: 300, ahead_by: 0 });
  });
});

describe('approvals and teams', () => {
  it('lists environment approvals of a run', async () => {
    sim.state.addApproval(7, { user: 'bob', state: 'approved', environments: ['prod-us-east-1'], comment: 'go' });
    const { data } = await octokit.rest.actions.getReviewsForRun({ ...r, run_id: 7 });
    expect(data).toEqual([expect.objectContaining({ state: 'approved', comment: 'go', user: expect.objectContaining({ login: 'bob' }) })]);
    expect(data[0]!.environments[0]).toMatchObject({ name: 'prod-us-east-1' });
    expect((await failure(octokit.rest.actions.getReviewsForRun({ ...r, run_id: 8 }))).status).toBe(404);
  });

  it('answers team membership for members and 404 otherwise', async () => {
    sim.state.addTeamMember('acme', 'sre', 'carol');
    sim.state.addTeamMember('acme', 'sre', 'dave', 'pending');
    const carol = await octokit.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'sre', username: 'carol' });
    expect(carol.data).toMatchObject({ state: 'active', role: 'member' });
    const dave = await octokit.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'sre', username: 'dave' });
    expect(dave.data.state).toBe('pending');
    const eve = await failure(octokit.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'sre', username: 'eve' }));
    expect(eve.status).toBe(404);
  });
});

describe('issues, releases, deployments', () => {
  it('creates an incident issue with labels; the issue list also holds pull requests', async () => {
    sim.state.addPullRequest({ title: 'fix: cart', user: 'alice' });
    const created = await octokit.rest.issues.create({ ...r, title: 'INC-2026-01-05-01', labels: ['incident'] });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ number: 2, labels: [expect.objectContaining({ name: 'incident' })] });
    const listed = await octokit.rest.issues.listForRepo({ ...r, state: 'all' });
    expect(listed.data.map((i) => [i.number, i.pull_request !== undefined])).toEqual([
      [2, false],
      [1, true],
    ]);
  });

  it('a second release for a tag is 422 already_exists; drafts are not found by tag', async () => {
    sim.state.addCommit();
    await octokit.rest.repos.createRelease({ ...r, tag_name: 'v1.0.0' });
    expect(sim.state.refs.has('refs/tags/v1.0.0')).toBe(true);
    const again = await failure(octokit.rest.repos.createRelease({ ...r, tag_name: 'v1.0.0' }));
    expect(again.status).toBe(422);
    expect(again.data.errors).toEqual([expect.objectContaining({ code: 'already_exists', field: 'tag_name' })]);
    await octokit.rest.repos.createRelease({ ...r, tag_name: 'v2.0.0', draft: true });
    expect((await failure(octokit.rest.repos.getReleaseByTag({ ...r, tag: 'v2.0.0' }))).status).toBe(404);
  });

  it('a deployment with default required_contexts is 409 while a check fails; [] skips the check', async () => {
    const sha = sim.state.addCommit().sha;
    sim.state.addCheckRun({ sha, name: 'build', conclusion: 'failure' });
    const conflict = await failure(octokit.rest.repos.createDeployment({ ...r, ref: sha, environment: 'prod' }));
    expect(conflict.status).toBe(409);
    const made = await octokit.rest.repos.createDeployment({ ...r, ref: sha, environment: 'prod', required_contexts: [], auto_merge: false });
    expect(made.status).toBe(201);
    const listed = await octokit.rest.repos.listDeployments({ ...r, environment: 'prod' });
    expect(listed.data).toHaveLength(1);
  });
});

describe('faults and the request log', () => {
  it('a 502 fault fails once, then the retry plugin succeeds', async () => {
    sim.state.addCommit();
    sim.faults.add({ method: 'GET', path: '/repos/acme/shop', status: 502, times: 1 });
    const retrying = getOctokit('t', { baseUrl: sim.url, retry: { retryAfterBaseValue: 1 } }, retry);
    const { status } = await retrying.rest.repos.get(r);
    expect(status).toBe(200);
    expect(sim.requests.map((q) => [q.status, q.fault ?? false])).toEqual([
      [502, true],
      [200, false],
    ]);
  });

  it('a secondary rate limit is a 403 the throttling plugin recognises and retries after retry-after', async () => {
    sim.faults.add({ operationId: 'repos/get', status: 'secondary-rate-limit', times: 1 });
    const waits: number[] = [];
    const throttled = getOctokit(
      't',
      {
        baseUrl: sim.url,
        throttle: {
          retryAfterBaseValue: 1,
          onRateLimit: () => false,
          onSecondaryRateLimit: (after: number) => {
            waits.push(after);
            return true;
          },
        },
      },
      throttling,
    );
    expect((await throttled.rest.repos.get(r)).status).toBe(200);
    expect(waits).toEqual([1]);
    const raw = await fetch(`${sim.url}/repos/acme/shop`);
    expect(raw.status).toBe(200);
    sim.faults.add({ status: 'secondary-rate-limit' });
    const limited = await fetch(`${sim.url}/repos/acme/shop`);
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(((await limited.json()) as { message: string }).message).toContain('secondary rate limit');
  });

  it('records every request; writes() holds only state changes', async () => {
    const sha = sim.state.addCommit().sha;
    await octokit.rest.repos.get(r);
    await octokit.rest.repos.createCommitStatus({ ...r, sha, state: 'success', context: 'x' });
    await octokit.graphql('query { rateLimit { remaining } }');
    expect(sim.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /repos/acme/shop', `POST /repos/acme/shop/statuses/${sha}`, 'POST /graphql']);
    expect(sim.writes()).toEqual([expect.objectContaining({ method: 'POST', status: 201, body: { state: 'success', context: 'x' } })]);
    expect(sim.requests[0]!).toMatchObject({ operationId: 'repos/get', query: {} });
  });

  it('sends GitHub headers', async () => {
    const { headers } = await octokit.rest.repos.get(r);
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(headers['x-github-request-id']).toBeDefined();
    expect(Number(headers['x-ratelimit-remaining'])).toBeLessThan(5000);
  });
});

describe('start-up', () => {
  it('parses the specs once per process: a further server starts in milliseconds', async () => {
    const started = performance.now();
    const another = await SimGitHub.start();
    const ms = performance.now() - started;
    await another.stop();
    expect(another.startup).toMatchObject({ restSpecMs: 0, graphqlSchemaMs: 0 });
    expect(ms).toBeLessThan(250);
  });
});
