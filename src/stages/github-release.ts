// create-release: a GitHub Release for the tag with the changelog as notes; a re-run updates the
// release it made the first time instead of failing on GitHub's 422 already_exists.
import type { GitHubPort } from '../github/port.js';
import * as semver from 'semver';
import type { Settings } from '../settings.js';

export interface GitHubReleaseResult {
  readonly status: 'created' | 'updated' | 'skipped';
  readonly url?: string;
}

// GitHub refuses a release body over 125,000 characters; the port adds a marker of about 100.
const MAX_BODY = 125_000 - 200;

/**
 * GitHub marks a new published non-prerelease release Latest unless told otherwise: a hotfix
 * v2.13.5 shipped after v2.14.0 would become Latest. Latest only when `tag` is not a pre-release
 * and no published release has a higher SemVer (tags that are not SemVer are not compared).
 */
export function shouldBeLatest(tag: string, prerelease: boolean, releasedTags: readonly string[]): boolean {
  const version = semver.parse(tag);
  if (prerelease || !version || version.prerelease.length > 0) return false;
  return releasedTags.every((other) => {
    const parsed = semver.parse(other);
    return !parsed || parsed.prerelease.length > 0 || semver.gte(version, parsed);
  });
}

export async function publishRelease(settings: Settings, github: GitHubPort, changes: string, reportPath: string): Promise<GitHubReleaseResult> {
  if (!settings.createRelease || settings.dryRun) return { status: 'skipped' };
  const cut = `\n\n_The list goes on: the whole changelog is in ${reportPath} (workflow artifact)._\n`;
  const notes = changes.length <= MAX_BODY ? changes : `${changes.slice(0, changes.lastIndexOf('\n', MAX_BODY - cut.length))}${cut}`;
  const { tag, prerelease } = settings.version;
  const name = `${tag}`;
  const existing = await github.findRelease(tag);
  if (existing) return { status: 'updated', url: (await github.updateRelease(existing.id, name, notes)).url };
  const latest = shouldBeLatest(tag, prerelease, await github.listReleaseTags());
  const created = await github.createRelease(tag, name, notes, prerelease, latest);
  if (created !== 'exists') return { status: 'created', url: created.url };
  // Created meanwhile (a concurrent re-run), or a draft the tag lookup cannot see.
  const again = await github.findRelease(tag);
  if (!again) throw new Error(`GitHub says a release for ${tag} exists but it cannot be found (a draft?): publish or delete it`);
  return { status: 'updated', url: (await github.updateRelease(again.id, name, notes)).url };
}
