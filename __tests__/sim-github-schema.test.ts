/**
 * The sim's own replies must have GitHub's shape: with validateResponses every reply is checked
 * against the operation's documented response schema and a mismatch comes back as a 500.
 */
import { getOctokit } from '@actions/github';
import { SimGitHub } from '../sim/github/index.js';

const owner = 'acme';
const repo = 'shop';
let sim: SimGitHub;
let octokit: ReturnType<typeof getOctokit>;

function seed(s: SimGitHub) {
  const [base, , head] = s.state.addCommits(3, { author: 'alice' });
  s.state.addTag('v1.0.0', base!.sha);
  s.state.addCheckRun({ sha: head!.sha, name: 'build', conclusion: 'failure' });
  s.state.addCheckRun({ sha: head!.sha, name: 'lint', app: { id: 42, slug: 'lint-bot' }, status: 'in_progress' });
  s.state.addCheckRun({ sha: head!.sha, name: 'old', conclusion: 'stale' });
  s.state.addStatus({ sha: head!.sha, context: 'ci/legacy', state: 'success', targetUrl: 'https://ci.example.com/1' });
  s.state.addJob(777, { id: 555, name: 'release', sha: head!.sha, status: 'in_progress' });
  s.state.addApproval(777, { user: 'bob', state: 'approved', environments: ['prod-us-east-1'], comment: 'ship it' });
  s.state.addTeamMember('acme', 'sre', 'carol');
  const pr = s.state.addPullRequest({ title: 'feat: checkout v2', user: 'alice', labels: ['feature'] });
  s.state.addPullRequest({ title: 'wip: open one', state: 'open', commits: [head!.sha] });
  s.state.addIssue({ title: 'INC: outage', labels: ['incident'] });
  s.state.addComment(pr.number, { body: 'LGTM', user: 'bob' });
  s.state.addRelease({ tagName: 'v1.0.0', name: 'v1.0.0', body: 'first' });
  const d = s.state.addDeployment({ sha: head!.sha, environment: 'prod-us-east-1' });
  s.state.addDeploymentStatus(d.id, { state: 'success' });
  return { base: base!, head: head!, pr, deployment: d };
}

let seeded: ReturnType<typeof seed> | undefined;

beforeAll(async () => {
  sim = await SimGitHub.start({ owner, repo, validateResponses: true });
  octokit = getOctokit('token', { baseUrl: sim.url });
  seeded = seed(sim);
});
afterAll(() => sim.stop());

type Call = [string, Record<string, unknown>];

