/** The simulated GitHub GraphQL endpoint: validated against GitHub's schema, executed over the state. */
import { getOctokit } from '@actions/github';
import { SimGitHub } from '../sim/github/index.js';

let sim: SimGitHub;
let octokit: ReturnType<typeof getOctokit>;

beforeAll(async () => {
  sim = await SimGitHub.start({ owner: 'acme', repo: 'shop' });
  octokit = getOctokit('token', { baseUrl: sim.url });
});
afterAll(() => sim.stop());

async function post(query: string, variables?: Record<string, unknown>) {
  const response = await fetch(sim.graphqlUrl, { method: 'POST', body: JSON.stringify({ query, variables }), headers: { authorization: 'bearer t' } });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: Array<{ message: string; type?: string }> } };
}

it('answers a field the schema lacks with HTTP 200 and errors, like GitHub', async () => {
  const { status, body } = await post('query { repository(owner: "acme", name: "shop") { object(oid: "abc") { ... on Commit { oid noSuchField } } } }');
  expect(status).toBe(200);
  expect(body.data).toBeUndefined();
  expect(body.errors?.[0]?.message).toBe('Cannot query field "noSuchField" on type "Commit".');
  await expect(octokit.graphql('query { viewer { nope } }')).rejects.toThrow(/Cannot query field "nope"/);
});

it('answers a syntax error with errors too', async () => {
  const { status, body } = await post('query { repository(');
  expect(status).toBe(200);
  expect(body.errors?.[0]?.message).toMatch(/Syntax Error/);
});

it('resolves aliased commit → associated pull request lookups in one query', async () => {
  const feature = sim.state.addPullRequest({ title: 'feat: one-click checkout', user: 'alice', labels: ['feature'] });
  const fix = sim.state.addPullRequest({ title: 'fix: tax rounding', user: 'bob', labels: ['bug', 'customer'] });
  const orphan = sim.state.addCommit({ message: 'chore: direct push\n\nno PR' });
  const shas = [feature.mergeCommitSha!, fix.mergeCommitSha!, orphan.sha];
  const query = `query($owner: String!, $name: String!) {
    repository(owner: $owner, name: $name) {
      ${shas
        .map(
          (sha, i) => `c${i}: object(oid: "${sha}") { ... on Commit { oid messageHeadline
            associatedPullRequests(first: 5) { nodes { number title url mergedAt baseRefName author { login }
              labels(first: 20) { nodes { name } } mergeCommit { oid } } } } }`,
        )
        .join('\n')}
    }
    rateLimit { cost remaining }
  }`;
  const data = await octokit.graphql<{ repository: Record<string, { oid: string; messageHeadline: string; associatedPullRequests: { nodes: Array<Record<string, unknown>> } }> }>(query, {
    owner: 'acme',
    name: 'shop',
  });
  expect(data.repository.c0!.associatedPullRequests.nodes).toEqual([
    expect.objectContaining({
      number: feature.number,
      title: 'feat: one-click checkout',
      baseRefName: 'main',
      author: { login: 'alice' },
      labels: { nodes: [{ name: 'feature' }] },
      mergeCommit: { oid: feature.mergeCommitSha },
      url: `${sim.url}/acme/shop/pull/${feature.number}`,
    }),
  ]);
  expect(data.repository.c1!.associatedPullRequests.nodes[0]!.labels).toEqual({ nodes: [{ name: 'bug' }, { name: 'customer' }] });
  expect(data.repository.c2).toMatchObject({ messageHeadline: 'chore: direct push', associatedPullRequests: { nodes: [] } });
});

it('requires first/last on connections, as GitHub does', async () => {
  const sha = sim.state.addCommit().sha;
  const { body } = await post(`query { repository(owner: "acme", name: "shop") { object(oid: "${sha}") { ... on Commit { associatedPullRequests { totalCount } } } } }`);
  expect(body.errors?.[0]?.message).toBe('You must provide a `first` or `last` value to properly paginate the `associatedPullRequests` connection.');
});

it('reports an unknown repository as NOT_FOUND', async () => {
  const { body } = await post('query { repository(owner: "acme", name: "nope") { name } }');
  expect(body.data).toEqual({ repository: null });
  expect(body.errors?.[0]).toMatchObject({ type: 'NOT_FOUND', message: "Could not resolve to a Repository with the name 'acme/nope'." });
});

it('refuses mutations it does not implement and logs them as writes', async () => {
  const { body } = await post('mutation { addComment(input: {subjectId: "x", body: "y"}) { clientMutationId } }');
  expect(body.errors?.[0]?.message).toContain('does not implement the GraphQL mutation addComment');
  expect(sim.writes().map((w) => w.path)).toEqual(['/graphql']);
});
