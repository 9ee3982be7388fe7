// Where the run's files go, relative to the workspace (contract: Files).
import path from 'node:path';

export interface ReportPaths {
  readonly workspace: string;
  /** Workspace-relative, as shown in outputs and the report. */
  readonly report: string;
  readonly ciGreen: string;
  readonly deployResult: string;
  readonly prsInRelease: string;
  readonly commitsWithoutPr: string;
}

/** A version that failed validation can still name its report, but never a path outside report-dir. */
export function safeFileStem(version: string): string {
  const stem = version.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^[.]+/, '').slice(0, 100);
  return stem || 'unknown';
}

export function reportPaths(workspace: string, reportDir: string, version: string): ReportPaths {
  const rel = (...parts: string[]) => path.posix.join(reportDir, ...parts);
  return {
    workspace,
    report: rel('reports', `release-${safeFileStem(version)}.md`),
    ciGreen: rel('status', 'ci-green.json'),
    deployResult: rel('status', 'deploy-result.json'),
    prsInRelease: rel('status', 'prs-in-release.json'),
    commitsWithoutPr: rel('status', 'commits-without-pr.json'),
  };
}
