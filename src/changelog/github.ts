// The ChangelogPort over Octokit: REST for tags and the comparison; GraphQL for the history pages
// that carry each commit's PRs (100 commits a request), for the commit → PR association of
// arbitrary commits and the first-contribution check (100 aliases a query). A changelog costs
// about one request per hundred commits, plus three.
import type { RunContext } from '../settings.js';
import type { Octokit } from '../github/octokit.js';
import { PAGE_SIZE, RefNotFound, type AssociatedPr, type AssociationBatch, type ChangelogPort, type CommitAssociations, type CompareStatus, type RangeCommit } from './port.js';

/**
 * Associated PRs asked for per commit. A commit on the default branch has one (the PR that merged
 * it); more only for commits also inside other PRs' branches. The connection takes no `states`
 * filter (GitHub's schema), so open ones come too and prs.ts keeps the merged.
 */
const ASSOCIATED = 5;
const LABELS = 20;

const PR_FRAGMENT = `fragment prs on Commit {
  associatedPullRequests(first: ${ASSOCIATED}) {
    totalCount
    nodes { number title body url mergedAt baseRefName author { __typename login } labels(first: ${LABELS}) { nodes { name } } mergeCommit { oid } }
  }
}`;

interface PrNode {
  number: number;
  title: string;
  body: string;
  url: string;
  mergedAt: string | null;
  baseRefName: string;
  author: { __typename: string; login: string } | null;
  labels: { nodes: Array<{ name: string } | null> | null } | null;
  mergeCommit: { oid: string } | null;
}
type CommitNode = { associatedPullRequests: { totalCount: number; nodes: Array<PrNode | null> | null } } | null;
type AssociationData = { repository: { defaultBranchRef: { name: string } | null } & Record<string, CommitNode> };

type Comparison = Awaited<ReturnType<Octokit['rest']['repos']['compareCommitsWithBasehead']>>['data'];

/** The commit fields the REST comparison and commit list share. */
interface RestCommit {
  sha: string;
  parents: Array<{ sha: string }>;
  commit: { message: string; author: { name?: string } | null; committer: { date?: string } | null };
  author: { login: string; type?: string } | Record<string, never> | null;
}

function toRangeCommit(c: RestCommit): RangeCommit {
  const account = c.author && 'login' in c.author ? c.author : undefined;
  return {
    sha: c.sha,
    parents: c.parents.map((p) => p.sha),
    message: c.commit.message,
    ...(account && { login: account.login }),
    bot: account?.type === 'Bot',
    authorName: c.commit.author?.name ?? 'unknown',
    date: c.commit.committer?.date ?? '',
  };
}

function toPr(node: PrNode): AssociatedPr {
  return {
    number: node.number,
    title: node.title,
    body: node.body,
    url: node.url,
    mergedAt: node.mergedAt,
    base: node.baseRefName,
    author: node.author ? { login: node.author.login, bot: node.author.__typename === 'Bot' } : null,
    labels: (node.labels?.nodes ?? []).flatMap((l) => (l ? [l.name] : [])),
    mergeCommit: node.mergeCommit?.oid ?? null,
  };
}

function chunks<T>(items: readonly T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / PAGE_SIZE) }, (_, i) => items.slice(i * PAGE_SIZE, (i + 1) * PAGE_SIZE));
}

function httpStatus(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error ? Number((error as { status: unknown }).status) : undefined;
}

/** `c0: object(oid: $c0) { ...prs }` × n: aliases batch what REST does one commit at a time. */
function associationQuery(n: number): string {
  const indexes = Array.from({ length: n }, (_, i) => i);
  return `query($owner: String!, $name: String!, ${indexes.map((i) => `$c${i}: GitObjectID!`).join(', ')}) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name }
    ${indexes.map((i) => `c${i}: object(oid: $c${i}) { ...prs }`).join('\n    ')}
  }
}
${PR_FRAGMENT}`;
}

/** A page of `git log $head` with what RangeCommit needs and each commit's PRs (the same fragment). */
const HISTORY_QUERY = `query($owner: String!, $name: String!, $head: GitObjectID!, $since: GitTimestamp, $after: String) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name }
    object(oid: $head) {
      ... on Commit {
        history(first: ${PAGE_SIZE}, after: $after, since: $since) {
          pageInfo { hasNextPage endCursor }
          nodes { oid message committedDate parents(first: 10) { nodes { oid } } author { name user { login } } ...prs }
        }
      }
    }
  }
}
${PR_FRAGMENT}`;

interface HistoryNode {
  oid: string;
  message: string;
  committedDate: string;
  parents: { nodes: Array<{ oid: string } | null> | null };
  author: { name: string | null; user: { login: string } | null } | null;
  associatedPullRequests: { totalCount: number; nodes: Array<PrNode | null> | null };
}
type HistoryData = {
  repository: {
    defaultBranchRef: { name: string } | null;
    object: { history?: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<HistoryNode | null> | null } } | null;
  };
};

/** GraphQL's GitActor.user is a User: a bot's commit has none, so a `[bot]` name tells it. */
function historyCommit(node: HistoryNode): RangeCommit {
  const login = node.author?.user?.login;
  const authorName = node.author?.name ?? 'unknown';
  return {
    sha: node.oid,
    parents: (node.parents.nodes ?? []).flatMap((p) => (p ? [p.oid] : [])),
    message: node.message,
    ...(login !== undefined && { login }),
    bot: (login ?? authorName).endsWith('[bot]'),
    authorName,
    date: node.committedDate,
  };
}

