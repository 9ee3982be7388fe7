// The machine-readable evidence (contract: Files), shaped from the stage results.
import type { Settings } from '../settings.js';
import type { Plan } from '../rollouts/plan.js';
import type { CanaryResult } from '../stages/canary.js';
import type { CiGateResult } from '../stages/ci-gate.js';
import type { RollbackResult } from '../stages/rollback.js';
import { sampleComparisonJson, stepComparisonJson } from './verdict.js';

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
    release_workflow: ci.releaseWorkflow,
    required_checks: settings.requiredChecks,
    missing_required: ci.evaluation.missingRequired,
    no_ci_result: ci.evaluation.noCi,
    runs: evaluation.runs.map((r) => ({
      id: r.id,
      name: r.name,
      app: r.app,
      check_suite_id: r.suiteId,
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
    // Set aside by identity as the release workflow's own check runs, and why.
    excluded: evaluation.runs.filter((r) => r.verdict === 'excluded').map((r) => ({ id: r.id, name: r.name, check_suite_id: r.suiteId, reason: r.reason })),
    superseded: evaluation.runs.filter((r) => r.verdict === 'superseded').map((r) => ({ id: r.id, name: r.name, check_suite_id: r.suiteId, conclusion: r.conclusion, reason: r.reason })),
    ignored: [...evaluation.runs, ...evaluation.statuses]
      .filter((x) => x.verdict === 'ignored')
      .map((x) => ('context' in x ? { name: x.context, kind: 'status', reason: x.reason } : { name: x.name, kind: 'check_run', reason: x.reason })),
    ignore_checks_unmatched: evaluation.unmatchedIgnores,
    failing: evaluation.failing,
    pending: evaluation.pending,
    blocked_reasons: ci.reasons,
  };
}

/** devops/status/deploy-result.json: `{aborted_at_step, started, state: "slo_breach", …}` on a breach, `{state: "promoted", steps}` on success. */
export function deployResultJson(settings: Settings, canary: CanaryResult, rollback?: RollbackResult): object {
  const steps = canary.steps.map((s) => ({
    weight: s.weight,
    started_at: s.startedAt,
    reached_at: s.reachedAt ?? null,
    wait_seconds: s.waitSeconds,
    bake_seconds: s.bake ? (Date.parse(s.bake.endedAt) - Date.parse(s.bake.startedAt)) / 1000 : null,
    outcome: s.outcome,
    detail: s.detail,
    // v2: how the weight was held, the canary's real share, and how the step was passed.
    gate: s.gate,
    ...(s.setWeight !== undefined ? { set_weight: s.setWeight } : {}),
    share: s.share ?? null,
    share_source: s.shareSource ?? null,
    passed_by: s.passedBy ?? null,
    shortened: s.shortened ?? false,
    analysis: (s.analysis ?? []).map((a) => ({
      name: a.name, kind: a.kind, type: a.type, step_index: a.stepIndex ?? null, phase: a.phase, message: a.message ?? null,
      metrics: a.metrics.map((m) => ({ name: m.name, phase: m.phase, message: m.message ?? null, measurements: m.counts, last_value: m.lastValue ?? null })),
    })),
    samples: (s.bake?.samples ?? []).map((x) => ({
      at: x.at, elapsed_seconds: x.elapsedSeconds, error_rate: x.errorRate, p95_latency_ms: x.p95LatencyMs, requests: x.requests,
      verdict: x.verdict, breaches: x.breaches, ...(x.gateError ? { gate_error: x.gateError } : {}), ...sampleComparisonJson(x),
    })),
    ...stepComparisonJson(s.bake),
  }));
  const common = {
    started: canary.startedAt,
    finished: canary.finishedAt,
    service: settings.service,
    namespace: settings.namespace,
    image: canary.image,
    canary_hash: canary.canaryHash ?? null,
    stable_hash: canary.stableHash ?? null,
    thresholds: { error_rate_max: settings.slo.errorRateMax, p95_latency_ms: settings.slo.p95LatencyMs, window_minutes: settings.slo.windowMinutes, interval_seconds: settings.slo.intervalSeconds },
    plan: canary.plan ? planJson(canary.plan) : null,
    timeline: canary.timeline.map((e) => ({ at: e.at, what: e.what, ...(e.weight !== undefined ? { weight: e.weight } : {}) })),
  };
  if (canary.state === 'promoted' || canary.state === 'dry_run') return { state: canary.state === 'dry_run' ? 'dry_run' : 'promoted', ...common, steps };
  const tripped = canary.tripped;
  return {
    state: canary.state,
    aborted_at_step: canary.abortedAtStep ?? null,
    ...common,
    tripped: tripped ? { metric: tripped.metric, value: tripped.value, threshold: tripped.threshold, weight: tripped.weight, at: tripped.at, detail: tripped.detail } : null,
    observed: tripped ? { [tripped.metric]: tripped.value } : null,
    fully_promoted_before_abort: canary.fullyPromoted,
    steps,
    rollback: rollback ? { status: rollback.status, mode: rollback.mode, detail: rollback.detail, stable_hash: rollback.stableHash ?? null, stable_images: rollback.stableImages, first_write_at: rollback.firstWriteAt ?? null, seconds: rollback.seconds } : null,
  };
}

/** The gates compiled from the Rollout's steps (rollouts/plan.ts), as data. */
function planJson(plan: Plan): object {
  return {
    rollout: plan.rollout,
    step_count: plan.stepCount,
    traffic_routed: plan.trafficRouted,
    max_traffic_weight: plan.maxTrafficWeight,
    gates: plan.gates.map((g) => ({
      kind: g.kind, weight: g.percent, set_weight: g.weight, steps: { from: g.from, to: g.to }, promote_steps: g.promote,
      holds: g.holds.map((h) => ({ kind: h.kind, step: h.index, ...('seconds' in h ? { seconds: h.seconds } : {}), ...('templates' in h ? { templates: h.templates } : {}) })),
      ...(g.holdSeconds !== undefined ? { hold_seconds: g.holdSeconds } : {}), ...(g.note ? { note: g.note } : {}),
    })),
    background_analysis: plan.background ?? null,
    recorded: plan.recorded,
    notes: plan.notes,
    first_gate_share: plan.firstShare ?? null,
  };
}
