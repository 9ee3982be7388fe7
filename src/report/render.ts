// The release report, rendered from the run's results only. Its first heading carries the outcome.
import path from 'node:path';
import { HEADINGS, type Outcome } from '../outcome.js';
import { canaryStepsText } from '../rollouts/plan.js';
import type { ReleaseRun } from '../release.js';
import type { Settings } from '../settings.js';
import type { CiGateResult } from '../stages/ci-gate.js';
import { canarySection, rollbackSection, timelineSection } from './canary.js';
import { personLink, webLinks } from '../changelog/render.js';
import { code, codeBlock, inert, raw, table } from './markdown.js';
import { externalLink, headerLines, releaseFacts, shortDigests } from './header.js';
import { suspectsSection } from '../incident/postmortem.js';

export interface ReportInput {
  readonly outcome: Outcome;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** Present when the inputs validated. */
  readonly settings?: Settings;
  /** What the user gave, for a run whose inputs did not validate. */
  readonly raw: { readonly version: string; readonly service: string; readonly environment: string; readonly sha: string };
  readonly run?: ReleaseRun;
  readonly githubWrites: number;
  /** Workspace-relative paths of the status files written, for the evidence list. */
  readonly files: readonly string[];
}

export function renderReport(input: ReportInput): string {
  const { outcome, settings, run } = input;
  const version = settings?.version.tag ?? input.raw.version ?? '';
  const service = settings?.service ?? input.raw.service;
  const environment = settings?.environment ?? input.raw.environment;
  const title = [HEADINGS[outcome.result], '—', service || '(no service)', version || '(no version)', '→', environment || '(no environment)'].join(' ');
  const sections = [
    `# ${inert(title)}`,
    `> ${inert(outcome.headline)}`,
    headerLines(outcome, settings, run),
    summaryTable(input),
    reasons(input),
    run ? stagesTable(run) : '',
    run?.approval && run.approval.status !== 'skipped' ? approvalSection(run) : '',
    run?.preflight ? preflightSection(run) : '',
    run?.ci ? ciSection(run.ci, settings!) : '',
    run?.tag ? `## Tag\n${inert(run.tag.detail)}` : '',
    run?.canary ? canarySection(run.canary, settings!) : '',
    run?.rollback ? rollbackSection(run.rollback) : '',
    // The incident's suspects, here too: the report is what the on-call reads first.
    run?.rollback && settings ? `## Suspect changes\n${suspectsSection(run.suspects, webLinks(settings.run))}` : '',
    run?.incident ? incidentSection(run.incident, settings!) : '',
    timelineSection(run?.canary, run?.rollback),
    run?.deployment ? deploymentLine(run) : '',
    run?.changelog ? run.changelog.markdown : '',
    run?.githubRelease && run.githubRelease.status !== 'skipped' ? `## GitHub Release\n${run.githubRelease.status}: ${run.githubRelease.url}` : '',
    evidence(input),
  ];
  return `${sections.filter(Boolean).join('\n\n')}\n`;
}

function summaryTable({ settings, raw: given, startedAt, finishedAt, githubWrites, run: release }: ReportInput): string {
  const rows: [string, Parameters<typeof table>[1][number][number]][] = [];
  if (settings) {
    const { run } = settings;
    const { previousImage } = releaseFacts(settings, release);
    rows.push(
      ['Service', `${code(settings.service)} in namespace ${code(settings.namespace)}, container ${code(settings.container)}`],
      ['Version', code(settings.version.tag)],
      ['Commit', code(settings.sha)],
      ['Environment', code(settings.environment)],
      ['Image', code(settings.digest ? `${settings.image}@${settings.digest}` : `${settings.image} (no digest: dry run)`)],
      ['Previous image', previousImage ? code(previousImage) : '—'],
      ['Canary steps', canaryStepsText(settings.canarySteps, release?.cluster?.plan)],
      ['SLO', `error rate ≤ ${settings.slo.errorRateMax}, p95 ≤ ${settings.slo.p95LatencyMs} ms, window ${settings.slo.windowMinutes} min, sample every ${settings.slo.intervalSeconds} s (provider: ${settings.sloProvider.kind})`],
      ['Workflow run', run.runUrl ? raw(`[${run.runId}${run.runAttempt > 1 ? ` attempt ${run.runAttempt}` : ''}](${run.runUrl})`) : 'none (run outside GitHub Actions)'],
      // A link to the profile, never a mention: the summary must not notify whoever started the run.
      ['Triggered by', raw(`${run.actor ? personLink(run.actor, webLinks(run)) : 'unknown'}${run.eventName ? ` (${inert(run.eventName)})` : ''}`)],
      ['Dry run', settings.dryRun ? 'yes: no tag, no cluster write, no issue, no release' : 'no'],
    );
  } else {
    rows.push(['Service', given.service || '—'], ['Version', given.version || '—'], ['Commit', given.sha || '—'], ['Environment', given.environment || '—']);
  }
  rows.push(
    ['Started', startedAt.toISOString()],
    ['Finished', `${finishedAt.toISOString()} (${((finishedAt.getTime() - startedAt.getTime()) / 1000).toFixed(1)} s)`],
    ['GitHub writes', String(githubWrites)],
  );
  return table(['Release', ''], rows);
}

