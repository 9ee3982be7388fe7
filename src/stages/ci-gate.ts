// Contract step 4 ("CI gate, precisely"): every check run and commit status on the sha outside the
// release workflow must have passed, every required check must be there. A failure blocks at once;
// checks still running, required checks not yet there and a commit with no CI result yet are
// polled until ci-wait-minutes runs out. The decision is ci-verdict.ts; this file only reads.
import type { Clock } from '../clock.js';
import type { GitHubPort, WorkflowJob } from '../github/port.js';
import type { Settings } from '../settings.js';
import { blockedReasons, evaluateCi, NOT_IN_A_WORKFLOW, type CiEvaluation, type OwnCheckRun, type ReleaseWorkflow } from './ci-verdict.js';

export interface CiGateResult {
  readonly status: 'green' | 'blocked';
  readonly evaluation: CiEvaluation;
  readonly own: OwnCheckRun;
  /** How the release workflow's own check runs were identified. */
  readonly releaseWorkflow: string;
  readonly polls: number;
  readonly waitedSeconds: number;
  readonly reasons: readonly string[];
  readonly checkedAt: string;
}

export interface Progress {
  info(message: string): void;
}

export async function ciGate(settings: Settings, github: GitHubPort, clock: Clock, log: Progress, signal?: AbortSignal): Promise<CiGateResult> {
  const { release, own } = await identifyReleaseWorkflow(settings, github);
  log.info(`CI gate on ${settings.sha}: the release workflow's own check runs are set aside (${release.source}); own check run ${own.kind === 'id' ? `${own.id} (${own.source})` : own.source}`);
  const rules = { ignore: settings.ignoreChecks, required: settings.requiredChecks };
  const started = clock.now().getTime();
  const deadline = started + settings.ciWaitMinutes * 60_000;
  // Poll often enough to react within a few percent of the budget, never hammering the API.
  const interval = Math.min(30_000, Math.max(1_000, (settings.ciWaitMinutes * 60_000) / 12));
  for (let polls = 1; ; polls += 1) {
    const [runs, statuses] = await Promise.all([github.listCheckRuns(settings.sha), github.listStatuses(settings.sha)]);
    const evaluation = evaluateCi(runs, statuses, release, rules);
    const now = clock.now().getTime();
    const result = (status: CiGateResult['status'], reasons: string[]): CiGateResult => ({
      status,
      evaluation,
      own,
      releaseWorkflow: release.source,
      polls,
      waitedSeconds: Math.round((now - started) / 100) / 10,
      reasons,
      checkedAt: clock.now().toISOString(),
    });
    if (evaluation.failing.length > 0) return result('blocked', blockedReasons(evaluation, settings.sha, ''));
    if (evaluation.green) return result('green', []);
    if (now + interval > deadline) {
      const waited = settings.ciWaitMinutes > 0 ? ` after waiting ${settings.ciWaitMinutes} min (ci-wait-minutes)` : ' (ci-wait-minutes is 0)';
      return result('blocked', blockedReasons(evaluation, settings.sha, waited));
    }
    log.info(`CI gate: waiting for ${waitingFor(evaluation)} (poll ${polls})`);
    await clock.sleep(interval, signal);
  }
}

function waitingFor(evaluation: CiEvaluation): string {
  const what = [...evaluation.pending, ...evaluation.missingRequired.map((name) => `required check ${name}`)];
  return what.length > 0 ? what.join(', ') : 'the first CI result';
}

/**
 * The release workflow's check runs, by identity (never by name: a display name is not
 * GITHUB_JOB, and matrix legs and reusable workflows rename jobs): the check suite of this run,
 * shared by all its attempts; the suites of the same workflow file's other runs on the commit; and
 * this run's job ids in every attempt (a job id is its check run id). Needs `actions: read`.
 */
async function identifyReleaseWorkflow(settings: Settings, github: GitHubPort): Promise<{ release: ReleaseWorkflow; own: OwnCheckRun }> {
  const { run, sha, checkRunId } = settings;
  if (run.runId === undefined) {
    return { release: NOT_IN_A_WORKFLOW, own: checkRunId !== undefined ? { kind: 'id', id: checkRunId, source: 'check-run-id input' } : { kind: 'none', source: 'not in a workflow run' } };
  }
  const self = await github.getWorkflowRun(run.runId);
  const [others, jobs] = await Promise.all([github.listWorkflowRuns(self.workflowId, sha), github.listJobs(run.runId)]);
  const suites = new Map<number, string>([[self.checkSuiteId, `workflow run ${self.id} (${self.path}), every attempt`]]);
  for (const other of others) {
    if (!suites.has(other.checkSuiteId)) suites.set(other.checkSuiteId, `workflow run ${other.id} of the same workflow file ${other.path} on this commit`);
  }
  const jobReasons = new Map(jobs.map((job) => [job.id, `job "${job.name}" of workflow run ${self.id} (${self.path}), attempt ${job.runAttempt}`]));
  const source = `${self.path}: workflow run ${self.id} (attempt ${run.runAttempt}) and ${others.filter((o) => o.id !== self.id).length} other run(s) of it on this commit, found through the Actions API`;
  return { release: { suites, jobs: jobReasons, source }, own: ownCheckRun(settings, jobs) };
}

/** This job's check run, for the report: the check-run-id input, or the one running job of this attempt on this runner. */
function ownCheckRun(settings: Settings, jobs: readonly WorkflowJob[]): OwnCheckRun {
  const { run, checkRunId } = settings;
  if (checkRunId !== undefined) return { kind: 'id', id: checkRunId, source: 'check-run-id input' };
  const running = jobs.filter((j) => j.runAttempt === run.runAttempt && j.status === 'in_progress' && (!run.runnerName || j.runnerName === run.runnerName));
  if (running.length !== 1) return { kind: 'none', source: `not told apart from the other jobs of workflow run ${run.runId} (all of them are set aside)` };
  const job = running[0]!;
  return { kind: 'id', id: job.id, source: `job "${job.name}" of run ${run.runId} on runner ${job.runnerName ?? '?'}` };
}
