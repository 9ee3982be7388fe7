// Every path ends here: status files, the report, the job summary, the artifact, the outputs.
import * as core from '@actions/core';
import type { Log } from './log.js';
import { HEADINGS, type Outcome } from './outcome.js';
import type { ReleaseRun } from './release.js';
import { reportPaths, safeFileStem } from './report/paths.js';
import { addJobSummary, uploadEvidence, writeEvidence, type EvidenceFile } from './report/publish.js';
import { renderReport } from './report/render.js';
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

export async function finish({ outcome, startedAt, settings, run, partial, githubWrites, log }: Finish): Promise<number> {
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
  await writeEvidence(workspace, [...status, { path: paths.report, content: report }]);
  const evidence = [paths.report, ...status.map((f) => f.path)];

  await addJobSummary(report, paths.report).catch((error: unknown) => log.warning(`job summary not written: ${String(error)}`));
  const artifactName = `release-${safeFileStem(settings?.version.tag ?? partial.version)}-attempt-${settings?.run.runAttempt ?? 1}`;
  const uploaded = await uploadEvidence(artifactName, workspace, evidence, settings?.run.artifactsAvailable ?? false).catch(
    (error: unknown) => `artifact upload failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  if (uploaded.startsWith('artifact upload')) log.notice(uploaded);
  else log.info(uploaded);

  const tag = run?.tag && (run.tag.status === 'created' || run.tag.status === 'kept') ? run.tag.tag : '';
  const outputs: Record<string, string> = {
    result: outcome.result,
    'report-path': paths.report,
    tag,
    'aborted-at-step': outcome.result === 'aborted' || run?.rollback ? String(run?.canary?.abortedAtStep ?? '') : '',
    'incident-id': run?.incident?.id ?? '',
    'incident-url': run?.incident?.url ?? '',
    'release-url': run?.githubRelease?.url ?? '',
    changelog: run?.changelog?.markdown ?? '',
    'exit-code': String(outcome.exitCode),
  };
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);

  const line = `${HEADINGS[outcome.result]}: ${outcome.headline} — report: ${paths.report}`;
  // The exit code is main's to set (process.exitCode); the failure is an error annotation.
  if (outcome.exitCode === 0) log.info(line);
  else log.error([line, ...outcome.reasons.map((r) => `  - ${r}`)].join('\n'));
  return outcome.exitCode;
}
