// Writing the evidence: files in the workspace, the job summary, one workflow artifact.
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { code } from './markdown.js';
import { fitSummary } from './summary.js';

export interface EvidenceFile {
  /** Workspace-relative path. */
  readonly path: string;
  readonly content: string;
}

export async function writeEvidence(workspace: string, files: readonly EvidenceFile[]): Promise<void> {
  for (const file of files) {
    const target = path.resolve(workspace, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    // O_NOFOLLOW: a file that became a symbolic link after workspace.ts looked is refused (ELOOP), not followed.
    const handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
    try {
      await handle.writeFile(file.content, 'utf8');
    } finally {
      await handle.close();
    }
  }
}

export async function addJobSummary(markdown: string, reportPath: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const body = fitSummary(markdown, `_The report is longer than a job summary may be (1 MiB): the whole of it is ${code(reportPath)} in the artifact._`);
  await core.summary.addRaw(body, true).write();
}

/** One artifact per run attempt (a re-run's second upload of the same name would be a 409). */
export async function uploadEvidence(name: string, workspace: string, files: readonly string[], available: boolean): Promise<string> {
  if (!available) return `artifact upload skipped: not running in GitHub Actions (no ACTIONS_RUNTIME_TOKEN); the files stay in ${workspace}`;
  const { DefaultArtifactClient } = await import('@actions/artifact');
  const client = new DefaultArtifactClient();
  const { id, size } = await client.uploadArtifact(name, files.map((f) => path.resolve(workspace, f)), workspace, { retentionDays: 90 });
  return `artifact ${name} uploaded (id ${id}, ${size} bytes)`;
}
