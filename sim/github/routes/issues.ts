/** Issues (the incident), their comments, and GitHub's habit of listing pull requests as issues. */
import { body, intParam, type Ctx, type HandlerTable } from '../context.js';
import type { Comment, IssueLike, PullRequest } from '../model.js';
import { paginate } from '../paginate.js';
import { created, notFound, ok } from '../reply.js';
import { iso, isoOrNull, labelJson, nodeId, simpleUser } from '../shapes.js';

type LabelInput = string | { name?: string };

function isPull(issue: IssueLike): issue is PullRequest {
  return 'mergeCommitSha' in issue;
}

export function issueJson(ctx: Ctx, issue: IssueLike) {
  const n = issue.number;
  const api = ctx.links.repoApi(`/issues/${n}`);
  const assignees = issue.assignees.map((login) => simpleUser(ctx.state, ctx.links, login));
  const pull = isPull(issue) ? issue : undefined;
  return {
    id: issue.id,
    node_id: nodeId(pull ? 'PR_' : 'I_', issue.id),
    url: api,
    repository_url: ctx.links.repoApi(),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: ctx.links.repoWeb(`/${pull ? 'pull' : 'issues'}/${n}`),
    number: n,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: simpleUser(ctx.state, ctx.links, issue.user),
    labels: issue.labels.map((name) => labelJson(ctx.links, ctx.state.label(name))),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: ctx.state.comments.filter((c) => c.issueNumber === n).length,
    created_at: iso(issue.createdAt),
    updated_at: iso(issue.updatedAt),
    closed_at: isoOrNull(issue.closedAt),
    author_association: 'MEMBER',
    ...(pull && {
      pull_request: {
        url: ctx.links.repoApi(`/pulls/${n}`),
        html_url: ctx.links.repoWeb(`/pull/${n}`),
        diff_url: ctx.links.repoWeb(`/pull/${n}.diff`),
        patch_url: ctx.links.repoWeb(`/pull/${n}.patch`),
        merged_at: isoOrNull(pull.mergedAt),
      },
    }),
  };
}

function commentJson(ctx: Ctx, comment: Comment) {
  return {
    id: comment.id,
    node_id: nodeId('IC_', comment.id),
    url: ctx.links.repoApi(`/issues/comments/${comment.id}`),
    html_url: ctx.links.repoWeb(`/issues/${comment.issueNumber}#issuecomment-${comment.id}`),
    issue_url: ctx.links.repoApi(`/issues/${comment.issueNumber}`),
    body: comment.body,
    user: simpleUser(ctx.state, ctx.links, comment.user),
    created_at: iso(comment.createdAt),
    updated_at: iso(comment.createdAt),
    author_association: 'MEMBER',
  };
}

function labelNames(labels: LabelInput[] | undefined): string[] | undefined {
  return labels?.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((name) => name !== '');
}

/** Issue or pull request by number; GitHub serves both under /issues/{n}. */
function issueOr404(ctx: Ctx): IssueLike {
  const n = intParam(ctx, 'issue_number');
  const issue = ctx.state.issues.get(n) ?? ctx.state.pulls.get(n);
  if (!issue) throw notFound();
  return issue;
}

function createIssue(ctx: Ctx) {
  const input = body<{ title: string | number; body?: string | null; labels?: LabelInput[]; assignees?: string[]; assignee?: string | null }>(ctx);
  const labels = labelNames(input.labels);
  const assignees = input.assignees ?? (input.assignee ? [input.assignee] : undefined);
  const issue = ctx.state.addIssue({
    title: String(input.title),
    body: input.body ?? null,
    ...(labels && { labels }),
    ...(assignees && { assignees }),
  });
  const json = issueJson(ctx, issue);
  return { status: 201, body: json, headers: { location: json.url } };
}

function updateIssue(ctx: Ctx) {
  const issue = issueOr404(ctx);
  const input = body<{ title?: string | number | null; body?: string | null; state?: 'open' | 'closed'; state_reason?: IssueLike['stateReason']; labels?: LabelInput[]; assignees?: string[] }>(ctx);
  if (input.title != null) issue.title = String(input.title);
  if (input.body !== undefined) issue.body = input.body;
  const labels = labelNames(input.labels);
  if (labels) {
    labels.forEach((name) => ctx.state.label(name));
    issue.labels = labels;
  }
  if (input.assignees) issue.assignees = input.assignees;
  if (input.state && input.state !== issue.state) {
    issue.state = input.state;
    issue.closedAt = input.state === 'closed' ? ctx.state.now() : null;
    issue.stateReason = input.state === 'closed' ? (input.state_reason ?? 'completed') : 'reopened';
  }
  issue.updatedAt = ctx.state.now();
  return ok(issueJson(ctx, issue));
}

function listIssues(ctx: Ctx) {
  const { state = 'open', labels, creator, direction } = ctx.query as { state?: string; labels?: string; creator?: string; direction?: string };
  const wanted = labels ? labels.split(',').map((l) => l.trim()) : [];
  const all: IssueLike[] = [...ctx.state.issues.values(), ...ctx.state.pulls.values()];
  const issues = all
    .filter((i) => state === 'all' || i.state === state)
    .filter((i) => wanted.every((name) => i.labels.includes(name)))
    .filter((i) => creator === undefined || i.user.toLowerCase() === creator.toLowerCase())
    .sort((a, b) => (direction === 'asc' ? a.number - b.number : b.number - a.number));
  const page = paginate(ctx, issues);
  return ok(page.items.map((i) => issueJson(ctx, i)), page.headers);
}

export const issueHandlers: HandlerTable = {
  'issues/create': createIssue,
  'issues/get': (ctx) => ok(issueJson(ctx, issueOr404(ctx))),
  'issues/update': updateIssue,
  'issues/list-for-repo': listIssues,
  'issues/create-comment': (ctx) => {
    const issue = issueOr404(ctx);
    const comment = ctx.state.addComment(issue.number, { body: body<{ body: string }>(ctx).body });
    return created(commentJson(ctx, comment));
  },
  'issues/list-comments': (ctx) => {
    const issue = issueOr404(ctx);
    const page = paginate(ctx, ctx.state.comments.filter((c) => c.issueNumber === issue.number));
    return ok(page.items.map((c) => commentJson(ctx, c)), page.headers);
  },
  'issues/add-labels': (ctx) => {
    const issue = issueOr404(ctx);
    const input = body<{ labels?: LabelInput[] } | LabelInput[]>(ctx);
    const names = labelNames(Array.isArray(input) ? input : input.labels) ?? [];
    names.forEach((name) => ctx.state.label(name));
    issue.labels = [...new Set([...issue.labels, ...names])];
    return ok(issue.labels.map((name) => labelJson(ctx.links, ctx.state.label(name))));
  },
};
