/** Workflow runs, their jobs (this job finds its own check run here) and environment approvals. */
import { intParam, type Ctx, type HandlerTable } from '../context.js';
import type { Approval, Job, WorkflowRun } from '../model.js';
import { paginate } from '../paginate.js';
import { notFound, ok } from '../reply.js';
import { iso, isoOrNull, nodeId, repositoryJson, simpleUser } from '../shapes.js';

function runOr404(ctx: Ctx): WorkflowRun {
  const run = ctx.state.runs.get(intParam(ctx, 'run_id'));
  if (!run) throw notFound();
  return run;
}

function runJson(ctx: Ctx, run: WorkflowRun, attempt = run.attempt) {
  const api = ctx.links.repoApi(`/actions/runs/${run.id}`);
  const commit = ctx.state.commits.get(run.headSha);
  const repository = repositoryJson(ctx.state, ctx.links);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('WFR_', run.id),
    check_suite_id: run.suiteId,
    check_suite_node_id: nodeId('CS_', run.suiteId),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    display_title: commit?.message.split('\n')[0] ?? run.name,
    run_number: run.runNumber,
    run_attempt: attempt,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    url: api,
    html_url: ctx.links.repoWeb(`/actions/runs/${run.id}`),
    pull_requests: [],
    created_at: iso(run.createdAt),
    updated_at: iso(ctx.state.now()),
    run_started_at: iso(run.createdAt),
    // `actor` started the run; `triggering_actor` the attempt (differs after someone else's re-run;
    // GITHUB_TRIGGERING_ACTOR, GitHub changelog 2022-07-19, reference/github-actions.md).
    actor: simpleUser(ctx.state, ctx.links, run.actor),
    triggering_actor: simpleUser(ctx.state, ctx.links, run.triggeringActor),
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    check_suite_url: ctx.links.repoApi(`/check-suites/${run.suiteId}`),
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    previous_attempt_url: attempt > 1 ? `${api}/attempts/${attempt - 1}` : null,
    workflow_url: ctx.links.repoApi(`/actions/workflows/${run.workflowId}`),
    head_commit: commit
      ? {
          id: commit.sha,
          tree_id: commit.tree,
          message: commit.message,
          timestamp: iso(commit.date),
          author: { name: commit.authorName, email: commit.authorEmail },
          committer: { name: 'GitHub', email: 'noreply@github.com' },
        }
      : null,
    repository,
    head_repository: repository,
  };
}

function jobJson(ctx: Ctx, job: Job) {
  const view = ctx.state.progress(job);
  const run = ctx.state.runs.get(job.runId);
  return {
    id: job.id,
    run_id: job.runId,
    run_attempt: job.attempt,
    run_url: ctx.links.repoApi(`/actions/runs/${job.runId}`),
    node_id: nodeId('CR_', job.id),
    head_sha: job.headSha,
    head_branch: run?.headBranch ?? null,
    workflow_name: run?.name ?? null,
    url: ctx.links.repoApi(`/actions/jobs/${job.id}`),
    html_url: ctx.links.repoWeb(`/actions/runs/${job.runId}/job/${job.id}`),
    check_run_url: ctx.links.repoApi(`/check-runs/${job.id}`),
    name: job.name,
    status: view.status,
    conclusion: view.conclusion,
    created_at: iso(view.startedAt - 5_000),
    started_at: iso(view.startedAt),
    completed_at: isoOrNull(view.completedAt),
    steps: [],
    labels: ['ubuntu-latest'],
    runner_id: job.runnerName === null ? null : 1,
    runner_name: job.runnerName,
    runner_group_id: job.runnerName === null ? null : 0,
    runner_group_name: job.runnerName === null ? null : 'GitHub Actions',
  };
}

function jobsPage(ctx: Ctx, jobs: Job[]) {
  const page = paginate(ctx, jobs.sort((a, b) => a.id - b.id));
  return ok({ total_count: jobs.length, jobs: page.items.map((job) => jobJson(ctx, job)) }, page.headers);
}

