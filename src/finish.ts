// Every path ends here: status files, the report, the job summary, the artifact, the outputs.
import * as core from '@actions/core';
import type { Log } from './log.js';
import { failed, HEADINGS, type Outcome } from './outcome.js';
import type { ReleaseRun } from './release.js';
import { reportPaths, safeFileStem } from './report/paths.js';
import { addJobSummary, uploadEvidence, writeEvidence, type EvidenceFile } from './report/publish.js';
import { renderReport } from './report/render.js';
import { releaseFacts } from './report/header.js';
import { evidenceDirs, unsafeWrites } from './report/workspace.js';
import { ciGreenJson, deployResultJson } from './report/status-files.js';
import type { ParseResult, Settings } from './settings.js';

export interface Finish {
  readonly outcome: Outcome;
  readonly startedAt: Date;
  readonly settings?: Settings;
  readonly run?: ReleaseRun;
  readonly partial: ParseResult['partial'];
  readonly githubWrites: number;
  /** The neutralising log (runnerLog): nothing printed here is read as a workflow command. */
  readonly log: Log;
}

export async function finish({ outcome: reached, startedAt, settings, run, partial, githubWrites, log }: Finish): Promise<number> {
  const workspace = partial.workspace;
  const paths = reportPaths(workspace, partial.reportDir, settings?.version.tag ?? partial.version);
  const status: EvidenceFile[] = [];
  if (settings && run?.ci) status.push({ path: paths.ciGreen, content: `${JSON.stringify(ciGreenJson(settings, run.ci), null, 2)}\n` });
  if (settings && run?.canary) status.push({ path: paths.deployResult, content: `${JSON.stringify(deployResultJson(settings, run.canary, run.rollback), null, 2)}\n` });
  if (run?.changelog) {
    status.push({ path: paths.prsInRelease, content: `${JSON.stringify(run.changelog.prs, null, 2)}\n` });
    status.push({ path: paths.commitsWithoutPr, content: `${JSON.stringify(run.changelog.commitsWithoutPr, null, 2)}\n` });
  }
  if (run?.incident) status.push(run.incident.file);

  // Nothing is written through a symbolic link out of the workspace: then the report goes to the
  // log and the job summary only (main refuses such a run before its first write).
  const unsafe = await unsafeWrites(workspace, evidenceDirs(partial.reportDir), [paths.report, ...status.map((f) => f.path)]);
  const outcome = unsafe.length === 0 ? reached : refusedWrites(reached, unsafe);
  const report = renderReport({
    outcome,
    startedAt,
    finishedAt: new Date(),
    settings,
    raw: partial,
    run,
    githubWrites,
    files: status.map((f) => f.path),
  });
  if (unsafe.length === 0) await writeEvidence(workspace, [...status, { path: paths.report, content: report }]);
  const evidence = unsafe.length === 0 ? [paths.report, ...status.map((f) => f.path)] : [];

  await addJobSummary(report, paths.report).catch((error: unknown) => log.warning(`job summary not written: ${String(error)}`));
  const uploaded = await uploadEvidence(artifactName(settings, partial, run), workspace, evidence, (settings?.run.artifactsAvailable ?? false) && evidence.length > 0).catch(
    (error: unknown) => `artifact upload failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  if (uploaded.startsWith('artifact upload')) log.notice(uploaded);
  else log.info(uploaded);

  const tag = run?.tag && (run.tag.status === 'created' || run.tag.status === 'kept') ? run.tag.tag : '';
  const facts = releaseFacts(settings, run);
  const outputs: Record<string, string> = {
    result: outcome.result,
    'report-path': unsafe.length === 0 ? paths.report : '',
    tag,
    'aborted-at-step': outcome.result === 'aborted' || run?.rollback ? String(run?.canary?.abortedAtStep ?? '') : '',
    'incident-id': run?.incident?.id ?? '',
    'incident-url': run?.incident?.url ?? '',
    'release-url': run?.githubRelease?.url ?? '',
    changelog: run?.changelog?.markdown ?? '',
    'exit-code': String(outcome.exitCode),
    // On every path where they are known (the report's header says the same).
    image: facts.image ?? '',
    'previous-image': facts.previousImage ?? '',
    'deployment-id': facts.deploymentId !== undefined ? String(facts.deploymentId) : '',
  };
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);

  const line = `${HEADINGS[outcome.result]}: ${outcome.headline} — report: ${paths.report}`;
  // The exit code is main's to set (process.exitCode); the failure is an error annotation.
  if (outcome.exitCode === 0) log.info(line);
  else log.error([line, ...outcome.reasons.map((r) => `  - ${r}`)].join('\n'));
  return outcome.exitCode;
}

/** A run whose evidence would go through a link out of the workspace fails (exit 1) with each problem named. */
function refusedWrites(outcome: Outcome, problems: readonly string[]): Outcome {
  if (outcome.exitCode === 0) return failed(problems[0]!, problems);
  return { ...outcome, reasons: [...outcome.reasons, ...problems.filter((p) => !outcome.reasons.includes(p))] };
}

/**
 * One artifact per job and attempt: a re-run's second upload of a name is a 409, and so is the
 * second matrix leg's. The job is told apart by its check run id (= job id), else its runner.
 */
export function artifactName(settings: Settings | undefined, partial: ParseResult['partial'], run: ReleaseRun | undefined): string {
  const own = run?.ci?.own.kind === 'id' ? run.ci.own.id : undefined;
  const job = settings?.checkRunId ?? own ?? settings?.run.runnerName;
  return `release-${safeFileStem(settings?.version.tag ?? partial.version)}-attempt-${settings?.run.runAttempt ?? 1}${job !== undefined ? `-job-${safeFileStem(String(job))}` : ''}`;
}
