// The machine-readable evidence (contract: Files), shaped from the stage results.
import type { Settings } from '../settings.js';
import type { CiGateResult } from '../stages/ci-gate.js';

/** devops/status/ci-green.json: a superset of {sha, runs: [{name, status, conclusion}]}. */
export function ciGreenJson(settings: Settings, ci: CiGateResult): object {
  const { evaluation } = ci;
  return {
    sha: settings.sha,
    green: ci.status === 'green',
    verdict: ci.status,
    checked_at: ci.checkedAt,
    polls: ci.polls,
    waited_seconds: ci.waitedSeconds,
    ci_wait_minutes: settings.ciWaitMinutes,
    own_check_run: ci.own.kind === 'id' ? { id: ci.own.id, identified_by: ci.own.source } : { id: null, identified_by: ci.own.source },
    runs: evaluation.runs.map((r) => ({
      id: r.id,
      name: r.name,
      app: r.app,
      status: r.status,
      conclusion: r.conclusion,
      details_url: r.detailsUrl,
      started_at: r.startedAt,
      completed_at: r.completedAt,
      verdict: r.verdict,
      ...(r.reason ? { reason: r.reason } : {}),
    })),
    statuses: evaluation.statuses.map((s) => ({
      context: s.context,
      state: s.state,
      description: s.description,
      target_url: s.targetUrl,
      created_at: s.createdAt,
      verdict: s.verdict,
      ...(s.reason ? { reason: s.reason } : {}),
    })),
    excluded: evaluation.runs.filter((r) => r.verdict === 'excluded').map((r) => ({ id: r.id, name: r.name, reason: r.reason })),
    ignored: [...evaluation.runs, ...evaluation.statuses]
      .filter((x) => x.verdict === 'ignored')
      .map((x) => ('context' in x ? { name: x.context, kind: 'status', reason: x.reason } : { name: x.name, kind: 'check_run', reason: x.reason })),
    ignore_checks_unmatched: evaluation.unmatchedIgnores,
    failing: evaluation.failing,
    pending: evaluation.pending,
    blocked_reasons: ci.reasons,
  };
}
