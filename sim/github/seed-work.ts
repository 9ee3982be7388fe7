/** Seeding of work items: issues, pull requests, comments, releases and deployments. */
import type * as M from './model.js';
import { TOKEN_USER, toMs, type CommentSeed, type MergeMethod, type DeploymentSeed, type DeploymentStatusSeed, type IssueSeed, type PullRequestSeed, type ReleaseSeed } from './seeds.js';
import type { SimState } from './state.js';

function issueLike(state: SimState, seed: IssueSeed): M.IssueLike {
  const createdAt = toMs(seed.createdAt, state.now());
  const status = seed.state ?? 'open';
  (seed.labels ?? []).forEach((name) => state.label(name));
  (seed.assignees ?? []).forEach((login) => state.addUser(login));
  return {
    id: state.nextId('issue', 1_000_000_001),
    number: state.nextNumber(seed.number),
    title: seed.title,
    body: seed.body ?? null,
    state: status,
    stateReason: status === 'closed' ? 'completed' : null,
    labels: [...(seed.labels ?? [])],
    assignees: [...(seed.assignees ?? [])],
    user: state.addUser(seed.user ?? TOKEN_USER).login,
    createdAt,
    updatedAt: createdAt,
    closedAt: status === 'closed' ? createdAt : null,
  };
}

export function addIssue(state: SimState, seed: IssueSeed): M.Issue {
  const issue = issueLike(state, seed);
  state.issues.set(issue.number, issue);
  return issue;
}

/** What merging did to the repository: the merge commit and the commits GitHub associates with the PR. */
interface Landing {
  readonly mergeCommitSha: M.Sha;
  readonly commits: readonly M.Sha[];
  readonly landed: readonly M.Sha[];
}

type Lander = (state: SimState, pr: { seed: PullRequestSeed; number: number; base: string; head: string }) => Landing;

/** The PR branch: the seeded `commits`, or new ones forked from the base's head onto `head`. */
function branch(state: SimState, { seed, number, base, head }: Parameters<Lander>[1]): M.Commit[] {
  if (seed.commits) return seed.commits.map((sha) => state.commits.get(sha)).filter((c): c is M.Commit => c !== undefined);
  const spec = seed.branchCommits ?? 2;
  const messages = typeof spec === 'number' ? Array.from({ length: spec }, (_, i) => `${seed.title} (part ${i + 1} of #${number})`) : spec;
  const fork = state.refs.get(`refs/heads/${base}`);
  if (fork && !state.refs.has(`refs/heads/${head}`)) state.setRef(`heads/${head}`, fork);
  return messages.map((message) => state.addCommit({ branch: head, message, ...(seed.user !== undefined && { author: seed.user }) }));
}

const LANDERS: Record<MergeMethod, Lander> = {
  // The message conventional-commit changelogs read.
  squash: (state, { seed, number, base }) => ({
    mergeCommitSha: state.addCommit({ branch: base, message: `${seed.title} (#${number})`, ...(seed.user !== undefined && { author: seed.user }), ...(seed.mergedAt !== undefined && { date: seed.mergedAt }) }).sha,
    commits: seed.commits ?? [],
    landed: [],
  }),
  merge: (state, pr) => {
    const commits = branch(state, pr);
    const baseHead = state.refs.get(`refs/heads/${pr.base}`);
    const parents = [...(baseHead ? [baseHead] : []), ...commits.slice(-1).map((c) => c.sha)];
    const message = `Merge pull request #${pr.number} from ${state.owner}/${pr.head}\n\n${pr.seed.title}`;
    const merge = state.addCommit({ branch: pr.base, parents, message, ...(pr.seed.user !== undefined && { author: pr.seed.user }), ...(pr.seed.mergedAt !== undefined && { date: pr.seed.mergedAt }) });
    return { mergeCommitSha: merge.sha, commits: commits.map((c) => c.sha), landed: [] };
  },
  rebase: (state, pr) => {
    const commits = branch(state, pr);
    if (commits.length === 0) return LANDERS.squash(state, pr);
    const author = (c: M.Commit) => ({ ...(c.authorLogin !== undefined && { login: c.authorLogin }), name: c.authorName, email: c.authorEmail });
    const copies = commits.map((c) => state.addCommit({ branch: pr.base, message: c.message, author: author(c), ...(pr.seed.mergedAt !== undefined && { date: pr.seed.mergedAt }) }));
    return { mergeCommitSha: copies[copies.length - 1]!.sha, commits: commits.map((c) => c.sha), landed: copies.map((c) => c.sha) };
  },
};

