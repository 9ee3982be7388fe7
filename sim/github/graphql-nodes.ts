/**
 * GraphQL objects over the sim state. graphql-js's default resolver reads properties and calls
 * methods with (args, context, info), so each node is a plain object whose connection fields are
 * functions; `__typename` lets interfaces (GitObject, Actor) pick the concrete type.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { Links } from './links.js';
import type { IssueLike, PullRequest, Sha } from './model.js';
import { range } from './git.js';
import { searchIssues } from './search.js';
import { iso, isoOrNull, nodeId } from './shapes.js';
import type { SimState } from './state.js';

/** An error GitHub reports with a top-level `type` (NOT_FOUND, …). */
export class TypedGraphqlError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

interface PageArgs {
  first?: number;
  last?: number;
  after?: string;
  before?: string;
}

const MAX_PAGE = 100;
const cursor = (index: number) => Buffer.from(`cursor:${index}`).toString('base64');
const indexOf = (c: string) => Number(Buffer.from(c, 'base64').toString().split(':')[1]);

/** GitHub insists on first/last (≤ 100) for every connection; so does the sim. */
function connection<T>(items: readonly T[], args: PageArgs, info: GraphQLResolveInfo) {
  const size = args.first ?? args.last;
  if (size === undefined) throw new Error(`You must provide a \`first\` or \`last\` value to properly paginate the \`${info.fieldName}\` connection.`);
  if (size > MAX_PAGE) throw new Error(`Requesting ${size} records on the \`${info.fieldName}\` connection exceeds the \`${args.first !== undefined ? 'first' : 'last'}\` limit of ${MAX_PAGE} records.`);
  let start = args.after ? indexOf(args.after) + 1 : 0;
  let end = args.before ? indexOf(args.before) : items.length;
  if (args.first !== undefined) end = Math.min(end, start + args.first);
  else start = Math.max(start, end - size);
  const nodes = items.slice(start, end);
  return {
    totalCount: items.length,
    nodes,
    edges: nodes.map((node, i) => ({ node, cursor: cursor(start + i) })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length ? cursor(start) : null,
      endCursor: nodes.length ? cursor(end - 1) : null,
    },
  };
}

type Resolver<A = PageArgs> = (args: A, context: unknown, info: GraphQLResolveInfo) => unknown;