function associationsOf(connection: { totalCount: number; nodes: Array<PrNode | null> | null } | undefined): CommitAssociations {
  const prs = (connection?.nodes ?? []).flatMap((node) => (node ? [toPr(node)] : []));
  return { prs, truncated: (connection?.totalCount ?? 0) > prs.length };
}

function searchQuery(n: number): string {
  const indexes = Array.from({ length: n }, (_, i) => i);
  return `query(${indexes.map((i) => `$q${i}: String!`).join(', ')}) {
  ${indexes.map((i) => `u${i}: search(query: $q${i}, type: ISSUE, first: 1) { issueCount }`).join('\n  ')}
}`;
}

export function changelogPort(octokit: Octokit, run: RunContext): ChangelogPort {
  const repo = { owner: run.owner, repo: run.repo };
  let requests = 0;
  const sent = <T>(value: T): T => {
    requests += 1;
    return value;
  };

  async function associatedChunk(shas: readonly string[]): Promise<AssociationBatch> {
    const variables = Object.fromEntries(shas.map((sha, i) => [`c${i}`, sha]));
    const data = sent(await octokit.graphql<AssociationData>(associationQuery(shas.length), { owner: run.owner, name: run.repo, ...variables }));
    const byCommit = new Map<string, CommitAssociations>();
    shas.forEach((sha, i) => byCommit.set(sha, associationsOf(data.repository[`c${i}`]?.associatedPullRequests)));
    const name = data.repository.defaultBranchRef?.name;
    return { ...(name !== undefined && { defaultBranch: name }), byCommit };
  }

  return {
    get requests() {
      return requests;
    },

    async listTags() {
      const tags = [];
      for await (const { data } of octokit.paginate.iterator(octokit.rest.repos.listTags, { ...repo, per_page: PAGE_SIZE })) {
        sent(data);
        tags.push(...data.map((t) => ({ name: t.name, commit: t.commit.sha })));
      }
      return tags;
    },

    // octokit.paginate does not flatten compare responses, and without per_page GitHub stops at
    // 250 commits: iterate the pages (Link rel="next") and map each one ourselves.
    async *compare(base, head) {
      const pages = octokit.paginate.iterator(octokit.rest.repos.compareCommitsWithBasehead, { ...repo, basehead: `${base}...${head}`, per_page: PAGE_SIZE });
      try {
        for await (const response of pages) {
          // paginate's types assume a list response; compare's page is the comparison object.
          const data = sent(response.data as unknown as Comparison);
          yield {
            status: data.status as CompareStatus,
            totalCommits: data.total_commits,
            base: { sha: data.base_commit.sha, date: data.base_commit.commit.committer?.date ?? '' },
            commits: (data.commits as RestCommit[]).map(toRangeCommit),
          };
        }
      } catch (error) {
        if (httpStatus(error) === 404) throw new RefNotFound(base);
        throw error;
      }
    },

    async *history(head) {
      for await (const { data } of octokit.paginate.iterator(octokit.rest.repos.listCommits, { ...repo, sha: head, per_page: PAGE_SIZE })) {
        sent(data);
        yield (data as RestCommit[]).map(toRangeCommit);
      }
    },

    async *historyWithPullRequests(head, since) {
      let after: string | null = null;
      for (;;) {
        const data: HistoryData = sent(await octokit.graphql<HistoryData>(HISTORY_QUERY, { owner: run.owner, name: run.repo, head, ...(since !== undefined && { since }), after }));
        const history = data.repository.object?.history;
        if (!history) throw new RefNotFound(head);
        const nodes = (history.nodes ?? []).flatMap((node) => (node ? [node] : []));
        const name = data.repository.defaultBranchRef?.name;
        yield { commits: nodes.map(historyCommit), byCommit: new Map(nodes.map((node) => [node.oid, associationsOf(node.associatedPullRequests)])), ...(name !== undefined && { defaultBranch: name }) };
        if (!history.pageInfo.hasNextPage || !history.pageInfo.endCursor) return;
        after = history.pageInfo.endCursor;
      }
    },

    async associatedPullRequests(shas) {
      const byCommit = new Map<string, CommitAssociations>();
      let defaultBranch: string | undefined;
      // One batch at a time: GitHub asks integrators not to send concurrent requests.
      for (const chunk of chunks(shas)) {
        const batch = await associatedChunk(chunk);
        defaultBranch ??= batch.defaultBranch;
        for (const [sha, associations] of batch.byCommit) byCommit.set(sha, associations);
      }
      return { ...(defaultBranch !== undefined && { defaultBranch }), byCommit };
    },

    async mergedPullRequestCounts(logins, until) {
      // Search's documented date-time form is +00:00, not Z.
      const at = until.replace(/Z$/, '+00:00');
      const counts = new Map<string, number>();
      for (const chunk of chunks(logins)) {
        const variables = Object.fromEntries(chunk.map((login, i) => [`q${i}`, `repo:${run.owner}/${run.repo} is:pr is:merged author:${login} merged:<=${at}`]));
        const data = sent(await octokit.graphql<Record<string, { issueCount: number }>>(searchQuery(chunk.length), variables));
        chunk.forEach((login, i) => counts.set(login, data[`u${i}`]?.issueCount ?? 0));
      }
      return counts;
    },
  };
}
