// The changelog's records exactly as devops/status/prs-in-release.json holds them: the file is
// these objects serialised, so multi-word keys are snake_case like the rest of the status files.
import { classify, signalsOf, type GroupKey } from './group.js';
import type { RangeCommit } from './port.js';
import type { ReleasePr, UnmergedCommit } from './prs.js';
import type { Links } from './render.js';

export interface PrInRelease {
  readonly number: number;
  readonly title: string;
  /** Login; bots as `name[bot]` (GitHub's REST form); `ghost` for a deleted account. */
  readonly author: string;
  readonly labels: readonly string[];
  readonly url: string;
  readonly merged_at: string | null;
  readonly merge_commit: string | null;
  /** The branch it was merged into (the release branch). */
  readonly base: string;
  readonly group: GroupKey;
  readonly breaking: boolean;
  readonly first_time_contributor: boolean;
  /** Its commits in the range, oldest first: one for a squash, several for a merge or rebase. */
  readonly commits: readonly string[];
}

/** A commit in the range that no PR merged into the release branch: a direct push, a merge of another branch… */
export interface CommitWithoutPr {
  readonly sha: string;
  /** First line of the message. */
  readonly title: string;
  /** Login when GitHub knows the account, else the git author name. */
  readonly author: string;
  readonly author_login: string | null;
  readonly url: string;
  readonly date: string;
  /** Merged PRs GitHub associates with the commit that went into other branches (how it got here). */
  readonly other_prs: readonly { readonly number: number; readonly base: string }[];
}

export const headline = (message: string): string => message.split('\n', 1)[0]!.trim();

/** Bots as `name[bot]` whichever API named them (GraphQL drops the suffix, REST keeps it). */
export function prAuthor(pr: Pick<ReleasePr, 'author'>): string {
  if (!pr.author) return 'ghost';
  return pr.author.bot ? `${pr.author.login}[bot]` : pr.author.login;
}

export function commitAuthor(commit: RangeCommit): string {
  if (!commit.login) return commit.authorName;
  return commit.bot && !commit.login.endsWith('[bot]') ? `${commit.login}[bot]` : commit.login;
}

export function prRecord(pr: ReleasePr, newcomers: ReadonlySet<string>): PrInRelease {
  const group = classify(signalsOf({ title: pr.title, body: pr.body, labels: pr.labels, messages: pr.commits.map((c) => c.message) }));
  const author = prAuthor(pr);
  return {
    number: pr.number,
    title: pr.title,
    author,
    labels: pr.labels,
    url: pr.url,
    merged_at: pr.mergedAt,
    merge_commit: pr.mergeCommit,
    base: pr.base,
    group,
    breaking: group === 'breaking',
    first_time_contributor: newcomers.has(author),
    commits: pr.commits.map((c) => c.sha),
  };
}

export function commitRecord({ commit, otherPrs }: UnmergedCommit, links: Pick<Links, 'commit'>): CommitWithoutPr {
  return {
    sha: commit.sha,
    title: headline(commit.message),
    author: commitAuthor(commit),
    author_login: commit.login ? commitAuthor(commit) : null,
    url: links.commit(commit.sha),
    date: commit.date,
    other_prs: otherPrs,
  };
}
