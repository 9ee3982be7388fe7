/**
 * The simulated GitHub's model of Actions CI, corrected for version 2: one check suite per workflow
 * run, re-run attempts in the same suite, the Actions API that tells the release workflow's own
 * check runs apart by identity, the triggering actor, and what a token without a permission gets.
 */
import { getOctokit } from '@actions/github';
import { SimGitHub } from '../sim/github/index.js';

const r = { owner: 'acme', repo: 'shop' };
const GITHUB_TOKEN = 'ghs_simInstallationToken';
let sim: SimGitHub;
let octokit: ReturnType<typeof getOctokit>;

beforeEach(async () => {
  sim = await SimGitHub.start(r);
  octokit = getOctokit(GITHUB_TOKEN, { baseUrl: sim.url });
});
afterEach(() => sim.stop());

async function failure(request: Promise<unknown>): Promise<{ status: number; message: string }> {
  const error = (await request.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e,
  )) as { status: number; response: { data: { message: string } } };
  return { status: error.status, message: error.response.data.message };
}

describe('check suites', () => {
  it('two workflows with a job named test are two suites: filter=latest keeps both', async () => {
    const sha = sim.state.addCommit().sha;
    const a = sim.state.addCheckRun({ sha, name: 'test', conclusion: 'failure', workflow: '.github/workflows/a.yml' });
    const b = sim.state.addCheckRun({ sha, name: 'test', conclusion: 'success', workflow: '.github/workflows/b.yml' });
    const { data } = await octokit.rest.checks.listForRef({ ...r, ref: sha });
    expect(data.check_runs.map((c) => [c.id, c.conclusion, c.check_suite?.id])).toEqual([
      [b.id, 'success', b.suiteId],
      [a.id, 'failure', a.suiteId],
    ]);
    expect(a.suiteId).not.toBe(b.suiteId);
    const runA = await octokit.rest.actions.getWorkflowRun({ ...r, run_id: a.runId! });
    expect(runA.data).toMatchObject({ path: '.github/workflows/a.yml', check_suite_id: a.suiteId, name: 'A' });
  });

  it('a re-run attempt adds its check run to the same suite and hides the first attempt under filter=latest', async () => {
    const sha = sim.state.addCommit().sha;
    const first = sim.state.addJob(500, { name: 'test', sha, conclusion: 'failure' });
    const second = sim.state.addJob(500, { name: 'test', sha, conclusion: 'success', attempt: 2 });
    const latest = await octokit.rest.checks.listForRef({ ...r, ref: sha });
    expect(latest.data.check_runs.map((c) => [c.id, c.conclusion])).toEqual([[second.id, 'success']]);
    const all = await octokit.rest.checks.listForRef({ ...r, ref: sha, filter: 'all' });
    expect(new Set(all.data.check_runs.map((c) => c.check_suite?.id)).size).toBe(1);
    expect(all.data.check_runs.map((c) => c.id)).toEqual([second.id, first.id]);
    const run = await octokit.rest.actions.getWorkflowRun({ ...r, run_id: 500 });
    expect(run.data.run_attempt).toBe(2);
    const jobs = await octokit.rest.actions.listJobsForWorkflowRun({ ...r, run_id: 500, filter: 'all' });
    expect(jobs.data.jobs.map((j) => [j.id, j.run_attempt, j.check_run_url])).toEqual([
      [first.id, 1, `${sim.url}/repos/acme/shop/check-runs/${first.id}`],
      [second.id, 2, `${sim.url}/repos/acme/shop/check-runs/${second.id}`],
    ]);
    const attempt1 = await octokit.rest.actions.listJobsForWorkflowRunAttempt({ ...r, run_id: 500, attempt_number: 1 });
    expect(attempt1.data.jobs.map((j) => j.id)).toEqual([first.id]);
    // A run is re-run only once it has completed: the second attempt started after the first ended.
    const [rerun, earlier] = all.data.check_runs;
    expect(Date.parse(rerun!.started_at!)).toBeGreaterThan(Date.parse(earlier!.completed_at!));
    const job1 = attempt1.data.jobs[0]!;
    expect([job1.started_at, job1.completed_at]).toEqual([earlier!.started_at, earlier!.completed_at]);
    expect(Date.parse(earlier!.completed_at!)).toBeLessThanOrEqual(Date.now());
  });
});

