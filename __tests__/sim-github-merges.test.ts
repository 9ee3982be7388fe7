/** The simulated GitHub's merge methods, full history listing and PR search, as the changelog reads them. */
import { getOctokit } from '@actions/github';
import { SimGitHub } from '../sim/github/index.js';

const r = { owner: 'acme', repo: 'shop' };
let sim: SimGitHub;
let octokit: ReturnType<typeof getOctokit>;
let minute: number;

beforeEach(async () => {
  minute = 0;
  sim = await SimGitHub.start({ ...r, clock: () => Date.UTC(2025, 0, 1) + 60_000 * minute++ });
  octokit = getOctokit('token', { baseUrl: sim.url });
});
afterEach(() => sim.stop());

const associated = async (sha: string) => (await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...r, commit_sha: sha })).data.map((p) => p.number);

describe('merge methods', () => {
  it('squash (default): one commit "<title> (#n)" on the base', async () => {
    sim.state.addCommit();
    const pr = sim.state.addPullRequest({ title: 'fix: cart', user: 'alice' });
    const head = sim.state.commits.get(sim.state.resolve('main')!)!;
    expect(head).toMatchObject({ sha: pr.mergeCommitSha, message: `fix: cart (#${pr.number})`, authorLogin: 'alice' });
    expect(await associated(head.sha)).toEqual([pr.number]);
  });

  it('merge: the branch commits, then a two-parent merge commit; all associated with the PR', async () => {
    const base = sim.state.addCommit().sha;
    const pr = sim.state.addPullRequest({ title: 'feat: carts', user: 'bob', mergeMethod: 'merge', branchCommits: ['model', 'api'] });
    const merge = sim.state.commits.get(pr.mergeCommitSha!)!;
    expect(merge.parents).toEqual([base, pr.commits[1]]);
    expect(merge.message).toBe(`Merge pull request #${pr.number} from acme/feature/pr-${pr.number}\n\nfeat: carts`);
    expect(sim.state.commits.get(pr.commits[0]!)!.parents).toEqual([base]);
    for (const sha of [...pr.commits, merge.sha]) expect(await associated(sha)).toEqual([pr.number]);
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...r, basehead: `${base}...main` });
    expect(data.commits.map((c) => c.sha)).toEqual([...pr.commits, merge.sha]);
  });

  it('rebase: each branch commit replayed on the base with a new sha; the copies are associated too', async () => {
    sim.state.addCommit();
    const pr = sim.state.addPullRequest({ title: 'docs: refunds', user: 'carol', mergeMethod: 'rebase', branchCommits: 3 });
    expect(pr.landed).toHaveLength(3);
    expect(pr.mergeCommitSha).toBe(pr.landed[2]);
    expect(pr.landed.some((sha) => pr.commits.includes(sha))).toBe(false);
    expect(sim.state.commits.get(pr.landed[0]!)!.message).toBe(sim.state.commits.get(pr.commits[0]!)!.message);
    for (const sha of pr.landed) expect(await associated(sha)).toEqual([pr.number]);
    expect(sim.state.isAncestor(pr.commits[2]!, sim.state.resolve('main')!)).toBe(false);
  });

  it('mergedAt dates the commits the merge creates', () => {
    sim.state.addCommit();
    const pr = sim.state.addPullRequest({ title: 'fix: x', mergedAt: '2024-06-01T10:00:00Z' });
    expect(sim.state.commits.get(pr.mergeCommitSha!)!.date).toBe(Date.parse('2024-06-01T10:00:00Z'));
  });
});

it('lists every ancestor of a ref, merged branches included, newest first', async () => {
  const root = sim.state.addCommit().sha;
  const pr = sim.state.addPullRequest({ title: 'feat: x', mergeMethod: 'merge', branchCommits: 2 });
  const { data } = await octokit.rest.repos.listCommits({ ...r, sha: 'main', per_page: 100 });
  expect(data.map((c) => c.sha)).toEqual([pr.mergeCommitSha, pr.commits[1], pr.commits[0], root]);
});

describe('search for merged PRs by author and merge time', () => {
  beforeEach(() => {
    sim.state.addCommit();
    sim.state.addPullRequest({ title: 'fix: a', user: 'alice', mergedAt: '2025-03-01T12:00:00Z' });
    sim.state.addPullRequest({ title: 'wip', user: 'alice', state: 'open' });
  });

  it('REST: merged:<= and merged:< a date-time, to the second', async () => {
    const count = async (q: string) => (await octokit.rest.search.issuesAndPullRequests({ q: `repo:acme/shop is:pr is:merged author:alice ${q}` })).data.total_count;
    expect(await count('merged:<=2025-03-01T12:00:00+00:00')).toBe(1);
    expect(await count('merged:<2025-03-01T12:00:00+00:00')).toBe(0);
    expect(await count('merged:>2025-02-28')).toBe(1);
  });

  it('GraphQL: aliased searches answer issueCount in one request', async () => {
    const before = sim.requests.length;
    const data = await octokit.graphql<Record<string, { issueCount: number }>>(
      `query($a: String!, $b: String!) { a: search(query: $a, type: ISSUE, first: 1) { issueCount } b: search(query: $b, type: ISSUE, first: 1) { issueCount nodes { ... on PullRequest { number author { login } } } } }`,
      { a: 'repo:acme/shop is:pr is:merged author:bob', b: 'repo:acme/shop is:pr author:alice' },
    );
    expect(data).toEqual({ a: { issueCount: 0 }, b: { issueCount: 2, nodes: [expect.objectContaining({ author: { login: 'alice' } })] } });
    expect(sim.requests.length - before).toBe(1);
  });
});
