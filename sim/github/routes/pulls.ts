/** Pull requests, including the commit → PR association the changelog uses. */
import { intParam, type Ctx, type HandlerTable } from '../context.js';
import type { PullRequest } from '../model.js';
import { paginate } from '../paginate.js';
import { noCommit, notFound, ok } from '../reply.js';
import { iso, isoOrNull, labelJson, nodeId, repositoryJson, simpleUser } from '../shapes.js';

function branchEnd(ctx: Ctx, ref: string, sha: string) {
  return {
    label: `${ctx.state.owner}:${ref}`,
    ref,
    sha,
    user: simpleUser(ctx.state, ctx.links, ctx.state.owner),
    repo: repositoryJson(ctx.state, ctx.links),
  };
}

export function pullJson(ctx: Ctx, pr: PullRequest) {
  const n = pr.number;
  const api = ctx.links.repoApi(`/pulls/${n}`);
  const html = ctx.links.repoWeb(`/pull/${n}`);
  const user = simpleUser(ctx.state, ctx.links, pr.user);
  const link = (href: string) => ({ href });
  const assignees = pr.assignees.map((login) => simpleUser(ctx.state, ctx.links, login));
  return {
    url: api,
    id: pr.id,
    node_id: nodeId('PR_', pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: ctx.links.repoApi(`/issues/${n}`),
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: ctx.links.repoApi('/pulls/comments{/number}'),
    comments_url: ctx.links.repoApi(`/issues/${n}/comments`),
    statuses_url: ctx.links.repoApi(`/statuses/${pr.headSha}`),
    number: n,
    state: pr.state,
    locked: false,
    title: pr.title,
    user,
    body: pr.body,
    labels: pr.labels.map((name) => labelJson(ctx.links, ctx.state.label(name))),
    milestone: null,
    active_lock_reason: null,
    created_at: iso(pr.createdAt),
    updated_at: iso(pr.updatedAt),
    closed_at: isoOrNull(pr.closedAt),
    merged_at: isoOrNull(pr.mergedAt),
    merge_commit_sha: pr.mergeCommitSha,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: [],
    requested_teams: [],
    head: branchEnd(ctx, pr.head, pr.headSha),
    base: branchEnd(ctx, pr.base, ctx.state.resolve(pr.base) ?? pr.mergeCommitSha ?? pr.headSha),
    _links: {
      self: link(api),
      html: link(html),
      issue: link(ctx.links.repoApi(`/issues/${n}`)),
      comments: link(ctx.links.repoApi(`/issues/${n}/comments`)),
      review_comments: link(`${api}/comments`),
      review_comment: link(ctx.links.repoApi('/pulls/comments{/number}')),
      commits: link(`${api}/commits`),
      statuses: link(ctx.links.repoApi(`/statuses/${pr.headSha}`)),
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: false,
    // Fields only the single-PR endpoint documents; harmless extras in lists.
    merged: pr.mergedAt !== null,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: pr.mergedAt !== null ? user : null,
    comments: ctx.state.comments.filter((c) => c.issueNumber === n).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pr.commits.length || 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}

function listPulls(ctx: Ctx) {
  const { state = 'open', head, base, direction } = ctx.query as { state?: string; head?: string; base?: string; direction?: string };
  const pulls = [...ctx.state.pulls.values()]
    .filter((pr) => state === 'all' || pr.state === state)
    .filter((pr) => head === undefined || `${ctx.state.owner}:${pr.head}` === head || pr.head === head)
    .filter((pr) => base === undefined || pr.base === base)
    .sort((a, b) => (direction === 'asc' ? a.createdAt - b.createdAt : b.createdAt - a.createdAt) || b.number - a.number);
  const page = paginate(ctx, pulls);
  return ok(page.items.map((pr) => pullJson(ctx, pr)), page.headers);
}

export const pullHandlers: HandlerTable = {
  'pulls/list': listPulls,
  'pulls/get': (ctx) => {
    const pr = ctx.state.pulls.get(intParam(ctx, 'pull_number'));
    if (!pr) throw notFound();
    return ok(pullJson(ctx, pr));
  },
  'repos/list-pull-requests-associated-with-commit': (ctx) => {
    const sha = ctx.state.resolve(ctx.params.commit_sha ?? '');
    if (sha === undefined) throw noCommit(ctx.params.commit_sha ?? '');
    const page = paginate(ctx, ctx.state.pullsForCommit(sha));
    return ok(page.items.map((pr) => pullJson(ctx, pr)), page.headers);
  },
};
