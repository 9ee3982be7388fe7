// What the changelog needs from GitHub, in its own words. github.ts implements it over Octokit;
// range.ts, prs.ts and index.ts depend only on this, so tests can count and fake every call.

/** GitHub's page size limit; one compare page and one GraphQL batch each hold this many commits. */
export const PAGE_SIZE = 100;

export interface TagRef {
  readonly name: string;
  /** The commit the tag finally points at (annotated tags peeled). */
  readonly commit: string;
}

export interface RangeCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  /** The whole message: its first line is listed, its footers may say BREAKING CHANGE. */
  readonly message: string;
  /** The GitHub account the commit is attributed to, when GitHub knows one. */
  readonly login?: string;
  readonly bot: boolean;
  /** The git author name, for commits GitHub attributes to no account. */
  readonly authorName: string;
  /** Committer date, ISO 8601. */
  readonly date: string;
}

/** GitHub's word for how `base` relates to `head`; ahead or identical means base is an ancestor. */
export type CompareStatus = 'ahead' | 'behind' | 'diverged' | 'identical';

export interface ComparePage {
  readonly status: CompareStatus;
  readonly totalCommits: number;
  readonly base: { readonly sha: string; readonly date: string };
  /** Oldest first, at most PAGE_SIZE. */
  readonly commits: readonly RangeCommit[];
}

/** A merged pull request as GitHub associates it with a commit. */
export interface AssociatedPr {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly url: string;
  readonly mergedAt: string | null;
  readonly base: string;
  /** Null for a deleted account (GitHub's "ghost"). */
  readonly author: { readonly login: string; readonly bot: boolean } | null;
  readonly labels: readonly string[];
  readonly mergeCommit: string | null;
}

export interface CommitAssociations {
  readonly prs: readonly AssociatedPr[];
  /** GitHub holds more associated PRs than were asked for. */
  readonly truncated: boolean;
}

export interface AssociationBatch {
  readonly defaultBranch?: string;
  readonly byCommit: ReadonlyMap<string, CommitAssociations>;
}

/** One page of `git log <head>`, newest first, with each commit's associated PRs. */
export interface HistoryPage {
  readonly commits: readonly RangeCommit[];
  readonly byCommit: ReadonlyMap<string, CommitAssociations>;
  readonly defaultBranch?: string;
}

export interface ChangelogPort {
  /** Every tag of the repository. */
  listTags(): Promise<TagRef[]>;
  /** `base...head`, page by page; the first page always comes (it carries the status). Throws RefNotFound. */
  compare(base: string, head: string): AsyncIterable<ComparePage>;
  /** Every ancestor of `head`, newest first, page by page (a first release: no base to compare with). */
  history(head: string): AsyncIterable<readonly RangeCommit[]>;
  /**
   * `git log head` (committed at or after `since`, when given), newest first, each page carrying its
   * commits' associated PRs: one request per PAGE_SIZE commits for the commits and their PRs together.
   */
  historyWithPullRequests(head: string, since?: string): AsyncIterable<HistoryPage>;
  /** The merged PRs associated with each commit; one request per PAGE_SIZE commits. */
  associatedPullRequests(shas: readonly string[]): Promise<AssociationBatch>;
  /** How many PRs each login had merged in the repository up to and including `until` (ISO); one request per PAGE_SIZE logins. */
  mergedPullRequestCounts(logins: readonly string[], until: string): Promise<ReadonlyMap<string, number>>;
  /** Requests sent so far (Octokit's own retries not counted). */
  readonly requests: number;
}

export class RefNotFound extends Error {
  constructor(readonly ref: string) {
    super(`'${ref}' is neither a tag, a branch nor a commit of this repository`);
  }
}
