// Contract step 4: every check run and commit status on the sha must have passed. A failure blocks
// at once; checks still running are polled until ci-wait-minutes runs out.
import type { Clock } from '../clock.js';
import type { GitHubPort } from '../github/port.js';
import type { Settings } from '../settings.js';
import { evaluateCi, type CiEvaluation, type OwnCheckRun } from './ci-verdict.js';

export interface CiGateResult {
  readonly status: 'green' | 'blocked';
  readonly evaluation: CiEvaluation;
  readonly own: OwnCheckRun;
  readonly polls: number;
  readonly waitedSeconds: number;
  readonly reasons: readonly string[];
  readonly checkedAt: string;
}

export interface Progress {
  info(message: string): void;
}

export async function ciGate(settings: Settings, github: GitHubPort, clock: Clock, log: Progress, signal?: AbortSignal): Promise<CiGateResult> {
  const own = await identifyOwnCheckRun(settings, github);
  log.info(`CI gate on ${settings.sha}: own check run ${describe(own)}`);
  const started = clock.now().getTime();
  const deadline = started + settings.ciWaitMinutes * 60_000;
  // Poll often enough to react within a few percent of the budget, never hammering the API.
  const interval = Math.min(30_000, Math.max(1_000, (settings.ciWaitMinutes * 60_000) / 12));
  for (let polls = 1; ; polls += 1) {
    const [runs, statuses] = await Promise.all([github.listCheckRuns(settings.sha), github.listStatuses(settings.sha)]);
    const evaluation = evaluateCi(runs, statuses, own, settings.ignoreChecks);
    const now = clock.now().getTime();
    const result = (status: CiGateResult['status'], reasons: string[]): CiGateResult => ({
      status,
      evaluation,
      own,
      polls,
      waitedSeconds: Math.round((now - started) / 100) / 10,
      reasons,
      checkedAt: clock.now().toISOString(),
    });
    if (evaluation.failing.length > 0) return result('blocked', evaluation.failing.map((f) => `${f} failed on ${settings.sha}`));
    if (evaluation.green) return result('green', []);
    if (now + interval > deadline) {
      const waited = settings.ciWaitMinutes > 0 ? ` after waiting ${settings.ciWaitMinutes} min (ci-wait-minutes)` : ' (ci-wait-minutes is 0)';
      if (evaluation.pending.length > 0) return result('blocked', evaluation.pending.map((p) => `${p} still in progress${waited}`));
      return result('blocked', [`no check run or commit status on ${settings.sha} besides this job${waited}: nothing shows that CI passed`]);
    }
    log.info(`CI gate: waiting for ${evaluation.pending.length > 0 ? evaluation.pending.join(', ') : 'the first check'} (poll ${polls})`);
    await clock.sleep(interval, signal);
  }
}

async function identifyOwnCheckRun(settings: Settings, github: GitHubPort): Promise<OwnCheckRun> {
  const { run, checkRunId } = settings;
  if (checkRunId !== undefined) return { kind: 'id', id: checkRunId, source: 'check-run-id input' };
  if (run.runId === undefined) return { kind: 'none', source: 'not in a workflow run: nothing excluded' };
  // For Actions a job's id is its check run's id: find our job among this attempt's running jobs.
  try {
    const running = (await github.listJobs(run.runId, run.runAttempt)).filter((j) => j.status === 'in_progress');
    const mine = run.runnerName ? running.filter((j) => j.runnerName === run.runnerName) : running;
    if (mine.length === 1) {
      const job = mine[0]!;
      return { kind: 'id', id: job.id, source: `job "${job.name}" of run ${run.runId} on runner ${job.runnerName ?? '?'}` };
    }
  } catch {
    // Without `actions: read` the jobs cannot be listed; the run-level fallback below still holds.
  }
  return { kind: 'run', runId: run.runId, source: `check runs of workflow run ${run.runId} still in progress` };
}

function describe(own: OwnCheckRun): string {
  return own.kind === 'id' ? `${own.id} (${own.source})` : own.source;
}