/** `filter=latest` (default): jobs of the most recent attempt only. */
function listJobs(ctx: Ctx) {
  const run = runOr404(ctx);
  const jobs = ctx.state.jobs.filter((job) => job.runId === run.id);
  if (ctx.query.filter === 'all') return jobsPage(ctx, jobs);
  const latest = Math.max(run.attempt, ...jobs.map((job) => job.attempt));
  return jobsPage(ctx, jobs.filter((job) => job.attempt === latest));
}

/**
 * `GET …/actions/workflows/{workflow_id}/runs`: "You can replace workflow_id with the workflow file
 * name" (actions/list-workflow-runs); newest first; filtered by head_sha, event, status, branch,
 * actor, check_suite_id. An unknown workflow is a 404.
 */
function listWorkflowRuns(ctx: Ctx) {
  const raw = ctx.params.workflow_id ?? '';
  const all = [...ctx.state.runs.values()];
  const ofWorkflow = /^\d+$/.test(raw) ? all.filter((run) => run.workflowId === Number(raw)) : all.filter((run) => run.path.replace(/^.*\//, '') === raw);
  if (ofWorkflow.length === 0) throw notFound();
  const q = ctx.query as { head_sha?: string; event?: string; status?: string; branch?: string; actor?: string; check_suite_id?: number };
  const runs = ofWorkflow
    .filter((run) => q.head_sha === undefined || run.headSha === q.head_sha)
    .filter((run) => q.event === undefined || run.event === q.event)
    .filter((run) => q.status === undefined || run.status === q.status || run.conclusion === q.status)
    .filter((run) => q.branch === undefined || run.headBranch === q.branch)
    .filter((run) => q.actor === undefined || run.actor.toLowerCase() === q.actor.toLowerCase())
    .filter((run) => q.check_suite_id === undefined || run.suiteId === q.check_suite_id)
    .sort((a, b) => b.id - a.id);
  const page = paginate(ctx, runs);
  return ok({ total_count: runs.length, workflow_runs: page.items.map((run) => runJson(ctx, run)) }, page.headers);
}

function approvalJson(ctx: Ctx, approval: Approval) {
  return {
    environments: approval.environments.map((name) => {
      const env = ctx.state.environment(name);
      return {
        id: env.id,
        node_id: nodeId('EN_', env.id),
        name: env.name,
        url: ctx.links.repoApi(`/environments/${encodeURIComponent(env.name)}`),
        html_url: ctx.links.repoWeb(`/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`),
        created_at: iso(env.createdAt),
        updated_at: iso(env.createdAt),
      };
    }),
    state: approval.state,
    user: simpleUser(ctx.state, ctx.links, approval.user),
    comment: approval.comment,
  };
}

export const actionHandlers: HandlerTable = {
  'actions/get-workflow-run': (ctx) => ok(runJson(ctx, runOr404(ctx))),
  'actions/get-workflow-run-attempt': (ctx) => {
    const run = runOr404(ctx);
    const attempt = intParam(ctx, 'attempt_number');
    if (attempt < 1 || attempt > run.attempt) throw notFound();
    return ok(runJson(ctx, run, attempt));
  },
  'actions/list-jobs-for-workflow-run': listJobs,
  'actions/list-workflow-runs': listWorkflowRuns,
  'actions/list-jobs-for-workflow-run-attempt': (ctx) => {
    const run = runOr404(ctx);
    const attempt = intParam(ctx, 'attempt_number');
    return jobsPage(ctx, ctx.state.jobs.filter((job) => job.runId === run.id && job.attempt === attempt));
  },
  'actions/get-job-for-workflow-run': (ctx) => {
    const job = ctx.state.jobs.find((j) => j.id === intParam(ctx, 'job_id'));
    if (!job) throw notFound();
    return ok(jobJson(ctx, job));
  },
  'actions/get-reviews-for-run': (ctx) => {
    const run = runOr404(ctx);
    return ok(ctx.state.approvals.filter((a) => a.runId === run.id).map((a) => approvalJson(ctx, a)));
  },
};
