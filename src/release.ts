// The release procedure, top to bottom, as the runbook reads:
// validate → approve → preflight → CI gate → tag → canary → rollback + incident | changelog → report.
// (Validation happens before this is called; main writes the report from what this returns.)
import { buildChangelog, collectSuspects, type ChangelogResult } from './changelog/index.js';
import type { SuspectChange } from './changelog/suspects.js';
import type { ChangelogPort } from './changelog/port.js';
import type { Clock } from './clock.js';
import type { GitHubPort } from './github/port.js';
import { errorMessage } from './errors.js';
import type { KubePort } from './kube/port.js';
import { aborted, blocked, dryRun, failed, released, type Outcome } from './outcome.js';
import { canaryStepsText } from './rollouts/plan.js';
import type { Settings } from './settings.js';
import type { Sample } from './slo/bake.js';
import type { SloProviderBackend } from './slo/provider.js';
import { approvalGate, type ApprovalResult } from './stages/approval.js';
import { canary, type CanaryResult } from './stages/canary.js';
import { ciGate, type CiGateResult } from './stages/ci-gate.js';
import { finishDeployment, startDeployment, type DeploymentRecord } from './stages/deployment.js';
import { publishRelease, type GitHubReleaseResult } from './stages/github-release.js';
import { openIncident, type IncidentResult } from './stages/incident.js';
import { preflightCluster, type ClusterPreflight } from './stages/preflight-cluster.js';
import { preflight, type PreflightResult } from './stages/preflight.js';
import { rollback, type RollbackResult } from './stages/rollback.js';
import { takeLock, type HeldLock, type LockResult } from './stages/lock.js';
import { describeCanary } from './rollouts/ownership.js';
import { WARNING } from './rollouts/preflight-safety.js';
import { createTag, type TagResult } from './stages/tag.js';
import { annotate, sampleLine, type Annotation } from './progress.js';

export type StageName = 'approval' | 'preflight' | 'ci-gate' | 'lock' | 'tag' | 'canary' | 'rollback' | 'incident' | 'changelog' | 'github-release';
export type StageStatus = 'passed' | 'blocked' | 'failed' | 'skipped';

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
  readonly cluster?: ClusterPreflight;
  readonly ci?: CiGateResult;
  readonly lock?: LockResult;
  readonly tag?: TagResult;
  readonly deployment?: DeploymentRecord;
  readonly canary?: CanaryResult;
  readonly rollback?: RollbackResult;
  readonly incident?: IncidentResult;
  readonly changelog?: ChangelogResult;
  readonly githubRelease?: GitHubReleaseResult;
  /** The changes since the previous release, collected on the rollback path for the incident and the report. */
  readonly suspects?: Suspects;
}

export interface Suspects {
  readonly from?: string;
  readonly changes: readonly SuspectChange[];
}

export interface Ports {
  readonly github: GitHubPort;
  readonly changelog: ChangelogPort;
  readonly kube: KubePort;
  /** Undefined only in a dry run without an SLO provider. */
  readonly slo?: SloProviderBackend;
  readonly onSample?: (sample: Sample) => void;
  readonly clock: Clock;
  /** The neutralising log main builds (log.ts runnerLog): one group per stage, titled annotations. */
  readonly log: {
    info(message: string): void;
    warning(message: string, annotation?: { title?: string }): void;
    error(message: string, annotation?: { title?: string }): void;
    startGroup(name: string): void;
    endGroup(): void;
  };
  readonly signal?: AbortSignal;
  /** Workspace-relative path of the report, for the incident to link to. */
  readonly reportPath: string;
}