export function addPullRequest(state: SimState, seed: PullRequestSeed): M.PullRequest {
  const merged = seed.merged ?? seed.state !== 'open';
  const base = seed.base ?? state.defaultBranch;
  const number = state.nextNumber(seed.number);
  const head = seed.head ?? `feature/pr-${number}`;
  const landing: Landing | undefined = !merged
    ? undefined
    : seed.mergeCommitSha !== undefined
      ? { mergeCommitSha: seed.mergeCommitSha, commits: seed.commits ?? [], landed: [] }
      : LANDERS[seed.mergeMethod ?? 'squash'](state, { seed, number, base, head });
  const mergeCommitSha = landing?.mergeCommitSha ?? seed.mergeCommitSha ?? null;
  const commits = landing?.commits ?? seed.commits ?? [];
  const mergedAt = merged ? toMs(seed.mergedAt, state.commits.get(mergeCommitSha ?? '')?.date ?? state.now()) : null;
  const issue = issueLike(state, {
    ...seed,
    number,
    state: merged ? 'closed' : (seed.state ?? 'open'),
    createdAt: seed.createdAt ?? (mergedAt ?? state.now()) - 3_600_000,
  });
  const pull: M.PullRequest = {
    ...issue,
    closedAt: merged ? mergedAt : issue.closedAt,
    base,
    head,
    headSha: commits[commits.length - 1] ?? mergeCommitSha ?? state.nextSha(`head ${number}`),
    mergedAt,
    mergeCommitSha,
    commits,
    landed: landing?.landed ?? [],
  };
  state.pulls.set(number, pull);
  return pull;
}

export function addComment(state: SimState, issueNumber: number, seed: CommentSeed): M.Comment {
  const comment: M.Comment = {
    id: state.nextId('comment', 1_500_000_001),
    issueNumber,
    body: seed.body,
    user: state.addUser(seed.user ?? TOKEN_USER).login,
    createdAt: toMs(seed.createdAt, state.now()),
  };
  state.comments.push(comment);
  return comment;
}

export function addRelease(state: SimState, seed: ReleaseSeed): M.Release {
  const createdAt = toMs(seed.createdAt, state.now());
  const draft = seed.draft ?? false;
  const release: M.Release = {
    id: state.nextId('release', 150_000_001),
    tagName: seed.tagName,
    targetCommitish: seed.targetCommitish ?? state.defaultBranch,
    name: seed.name ?? null,
    body: seed.body ?? null,
    draft,
    prerelease: seed.prerelease ?? false,
    author: state.addUser(seed.author ?? TOKEN_USER).login,
    createdAt,
    publishedAt: draft ? null : createdAt,
  };
  state.releases.push(release);
  return release;
}

export function addDeployment(state: SimState, seed: DeploymentSeed): M.Deployment {
  const ref = seed.ref ?? seed.sha ?? state.defaultBranch;
  const environment = seed.environment ?? 'production';
  state.environment(environment);
  const deployment: M.Deployment = {
    id: state.nextId('deployment', 1_200_000_001),
    sha: seed.sha ?? state.resolve(ref) ?? ref,
    ref,
    task: seed.task ?? 'deploy',
    environment,
    description: seed.description ?? null,
    payload: seed.payload ?? {},
    creator: state.addUser(seed.creator ?? TOKEN_USER).login,
    createdAt: toMs(seed.createdAt, state.now()),
    transient: seed.transient ?? false,
    production: seed.production ?? environment === 'production',
    statuses: [],
  };
  state.deployments.push(deployment);
  return deployment;
}

/** Like GitHub's default `auto_inactive`, a `success` marks earlier successful deployments to the environment inactive. */
export function addDeploymentStatus(state: SimState, deploymentId: number, seed: DeploymentStatusSeed): M.DeploymentStatus | undefined {
  const deployment = state.deployments.find((d) => d.id === deploymentId);
  if (!deployment) return undefined;
  const status: M.DeploymentStatus = {
    id: state.nextId('deployment-status', 2_400_000_001),
    deploymentId,
    state: seed.state,
    description: seed.description ?? '',
    environment: seed.environment ?? deployment.environment,
    environmentUrl: seed.environmentUrl ?? '',
    logUrl: seed.logUrl ?? '',
    creator: state.addUser(seed.creator ?? TOKEN_USER).login,
    createdAt: state.now(),
  };
  deployment.statuses.push(status);
  if (seed.state !== 'success' || seed.autoInactive === false) return status;
  for (const other of state.deployments) {
    const latest = other.statuses[other.statuses.length - 1];
    if (other === deployment || other.environment !== deployment.environment || latest?.state !== 'success') continue;
    addDeploymentStatus(state, other.id, { state: 'inactive', autoInactive: false });
  }
  return status;
}
