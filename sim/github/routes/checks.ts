/** Check runs and commit statuses: the two CI signals the release gate reads. */
import { body, intParam, type Ctx, type HandlerTable } from '../context.js';
import type { App, CheckRun, CommitStatus, Sha, StatusState } from '../model.js';
import { paginate } from '../paginate.js';
import { created, noCommit, notFound, ok } from '../reply.js';
import { ACTIONS_APP } from '../seeds.js';
import { iso, isoOrNull, nodeId, repositoryJson, simpleUser } from '../shapes.js';

const ACTIONS_APP_ID = ACTIONS_APP.id;

function shaOf(ctx: Ctx, ref: string): Sha {
  const sha = ctx.state.resolve(ref);
  if (sha === undefined) throw noCommit(ref);
  return sha;
}

function appJson(ctx: Ctx, app: App) {
  const isActions = app.id === ACTIONS_APP_ID;
  const since = iso(Date.UTC(2018, 6, 30));
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('A_', app.id),
    owner: simpleUser(ctx.state, ctx.links, isActions ? 'github' : ctx.state.owner),
    name: app.name,
    description: isActions ? 'Automate your workflow from idea to production' : '',
    external_url: isActions ? 'https://help.github.com/en/actions' : ctx.links.web(`/apps/${app.slug}`),
    html_url: ctx.links.web(`/apps/${app.slug}`),
    created_at: since,
    updated_at: since,
    permissions: { actions: 'write', checks: 'write', contents: 'write', deployments: 'write', metadata: 'read', statuses: 'write' },
    events: ['check_run', 'check_suite', 'push', 'pull_request', 'workflow_dispatch'],
  };
}

function checkRunJson(ctx: Ctx, run: CheckRun) {
  const view = ctx.state.progress(run);
  // Actions check runs link to the job page; for them check run id == job id.
  const htmlUrl = run.runId !== undefined && run.app.id === ACTIONS_APP_ID ? ctx.links.repoWeb(`/actions/runs/${run.runId}/job/${run.id}`) : ctx.links.repoWeb(`/runs/${run.id}`);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('CR_', run.id),
    head_sha: run.headSha,
    external_id: run.externalId,
    url: ctx.links.repoApi(`/check-runs/${run.id}`),
    html_url: htmlUrl,
    details_url: run.detailsUrl ?? htmlUrl,
    status: view.status,
    conclusion: view.conclusion,
    started_at: iso(view.startedAt),
    completed_at: isoOrNull(view.completedAt),
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: ctx.links.repoApi(`/check-runs/${run.id}/annotations`) },
    check_suite: { id: run.suiteId },
    app: appJson(ctx, run.app),
    pull_requests: [],
  };
}

/**
 * `filter=latest`: the newest run of each name *within a check suite* — a re-run attempt adds its
 * runs to the same suite and hides the older ones there, while a same-named run of another suite
 * (another workflow run: every Actions job is a check run of the one GitHub Actions app, named by
 * its job) stays listed. Source: reference/github-actions.md "Check suites", observed in
 * lewagon/wait-on-check-action#156; docs: "Filters check runs by their completed_at timestamp.
 * latest returns the most recent check runs." (checks/list-for-ref, parameter `filter`).
 */
function latestOnly(runs: CheckRun[]): CheckRun[] {
  const key = (run: CheckRun) => `${run.suiteId}\u0000${run.name}`;
  const newest = new Map<string, CheckRun>();
  for (const run of runs) {
    if ((newest.get(key(run))?.id ?? -1) < run.id) newest.set(key(run), run);
  }
  return runs.filter((run) => newest.get(key(run)) === run);
}

/** A check run seeded with `appearAfterMs` does not exist yet before that clock time. */
function exists(ctx: Ctx, run: CheckRun): boolean {
  return run.appearAfterMs === undefined || ctx.state.now() - ctx.state.servingSince >= run.appearAfterMs;
}