function reasons({ outcome, settings }: ReportInput): string {
  if (outcome.reasons.length === 0) return '';
  const heading = outcome.result === 'blocked' ? 'Blocked' : outcome.result === 'aborted' ? 'Aborted' : 'Failed';
  const lines = outcome.reasons.map((r) => `- ${inert(r)}`);
  if (!settings) lines.push('', 'The inputs did not validate, so nothing was sent to GitHub or the cluster. Fix every input above and run again.');
  return `## ${heading}\n${lines.join('\n')}`;
}

function stagesTable(run: ReleaseRun): string {
  // Digests shortened: a 71-character word would push the table sideways (the full ones are above).
  return `## Stages\n${table(['Stage', 'Result', 'Seconds', 'What happened'], run.stages.map((s) => [s.name, s.status, s.seconds.toFixed(1), shortDigests(s.summary)]))}`;
}

function approvalSection(run: ReleaseRun): string {
  const approval = run.approval!;
  return `## Approval\n${table(['Checked', 'Allows the run', 'Why'], approval.checks.map((c) => [c.subject, c.allowed ? 'yes' : 'no', c.detail]))}`;
}

function ciSection(ci: CiGateResult, settings: Settings): string {
  const { evaluation } = ci;
  const rows = [
    // Each check links to its run (details_url / target_url), where its failure can be read.
    ...evaluation.runs.map((r) => [raw(externalLink(r.name, r.detailsUrl)), `check run (${r.app || 'app'})`, r.status === 'completed' ? r.conclusion ?? '' : r.status, r.verdict, r.reason ?? '']),
    ...evaluation.statuses.map((s) => [raw(externalLink(s.context, s.targetUrl)), 'commit status', s.state, s.verdict, s.reason ?? '']),
  ];
  const lines = [
    `## CI gate: ${ci.status === 'green' ? 'green' : 'not green'}`,
    `Own check run: ${inert(ci.own.kind === 'id' ? `${ci.own.id}, ${ci.own.source}` : ci.own.source)}. ` +
      `Polls: ${ci.polls}, waited ${ci.waitedSeconds} s of ${settings.ciWaitMinutes} min.`,
    `Set aside as the release workflow's own check runs (by identity, not CI): ${inert(ci.releaseWorkflow)}.` +
      (settings.requiredChecks.length > 0
        ? ` Required checks: ${settings.requiredChecks.map((n) => code(n)).join(', ')}${ci.evaluation.missingRequired.length > 0 ? `; not found: ${ci.evaluation.missingRequired.map((n) => code(n)).join(', ')}` : ''}.`
        : ''),
    rows.length > 0 ? table(['Check', 'Kind', 'State', 'Verdict', 'Note'], rows) : '_No check runs or commit statuses on this commit._',
  ];
  if (evaluation.unmatchedIgnores.length > 0) lines.push(`ignore-checks that matched nothing: ${evaluation.unmatchedIgnores.map((n) => code(n)).join(', ')}`);
  return lines.join('\n\n');
}

function preflightSection(run: ReleaseRun): string {
  const lines = [...run.preflight!.checks, ...(run.cluster?.checks ?? []), ...run.preflight!.reasons, ...(run.cluster?.reasons ?? [])];
  // A steps block to paste stays a code block.
  return `## Preflight\n${lines.map((l) => (l.includes('\n') ? `- ${inert(l.split('\n')[0]!)}\n\n${codeBlock(l.split('\n').slice(1).join('\n'), 'yaml')}` : `- ${inert(l)}`)).join('\n')}`;
}

function deploymentLine(run: ReleaseRun): string {
  const d = run.deployment!;
  if (d.id === undefined) return `## GitHub deployment\nnot recorded: ${inert(d.problems.join('; '))}`;
  return `## GitHub deployment\n${d.created ? 'created' : 'the one GitHub made for this job'} (id ${d.id}), statuses ${d.statuses.join(' → ')}${d.problems.length > 0 ? `; problems: ${inert(d.problems.join('; '))}` : ''}`;
}

function incidentSection(incident: NonNullable<ReleaseRun['incident']>, settings: Settings): string {
  // The postmortem file, linked from where the report lies, so it can be opened from the artifact or the repository.
  const file = `[${code(incident.file.path)}](${path.posix.relative(path.posix.join(settings.reportDir, 'reports'), incident.file.path)})`;
  if (!incident.url) return `## Incident\n${incident.id}: the issue was not opened — ${inert(incident.problem ?? 'no reason given')}. The postmortem skeleton is ${file}: open the issue from it.`;
  const how = incident.reused ? '(already open for this release: this run added a comment)' : 'opened';
  return `## Incident\n[${incident.id}](${incident.url}) ${how}; postmortem skeleton ${file}.${incident.problem ? ` ${inert(incident.problem)}.` : ''}`;
}

function evidence({ files }: ReportInput): string {
  return files.length > 0 ? `## Evidence\n${files.map((f) => `- ${code(f)}`).join('\n')}` : '';
}
