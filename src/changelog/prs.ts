// Commits → the pull requests that merged them. Pure: the associations come from the port.
//
// Which branch is "the release branch"? Not simply the default branch: a hotfix released from
// release/2.14 must list the PRs merged into release/2.14. The first-parent line from `sha` back to
// the range start is the branch's own history — every squash, rebase or merge of a PR into the
// branch the release commit is on puts the PR's merge commit there, while commits of merged-in
// branches hang off second parents. So the release branch is the base most PRs whose merge commit
// lies on that line were merged into; with no such PR (only direct pushes), the default branch.
import type { AssociatedPr, CommitAssociations, RangeCommit } from './port.js';

export interface ReleaseBranch {
  readonly name: string;
  readonly source: 'first-parent-line' | 'default-branch';
}

/** A PR merged into the release branch within the range, with its commits in the range. */
export interface ReleasePr extends AssociatedPr {
  readonly commits: readonly RangeCommit[];
}

export interface UnmergedCommit {
  readonly commit: RangeCommit;
  /** Merged PRs GitHub associates with the commit that went into other branches. */
  readonly otherPrs: readonly { readonly number: number; readonly base: string }[];
}

export interface PrMapping {
  readonly branch: ReleaseBranch;
  /** In merge order (oldest first), each PR once. */
  readonly prs: readonly ReleasePr[];
  /** Range order; never dropped. */
  readonly withoutPr: readonly UnmergedCommit[];
  readonly warnings: readonly string[];
}

type Associations = ReadonlyMap<string, CommitAssociations>;

/** `head`, its first parent, its first parent's first parent… while inside the range. */
export function firstParentLine(commits: readonly RangeCommit[], head: string): string[] {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const line: string[] = [];
  for (let c = bySha.get(head); c; c = bySha.get(c.parents[0] ?? '')) line.push(c.sha);
  return line;
}

export function releaseBranch(commits: readonly RangeCommit[], associations: Associations, head: string, defaultBranch: string): ReleaseBranch {
  const votes = new Map<string, number>();
  for (const sha of firstParentLine(commits, head)) {
    for (const pr of associations.get(sha)?.prs ?? []) if (pr.mergeCommit === sha) votes.set(pr.base, (votes.get(pr.base) ?? 0) + 1);
  }
  const ranked = [...votes].sort(([a, x], [b, y]) => y - x || Number(b === defaultBranch) - Number(a === defaultBranch) || a.localeCompare(b));
  const top = ranked[0];
  return top ? { name: top[0], source: 'first-parent-line' } : { name: defaultBranch, source: 'default-branch' };
}

const mergedTime = (pr: AssociatedPr) => Date.parse(pr.mergedAt ?? '') || Number.MAX_SAFE_INTEGER;

/**
 * The PR that brought `commit` into the branch: merged into the release branch with its merge
 * commit inside the range (so not one released earlier); the one whose merge commit this is, else
 * the first merged (a commit inside two stacked PRs was introduced by the earlier one).
 */
function mergingPr(commit: RangeCommit, candidates: readonly AssociatedPr[], branch: string, inRange: ReadonlySet<string>): AssociatedPr | undefined {
  const eligible = candidates.filter((pr) => pr.mergedAt !== null && pr.base === branch && (pr.mergeCommit === null || inRange.has(pr.mergeCommit)));
  return eligible.sort((a, b) => Number(b.mergeCommit === commit.sha) - Number(a.mergeCommit === commit.sha) || mergedTime(a) - mergedTime(b))[0];
}

export function mapPullRequests(commits: readonly RangeCommit[], associations: Associations, head: string, defaultBranch: string): PrMapping {
  const branch = releaseBranch(commits, associations, head, defaultBranch);
  const inRange = new Set(commits.map((c) => c.sha));
  const byNumber = new Map<number, { pr: AssociatedPr; commits: RangeCommit[] }>();
  const withoutPr: UnmergedCommit[] = [];
  const warnings: string[] = [];
  for (const commit of commits) {
    const associated = associations.get(commit.sha) ?? { prs: [], truncated: false };
    const pr = mergingPr(commit, associated.prs, branch.name, inRange);
    if (pr) {
      const entry = byNumber.get(pr.number) ?? { pr, commits: [] };
      entry.commits.push(commit);
      byNumber.set(pr.number, entry);
      continue;
    }
    withoutPr.push({ commit, otherPrs: associated.prs.map((p) => ({ number: p.number, base: p.base })) });
    if (associated.truncated) warnings.push(`commit ${commit.sha.slice(0, 7)} belongs to more pull requests than GitHub listed; the one that merged it may be missing`);
  }
  const prs = [...byNumber.values()].map(({ pr, commits: own }) => ({ ...pr, commits: own })).sort((a, b) => mergedTime(a) - mergedTime(b) || a.number - b.number);
  return { branch, prs, withoutPr, warnings };
}
