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
  // The comparison's first page is already read (it told the status and the count): its commits,
  // the oldest of the range, are the check that the history missed none.
  const rest = pages[Symbol.asyncIterator]();
  const first = start.firstRelease ? [] : ((await rest.next()).value ?? []);
  const read = (await fromHistory(port, start, settings.sha, first)) ?? (await fromComparison(port, again(first, rest), start.firstRelease));
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
 * The range from `git log sha --since <the start's commit date>`, newest first. The start commit and
 * whatever it reaches are left out as they come: git log lists children before parents, so each is
 * known as the start's ancestor before it is listed (also those committed in the start's second).
 * Reading stops once the comparison's count is reached. Undefined when the log cannot add up to it
 * — a commit of the range committed before the start (a clock set wrong, a rebase that kept dates)
 * — and the caller reads the range exactly instead.
 */
async function fromHistory(port: ChangelogPort, start: RangeStart, head: string, oldest: readonly RangeCommit[]): Promise<ReadRange | undefined> {
  if (!start.firstRelease && (start.fromSha === undefined || start.fromDate === undefined || Number.isNaN(Date.parse(start.fromDate)) || start.expectedCommits === undefined)) return undefined;
  if (start.expectedCommits === 0) return { commits: [], associations: new Map() };
  const outside = new Set(start.fromSha === undefined ? [] : [start.fromSha]);
  const commits: RangeCommit[] = [];
  const associations = new Map<string, CommitAssociations>();
  let defaultBranch: string | undefined;
  for await (const page of port.historyWithPullRequests(head, start.firstRelease ? undefined : start.fromDate)) {
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
    // All of the range found: the rest of the log is the start's side (no page more to read).
    if (commits.length === start.expectedCommits) break;
    if (start.expectedCommits !== undefined && commits.length > start.expectedCommits) return undefined;
  }
  if (start.expectedCommits !== undefined && commits.length !== start.expectedCommits) return undefined;
  if (!start.firstRelease && !isRange(commits, head, oldest)) return undefined;
  return { commits: commits.reverse(), associations, ...(defaultBranch !== undefined && { defaultBranch }) };
}

/**
 * The commits found are the range only if each is reached from `head` through found commits alone
 * (every commit between head and a commit of the range is in the range; one the start reaches is
 * reached only through the start) and the comparison's oldest commits are among them (a commit
 * counted that is not in the range would leave one of the range, listed last, unread).
 */
function isRange(commits: readonly RangeCommit[], head: string, oldest: readonly RangeCommit[]): boolean {
  const found = new Map(commits.map((c) => [c.sha, c]));
  if (!oldest.every((c) => found.has(c.sha))) return false;
  const reached = new Set<string>();
  const stack = [head];
  while (stack.length > 0) {
    const sha = stack.pop()!;
    const commit = found.get(sha);
    if (!commit || reached.has(sha)) continue;
    reached.add(sha);
    stack.push(...commit.parents);
  }
  return reached.size === found.size;
}

/** The first page again, then the rest of the comparison. */
async function* again(first: readonly RangeCommit[], rest: AsyncIterator<readonly RangeCommit[]>): AsyncGenerator<readonly RangeCommit[]> {
  if (first.length > 0) yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
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
