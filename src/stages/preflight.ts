// Contract step 3, the read-only checks that can fail a release before anything is written.
// The GitHub half lives here; the cluster half (Rollout, container, steps, SLO provider) arrives
// with the canary stage.
import type { GitHubPort } from '../github/port.js';
import type { Settings } from '../settings.js';

export interface PreflightResult {
  readonly status: 'passed' | 'failed';
  /** What was verified, one line each, for the report. */
  readonly checks: readonly string[];
  readonly reasons: readonly string[];
  /** The tag already points at this sha: a re-run, nothing to create. */
  readonly tagExists: boolean;
}

export async function preflight(settings: Settings, github: GitHubPort): Promise<PreflightResult> {
  const { sha, version, run } = settings;
  if (!(await github.commitExists(sha))) {
    return { status: 'failed', checks: [], reasons: [`Commit ${sha} does not exist in ${run.owner}/${run.repo}`], tagExists: false };
  }
  const checks = [`commit ${sha} exists in ${run.owner}/${run.repo}`];
  const previous = settings.previousReleaseTag;
  const [existing, previousFound] = await Promise.all([github.findTag(version.tag), previous ? github.findTag(previous) : undefined]);
  const reasons: string[] = [];
  if (existing && existing.commit !== sha) reasons.push(tagConflict(version.tag, existing.commit));
  else checks.push(existing ? `tag ${version.tag} already on ${sha} (a re-run): kept` : `tag ${version.tag} is free`);
  // Found here, not after the tag and the deploy: the changelog starts from this tag.
  if (previous && !previousFound) reasons.push(`previous-release-tag '${previous}' does not exist in ${run.owner}/${run.repo}: give an existing tag, or leave it empty to pick the highest SemVer tag below the version`);
  else if (previous) checks.push(`previous-release-tag ${previous} exists (on ${previousFound!.commit})`);
  return { status: reasons.length > 0 ? 'failed' : 'passed', checks, reasons, tagExists: Boolean(existing) };
}

export function tagConflict(tag: string, commit: string): string {
  return `Tag ${tag} already exists on ${commit}`;
}
