/** Repository, users, commits, compare and tags. */
import type { Ctx, HandlerTable } from '../context.js';
import { compareStatus, mergeBase, range } from '../git.js';
import type { Commit } from '../model.js';
import { paginate } from '../paginate.js';
import { noCommit, notFound, ok } from '../reply.js';
import { commitJson, publicUser, repositoryJson } from '../shapes.js';

/** GitHub stops an unpaged compare at this many commits (see compareCommits docs). */
const UNPAGED_COMPARE_LIMIT = 250;

function commitOr422(ctx: Ctx, ref: string): Commit {
  const sha = ctx.state.resolve(ref);
  const commit = sha === undefined ? undefined : ctx.state.commits.get(sha);
  if (!commit) throw noCommit(ref);
  return commit;
}

function compare(ctx: Ctx) {
  const [base, head] = (ctx.params.basehead ?? '').split(/\.{2,3}/);
  const baseSha = base ? ctx.state.resolve(base) : undefined;
  const headSha = head ? ctx.state.resolve(head) : undefined;
  if (baseSha === undefined || headSha === undefined) throw notFound();
  const graph = ctx.state.commits;
  const ahead = range(graph, baseSha, headSha);
  const behindBy = range(graph, headSha, baseSha).length;
  const paged = ctx.search.has('per_page') || ctx.search.has('page');
  const page = paged ? paginate(ctx, ahead) : { items: ahead.slice(0, UNPAGED_COMPARE_LIMIT), headers: {} };
  const render = (c: Commit) => commitJson(ctx.state, ctx.links, c);
  const mergeBaseSha = mergeBase(graph, baseSha, headSha) ?? baseSha;
  const basehead = `${base}...${head}`;
  return ok(
    {
      url: ctx.links.repoApi(`/compare/${basehead}`),
      html_url: ctx.links.repoWeb(`/compare/${basehead}`),
      permalink_url: ctx.links.repoWeb(`/compare/${baseSha.slice(0, 7)}...${headSha.slice(0, 7)}`),
      diff_url: ctx.links.repoWeb(`/compare/${basehead}.diff`),
      patch_url: ctx.links.repoWeb(`/compare/${basehead}.patch`),
      base_commit: render(graph.get(baseSha)!),
      merge_base_commit: render(graph.get(mergeBaseSha)!),
      status: compareStatus(ahead.length, behindBy),
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      commits: page.items.map(render),
      files: [],
    },
    page.headers,
  );
}

/**
 * Every ancestor of `sha` (default branch by default), children before parents, as `git log`
 * lists them: merged branches' commits included, not only the first-parent line.
 */
function listCommits(ctx: Ctx) {
  const start = commitOr422(ctx, String(ctx.query.sha ?? ctx.state.defaultBranch));
  const history = range(ctx.state.commits, undefined, start.sha).reverse();
  const page = paginate(ctx, history);
  return ok(page.items.map((c) => commitJson(ctx.state, ctx.links, c)), page.headers);
}

function listTags(ctx: Ctx) {
  // GitHub does not document the order; newest-looking first (numeric-aware, descending) is typical.
  const names = [...ctx.state.refs.keys()]
    .filter((ref) => ref.startsWith('refs/tags/'))
    .map((ref) => ref.slice('refs/tags/'.length))
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  const page = paginate(ctx, names);
  const tags = page.items.map((name) => {
    const sha = ctx.state.peel(ctx.state.refs.get(`refs/tags/${name}`)!);
    return {
      name,
      commit: { sha, url: ctx.links.repoApi(`/commits/${sha}`) },
      zipball_url: ctx.links.repoApi(`/zipball/refs/tags/${name}`),
      tarball_url: ctx.links.repoApi(`/tarball/refs/tags/${name}`),
      node_id: Buffer.from(`Ref:${name}`).toString('base64'),
    };
  });
  return ok(tags, page.headers);
}

function rateLimit(ctx: Ctx) {
  const reset = Math.floor(ctx.state.now() / 1000) + 3600;
  const rate = { limit: 5000, used: 0, remaining: 5000, reset };
  return ok({ resources: { core: rate, search: { ...rate, limit: 30, remaining: 30 }, graphql: rate }, rate });
}

export const repoHandlers: HandlerTable = {
  'repos/get': (ctx) => ok(repositoryJson(ctx.state, ctx.links)),
  'users/get-by-username': (ctx) => {
    const user = ctx.state.user(ctx.params.username ?? '');
    if (!user) throw notFound();
    return ok(publicUser(ctx.state, ctx.links, user));
  },
  'repos/get-commit': (ctx) => {
    const commit = commitOr422(ctx, ctx.params.ref ?? '');
    return ok({ ...commitJson(ctx.state, ctx.links, commit), stats: { additions: 0, deletions: 0, total: 0 }, files: [] });
  },
  'repos/list-commits': listCommits,
  'repos/compare-commits-with-basehead': compare,
  'repos/list-tags': listTags,
  'rate-limit/get': rateLimit,
};
