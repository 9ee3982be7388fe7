// Range → PRs: reads the range page by page and maps each page's commits to PRs as it arrives
// (one GraphQL batch per page of 100), so requests stay at two per hundred commits and memory holds
// only the compact commits, never a raw page.
import type { Settings } from '../settings.js';
import type { ChangelogPort, CommitAssociations, RangeCommit } from './port.js';
import { mapPullRequests, type ReleaseBranch, type ReleasePr, type UnmergedCommit } from './prs.js';
import { openRange, type RangeStart } from './range.js';

export interface CollectedChanges {
  readonly start: RangeStart;
  readonly commits: number;
  readonly branch: ReleaseBranch;
  readonly prs: readonly ReleasePr[];
  readonly withoutPr: readonly UnmergedCommit[];
  readonly warnings: readonly string[];
}

export async function collectChanges(settings: Pick<Settings, 'previousReleaseTag' | 'version' | 'sha'>, port: ChangelogPort): Promise<CollectedChanges> {
  const { start, pages } = await openRange(port, settings);
  const commits: RangeCommit[] = [];
  const associations = new Map<string, CommitAssociations>();
  let defaultBranch: string | undefined;
  for await (const page of pages) {
    commits.push(...page);
    if (page.length === 0) continue;
    const batch = await port.associatedPullRequests(page.map((c) => c.sha));
    defaultBranch ??= batch.defaultBranch;
    for (const [sha, found] of batch.byCommit) associations.set(sha, found);
  }
  // A first release lists history newest first; everything downstream reads oldest first.
  if (start.firstRelease) commits.reverse();
  // With no commit there was no batch to name the default branch, and no PR to need it.
  const mapping = mapPullRequests(commits, associations, settings.sha, defaultBranch ?? 'main');
  const incomplete = start.expectedCommits !== undefined && start.expectedCommits !== commits.length ? [`GitHub counts ${start.expectedCommits} commits in the range but listed ${commits.length}: the changelog may be incomplete`] : [];
  return { start, commits: commits.length, branch: mapping.branch, prs: mapping.prs, withoutPr: mapping.withoutPr, warnings: [...start.warnings, ...incomplete, ...mapping.warnings] };
}
