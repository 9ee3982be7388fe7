// Contract step 5: an annotated tag through the Git database API (tag object, then ref). A ref
// that appears meanwhile — a concurrent run, or our own retried request — is accepted only when
// it points at the same commit.
import type { GitHubPort } from '../github/port.js';
import type { Settings } from '../settings.js';
import { tagConflict } from './preflight.js';

export interface TagResult {
  readonly status: 'created' | 'kept' | 'skipped' | 'failed';
  readonly tag: string;
  readonly detail: string;
}

export async function createTag(settings: Settings, github: GitHubPort, alreadyThere: boolean): Promise<TagResult> {
  const { version, sha, run } = settings;
  const tag = version.tag;
  if (settings.dryRun) return { status: 'skipped', tag, detail: `dry run: ${tag} would be created on ${sha}` };
  if (alreadyThere) return { status: 'kept', tag, detail: `${tag} already points at ${sha} (a re-run)` };
  const message = [`Release ${tag}`, '', `${settings.service} to ${settings.environment}`, ...(run.runUrl ? [`Released by ${run.runUrl}`] : [])].join('\n');
  if ((await github.createAnnotatedTag(tag, sha, message)) === 'created') return { status: 'created', tag, detail: `annotated tag ${tag} created on ${sha}` };
  const existing = await github.findTag(tag);
  if (existing?.commit === sha) return { status: 'kept', tag, detail: `${tag} already points at ${sha}` };
  return { status: 'failed', tag, detail: tagConflict(tag, existing?.commit ?? 'an unknown commit') };
}