export async function release(settings: Settings, ports: Ports): Promise<ReleaseRun> {
  const { github, kube, slo, clock, log, signal } = ports;
  const stages: StageRecord[] = [];
  const results: { -readonly [K in keyof ReleaseRun]?: ReleaseRun[K] } = {};
  let current: StageName = 'approval';
  // Each stage is one collapsible group of the runner's log; its result line follows the group,
  // so a reader sees every stage's outcome without opening any.
  let grouped = false;
  const begin = (name: StageName) => {
    current = name;
    log.startGroup(`▶ ${name}`);
    grouped = true;
    return clock.now();
  };
  const record = (name: StageName, started: Date, status: StageStatus, summary: string) => {
    stages.push({ name, status, summary, startedAt: started.toISOString(), seconds: (clock.now().getTime() - started.getTime()) / 1000 });
    if (grouped) log.endGroup();
    grouped = false;
    log.info(`${status === 'passed' ? '✓' : status === 'skipped' ? '–' : '✗'} ${name}: ${status} — ${summary}`);
  };
  const flag = ({ title, message }: Annotation, level: 'error' | 'warning' = 'error') => log[level](message, { title });
  const done = (outcome: Outcome): ReleaseRun => ({ ...results, outcome, stages });
  let deployedOk = false;
  let lock: HeldLock | undefined;

  try {
    let started = begin('approval');
    const approval = (results.approval = await approvalGate(settings, github));
    record('approval', started, approval.status === 'blocked' ? 'blocked' : approval.status === 'allowed' ? 'passed' : 'skipped',
      approval.status === 'skipped' ? 'no approvers configured' : approval.status === 'allowed' ? `allowed: ${approval.checks.find((c) => c.allowed)!.subject}` : 'no approver approved this run');
    if (approval.status === 'blocked') {
      flag(annotate.approval(approval.reasons.join('\n')));
      return done(blocked('Approval gate: no approver approved this run', approval.reasons));
    }

    started = begin('preflight');
    // Both halves only read: ask GitHub and the cluster at the same time.
    const [checked, clusterBeforeLock] = await Promise.all([preflight(settings, github), preflightCluster(settings, kube, slo, signal)]);
    results.preflight = checked;
    let cluster = (results.cluster = clusterBeforeLock);
    const preflightReasons = [...checked.reasons, ...cluster.reasons];
    record('preflight', started, preflightReasons.length === 0 ? 'passed' : 'failed',
      preflightReasons.length === 0 ? [...checked.checks, ...cluster.checks].join('; ') : preflightReasons.join('; '));
    if (preflightReasons.length > 0) {
      for (const reason of preflightReasons) flag(annotate.preflight(reason));
      return done(failed(preflightReasons[0]!.split('\n')[0]!, preflightReasons));
    }
    for (const check of cluster.checks) if (check.startsWith(WARNING)) log.warning(check.slice(WARNING.length));

    started = begin('ci-gate');
    const ci = (results.ci = await ciGate(settings, github, clock, log, signal));
    const { evaluation } = ci;
    record('ci-gate', started, ci.status === 'green' ? 'passed' : 'blocked',
      ci.status === 'green' ? `${evaluation.passing} check${evaluation.passing === 1 ? '' : 's'} passed` : evaluation.noCi ? 'no CI result' : `${ci.reasons.length} check${ci.reasons.length === 1 ? '' : 's'} not green`);
    for (const name of evaluation.unmatchedIgnores) log.warning(`ignore-checks: "${name}" matched no check run or status on ${settings.sha}`);
    if (ci.status === 'blocked') {
      for (const reason of ci.reasons) flag(annotate.ci(reason));
      return done(blocked('CI gate: CI is not green', ci.reasons));
    }

    // The last moment a cancelled run can stop without having written anything.
    signal?.throwIfAborted();
    started = begin('lock');
    const locked = await takeLock(settings, {
      kube, clock, log, signal, checkRunId: ci.own.kind === 'id' ? ci.own.id : undefined,
      // The contract's re-run changes nothing in the cluster: not even a Lease.
      skip: cluster.alreadyDeployed ? `${settings.service} already runs ${settings.image}@${settings.digest}, fully promoted (a re-run): nothing to write to the cluster` : undefined,
    });
    results.lock = locked.result;
    lock = locked.held;
    record('lock', started, locked.result.status === 'taken' ? 'passed' : locked.result.status === 'skipped' ? 'skipped' : 'failed', locked.result.detail);
    if (locked.result.status === 'busy' || locked.result.status === 'failed') {
      flag(annotate.lock(locked.result.detail));
      return done(failed(locked.result.detail, [locked.result.detail]));
    }
    if (lock) {
      // Preflight read the cluster before the lock: a release that finished meanwhile (while CI
      // or this run waited) moved the stable version. Read it again, now that nobody else can.
      const underLock = await preflightCluster(settings, kube, undefined, signal);
      if (underLock.reasons.length > 0) {
        for (const reason of underLock.reasons) flag(annotate.preflight(reason));
        return done(failed(`under the release lock: ${underLock.reasons[0]!.split('\n')[0]!}`, [...underLock.reasons]));
      }
      const moved = underLock.stableHash !== cluster.stableHash ? [`read again under the release lock: stable is now ${underLock.stableHash}, was ${cluster.stableHash} (a release finished meanwhile)`] : [];
      cluster = results.cluster = { ...underLock, checks: [...cluster.checks, ...moved] };
    }
    // A run cancelled while it waited for the lock or read the cluster again tags nothing.
    signal?.throwIfAborted();

    started = begin('tag');
    const tag = (results.tag = await createTag(settings, github, checked.tagExists));
    record('tag', started, tag.status === 'failed' ? 'failed' : tag.status === 'skipped' ? 'skipped' : 'passed', tag.detail);
    if (tag.status === 'failed') return done(failed(tag.detail, [tag.detail]));

    started = begin('canary');
    // The deployment record is evidence, not a step of the canary: it is written alongside.
    const deploymentStarted = settings.dryRun ? undefined : startDeployment(settings, github, log);
    const onSample = (sample: Sample) => {
      log.info(sampleLine(sample, settings.slo.windowMinutes));
      ports.onSample?.(sample);
    };
    const deployed = (results.canary = await canary(settings, cluster, { kube, slo: slo!, clock, log, signal, onSample }));
    // Awaited only after the rollback has been sent: an abort never waits on GitHub.
    const deploymentRecorded = async () => deploymentStarted && (results.deployment = await deploymentStarted);
    const { state } = deployed;
    record('canary', started, state === 'promoted' ? 'passed' : state === 'dry_run' ? 'skipped' : 'failed', canarySummary(deployed));
    if (state !== 'promoted' && state !== 'dry_run') {
      const t = deployed.tripped;
      flag(state === 'slo_breach' && t ? annotate.breach(t.weight, t.metric, t.detail) : annotate.canaryStopped(deployed.abortedAtStep, state, canarySummary(deployed)));
    }

    if (state === 'not_ours') {
      // Someone else changed the Rollout mid-release: their canary is never promoted, and not
      // rolled back either — undoing it is theirs to decide, not this run's.
      const found = await describeCanary(kube, settings.namespace, settings.service, settings.container).catch(() => undefined);
      const deployment = await deploymentRecorded();
      if (deployment) results.deployment = await finishDeployment(settings, github, deployment, 'failure', 'canary replaced by someone else: not promoted', log);
      const why = deployed.tripped?.detail ?? deployed.steps.at(-1)?.detail ?? state;
      return done(failed(`Canary not promoted: ${why}${found ? `; the Rollout's canary runs ${found}` : ''}`, [
        `Canary not promoted: ${why}`,
        ...(found ? [`The Rollout's canary now runs ${found}, not ${deployed.image}.`] : []),
        "Not rolled back: the canary is not this run's. Find out who changed the Rollout, and let them finish or undo their change before releasing again.",
      ]));
    }

    if (state !== 'promoted' && state !== 'dry_run') {
      started = begin('rollback');
      // A cancelled run has seconds before the runner kills it: abort first, confirm if time allows.
      const timeoutMs = signal?.aborted ? 5_000 : settings.stepTimeoutMinutes * 60_000;
      const undone = (results.rollback = await rollback(settings, deployed, { kube, clock, log, timeoutMs }));
      record('rollback', started, undone.status === 'rolled-back' ? 'passed' : 'failed', undone.detail);
      if (undone.status === 'failed') flag(annotate.rollbackFailed(undone.detail));
      const deployment = await deploymentRecorded();
      if (deployment) results.deployment = await finishDeployment(settings, github, deployment, 'failure', `canary aborted at ${deployed.abortedAtStep}%`, log);

      started = begin('incident');
      // Read-only and best effort: an incident without its suspect list beats no incident, and a
      // cancelled run has seconds left before the runner kills it.
      const suspects = (results.suspects = signal?.aborted ? undefined : await collectSuspects(settings, ports.changelog).catch(() => undefined));
      let incidentLine: string;
      try {
        const incident = (results.incident = await openIncident(settings, github, { canary: deployed, rollback: undone, suspects, reportPath: ports.reportPath }, clock));
        // The issue can fail (e.g. no `issues: write`) while the postmortem file is still written.
        incidentLine = incident.problem ? `Incident ${incident.id}: ${incident.problem}; the postmortem is ${incident.file.path}` : `Incident ${incident.id}: ${incident.url}`;
        record('incident', started, incident.problem ? 'failed' : 'passed', incident.problem ? incidentLine : `${incident.id} ${incident.reused ? 'was open: commented on' : 'opened'} ${incident.url}`);
      } catch (error) {
        // The rollback is what matters to production: a missing incident is reported, not fatal.
        incidentLine = `Incident not opened: ${errorMessage(error)} (needs issues: write)`;
        record('incident', started, 'failed', incidentLine);
      }

      const why = deployed.tripped?.detail ?? deployed.steps.at(-1)?.detail ?? state;
      const reasons = [`Canary stopped at ${deployed.abortedAtStep}%: ${why}`, `Rollback: ${undone.detail}`, incidentLine];
      if (undone.status === 'failed') return done(failed(`rollback did not complete — production may still run the canary: ${undone.detail}`, reasons));
      return done(aborted(`Canary aborted at ${deployed.abortedAtStep}% and rolled back: ${why}`, reasons));
    }
    deployedOk = state === 'promoted';
    const deployment = await deploymentRecorded();
    if (deployment) results.deployment = await finishDeployment(settings, github, deployment, 'success', `${settings.version.tag} fully promoted`, log);

    started = begin('changelog');
    const changes = (results.changelog = await changelogFor(settings, ports));
    record('changelog', started, 'passed', `${changes.prs.length} PR${changes.prs.length === 1 ? '' : 's'}, ${changes.commitsWithoutPr.length} commit${changes.commitsWithoutPr.length === 1 ? '' : 's'} without PR, since ${changes.range.from ?? 'the first commit'}`);

    started = begin('github-release');
    const published = (results.githubRelease = await publishRelease(settings, github, changes.markdown, ports.reportPath));
    record('github-release', started, published.status === 'skipped' ? 'skipped' : 'passed', published.status === 'skipped' ? (settings.dryRun ? 'dry run' : 'create-release is false') : `${published.status} ${published.url}`);

    if (state === 'dry_run') return done(dryRun(`dry run: ${settings.version.tag} of ${settings.service} would go ${canaryStepsText(settings.canarySteps, results.cluster?.plan)}`));
    return done(released(deployed.steps.length === 0 ? `${settings.service} already ran ${deployed.image}: nothing to deploy` : `${settings.version.tag} of ${settings.service} promoted ${canaryStepsText(settings.canarySteps, results.cluster?.plan)} in ${settings.environment}`));
  } catch (error) {
    const message = signal?.aborted ? 'the run was cancelled' : errorMessage(error);
    record(current, clock.now(), 'failed', message);
    // After a good deploy, a failed changelog or release must not read as a failed deploy.
    const prefix = deployedOk ? `${settings.version.tag} is released, but ${current} failed (a re-run retries it without deploying again)` : `${current} failed`;
    return done(failed(`${prefix}: ${message}`, [`${prefix}: ${message}`]));
  } finally {
    // Every path from the tag on — released, aborted, failed, cancelled — ends here.
    if (lock) log.info(`  lock: ${await lock.release()}`);
  }
}

function changelogFor(settings: Settings, ports: Ports): Promise<ChangelogResult> {
  return buildChangelog(settings, ports.changelog);
}

function canarySummary(result: CanaryResult): string {
  if (result.state === 'dry_run') return result.timeline.at(-1)?.what ?? 'dry run';
  if (result.state === 'promoted') return result.steps.length === 0 ? 'nothing to deploy' : `${result.steps.map((s) => `${s.weight}%`).join(' → ')} within SLO`;
  return result.tripped?.detail ?? result.steps.at(-1)?.detail ?? result.state;
}
