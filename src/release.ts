// The release procedure, top to bottom, as the runbook reads:
// validate → approve → preflight → CI gate → tag → canary → rollback | changelog → report.
// (Validation happens before this is called; the report is written by main from what this returns.)
import type { Clock } from './clock.js';
import type { GitHubPort } from './github/port.js';
import { blocked, failed, type Outcome } from './outcome.js';
import type { Settings } from './settings.js';
import { approvalGate, type ApprovalResult } from './stages/approval.js';
import { ciGate, type CiGateResult } from './stages/ci-gate.js';
import { preflight, type PreflightResult } from './stages/preflight.js';
import { createTag, type TagResult } from './stages/tag.js';

export type StageName = 'approval' | 'preflight' | 'ci-gate' | 'tag' | 'canary' | 'rollback' | 'incident' | 'changelog';
export type StageStatus = 'passed' | 'blocked' | 'failed' | 'skipped' | 'not built';

export interface StageRecord {
  readonly name: StageName;
  readonly status: StageStatus;
  readonly summary: string;
  readonly startedAt: string;
  readonly seconds: number;
}

export interface ReleaseRun {
  readonly outcome: Outcome;
  readonly stages: readonly StageRecord[];
  readonly approval?: ApprovalResult;
  readonly preflight?: PreflightResult;
  readonly ci?: CiGateResult;
  readonly tag?: TagResult;
}

export interface Ports {
  readonly github: GitHubPort;
  readonly clock: Clock;
  readonly log: { info(message: string): void; warning(message: string): void };
  readonly signal?: AbortSignal;
}

export async function release(settings: Settings, ports: Ports): Promise<ReleaseRun> {
  const { github, clock, log, signal } = ports;
  const stages: StageRecord[] = [];
  const results: { -readonly [K in keyof ReleaseRun]?: ReleaseRun[K] } = {};
  let current: StageName = 'approval';
  const begin = (name: StageName) => {
    current = name;
    log.info(`▶ ${name}`);
    return clock.now();
  };
  const record = (name: StageName, started: Date, status: StageStatus, summary: string) => {
    stages.push({ name, status, summary, startedAt: started.toISOString(), seconds: (clock.now().getTime() - started.getTime()) / 1000 });
    log.info(`  ${name}: ${status} — ${summary}`);
  };
  const done = (outcome: Outcome): ReleaseRun => ({ ...results, outcome, stages });

  try {
    let started = begin('approval');
    const approval = (results.approval = await approvalGate(settings, github));
    record('approval', started, approval.status === 'blocked' ? 'blocked' : approval.status === 'allowed' ? 'passed' : 'skipped',
      approval.status === 'skipped' ? 'no approvers configured' : approval.status === 'allowed' ? `allowed: ${approval.checks.find((c) => c.allowed)!.subject}` : 'no approver approved this run');
    if (approval.status === 'blocked') return done(blocked('Approval gate: no approver approved this run', approval.reasons));

    started = begin('preflight');
    const checked = (results.preflight = await preflight(settings, github));
    record('preflight', started, checked.status, checked.status === 'passed' ? checked.checks.join('; ') : checked.reasons.join('; '));
    if (checked.status === 'failed') return done(failed(checked.reasons[0]!, checked.reasons));

    started = begin('ci-gate');
    const ci = (results.ci = await ciGate(settings, github, clock, log, signal));
    const { evaluation } = ci;
    record('ci-gate', started, ci.status === 'green' ? 'passed' : 'blocked',
      ci.status === 'green' ? `${evaluation.passing} checks passed` : `${ci.reasons.length} check${ci.reasons.length === 1 ? '' : 's'} not green`);
    for (const name of evaluation.unmatchedIgnores) log.warning(`ignore-checks: "${name}" matched no check run or status on ${settings.sha}`);
    if (ci.status === 'blocked') return done(blocked('CI gate: CI is not green', ci.reasons));

    started = begin('tag');
    const tag = (results.tag = await createTag(settings, github, checked.tagExists));
    record('tag', started, tag.status === 'failed' ? 'failed' : tag.status === 'skipped' ? 'skipped' : 'passed', tag.detail);
    if (tag.status === 'failed') return done(failed(tag.detail, [tag.detail]));

    // Stages that later work builds end the run honestly instead of pretending to succeed.
    started = begin('canary');
    record('canary', started, 'not built', 'canary is not built yet');
    return done(failed('canary is not built yet', ['The canary stage (Argo Rollouts with SLO gates) is not built yet: nothing was deployed.']));
  } catch (error) {
    const message = signal?.aborted ? 'the run was cancelled' : errorMessage(error);
    record(current, clock.now(), 'failed', message);
    return done(failed(`${current}: ${message}`, [`${current} failed: ${message}`]));
  }
}

/** An error as one line a user can act on; Octokit errors carry the HTTP status and the API's message. */
export function errorMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'status' in error && 'message' in error) {
    const { status, message } = error as { status: number; message: string };
    const request = (error as { request?: { method?: string; url?: string } }).request;
    const where = request?.method && request.url ? ` (${request.method} ${new URL(request.url).pathname})` : '';
    return `GitHub answered ${status}${where}: ${String(message).split('\n')[0]}`;
  }
  return error instanceof Error ? error.message : String(error);
}