/** Built lazily: the seeded shas exist only once beforeAll has run. */
const reads = (): Call[] => {
  const { base, head, pr, deployment } = seeded ?? { base: {}, head: {}, pr: {}, deployment: {} };
  const r = { owner, repo };
  return [
    ['GET /repos/{owner}/{repo}', r],
    ['GET /users/{username}', { username: 'alice' }],
    ['GET /repos/{owner}/{repo}/commits/{ref}', { ...r, ref: head.sha }],
    ['GET /repos/{owner}/{repo}/commits', { ...r, per_page: 2 }],
    ['GET /repos/{owner}/{repo}/git/commits/{commit_sha}', { ...r, commit_sha: head.sha }],
    ['GET /repos/{owner}/{repo}/compare/{basehead}', { ...r, basehead: `${base.sha}...${head.sha}` }],
    ['GET /repos/{owner}/{repo}/tags', r],
    ['GET /rate_limit', {}],
    ['GET /repos/{owner}/{repo}/git/ref/{ref}', { ...r, ref: 'tags/v1.0.0' }],
    ['GET /repos/{owner}/{repo}/git/matching-refs/{ref}', { ...r, ref: 'tags/v' }],
    ['GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { ...r, ref: head.sha, filter: 'all' }],
    ['GET /repos/{owner}/{repo}/check-runs/{check_run_id}', { ...r, check_run_id: 555 }],
    ['GET /repos/{owner}/{repo}/commits/{ref}/status', { ...r, ref: head.sha }],
    ['GET /repos/{owner}/{repo}/commits/{ref}/statuses', { ...r, ref: head.sha }],
    ['GET /repos/{owner}/{repo}/actions/runs/{run_id}', { ...r, run_id: 777 }],
    ['GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}', { ...r, run_id: 777, attempt_number: 1 }],
    ['GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', { ...r, run_id: 777 }],
    ['GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs', { ...r, run_id: 777, attempt_number: 1 }],
    ['GET /repos/{owner}/{repo}/actions/jobs/{job_id}', { ...r, job_id: 555 }],
    ['GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals', { ...r, run_id: 777 }],
    ['GET /orgs/{org}/teams/{team_slug}/memberships/{username}', { org: 'acme', team_slug: 'sre', username: 'carol' }],
    ['GET /orgs/{org}/teams/{team_slug}', { org: 'acme', team_slug: 'sre' }],
    ['GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', { ...r, workflow_id: 'release.yml', head_sha: head.sha }],
    ['GET /repos/{owner}/{repo}/pulls', { ...r, state: 'all' }],
    ['GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...r, pull_number: pr.number }],
    ['GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { ...r, commit_sha: pr.mergeCommitSha }],
    ['GET /repos/{owner}/{repo}/issues', { ...r, state: 'all' }],
    ['GET /repos/{owner}/{repo}/issues/{issue_number}', { ...r, issue_number: pr.number }],
    ['GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...r, issue_number: pr.number }],
    ['GET /search/issues', { q: `repo:${owner}/${repo} is:issue label:incident` }],
    ['GET /repos/{owner}/{repo}/releases', r],
    ['GET /repos/{owner}/{repo}/releases/latest', r],
    ['GET /repos/{owner}/{repo}/releases/tags/{tag}', { ...r, tag: 'v1.0.0' }],
    ['GET /repos/{owner}/{repo}/deployments', { ...r, environment: 'prod-us-east-1' }],
    ['GET /repos/{owner}/{repo}/deployments/{deployment_id}', { ...r, deployment_id: deployment.id }],
    ['GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { ...r, deployment_id: deployment.id }],
  ];
};

describe('sim/github replies match the OpenAPI response schemas', () => {
  it.each(reads().map(([route]) => route))('%s', async (route) => {
    const params = reads().find(([r]) => r === route)![1];
    const response = await octokit.request(route, params).catch((error: { status: number; response?: { data: unknown } }) => {
      throw new Error(`${route} → ${error.status}: ${JSON.stringify(error.response?.data, null, 2)}`);
    });
    expect(response.status).toBe(200);
  });

  it('writes: tag, ref, status, issue, comment, labels, release, deployment', async () => {
    const r = { owner, repo };
    const { head } = seeded!;
    const steps: Array<() => Promise<{ status: number }>> = [
      () => octokit.rest.git.createTag({ ...r, tag: 'v2.0.0', message: 'v2', object: head.sha, type: 'commit' }),
      () => octokit.rest.git.createRef({ ...r, ref: 'refs/heads/release', sha: head.sha }),
      () => octokit.rest.git.updateRef({ ...r, ref: 'heads/release', sha: head.sha }),
      () => octokit.rest.git.getTag({ ...r, tag_sha: [...sim.state.tagObjects.keys()][0]! }),
      () => octokit.rest.repos.createCommitStatus({ ...r, sha: head.sha, state: 'pending', context: 'deploy' }),
      () => octokit.rest.issues.create({ ...r, title: 'Incident', labels: ['incident', { name: 'sev2' }] }),
      () => octokit.rest.issues.update({ ...r, issue_number: 1, state: 'closed' }),
      () => octokit.rest.issues.createComment({ ...r, issue_number: 1, body: 'postmortem' }),
      () => octokit.rest.issues.addLabels({ ...r, issue_number: 1, labels: ['x'] }),
      () => octokit.rest.repos.createRelease({ ...r, tag_name: 'v2.0.0', name: 'v2', body: 'notes' }),
      () => octokit.rest.repos.updateRelease({ ...r, release_id: sim.state.releases[0]!.id, body: 'edited' }),
      () => octokit.rest.repos.createDeployment({ ...r, ref: head.sha, environment: 'staging', auto_merge: false, required_contexts: [] }),
      () => octokit.rest.repos.createDeploymentStatus({ ...r, deployment_id: sim.state.deployments[0]!.id, state: 'in_progress' }),
      () => octokit.rest.git.deleteRef({ ...r, ref: 'heads/release' }),
    ];
    for (const step of steps) {
      const response = await step().catch((error: { status: number; response?: { data: unknown }; request?: { url: string } }) => {
        throw new Error(`${error.request?.url} → ${error.status}: ${JSON.stringify(error.response?.data, null, 2)}`);
      });
      expect(response.status).toBeLessThan(300);
    }
  });
});
