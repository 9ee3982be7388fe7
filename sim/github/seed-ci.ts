/** Seeding of CI signals: check runs, commit statuses, workflow runs, jobs and approvals. */
import type * as M from './model.js';
import { seedProgress } from './progress.js';
import { ACTIONS_APP, TOKEN_USER, toMs, type ApprovalSeed, type CheckRunSeed, type JobSeed, type RunSeed, type StatusSeed } from './seeds.js';
import type { SimState } from './state.js';

export function addCheckRun(state: SimState, seed: CheckRunSeed): M.CheckRun {
  const app: M.App = seed.app ? { id: seed.app.id ?? 99, slug: seed.app.slug ?? 'sim-ci', name: seed.app.name ?? seed.app.slug ?? 'Sim CI' } : ACTIONS_APP;
  const isActions = app.id === ACTIONS_APP.id;
  // Every Actions check run belongs to a workflow run; its details_url names it.
  const runId = seed.runId ?? (isActions ? state.nextId('run', 9_000_000_001) : undefined);
  const id = seed.id ?? state.nextId('check-run', 20_000_000_001);
  const run: M.CheckRun = {
    ...seedProgress(seed, toMs(seed.startedAt, state.now() - 120_000)),
    id,
    name: seed.name,
    headSha: seed.sha,
    app,
    suiteId: state.suiteId(runId !== undefined ? `run:${runId}` : `app:${app.id}:${seed.sha}`),
    ...(runId !== undefined && { runId }),
    ...(seed.detailsUrl !== undefined && { detailsUrl: seed.detailsUrl }),
    externalId: isActions ? `sim-${id}` : '',
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

export function addRun(state: SimState, seed: RunSeed): M.WorkflowRun {
  const id = seed.id ?? state.nextId('run', 9_000_000_001);
  const status = seed.status ?? 'in_progress';
  const run: M.WorkflowRun = {
    id,
    name: seed.name ?? 'Release',
    headSha: seed.sha ?? state.resolve(seed.branch ?? state.defaultBranch) ?? '0'.repeat(40),
    headBranch: seed.branch ?? state.defaultBranch,
    event: seed.event ?? 'workflow_dispatch',
    status,
    conclusion: status === 'completed' ? (seed.conclusion ?? 'success') : null,
    attempt: seed.attempt ?? 1,
    runNumber: state.nextId('run-number'),
    workflowId: 161335,
    suiteId: state.suiteId(`run:${id}`),
    actor: state.addUser(seed.actor ?? 'octocat').login,
    createdAt: state.now() - 300_000,
  };
  state.runs.set(id, run);
  return run;
}

/** The run, created on first mention; a job of a later attempt makes that the run's attempt. */
function runFor(state: SimState, runId: number, sha?: M.Sha, attempt?: number): M.WorkflowRun {
  const run = state.runs.get(runId) ?? addRun(state, { id: runId, ...(sha !== undefined && { sha }) });
  if (attempt === undefined || attempt <= run.attempt) return run;
  const rerun = { ...run, attempt };
  state.runs.set(runId, rerun);
  return rerun;
}

export function addJob(state: SimState, runId: number, seed: JobSeed): M.Job {
  const run = runFor(state, runId, seed.sha, seed.attempt);
  const id = seed.id ?? state.nextId('check-run', 20_000_000_001);
  const progress = seedProgress(seed, toMs(seed.startedAt, state.now() - 60_000));
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

export function addApproval(state: SimState, runId: number, seed: ApprovalSeed): M.Approval {
  runFor(state, runId);
  state.addUser(seed.user);
  seed.environments.forEach((name) => state.environment(name));
  const approval: M.Approval = { runId, user: seed.user, state: seed.state, environments: seed.environments, comment: seed.comment ?? '' };
  state.approvals.push(approval);
  return approval;
}