function listForRef(ctx: Ctx) {
  const sha = shaOf(ctx, ctx.params.ref ?? '');
  const { check_name: name, status, app_id: appId, filter } = ctx.query;
  let runs = ctx.state.checkRuns.filter((run) => run.headSha === sha && exists(ctx, run)).sort((a, b) => b.id - a.id);
  if (filter !== 'all') runs = latestOnly(runs);
  if (name !== undefined) runs = runs.filter((run) => run.name === name);
  if (appId !== undefined) runs = runs.filter((run) => run.app.id === appId);
  if (status !== undefined) runs = runs.filter((run) => ctx.state.progress(run).status === status);
  const page = paginate(ctx, runs);
  return ok({ total_count: runs.length, check_runs: page.items.map((run) => checkRunJson(ctx, run)) }, page.headers);
}

function simpleStatusJson(ctx: Ctx, status: CommitStatus) {
  return {
    url: ctx.links.repoApi(`/statuses/${status.sha}`),
    avatar_url: `https://avatars.githubusercontent.com/u/${ctx.state.user(status.creator)?.id ?? 0}?v=4`,
    id: status.id,
    node_id: nodeId('SC_', status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: iso(status.createdAt),
    updated_at: iso(status.createdAt),
  };
}

function statusJson(ctx: Ctx, status: CommitStatus) {
  return { ...simpleStatusJson(ctx, status), creator: simpleUser(ctx.state, ctx.links, status.creator) };
}

function newestFirst(ctx: Ctx, sha: Sha): CommitStatus[] {
  return ctx.state.statuses.filter((s) => s.sha === sha).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
}

/** GitHub's combined state; with no statuses at all it is `pending` — the trap to check total_count for. */
function combinedState(latest: CommitStatus[]): StatusState {
  if (latest.some((s) => s.state === 'error' || s.state === 'failure')) return 'failure';
  if (latest.length === 0 || latest.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

function combined(ctx: Ctx) {
  const sha = shaOf(ctx, ctx.params.ref ?? '');
  const seen = new Set<string>();
  const latest = newestFirst(ctx, sha).filter((s) => !seen.has(s.context) && seen.add(s.context));
  const page = paginate(ctx, latest);
  return ok(
    {
      state: combinedState(latest),
      statuses: page.items.map((s) => simpleStatusJson(ctx, s)),
      sha,
      total_count: latest.length,
      repository: repositoryJson(ctx.state, ctx.links),
      commit_url: ctx.links.repoApi(`/commits/${sha}`),
      url: ctx.links.repoApi(`/commits/${sha}/status`),
    },
    page.headers,
  );
}

function createStatus(ctx: Ctx) {
  const sha = ctx.params.sha ?? '';
  if (!ctx.state.commits.has(sha)) throw noCommit(sha);
  const input = body<{ state: StatusState; target_url?: string | null; description?: string | null; context?: string }>(ctx);
  const status = ctx.state.addStatus({
    sha,
    state: input.state,
    context: input.context ?? 'default',
    ...(input.target_url != null && { targetUrl: input.target_url }),
    ...(input.description != null && { description: input.description }),
  });
  return created(statusJson(ctx, status));
}

export const checkHandlers: HandlerTable = {
  'checks/list-for-ref': listForRef,
  'checks/get': (ctx) => {
    const run = ctx.state.checkRuns.find((r) => r.id === intParam(ctx, 'check_run_id'));
    if (!run || !exists(ctx, run)) throw notFound();
    return ok(checkRunJson(ctx, run));
  },
  'repos/list-commit-statuses-for-ref': (ctx) => {
    const page = paginate(ctx, newestFirst(ctx, shaOf(ctx, ctx.params.ref ?? '')));
    return ok(page.items.map((s) => statusJson(ctx, s)), page.headers);
  },
  'repos/get-combined-status-for-ref': combined,
  'repos/create-commit-status': createStatus,
};
