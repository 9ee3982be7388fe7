/** The GitHubPort's reads that the gates depend on, over Octokit against the simulated GitHub. */
import { createOctokit, gitHubPort } from '../src/github/octokit.js';
import type { RunContext, Sha } from '../src/settings.js';
import { SimGitHub } from '../sim/github/index.js';

let sim: SimGitHub;
beforeEach(async () => {
  sim = await SimGitHub.start({ owner: 'acme', repo: 'shop' });
});
afterEach(() => sim.stop());

const quiet = { info: () => undefined, warning: () => undefined };
function port(token: string) {
  const run: RunContext = { owner: 'acme', repo: 'shop', apiUrl: sim.url, graphqlUrl: sim.graphqlUrl, serverUrl: sim.url, runAttempt: 1, workspace: '/tmp', artifactsAvailable: false };
  return gitHubPort(createOctokit(token, run, quiet), run);
}

describe('teamMembership', () => {
  it('tells "not a member" from "cannot be read" by whether the token can see the team', async () => {
    sim.state.addTeamMember('acme', 'sre', 'carol');
    const pat = port('ghp_withReadOrg');
    expect(await pat.teamMembership('acme', 'sre', 'carol')).toEqual({ state: 'member', detail: 'active member of @acme/sre' });
    expect(await pat.teamMembership('acme', 'sre', 'eve')).toEqual({ state: 'not-member', detail: 'not a member of @acme/sre' });
    // A team that does not exist cannot be told from a hidden one: never "not a member".
    expect((await pat.teamMembership('acme', 'ghosts', 'carol')).state).toBe('unreadable');
    // A GITHUB_TOKEN gets 404 for the member carol too.
    const githubToken = await port('ghs_installation').teamMembership('acme', 'sre', 'carol');
    expect(githubToken.state).toBe('unreadable');
    expect(githubToken.detail).toMatch(/^membership of @acme\/sre could not be read: GitHub answered 404.*Members: read.*read:org/);
  });
});

describe('permissions', () => {
  it('names the permission a refused read needs', async () => {
    const sha = sim.state.addCommit().sha as Sha;
    sim.state.addRun({ id: 77, sha });
    sim.permissions.set('checks', 'none');
    sim.permissions.set('actions', 'none');
    const github = port('ghs_installation');
    await expect(github.listCheckRuns(sha)).rejects.toThrow(`GitHub refused to list the check runs of ${sha} (403 Resource not accessible by integration): the token needs \`checks: read\``);
    await expect(github.getWorkflowRun(77)).rejects.toThrow('the token needs `actions: read`');
    await expect(github.listRunApprovals(77)).rejects.toThrow('the token needs `actions: read`');
    expect(await github.listStatuses(sha)).toEqual([]);
  });
});

describe('workflow runs', () => {
  it('reads a run, its jobs in every attempt and its workflow\'s runs on a commit', async () => {
    const sha = sim.state.addCommit().sha as Sha;
    sim.state.addJob(77, { id: 501, name: 'release', sha, conclusion: 'failure' });
    sim.state.addJob(77, { id: 502, name: 'release', sha, status: 'in_progress', attempt: 2 });
    sim.state.addRun({ id: 60, sha, status: 'completed' });
    sim.state.addRun({ id: 61, sha, path: '.github/workflows/ci.yml' });
    const github = port('ghs_installation');
    const self = await github.getWorkflowRun(77);
    expect(self).toMatchObject({ id: 77, path: '.github/workflows/release.yml', attempt: 2, headSha: sha });
    expect((await github.listJobs(77)).map((j) => [j.id, j.runAttempt])).toEqual([[501, 1], [502, 2]]);
    expect((await github.listWorkflowRuns(self.workflowId, sha)).map((r) => r.id)).toEqual([77, 60]);
    const runs = await github.listCheckRuns(sha);
    expect(runs.map((r) => [r.id, r.suiteId])).toEqual([[502, self.checkSuiteId], [501, self.checkSuiteId]]);
  });
});
