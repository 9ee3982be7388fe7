// create-release: a GitHub Release for the tag with the changelog as notes; a re-run updates the
// release it made the first time instead of failing on GitHub's 422 already_exists.
import type { GitHubPort } from '../github/port.js';
import type { Settings } from '../settings.js';

export interface GitHubReleaseResult {
  readonly status: 'created' | 'updated' | 'skipped';
  readonly url?: string;
}

// GitHub refuses a release body over 125,000 characters.
const MAX_BODY = 125_000;

export async function publishRelease(settings: Settings, github: GitHubPort, changes: string, reportPath: string): Promise<GitHubReleaseResult> {
  if (!settings.createRelease || settings.dryRun) return { status: 'skipped' };
  const cut = `\n\n_The list goes on: the whole changelog is in ${reportPath} (workflow artifact)._\n`;
  const notes = changes.length <= MAX_BODY ? changes : `${changes.slice(0, changes.lastIndexOf('\n', MAX_BODY - cut.length))}${cut}`;
  const { tag, prerelease } = settings.version;
  const name = `${tag}`;
  const existing = await github.findRelease(tag);
  if (existing) return { status: 'updated', url: (await github.updateRelease(existing.id, name, notes)).url };
  const created = await github.createRelease(tag, name, notes, prerelease);
  if (created !== 'exists') return { status: 'created', url: created.url };
  // Created meanwhile (a concurrent re-run), or a draft the tag lookup cannot see.
  const again = await github.findRelease(tag);
  if (!again) throw new Error(`GitHub says a release for ${tag} exists but it cannot be found (a draft?): publish or delete it`);
  return { status: 'updated', url: (await github.updateRelease(again.id, name, notes)).url };
}