export function graphqlNodes(state: SimState, links: Links) {
  const actor = (login: string) => {
    const bot = login.endsWith('[bot]');
    const user = state.user(login);
    return {
      __typename: bot ? 'Bot' : 'User',
      login: bot ? login.slice(0, -'[bot]'.length) : login,
      url: links.web(`/${login}`),
      avatarUrl: `https://avatars.githubusercontent.com/u/${user?.id ?? 0}?v=4`,
      ...(user && { id: nodeId('U_', user.id), name: user.name, databaseId: user.id }),
    };
  };

  const label = (name: string) => {
    const l = state.label(name);
    return { id: nodeId('LA_', l.id), name: l.name, color: l.color, description: l.description };
  };

  const pullRequest = (pr: PullRequest): Record<string, unknown> => ({
    __typename: 'PullRequest',
    id: nodeId('PR_', pr.id),
    databaseId: pr.id,
    number: pr.number,
    title: pr.title,
    body: pr.body ?? '',
    url: links.repoWeb(`/pull/${pr.number}`),
    permalink: links.repoWeb(`/pull/${pr.number}`),
    state: pr.mergedAt !== null ? 'MERGED' : pr.state.toUpperCase(),
    merged: pr.mergedAt !== null,
    mergedAt: isoOrNull(pr.mergedAt),
    createdAt: iso(pr.createdAt),
    updatedAt: iso(pr.updatedAt),
    closedAt: isoOrNull(pr.closedAt),
    isDraft: false,
    baseRefName: pr.base,
    headRefName: pr.head,
    headRefOid: pr.headSha,
    author: actor(pr.user),
    labels: ((args, _c, info) => connection(pr.labels.map(label), args, info)) satisfies Resolver,
    mergeCommit: () => (pr.mergeCommitSha ? commit(pr.mergeCommitSha) : null),
    repository: () => repository,
  });

  const commit = (sha: Sha): Record<string, unknown> | null => {
    const c = state.commits.get(sha);
    if (!c) return null;
    const [headline = '', ...rest] = c.message.split('\n');
    const person = { name: c.authorName, email: c.authorEmail, date: iso(c.date), user: c.authorLogin ? actor(c.authorLogin) : null };
    return {
      __typename: 'Commit',
      id: nodeId('C_', c.sha),
      oid: c.sha,
      abbreviatedOid: c.sha.slice(0, 7),
      message: c.message,
      messageHeadline: headline,
      messageBody: rest.join('\n').trim(),
      committedDate: iso(c.date),
      authoredDate: iso(c.date),
      url: links.repoWeb(`/commit/${c.sha}`),
      commitUrl: links.repoWeb(`/commit/${c.sha}`),
      author: person,
      committer: { ...person, name: 'GitHub', email: 'noreply@github.com', user: null },
      parents: ((args, _c, info) => connection(c.parents.map(commit), args, info)) satisfies Resolver,
      // GitHub's schema gives this connection no `states` filter: open PRs come too.
      associatedPullRequests: ((args, _c, info) => connection(state.pullsForCommit(c.sha).map(pullRequest), args, info)) satisfies Resolver,
      // `git log` of this commit: every ancestor, itself first, newest committer date first (children
      // before parents); `since` keeps the commits committed at or after it (git log --since).
      history: ((args: PageArgs & { since?: string }, _c, info) => {
        const since = args.since === undefined ? -Infinity : Date.parse(args.since);
        const log = range(state.commits, undefined, c.sha).reverse();
        const order = new Map(log.map((entry, i) => [entry.sha, i]));
        const newestFirst = log.filter((entry) => entry.date >= since).sort((a, b) => b.date - a.date || order.get(a.sha)! - order.get(b.sha)!);
        return connection(newestFirst.map((entry) => commit(entry.sha)), args, info);
      }) satisfies Resolver<PageArgs & { since?: string }>,
    };
  };

  const gitObject = (sha: Sha | undefined): Record<string, unknown> | null => {
    if (sha === undefined) return null;
    const tag = state.tagObjects.get(sha);
    if (!tag) return commit(sha);
    return { __typename: 'Tag', id: nodeId('TAG_', sha), oid: sha, abbreviatedOid: sha.slice(0, 7), name: tag.tag, message: tag.message, target: gitObject(tag.object.sha) };
  };

  const ref = (qualified: string) => {
    const target = state.refs.get(qualified);
    if (target === undefined) return null;
    const [, prefix = '', name = ''] = /^(refs\/[^/]+\/)(.*)$/.exec(qualified) ?? [];
    return { id: nodeId('REF_', qualified), name, prefix, target: gitObject(target) };
  };

  const repository: Record<string, unknown> = {
    __typename: 'Repository',
    id: nodeId('R_', `${state.owner}/${state.repo}`),
    name: state.repo,
    nameWithOwner: `${state.owner}/${state.repo}`,
    url: links.repoWeb(),
    owner: { __typename: 'Organization', login: state.owner, url: links.web(`/${state.owner}`) },
    object: ({ oid, expression }: { oid?: string; expression?: string }) => {
      if (oid !== undefined) return gitObject(state.commits.has(oid) || state.tagObjects.has(oid) ? oid : undefined);
      return gitObject(expression === undefined ? undefined : state.resolve(expression));
    },
    defaultBranchRef: () => ref(`refs/heads/${state.defaultBranch}`),
    ref: ({ qualifiedName }: { qualifiedName: string }) => ref(qualifiedName.startsWith('refs/') ? qualifiedName : `refs/heads/${qualifiedName}`),
    pullRequest: ({ number }: { number: number }) => {
      const pr = state.pulls.get(number);
      if (!pr) throw new TypedGraphqlError('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${number}.`);
      return pullRequest(pr);
    },
  };

  const issue = (i: IssueLike): Record<string, unknown> => ({
    __typename: 'Issue',
    id: nodeId('I_', i.id),
    databaseId: i.id,
    number: i.number,
    title: i.title,
    body: i.body ?? '',
    url: links.repoWeb(`/issues/${i.number}`),
    state: i.state.toUpperCase(),
    createdAt: iso(i.createdAt),
    updatedAt: iso(i.updatedAt),
    closedAt: isoOrNull(i.closedAt),
    author: actor(i.user),
    labels: ((args, _c, info) => connection(i.labels.map(label), args, info)) satisfies Resolver,
    repository: () => repository,
  });

  /** `search(type: ISSUE)` over ./search.ts; other search types find nothing here. */
  const search = (args: PageArgs & { query: string; type: string }, _c: unknown, info: GraphQLResolveInfo) => {
    const found = args.type === 'ISSUE' ? searchIssues(state, args.query) : [];
    const page = connection(found.map((f) => (f.pull ? pullRequest(f.pull) : issue(f.issue))), args, info);
    return { ...page, issueCount: found.length, codeCount: 0, discussionCount: 0, repositoryCount: 0, userCount: 0, wikiCount: 0 };
  };

  const root = {
    search,
    repository: ({ owner, name }: { owner: string; name: string }) => {
      if (owner.toLowerCase() === state.owner.toLowerCase() && name.toLowerCase() === state.repo.toLowerCase()) return repository;
      throw new TypedGraphqlError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
    },
    rateLimit: () => ({ limit: 5000, cost: 1, remaining: 4999, used: 1, nodeCount: 0, resetAt: iso(state.now() + 3_600_000) }),
    viewer: () => actor('github-actions[bot]'),
  };

  return { root };
}
