/** Seeding of CI signals: check runs, commit statuses, workflow runs, jobs and approvals. */
import type * as M from './model.js';
import { seedProgress } from './progress.js';
import { ACTIONS_APP, TOKEN_USER, toMs, type ApprovalSeed, type CheckRunSeed, type JobSeed, type RunSeed, type StatusSeed } from './seeds.js';
import type { SimState } from './state.js';

export function addCheckRun(state: SimState, seed: CheckRunSeed): M.CheckRun {
  const app: M.App = seed.app ? { id: seed.app.id ?? 99, slug: seed.app.slug ?? 'sim-ci', name: seed.app.name ?? seed.app.slug ?? 'Sim CI' } : ACTIONS_APP;
  const isActions = app.id === ACTIONS_APP.id;
  // Every Actions check run is a job of a workflow run, in that run's check suite ("each workflow
  // run has one check suite", reference/github-actions.md); its details_url names the run.
  const workflowRun = isActions ? runFor(state, seed.runId ?? state.nextId('run', 9_000_000_001), { sha: seed.sha, path: seed.workflow ?? CI_WORKFLOW, status: 'completed' }) : undefined;
  const runId = workflowRun?.id ?? seed.runId;
  const id = seed.id ?? state.nextId('check-run', 20_000_000_001);
  const run: M.CheckRun = {
    ...seedProgress(seed, toMs(seed.startedAt, state.now() - 120_000)),
    id,
    name: seed.name,
    headSha: seed.sha,
    app,
    // Other apps: one suite per app and commit (GitHub creates a check suite per app per head_sha).
    suiteId: workflowRun?.suiteId ?? state.suiteId(runId !== undefined ? `run:${runId}` : `app:${app.id}:${seed.sha}`),
    ...(runId !== undefined && { runId }),
    ...(seed.detailsUrl !== undefined && { detailsUrl: seed.detailsUrl }),
    externalId: isActions ? `sim-${id}` : '',
    ...(seed.appearAfterMs !== undefined && { appearAfterMs: seed.appearAfterMs }),
  };
  state.checkRuns.push(run);
  return run;
}

export function addStatus(state: SimState, seed: StatusSeed): M.CommitStatus {
  const status: M.CommitStatus = {
    id: state.nextId('status', 10_000_000_001),
    sha: seed.sha,
    context: seed.context,
    state: seed.state,
    description: seed.description ?? null,
    targetUrl: seed.targetUrl ?? null,
    createdAt: toMs(seed.createdAt, state.now()),
    creator: state.addUser(seed.creator ?? TOKEN_USER).login,
  };
  state.statuses.push(status);
  return status;
}

/** The workflow file of runs seeded without a path: the release workflow the action runs in. */
export const RELEASE_WORKFLOW = '.github/workflows/release.yml';
/** The workflow file of runs created for Actions check runs seeded without a runId. */
export const CI_WORKFLOW = '.github/workflows/ci.yml';

export function addRun(state: SimState, seed: RunSeed): M.WorkflowRun {
  const id = seed.id ?? state.nextId('run', 9_000_000_001);
  const status = seed.status ?? 'in_progress';
  const path = seed.path ?? RELEASE_WORKFLOW;
  const actor = state.addUser(seed.actor ?? 'octocat').login;
  const run: M.WorkflowRun = {
    id,
    name: seed.name ?? workflowName(path),
    headSha: seed.sha ?? state.resolve(seed.branch ?? state.defaultBranch) ?? '0'.repeat(40),
    headBranch: seed.branch ?? state.defaultBranch,
    event: seed.event ?? 'workflow_dispatch',
    status,
    conclusion: status === 'completed' ? (seed.conclusion ?? 'success') : null,
    attempt: seed.attempt ?? 1,
    runNumber: state.nextId('run-number'),
    // "You can replace workflow_id with the workflow file name" (actions/list-workflow-runs): one id per file.
    workflowId: state.workflowId(path),
    path,
    suiteId: state.suiteId(`run:${id}`),
    actor,
    triggeringActor: state.addUser(seed.triggeringActor ?? actor).login,
    createdAt: state.now() - 300_000,
  };
  state.runs.set(id, run);
  return run;
}

/** `.github/workflows/ci.yml` → `CI`, `release.yml` → `Release`: what a workflow without `name:` shows. */
function workflowName(path: string): string {
  const base = path.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  return base.length <= 3 ? base.toUpperCase() : base.charAt(0).toUpperCase() + base.slice(1);
}

/**
 * The run, created on first mention; a job of a later attempt makes that the run's attempt. Its
 * check runs join the run's one suite: "Re-running a run (any attempt) adds check runs to the
 * *same* suite" (reference/github-actions.md, "Check suites").
 */
function runFor(state: SimState, runId: number, seed: RunSeed = {}, attempt?: number): M.WorkflowRun {
  const run = state.runs.get(runId) ?? addRun(state, { ...seed, id: runId });
  if (attempt === undefined || attempt <= run.attempt) return run;
  const rerun = { ...run, attempt };
  state.runs.set(runId, rerun);
  return rerun;
}

export function addJob(state: SimState, runId: number, seed: JobSeed): M.Job {
  const run = runFor(state, runId, seed.sha !== undefined ? { sha: seed.sha } : {}, seed.attempt);
  const id = seed.id ?? state.nextId('check-run', 20_000_000_001);
  const progress = seedProgress(seed, toMs(seed.startedAt, state.now() - 60_000));
  if (seed.attempt !== undefined && seed.attempt > 1) endBefore(state, runId, seed.attempt, progress.startedAt);
  const job: M.Job = {
    ...progress,
    id,
    runId,
    attempt: seed.attempt ?? run.attempt,
    name: seed.name,
    headSha: seed.sha ?? run.headSha,
    runnerName: seed.runnerName === undefined ? 'GitHub Actions 2' : seed.runnerName,
  };
  state.jobs.push(job);
  if (seed.sha !== undefined) {
    state.checkRuns.push({ ...progress, id, name: seed.name, headSha: seed.sha, app: ACTIONS_APP, suiteId: run.suiteId, runId, externalId: `sim-${id}` });
  }
  return job;
}

/**
 * A run is re-run only once it has completed ("Re-running workflows and jobs", docs.github.com: the
 * re-run buttons and POST …/rerun act on a completed run): every job of an earlier attempt ended
 * before a job of a later one started. Earlier jobs seeded with default times are moved back so
 * that they did, their check runs with them.
 */
function endBefore(state: SimState, runId: number, attempt: number, startedAt: number): void {
  const shift = <T extends M.Progress>(p: T): T => {
    if (p.completedAt === null || p.completedAt < startedAt) return p;
    const by = p.completedAt - startedAt + 1_000;
    return { ...p, startedAt: p.startedAt - by, completedAt: p.completedAt - by };
  };
  state.jobs.forEach((job, i) => {
    if (job.runId !== runId || job.attempt >= attempt) return;
    state.jobs[i] = shift(job);
    const check = state.checkRuns.findIndex((run) => run.id === job.id);
    if (check >= 0) state.checkRuns[check] = shift(state.checkRuns[check]!);
  });
}

export function addApproval(state: SimState, runId: number, seed: ApprovalSeed): M.Approval {
  runFor(state, runId);
  state.addUser(seed.user);
  seed.environments.forEach((name) => state.environment(name));
  const approval: M.Approval = { runId, user: seed.user, state: seed.state, environments: seed.environments, comment: seed.comment ?? '' };
  state.approvals.push(approval);
  return approval;
}
