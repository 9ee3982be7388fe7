// Range → PRs. The usual way, one request per hundred commits: read `git log sha` from the range's
// start commit's date on (GraphQL history, each page carrying its commits' PRs), leave out the start
// commit and its ancestors, and check the count against the comparison's. When it does not match
// (a commit of the range dated before the start, clock skew), the exact way: the comparison's pages
// and one association batch per page. Memory holds only the compact commits, never a raw page.
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
  const read = (await fromHistory(port, start, settings.sha)) ?? (await fromComparison(port, pages, start.firstRelease));
  // With no commit there was no batch to name the default branch, and no PR to need it.
  const mapping = mapPullRequests(read.commits, read.associations, settings.sha, read.defaultBranch ?? 'main');
  const { commits } = read;
  const incomplete = start.expectedCommits !== undefined && start.expectedCommits !== commits.length ? [`GitHub counts ${start.expectedCommits} commits in the range but listed ${commits.length}: the changelog may be incomplete`] : [];
  return { start, commits: commits.length, branch: mapping.branch, prs: mapping.prs, withoutPr: mapping.withoutPr, warnings: [...start.warnings, ...incomplete, ...mapping.warnings] };
}

interface ReadRange {
  /** Oldest first. */
  readonly commits: readonly RangeCommit[];
  readonly associations: ReadonlyMap<string, CommitAssociations>;
  readonly defaultBranch?: string;
}

/**
 * The range from `git log sha --since <start's date + 1 s>`, newest first; the start commit and
 * whatever it reaches are left out should they come (a clock set wrong: git log lists children
 * before parents, so such a commit is known as the start's ancestor before it is listed). Undefined
 * when the count is not the comparison's — a commit of the range committed before the start, in
 * its second or earlier — and the caller reads the range exactly instead.
 */
async function fromHistory(port: ChangelogPort, start: RangeStart, head: string): Promise<ReadRange | undefined> {
  if (!start.firstRelease && (start.fromSha === undefined || start.fromDate === undefined || Number.isNaN(Date.parse(start.fromDate)) || start.expectedCommits === undefined)) return undefined;
  const outside = new Set(start.fromSha === undefined ? [] : [start.fromSha]);
  const commits: RangeCommit[] = [];
  const associations = new Map<string, CommitAssociations>();
  let defaultBranch: string | undefined;
  // From the second after the start's: git timestamps are whole seconds, and the start commit itself is not in the range.
  const since = start.fromDate === undefined ? undefined : new Date(Math.floor(Date.parse(start.fromDate) / 1000) * 1000 + 1000).toISOString();
  for await (const page of port.historyWithPullRequests(head, start.firstRelease ? undefined : since)) {
    defaultBranch ??= page.defaultBranch;
    for (const commit of page.commits) {
      if (outside.has(commit.sha)) {
        for (const parent of commit.parents) outside.add(parent);
        continue;
      }
      commits.push(commit);
      const found = page.byCommit.get(commit.sha);
      if (found) associations.set(commit.sha, found);
    }
    if (start.expectedCommits !== undefined && commits.length > start.expectedCommits) return undefined;
  }
  if (start.expectedCommits !== undefined && commits.length !== start.expectedCommits) return undefined;
  return { commits: commits.reverse(), associations, ...(defaultBranch !== undefined && { defaultBranch }) };
}

/** The comparison's pages (oldest first; a first release: history, newest first), one association batch per page. */
async function fromComparison(port: ChangelogPort, pages: AsyncIterable<readonly RangeCommit[]>, firstRelease: boolean): Promise<ReadRange> {
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
  if (firstRelease) commits.reverse();
  return { commits, associations, ...(defaultBranch !== undefined && { defaultBranch }) };
}