describe('a check that reports late', () => {
  it('is not listed before appearAfterMs on the injected clock', async () => {
    let now = Date.UTC(2026, 0, 5, 12);
    const timed = await SimGitHub.start({ ...r, clock: () => now });
    try {
      const sha = timed.state.addCommit().sha;
      const late = timed.state.addCheckRun({ sha, name: 'e2e', appearAfterMs: 60_000 });
      const client = getOctokit(GITHUB_TOKEN, { baseUrl: timed.url });
      expect((await client.rest.checks.listForRef({ ...r, ref: sha })).data.total_count).toBe(0);
      expect((await failure(client.rest.checks.get({ ...r, check_run_id: late.id }))).status).toBe(404);
      now += 60_000;
      expect((await client.rest.checks.listForRef({ ...r, ref: sha })).data.check_runs.map((c) => c.id)).toEqual([late.id]);
    } finally {
      await timed.stop();
    }
  });
});

describe('workflow runs', () => {
  it('gives each workflow file its own id and lists a workflow\'s runs on a commit by id or file name', async () => {
    const sha = sim.state.addCommit().sha;
    sim.state.addRun({ id: 10, sha });
    sim.state.addRun({ id: 11, sha, event: 'push' });
    sim.state.addRun({ id: 12, sha, path: '.github/workflows/ci.yml' });
    sim.state.addRun({ id: 13, sha: sim.state.addCommit().sha });
    const ten = await octokit.rest.actions.getWorkflowRun({ ...r, run_id: 10 });
    expect(ten.data).toMatchObject({ path: '.github/workflows/release.yml', name: 'Release' });
    const byId = await octokit.rest.actions.listWorkflowRuns({ ...r, workflow_id: ten.data.workflow_id, head_sha: sha });
    expect(byId.data.workflow_runs.map((w) => w.id)).toEqual([11, 10]);
    const byFile = await octokit.rest.actions.listWorkflowRuns({ ...r, workflow_id: 'release.yml' });
    expect(byFile.data.workflow_runs.map((w) => w.id)).toEqual([13, 11, 10]);
    const ci = await octokit.rest.actions.getWorkflowRun({ ...r, run_id: 12 });
    expect(ci.data.workflow_id).not.toBe(ten.data.workflow_id);
    expect((await failure(octokit.rest.actions.listWorkflowRuns({ ...r, workflow_id: 'nope.yml' }))).status).toBe(404);
  });

  it('reports who started the attempt apart from who started the run', async () => {
    sim.state.addRun({ id: 20, actor: 'alice', triggeringActor: 'mallory', attempt: 2 });
    const { data } = await octokit.rest.actions.getWorkflowRun({ ...r, run_id: 20 });
    expect([data.actor?.login, data.triggering_actor?.login, data.run_attempt]).toEqual(['alice', 'mallory', 2]);
  });
});

describe('permissions', () => {
  it('answers 403 "Resource not accessible by integration" for a permission the token lacks', async () => {
    const sha = sim.state.addCommit().sha;
    sim.state.addRun({ id: 30, sha });
    sim.permissions.set('checks', 'none');
    sim.permissions.set('actions', 'none');
    sim.permissions.set('statuses', 'none');
    for (const request of [
      octokit.rest.checks.listForRef({ ...r, ref: sha }),
      octokit.rest.actions.getWorkflowRun({ ...r, run_id: 30 }),
      octokit.rest.repos.listCommitStatusesForRef({ ...r, ref: sha }),
    ]) {
      expect(await failure(request)).toEqual({ status: 403, message: 'Resource not accessible by integration' });
    }
    expect((await octokit.rest.repos.get(r)).status).toBe(200);
  });

  it('a read-only permission refuses writes only', async () => {
    const sha = sim.state.addCommit().sha;
    sim.permissions.set('statuses', 'read');
    expect((await octokit.rest.repos.listCommitStatusesForRef({ ...r, ref: sha })).status).toBe(200);
    expect((await failure(octokit.rest.repos.createCommitStatus({ ...r, sha, state: 'success' }))).status).toBe(403);
  });

  it('team routes answer a GITHUB_TOKEN 404 even for a member, the same as for a missing team', async () => {
    sim.state.addTeamMember('acme', 'sre', 'carol');
    for (const request of [
      octokit.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'sre', username: 'carol' }),
      octokit.rest.teams.getByName({ org: 'acme', team_slug: 'sre' }),
      octokit.rest.teams.getByName({ org: 'acme', team_slug: 'no-such-team' }),
    ]) {
      expect(await failure(request)).toEqual({ status: 404, message: 'Not Found' });
    }
    const pat = getOctokit('ghp_classicWithReadOrg', { baseUrl: sim.url });
    expect((await pat.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'sre', username: 'carol' })).data.state).toBe('active');
    expect((await pat.rest.teams.getByName({ org: 'acme', team_slug: 'sre' })).data.slug).toBe('sre');
    expect((await failure(pat.rest.teams.getByName({ org: 'acme', team_slug: 'no-such-team' }))).status).toBe(404);
    sim.permissions.set('members', 'read');
    expect((await octokit.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'sre', username: 'carol' })).data.state).toBe('active');
  });
});
